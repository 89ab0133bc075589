"""Customer interview notes (客户访谈): recorded by HR or the person's supervisor chain,
read by them and by the person, edited by the author or HR with the change kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kaopei.core.errors import ApplicationError
from kaopei.facts.models import Customer
from kaopei.feedback.models import CustomerInterview
from kaopei.feedback.services.surveys import customer_interview_create
from tests.conftest import Personas


@pytest.fixture
def interview(world: Personas) -> CustomerInterview:
    return customer_interview_create(
        employee=world.alice,
        customer=Customer.objects.get(customer_no="C001"),
        held_on=date(2026, 3, 2),
        satisfaction=4,
        notes="Pleased with the quick answers on the credit line",
        follow_up="Send the new fee schedule",
        user=world.sup.user,
    )


def post_new(client: Any, customer: Customer, **extra: str) -> Any:
    data = {
        "person": "A001",
        "customer": str(customer.pk),
        "held_on": "2026-03-02",
        "satisfaction": "5",
        "notes": "Wants a visit every month",
        "follow_up": "",
    }
    data.update(extra)
    return client.post(reverse("feedback:customer_interview_create"), data)


def test_a_supervisor_records_an_interview_about_someone_in_their_team(world: Personas) -> None:
    customer = Customer.objects.get(customer_no="C001")
    response = post_new(world.client(world.sup), customer)
    assert response.status_code == 302
    interview = CustomerInterview.objects.get()
    assert (interview.employee, interview.customer, interview.satisfaction) == (
        world.alice,
        customer,
        5,
    )
    assert interview.interviewer == world.sup.user
    assert interview.history.get().history_user == world.sup.user  # type: ignore[attr-defined]


def test_another_supervisor_or_an_account_manager_cannot_record_one(world: Personas) -> None:
    customer = Customer.objects.get(customer_no="C001")
    assert post_new(world.client(world.sup2), customer).status_code == 404
    assert post_new(world.client(world.alice), customer).status_code == 403
    assert not CustomerInterview.objects.exists()


@pytest.mark.parametrize(
    ("extra", "customer_no"),
    [
        ({}, "C002"),
        ({"held_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "C001"),
        ({"satisfaction": "6"}, "C001"),
        ({"notes": ""}, "C001"),
        ({"held_on": "not a date"}, "C001"),
    ],
    ids=["another's customer", "in the future", "satisfaction 6", "no notes", "bad date"],
)
def test_bad_input_is_refused_with_the_form_again_and_nothing_stored(
    world: Personas, extra: dict[str, str], customer_no: str
) -> None:
    customer = Customer.objects.get(customer_no=customer_no)
    response = post_new(world.client(world.hr), customer, **extra)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not CustomerInterview.objects.exists()


def test_the_service_refuses_a_customer_of_someone_else(world: Personas) -> None:
    with pytest.raises(ApplicationError):
        customer_interview_create(
            employee=world.alice,
            customer=Customer.objects.get(customer_no="C002"),
            held_on=date(2026, 3, 2),
            satisfaction=None,
            notes="x",
            user=world.hr.user,
        )
    assert not CustomerInterview.objects.exists()


def test_the_person_their_chain_and_hr_read_it_and_nobody_else(
    world: Personas, interview: CustomerInterview
) -> None:
    url = reverse("feedback:customer_interview_detail", args=[interview.pk])
    for who in (world.alice, world.sup, world.hr):
        assert world.client(who).get(url).status_code == 200
    for who in (world.bob, world.sup2, world.exec, world.trainer):
        assert world.client(who).get(url).status_code == 404
    listing = reverse("feedback:customer_interview_list")
    assert len(world.client(world.alice).get(listing).context["page_obj"]) == 1
    assert len(world.client(world.bob).get(listing).context["page_obj"]) == 0


def test_the_list_filters_by_person_dates_and_search(
    world: Personas, interview: CustomerInterview
) -> None:
    customer_interview_create(
        employee=world.bob,
        customer=Customer.objects.get(customer_no="C002"),
        held_on=date(2026, 1, 10),
        satisfaction=2,
        notes="Unhappy about slow loan approval",
        user=world.hr.user,
    )
    url = reverse("feedback:customer_interview_list")
    client = world.client(world.hr)

    def count(query: str) -> int:
        return len(client.get(url + query).context["page_obj"])

    assert count("") == 2
    assert count("?person=B001") == 1
    assert count("?held_from=2026-02-01") == 1
    assert count("?q=loan") == 1
    assert count("?held_from=garbage") == 2  # an unusable filter is ignored
    assert client.get(url + "?page=0").status_code == 400


def test_the_author_edits_and_the_history_keeps_the_change(
    world: Personas, interview: CustomerInterview
) -> None:
    url = reverse("feedback:customer_interview_edit", args=[interview.pk])
    data = {
        "held_on": "2026-03-02",
        "satisfaction": "3",
        "notes": "Pleased overall, but fees are a worry",
        "follow_up": "",
    }
    assert world.client(world.sup).post(url, data).status_code == 302
    interview.refresh_from_db()
    assert interview.satisfaction == 3
    detail = world.client(world.hr).get(
        reverse("feedback:customer_interview_detail", args=[interview.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    history = detail.context["history"]
    assert history[0].who.startswith(world.sup.name)
    assert any("fees are a worry" in c.new for c in history[0].changes)


def test_hr_edits_but_the_person_and_others_cannot(
    world: Personas, interview: CustomerInterview
) -> None:
    url = reverse("feedback:customer_interview_edit", args=[interview.pk])
    data = {"held_on": "2026-03-01", "satisfaction": "", "notes": "Corrected by HR"}
    assert world.client(world.alice).post(url, data).status_code == 403
    assert world.client(world.sup2).post(url, data).status_code == 404
    interview.refresh_from_db()
    assert interview.notes.startswith("Pleased")
    assert world.client(world.hr).post(url, data).status_code == 302
    interview.refresh_from_db()
    assert (interview.notes, interview.satisfaction) == ("Corrected by HR", None)

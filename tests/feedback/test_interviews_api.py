"""The interview, review meeting and action endpoints: the pages' rules, JSON answers, bad
input refused with a reason; and list pages whose query count does not grow with rows."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.services import api_token_create
from kaopei.feedback.models import Interview
from kaopei.feedback.services import meetings as svc
from tests.conftest import Personas
from tests.factories import employee_with_login

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def held(personas: Personas) -> Interview:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SCORED)
    cycle.refresh_from_db()
    interview = svc.interview_plan(
        employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.sup.user
    )
    svc.interview_action_add(
        interview=interview,
        text="Weekly pipeline review",
        owner=personas.alice,
        due_on=date(2026, 6, 30),
        user=personas.sup.user,
    )
    return svc.interview_record(
        interview=interview, scheduled_on=DAY, feedback="Good", held=True, user=personas.sup.user
    )


def api(who: Any) -> Client:
    _token, raw = api_token_create(user=who.user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_person_reads_and_acknowledges_with_a_comment_as_json(
    personas: Personas, held: Interview
) -> None:
    client = api(personas.alice)
    listed = client.get("/api/v1/feedback/interviews", {"cycle": "2026q1"}).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "held"
    assert client.get("/api/v1/feedback/interviews", {"cycle": "2019Q1"}).json()["count"] == 0
    url = f"/api/v1/feedback/interviews/{held.pk}/acknowledge"
    done = client.post(url, json.dumps({"comment": "Agreed"}), content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["employee_comment"] == "Agreed" and body["employee_acknowledged_at"]
    assert body["actions"][0]["source_kind"] == "interview"
    again = client.post(url, content_type="application/json")
    assert again.status_code == 409 and "already acknowledged" in again.json()["detail"]


def test_bad_json_is_a_400_and_nothing_is_acknowledged(personas: Personas, held: Interview) -> None:
    url = f"/api/v1/feedback/interviews/{held.pk}/acknowledge"
    client = api(personas.alice)
    assert client.post(url, "{oops", content_type="application/json").status_code == 400
    assert (
        client.post(url, json.dumps({"comment": 3}), content_type="application/json").status_code
        == 400
    )
    held.refresh_from_db()
    assert held.employee_acknowledged_at is None


def test_others_get_404_and_hr_403_on_acknowledging(personas: Personas, held: Interview) -> None:
    url = f"/api/v1/feedback/interviews/{held.pk}/acknowledge"
    assert api(personas.bob).post(url).status_code == 404
    assert api(personas.exec).get(f"/api/v1/feedback/interviews/{held.pk}").status_code == 404
    assert api(personas.hr).post(url).status_code == 403
    assert api(personas.alice).get(
        "/api/v1/feedback/interviews/99999999999999999999"
    ).status_code in (404, 422)


def test_my_actions_filter_by_status(personas: Personas, held: Interview) -> None:
    client = api(personas.alice)
    assert [a["text"] for a in client.get("/api/v1/feedback/actions").json()] == [
        "Weekly pipeline review"
    ]
    assert client.get("/api/v1/feedback/actions", {"status": "done"}).json() == []
    assert client.get("/api/v1/feedback/actions", {"status": "weird"}).json() == []
    assert api(personas.bob).get("/api/v1/feedback/actions").json() == []


def test_the_interview_list_costs_the_same_queries_for_one_row_or_many(
    personas: Personas, held: Interview
) -> None:
    client = personas.client(personas.hr)
    url = reverse("feedback:interview_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"cycle": "2026Q1"}).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request of a session also refreshes the session
    one = count()
    for n in range(5):
        person = employee_with_login(
            f"A1{n}",
            f"员工{n}",
            personas.bj_t1,
            personas.am1,
            ["account_manager"],
            supervisor=personas.sup,
        )
        svc.interview_plan(
            employee=person, cycle=held.cycle, scheduled_on=DAY, user=personas.hr.user
        )
    assert count() == one

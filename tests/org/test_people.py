"""The people list: scope, search, filters, pagination, and a pinned query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kaopei.org.models import Employee
from tests.conftest import Personas
from tests.factories import EmployeeFactory, employee_with_login


def numbers(response: Any) -> set[str]:
    return {e.employee_no for e in response.context["page_obj"]}


def test_anonymous_visitor_is_sent_to_login_from_the_people_list(personas: Personas) -> None:
    response = personas.client(None).get(reverse("org:employee_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "trainer"])
def test_account_managers_and_trainers_get_403_on_the_people_list(
    personas: Personas, who: str
) -> None:
    response = personas.client(getattr(personas, who)).get(reverse("org:employee_list"))
    assert response.status_code == 403


def test_hr_admin_sees_everyone(personas: Personas) -> None:
    response = personas.client(personas.hr).get(reverse("org:employee_list"))
    assert response.status_code == 200
    assert numbers(response) == set(Employee.objects.values_list("employee_no", flat=True))


def test_executive_sees_everyone(personas: Personas) -> None:
    response = personas.client(personas.exec).get(reverse("org:employee_list"))
    assert len(numbers(response)) == 7


def test_supervisor_sees_themself_and_their_reports_only(personas: Personas) -> None:
    response = personas.client(personas.sup).get(reverse("org:employee_list"))
    assert numbers(response) == {"S001", "A001"}


def test_supervisor_sees_indirect_reports(personas: Personas) -> None:
    head = employee_with_login("BJ000", "北京行长", personas.bj, personas.am3, ["supervisor"])
    Employee.objects.filter(pk=personas.sup.pk).update(supervisor=head)
    response = personas.client(head).get(reverse("org:employee_list"))
    assert numbers(response) == {"BJ000", "S001", "A001"}
    profile = personas.client(head).get(reverse("org:employee_detail", args=["A001"]))
    assert profile.status_code == 200


def test_search_matches_name_or_employee_number(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert numbers(client.get(reverse("org:employee_list"), {"q": "安丽"})) == {"A001"}
    assert numbers(client.get(reverse("org:employee_list"), {"q": "b00"})) == {"B001"}


def test_unit_filter_includes_sub_units(personas: Personas) -> None:
    client = personas.client(personas.hr)
    response = client.get(reverse("org:employee_list"), {"unit": "BJ"})
    assert numbers(response) == {"S001", "A001"}


def test_level_role_and_status_filters(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert numbers(client.get(reverse("org:employee_list"), {"level": "AM3"})) == {"S001", "S002"}
    assert numbers(client.get(reverse("org:employee_list"), {"role": "trainer"})) == {"T001"}
    Employee.objects.filter(pk=personas.bob.pk).update(active=False)
    assert "B001" not in numbers(client.get(reverse("org:employee_list")))
    assert numbers(client.get(reverse("org:employee_list"), {"status": "inactive"})) == {"B001"}
    assert "B001" in numbers(client.get(reverse("org:employee_list"), {"status": "all"}))


def test_unknown_filter_values_are_ignored(personas: Personas) -> None:
    response = personas.client(personas.hr).get(
        reverse("org:employee_list"), {"unit": "NOPE", "level": "X", "role": "boss"}
    )
    assert response.status_code == 200
    assert len(numbers(response)) == 7


def test_supervisor_cannot_widen_scope_with_a_unit_filter(personas: Personas) -> None:
    response = personas.client(personas.sup).get(reverse("org:employee_list"), {"unit": "SH"})
    assert numbers(response) <= {"S001", "A001"}


def test_an_empty_result_says_so(personas: Personas) -> None:
    client = personas.client(personas.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(reverse("org:employee_list"), {"q": "nobody-like-this"})
    assert "Nobody matches these filters." in response.content.decode()


def test_the_list_pages_by_fifty(personas: Personas) -> None:
    EmployeeFactory.create_batch(60, org_unit=personas.bj_t1, level=personas.am1)
    client = personas.client(personas.hr)
    first = client.get(reverse("org:employee_list"), {"unit": "BJ-T1"})
    assert len(first.context["page_obj"]) == 50
    second = client.get(reverse("org:employee_list"), {"unit": "BJ-T1", "page": "2"})
    assert len(second.context["page_obj"]) == 12
    assert "unit=BJ-T1" in first.content.decode()  # the pager keeps the filters


def test_an_htmx_request_gets_only_the_results(personas: Personas) -> None:
    response = personas.client(personas.hr).get(
        reverse("org:employee_list"), {"q": "A001"}, headers={"hx-request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="kp-people">')
    assert "<html" not in body


def test_the_number_of_queries_does_not_grow_with_rows(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    sup2 = personas.sup2
    client = personas.client(personas.sup2)
    client.get(reverse("org:employee_list"))  # warm the session
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("org:employee_list"))
    people = [
        EmployeeFactory(org_unit=personas.sh_t1, level=personas.am1, supervisor=sup2)
        for _ in range(60)
    ]
    assert len(people) == 60
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("org:employee_list"))
    assert len(response.context["page_obj"]) == 50

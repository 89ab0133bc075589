"""An employee's profile: who may open it and what it shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaopei.org.models import Employee
from kaopei.org.services import employee_update
from tests.conftest import Personas
from tests.factories import CompetencyFactory, LevelExpectationFactory


def profile_url(no: str) -> str:
    return reverse("org:employee_detail", args=[no])


def test_anonymous_visitor_is_sent_to_login_from_a_profile(personas: Personas) -> None:
    response = personas.client(None).get(profile_url("A001"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["hr", "exec"])
def test_hr_admins_and_executives_see_anyone(personas: Personas, who: str) -> None:
    client = personas.client(getattr(personas, who))
    for no in ("A001", "B001", "T001", "S002"):
        assert client.get(profile_url(no)).status_code == 200


def test_supervisor_sees_their_report_but_not_another_team(personas: Personas) -> None:
    client = personas.client(personas.sup)
    assert client.get(profile_url("S001")).status_code == 200
    assert client.get(profile_url("A001")).status_code == 200
    assert client.get(profile_url("B001")).status_code == 404
    assert client.get(profile_url("S002")).status_code == 404


def test_account_manager_sees_their_own_profile(personas: Personas) -> None:
    response = personas.client(personas.alice).get(profile_url("A001"))
    assert response.status_code == 200
    assert response.context["employee"] == personas.alice


def test_account_manager_cannot_see_a_peer(personas: Personas) -> None:
    client = personas.client(personas.alice)
    assert client.get(profile_url("B001")).status_code == 404
    assert client.get(profile_url("S001")).status_code == 404  # not even their supervisor


def test_trainer_sees_only_themself(personas: Personas) -> None:
    client = personas.client(personas.trainer)
    assert client.get(profile_url("T001")).status_code == 200
    assert client.get(profile_url("A001")).status_code == 404


def test_an_unknown_employee_number_is_404(personas: Personas) -> None:
    assert personas.client(personas.hr).get(profile_url("NOPE")).status_code == 404


def test_profile_shows_chain_reports_roles_and_expectations(personas: Personas) -> None:
    head = Employee.objects.create(
        employee_no="BJ000", name="北京行长", org_unit=personas.bj, level=personas.am3
    )
    Employee.objects.filter(pk=personas.sup.pk).update(supervisor=head)
    competency = CompetencyFactory(code="spin", name="需求挖掘")
    LevelExpectationFactory(level=personas.am3, competency=competency, expected=4)
    response = personas.client(personas.hr).get(profile_url("S001"))
    ctx = response.context
    assert [link.employee.employee_no for link in ctx["chain"]] == ["BJ000"]
    assert [e.employee_no for e in ctx["reports"]] == ["A001"]
    assert [r.value for r in ctx["roles"]] == ["supervisor", "account_manager"]
    assert [(x.competency.code, x.expected) for x in ctx["expectations"]] == [("spin", 4)]


def test_the_chain_reads_from_the_top_down(personas: Personas) -> None:
    head = Employee.objects.create(employee_no="BJ000", name="北京行长", org_unit=personas.bj)
    Employee.objects.filter(pk=personas.sup.pk).update(supervisor=head)
    response = personas.client(personas.hr).get(profile_url("A001"))
    assert [link.employee.employee_no for link in response.context["chain"]] == ["BJ000", "S001"]


def test_account_manager_sees_their_supervisor_in_the_chain_without_a_link(
    personas: Personas,
) -> None:
    response = personas.client(personas.alice).get(profile_url("A001"))
    (link,) = response.context["chain"]
    assert link.employee == personas.sup and not link.visible
    assert profile_url("S001") not in response.content.decode()


def test_hr_admin_sees_the_audit_history(personas: Personas) -> None:
    client = personas.client(personas.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post(
        reverse("org:employee_edit", args=["A001"]),
        {
            "name": "安丽",
            "org_unit": personas.bj_t1.pk,
            "level": personas.am2.pk,
            "supervisor": personas.sup.pk,
            "roles": ["account_manager"],
        },
    )
    response = client.get(profile_url("A001"))
    history = response.context["history"]
    latest = history[0]
    assert latest.who == str(personas.hr)
    assert [(c.old, c.new) for c in latest.changes] == [(str(personas.am1), str(personas.am2))]
    assert "Change history" in response.content.decode()


@pytest.mark.parametrize("who", ["exec", "sup"])
def test_audit_history_is_for_hr_admins_only(personas: Personas, who: str) -> None:
    employee_update(
        employee=personas.alice,
        name="安丽丽",
        org_unit=personas.bj_t1,
        level=personas.am1,
        supervisor=personas.sup,
        email="",
        hire_date=None,
        left_on=None,
    )
    response = personas.client(getattr(personas, who)).get(profile_url("A001"))
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "安丽丽" in response.content.decode()

"""HR admins create, edit and deactivate people, give roles and set passwords."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaopei.org.models import Employee
from tests.conftest import Personas


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def employee_data(personas: Personas, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "employee_no": "A002",
        "name": "艾青",
        "org_unit": personas.bj_t1.pk,
        "level": personas.am1.pk,
        "supervisor": personas.sup.pk,
        "email": "a002@example.cn",
        "hire_date": "2025-03-01",
        "roles": ["account_manager"],
    }
    data.update(overrides)
    return data


# --- Create ---


def test_hr_admin_creates_an_employee_with_a_login_and_roles(
    personas: Personas, password: str
) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("org:employee_create")).status_code == 200
    response = client.post(
        reverse("org:employee_create"),
        employee_data(personas, password1=password, password2=password),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("org:employee_detail", args=["A002"])
    employee = Employee.objects.select_related("user").get(employee_no="A002")
    assert employee.supervisor == personas.sup and employee.active
    assert employee.user is not None and employee.user.username == "A002"
    assert employee.user.check_password(password)
    assert set(employee.user.groups.values_list("name", flat=True)) == {"account_manager"}
    assert Client().login(username="A002", password=password)


def test_an_employee_created_without_a_password_cannot_sign_in_yet(personas: Personas) -> None:
    personas.client(personas.hr).post(reverse("org:employee_create"), employee_data(personas))
    user = User.objects.get(username="A002")
    assert not user.has_usable_password()


def test_a_duplicate_employee_number_is_refused_on_the_form(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_create"), employee_data(personas, employee_no="A001")
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode()


def test_a_weak_initial_password_shows_the_validators_messages(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_create"),
        employee_data(personas, password1="12345678", password2="12345678"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "too common" in body and "entirely numeric" in body
    assert not Employee.objects.filter(employee_no="A002").exists()  # nothing half-written


def test_mismatched_passwords_are_refused(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_create"),
        employee_data(personas, password1="Kaopei-2026-x", password2="Kaopei-2026-y"),
    )
    assert "do not match" in response.content.decode()


@pytest.mark.parametrize("who", ["exec", "sup", "alice", "trainer"])
def test_only_hr_admins_create_employees(personas: Personas, who: str) -> None:
    client = personas.client(getattr(personas, who))
    assert client.get(reverse("org:employee_create")).status_code == 403
    assert client.post(reverse("org:employee_create"), employee_data(personas)).status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_employee_create(personas: Personas) -> None:
    assert personas.client(None).get(reverse("org:employee_create")).status_code == 302


# --- Edit and roles ---


def test_hr_admin_edits_an_employee_but_not_their_number(personas: Personas) -> None:
    client = personas.client(personas.hr)
    url = reverse("org:employee_edit", args=["A001"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["employee_no"].field.disabled
    response = client.post(
        url,
        employee_data(
            personas,
            employee_no="HACKED",
            name="安丽华",
            org_unit=personas.bj.pk,
            roles=["account_manager", "trainer"],
        ),
    )
    assert response.status_code == 302
    alice = Employee.objects.get(pk=personas.alice.pk)
    assert alice.employee_no == "A001" and alice.name == "安丽华"
    assert alice.org_unit == personas.bj
    assert alice.user is not None
    assert set(alice.user.groups.values_list("name", flat=True)) == {"account_manager", "trainer"}


def test_hr_admin_gives_and_removes_roles(personas: Personas) -> None:
    client = personas.client(personas.hr)
    client.post(
        reverse("org:employee_edit", args=["B001"]),
        employee_data(
            personas,
            name="白波",
            org_unit=personas.sh_t1.pk,
            supervisor=personas.sup2.pk,
            roles=["supervisor"],
        ),
    )
    assert personas.bob.user is not None
    assert set(personas.bob.user.groups.values_list("name", flat=True)) == {"supervisor"}
    response = personas.client(personas.bob).get(reverse("org:unit_tree"))
    assert response.status_code == 200  # the new role opens the tree


def test_choosing_a_report_as_supervisor_is_refused_on_the_form(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_edit", args=["S001"]),
        employee_data(personas, name="孙培", supervisor=personas.alice.pk, roles=["supervisor"]),
    )
    assert response.status_code == 200
    assert "cannot be their supervisor" in response.content.decode()


def test_a_leaving_date_before_the_hire_date_is_refused(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_edit", args=["A001"]),
        employee_data(personas, name="安丽", hire_date="2025-03-01", left_on="2025-01-01"),
    )
    assert "before the hire date" in response.content.decode()


def test_hr_admin_cannot_remove_their_own_hr_role(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_edit", args=["HR001"]),
        employee_data(
            personas,
            name="韩仁",
            org_unit=personas.hq.pk,
            level="",
            supervisor="",
            roles=["executive"],
        ),
    )
    assert response.status_code == 200
    assert "your own HR admin role" in response.content.decode()


@pytest.mark.parametrize("who", ["exec", "sup"])
def test_only_hr_admins_edit_employees(personas: Personas, who: str) -> None:
    response = personas.client(getattr(personas, who)).get(
        reverse("org:employee_edit", args=["A001"])
    )
    assert response.status_code == 403


# --- Deactivate ---


def test_hr_admin_deactivates_an_employee_after_confirming(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    url = reverse("org:employee_deactivate", args=["A001"])
    page = client.get(url)
    assert page.status_code == 200 and "data-confirm" in page.content.decode()
    response = client.post(url, {"left_on": ""}, follow=True)
    alice = Employee.objects.select_related("user").get(pk=personas.alice.pk)
    assert not alice.active
    assert alice.left_on == timezone.localdate()
    assert alice.user is not None and not alice.user.is_active
    assert "can no longer sign in" in response.content.decode()


def test_deactivating_a_supervisor_warns_about_their_reports(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_deactivate", args=["S001"]), {"left_on": "2026-01-31"}, follow=True
    )
    assert Employee.objects.get(pk=personas.sup.pk).left_on == date(2026, 1, 31)
    assert "1 person still reports to" in response.content.decode()


@pytest.mark.parametrize("who", ["exec", "sup"])
def test_only_hr_admins_deactivate_employees(personas: Personas, who: str) -> None:
    response = personas.client(getattr(personas, who)).post(
        reverse("org:employee_deactivate", args=["A001"])
    )
    assert response.status_code == 403
    assert Employee.objects.get(pk=personas.alice.pk).active


# --- Passwords ---


def test_hr_admin_resets_a_password(personas: Personas) -> None:
    client = personas.client(personas.hr)
    url = reverse("org:employee_set_password", args=["B001"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": "Brand-new-2027", "password2": "Brand-new-2027"})
    assert response.status_code == 302
    assert Client().login(username="B001", password="Brand-new-2027")


def test_a_password_the_validators_refuse_is_shown_and_not_set(
    personas: Personas, password: str
) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:employee_set_password", args=["B001"]),
        {"password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert Client().login(username="B001", password=password)


def test_setting_a_password_creates_a_missing_login(personas: Personas) -> None:
    Employee.objects.create(employee_no="N001", name="倪一", org_unit=personas.bj_t1)
    personas.client(personas.hr).post(
        reverse("org:employee_set_password", args=["N001"]),
        {"password1": "Brand-new-2027", "password2": "Brand-new-2027"},
    )
    assert Employee.objects.get(employee_no="N001").user is not None
    assert Client().login(username="N001", password="Brand-new-2027")


@pytest.mark.parametrize("who", ["exec", "sup", "alice"])
def test_only_hr_admins_set_passwords(personas: Personas, who: str) -> None:
    response = personas.client(getattr(personas, who)).post(
        reverse("org:employee_set_password", args=["A001"]),
        {"password1": "Brand-new-2027", "password2": "Brand-new-2027"},
    )
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_the_password_page(personas: Personas) -> None:
    response = personas.client(None).get(reverse("org:employee_set_password", args=["A001"]))
    assert response.status_code == 302

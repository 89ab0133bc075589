"""The organisation API (/api/v1/): session and bearer-token access, same scope as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kaopei.core.services import api_token_create
from tests.conftest import Personas


def bearer(personas: Personas, who: str) -> Client:
    employee = getattr(personas, who)
    _token, raw = api_token_create(user=employee.user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_me_answers_who_is_signed_in(personas: Personas) -> None:
    response = personas.client(personas.sup).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "S001"
    assert body["roles"] == ["account_manager", "supervisor"]
    assert body["employee"]["org_unit"] == "BJ-T1"


def test_me_without_credentials_is_401_not_a_login_redirect(personas: Personas) -> None:
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_employees_are_scoped_for_a_supervisor(personas: Personas) -> None:
    response = personas.client(personas.sup).get("/api/v1/employees")
    assert response.status_code == 200
    assert {e["employee_no"] for e in response.json()["items"]} == {"S001", "A001"}


def test_hr_admin_lists_and_filters_employees(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert client.get("/api/v1/employees").json()["count"] == 7
    found = client.get("/api/v1/employees", {"q": "安丽"}).json()["items"]
    assert [e["employee_no"] for e in found] == ["A001"]


def test_account_manager_gets_one_employee_back_only_themself(personas: Personas) -> None:
    client = personas.client(personas.alice)
    assert [e["employee_no"] for e in client.get("/api/v1/employees").json()["items"]] == ["A001"]
    assert client.get("/api/v1/employees/A001").json()["supervisor_no"] == "S001"


def test_account_manager_cannot_fetch_a_peer(personas: Personas) -> None:
    response = personas.client(personas.alice).get("/api/v1/employees/B001")
    assert response.status_code == 404


def test_an_unknown_employee_is_404(personas: Personas) -> None:
    assert personas.client(personas.hr).get("/api/v1/employees/NOPE").status_code == 404


def test_employees_without_credentials_is_401(personas: Personas) -> None:
    assert Client().get("/api/v1/employees").status_code == 401
    assert Client().get("/api/v1/employees/A001").status_code == 401


def test_a_bearer_token_works_without_a_session(personas: Personas) -> None:
    client = bearer(personas, "sup2")
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "S002"
    items = client.get("/api/v1/employees").json()["items"]
    assert {e["employee_no"] for e in items} == {"S002", "B001"}
    assert client.get("/api/v1/employees/B001").status_code == 200
    assert client.get("/api/v1/employees/A001").status_code == 404


@pytest.mark.parametrize("token", ["kp_not-a-real-token", ""])
def test_a_wrong_bearer_token_is_401(personas: Personas, token: str) -> None:
    client = Client(headers={"authorization": f"Bearer {token}"})
    assert client.get("/api/v1/me").status_code == 401


def test_the_token_of_someone_who_left_stops_working(personas: Personas) -> None:
    from kaopei.org.services import employee_deactivate

    client = bearer(personas, "bob")
    assert client.get("/api/v1/me").status_code == 200
    employee_deactivate(employee=personas.bob)
    assert client.get("/api/v1/me").status_code == 401

"""The organisation API (/api/v1/): session and bearer-token access, same scope as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kaopei.core.services import api_token_create
from tests.conftest import Personas


def bearer(personas: Personas, who: str, **options: bool) -> Client:
    employee = getattr(personas, who)
    _token, raw = api_token_create(user=employee.user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}"}, **options)


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


# --- bad parameters: a JSON 4xx, never a 500 or a page (issue 8, finding 10) -----------------


def refused_as_json(response: object, *statuses: int) -> dict:
    """The body of a refusal in the API's error shape, after checking its status."""
    assert response.status_code in statuses, (response.status_code, response.content[:300])  # type: ignore[attr-defined]
    assert response["content-type"].startswith("application/json")  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert body["detail"] and isinstance(body["errors"], list)
    return body


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        "offset=-1",
        "offset=1000001",
        "limit=99999999999999999999",
        "limit=0",
        "limit=501",
        "limit=ten",
        "q=%00",
        "q=" + "x" * 101,
        "unit=%00",
        "unit=" + "x" * 41,
    ],
)
def test_a_bad_list_parameter_is_refused_with_json(personas: Personas, query: str) -> None:
    client = bearer(personas, "hr", raise_request_exception=False)
    body = refused_as_json(client.get(f"/api/v1/employees?{query}"), 422)
    assert body["errors"][0]["loc"][0] == "query"


def test_the_largest_page_and_offset_are_still_answered(personas: Personas) -> None:
    response = bearer(personas, "hr").get("/api/v1/employees?limit=500&offset=1000000")
    assert response.status_code == 200
    assert response.json() == {"count": 7, "items": []}


@pytest.mark.parametrize("employee_no", ["%00", "x" * 41, "A001%0A"])
def test_a_malformed_employee_number_is_refused_with_json(
    personas: Personas, employee_no: str
) -> None:
    client = bearer(personas, "hr", raise_request_exception=False)
    refused_as_json(client.get(f"/api/v1/employees/{employee_no}"), 404, 422)


def test_an_unexpected_database_error_is_a_json_400(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DataError

    def broken(**_: object) -> None:
        raise DataError("value out of range")

    monkeypatch.setattr("kaopei.org.api.employee_list_visible_to", broken)
    client = bearer(personas, "hr", raise_request_exception=False)
    body = refused_as_json(client.get("/api/v1/employees"), 400)
    assert "out of range" not in body["detail"]  # the database's words stay in the log

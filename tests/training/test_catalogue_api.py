"""The catalogue's API: list with filters and paging, one course, create and replace with
the same rules as the pages (400/422 for bad input, 409 for a taken code or a stale edit)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kaopei.core.services import api_token_create
from kaopei.org.models import Competency
from kaopei.training.models import Course
from tests.conftest import Personas
from tests.training.factories import CourseFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training/courses"


def auth(who: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=who.user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def body(**kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": "FABE-201",
        "title": "价值传递：FABE 与异议处理",
        "title_en": "Value communication: FABE and objections",
        "module": "value_communication",
        "format": "role_play",
        "hours": 6,
        "metrics": ["opportunity_win_rate", "sales_amount"],
        "competencies": ["value_communication"],
        "trainers": ["T001"],
    }
    out.update(kw)
    return out


def post(client: Client, who: Any, data: Any, path: str = BASE, method: str = "post") -> Any:
    send = getattr(client, method)
    return send(path, json.dumps(data), content_type="application/json", **auth(who))


def test_the_list_filters_and_pages(personas: Personas) -> None:
    CourseFactory(code="SPIN-101", title="需求挖掘：SPIN 提问法", module="needs_discovery")
    CourseFactory(code="BI-101", title="BI 驾驶舱", module="digital_tools")
    CourseFactory(code="OLD-1", active=False)
    client = Client()
    page = client.get(BASE, {"limit": 1}, **auth(personas.alice)).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    found = client.get(BASE, {"module": "digital_tools"}, **auth(personas.alice)).json()
    assert [c["code"] for c in found["items"]] == ["BI-101"]
    assert client.get(BASE, {"q": "SPIN"}, **auth(personas.bob)).json()["count"] == 1
    every = client.get(BASE, {"status": "all"}, **auth(personas.trainer)).json()
    assert every["count"] == 3
    assert client.get(BASE, {"limit": 0}, **auth(personas.alice)).status_code == 422


def test_a_trainer_creates_and_replaces_a_course(personas: Personas) -> None:
    Competency.objects.create(code="value_communication", name="价值传递")
    client = Client()
    created = post(client, personas.trainer, body())
    assert created.status_code == 201, created.json()
    detail = created.json()
    assert detail["trainers"] == ["T001"] and detail["hours"] == 6
    again = post(client, personas.hr, body())
    assert again.status_code == 409
    changed = post(
        client,
        personas.hr,
        body(hours=8, version=detail["version"]),
        path=f"{BASE}/FABE-201",
        method="put",
    )
    assert changed.status_code == 200 and changed.json()["hours"] == 8
    stale = post(
        client,
        personas.trainer,
        body(hours=2, version=detail["version"]),
        path=f"{BASE}/FABE-201",
        method="put",
    )
    assert stale.status_code == 409
    assert Course.objects.get(code="FABE-201").hours == 8


def test_bad_input_is_refused_and_nothing_stored(personas: Personas) -> None:
    Competency.objects.create(code="value_communication", name="价值传递")
    client = Client()
    assert post(client, personas.hr, body(hours=-1)).status_code == 422
    assert post(client, personas.hr, body(module="sales")).status_code == 422
    unknown = post(client, personas.hr, body(metrics=["no_such_metric"], competencies=[]))
    assert unknown.status_code == 422 and "no_such_metric" in unknown.json()["detail"]
    assert post(client, personas.hr, body(code="bad code")).status_code == 400
    assert post(client, personas.hr, body(trainers=["A001"], competencies=[])).status_code == 400
    assert not Course.objects.filter(code="FABE-201").exists()


def test_account_managers_cannot_write_and_do_not_see_deactivated_courses(
    personas: Personas,
) -> None:
    CourseFactory(code="OLD-1", active=False)
    client = Client()
    assert post(client, personas.alice, body()).status_code == 403
    put = post(client, personas.alice, body(), path=f"{BASE}/OLD-1", method="put")
    assert put.status_code == 403
    assert client.get(f"{BASE}/OLD-1", **auth(personas.alice)).status_code == 404
    assert client.get(f"{BASE}/OLD-1", **auth(personas.trainer)).status_code == 200
    assert not Course.objects.filter(code="FABE-201").exists()

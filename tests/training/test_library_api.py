"""The library's API: lists with filters, details with questions and versions, create and
update for managers (a stale ``version`` is a 409, unknown tags a 422), text versions."""

from __future__ import annotations

import pytest

from kaopei.training.models import Case, ToolkitVersion
from tests.conftest import Personas
from tests.training.library_factories import make_case, make_item

pytestmark = pytest.mark.django_db

NEW = {
    "code": "CASE-API",
    "kind": "success",
    "industry": "energy",
    "title": "投诉处置",
    "situation": "客户投诉",
    "questions": [{"text": "为什么？", "text_en": "Why?"}],
}


def test_lists_and_details_follow_the_pages_rules(client, personas: Personas) -> None:
    make_case("C-1", questions=["问题一"])
    make_case("C-OLD", active=False)
    make_item("TK-1", versions=2)
    client.force_login(personas.alice.user)
    listed = client.get("/api/v1/training/cases", {"industry": "manufacturing"}).json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == "C-1"
    detail = client.get("/api/v1/training/cases/C-1").json()
    assert detail["version"] == 1 and detail["questions"] == [{"text": "问题一", "text_en": ""}]
    assert client.get("/api/v1/training/cases/C-OLD").status_code == 404
    item = client.get("/api/v1/training/toolkit/TK-1").json()
    assert [v["number"] for v in item["versions"]] == [2, 1]
    assert item["versions"][0]["download"].endswith("/download/")
    assert client.get("/api/v1/training/toolkit", {"q": "SPIN"}).json()["count"] == 1


def test_a_manager_creates_and_updates_a_case_with_its_version(client, personas: Personas) -> None:
    client.force_login(personas.trainer.user)
    created = client.post("/api/v1/training/cases", NEW, content_type="application/json")
    assert created.status_code == 201 and created.json()["version"] == 1
    changed = client.put(
        "/api/v1/training/cases/CASE-API",
        {**NEW, "title": "新标题", "version": 1},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.put(
        "/api/v1/training/cases/CASE-API",
        {**NEW, "title": "旧", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Case.objects.get(code="CASE-API").title == "新标题"


def test_unknown_tags_and_bad_kinds_write_nothing(client, personas: Personas) -> None:
    client.force_login(personas.hr.user)
    unknown = client.post(
        "/api/v1/training/cases",
        {**NEW, "competencies": ["no_such_skill"]},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    bad = client.post(
        "/api/v1/training/cases", {**NEW, "kind": "meh"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422)
    assert not Case.objects.exists()


def test_a_manager_publishes_a_text_version(client, personas: Personas) -> None:
    make_item("TK-1", versions=1)
    client.force_login(personas.trainer.user)
    response = client.post(
        "/api/v1/training/toolkit/TK-1/versions",
        {"body": "第二版", "note": "补充"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    client.force_login(personas.alice.user)
    refused = client.post(
        "/api/v1/training/toolkit/TK-1/versions", {"body": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert ToolkitVersion.objects.filter(item__code="TK-1").count() == 2


def test_a_manager_retags_a_toolkit_item_but_not_its_code(client, personas: Personas) -> None:
    make_item("TK-1")
    client.force_login(personas.hr.user)
    body = {"kind": "checklist", "title": "新标题", "courses": []}
    changed = client.put("/api/v1/training/toolkit/TK-1", body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["kind"] == "checklist"
    renamed = client.put(
        "/api/v1/training/toolkit/TK-1", {**body, "code": "TK-2"}, content_type="application/json"
    )
    assert renamed.status_code == 400
    unknown = client.put(
        "/api/v1/training/toolkit/TK-1",
        {**body, "courses": ["NO-SUCH"]},
        content_type="application/json",
    )
    assert unknown.status_code == 422

"""The reports API: the same visibility as the pages, rows in the §7 shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas
from tests.feedback.reports_factories import SECRET, alice_and_bob

pytestmark = pytest.mark.django_db


def api(who: Any, path: str) -> Any:
    c = Client()
    if who is not None:
        c.force_login(who.user)
    return c.get("/api/v1" + path)


def test_the_list_names_the_subjects_the_caller_may_read(personas: Personas) -> None:
    alice_and_bob(personas)
    body = api(personas.sup, "/feedback/reports/2026Q1").json()
    assert body["available"] is True and body["round_status"] == "closed"
    assert body["subjects"] == [
        {"employee_no": "A001", "name": "安丽", "org_unit": "BJ-T1", "available": True}
    ]
    assert len(api(personas.hr, "/feedback/reports/2026Q1").json()["subjects"]) == 2
    assert api(personas.exec, "/feedback/reports/2026Q1").status_code == 403
    assert api(None, "/feedback/reports/2026Q1").status_code == 401
    assert api(personas.hr, "/feedback/reports/2030Q1").status_code == 404


def test_a_report_has_rows_expectations_and_shown_comments(personas: Personas) -> None:
    alice_and_bob(personas)
    body = api(personas.alice, "/feedback/reports/2026Q1/A001").json()
    talk = [r for r in body["rows"] if r["competency"] == "talk"]
    assert talk == [
        {"competency": "talk", "group": "self", "responses": 1, "mean": "4.00"},
        {"competency": "talk", "group": "supervisor", "responses": 1, "mean": "3.00"},
        {"competency": "talk", "group": "peers", "responses": 3, "mean": "4.67"},
        {"competency": "talk", "group": "others", "responses": 3, "mean": "3.00"},
        {"competency": "talk", "group": "all_raters", "responses": 7, "mean": "3.71"},
    ]
    assert body["expected"] == [
        {"competency": "talk", "expected": 4},
        {"competency": "team", "expected": 3},
    ]
    groups = {(c["group"], c["text"]) for c in body["comments"]}
    assert ("others", "customer says hi") in groups and ("peers", "peer says 4") in groups
    assert all(set(c) == {"competency", "group", "text"} for c in body["comments"])


def test_a_report_outside_ones_scope_is_a_404(personas: Personas) -> None:
    alice_and_bob(personas)
    for who in (personas.bob, personas.sup2, personas.exec, personas.trainer):
        response = api(who, "/feedback/reports/2026Q1/A001")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": []}


def test_an_open_round_gives_no_rows(personas: Personas) -> None:
    alice_and_bob(personas, closed=False)
    body = api(personas.alice, "/feedback/reports/2026Q1/A001").json()
    assert (body["available"], body["rows"], body["comments"]) == (False, [], [])
    heat = api(personas.hr, "/feedback/heatmap/2026Q1").json()
    assert (heat["available"], heat["cells"]) == (False, [])


def test_the_heatmap_is_for_hr_and_executives(personas: Personas) -> None:
    alice_and_bob(personas)
    body = api(personas.hr, "/feedback/heatmap/2026Q1?unit=SH").json()
    assert body["units"] == ["SH", "SH-T1"]
    assert {"unit": "SH", "competency": "talk", "people": 1, "responses": 4, "mean": "3.25"} in (
        body["cells"]
    )
    # Executives read no individual report: no cell stands for one person.
    body = api(personas.exec, "/feedback/heatmap/2026Q1?unit=SH").json()
    assert body["units"] == ["SH", "SH-T1"] and body["cells"] == []
    assert api(personas.sup, "/feedback/heatmap/2026Q1").status_code == 403
    assert api(personas.hr, "/feedback/heatmap/2026Q1?unit=NOPE").status_code == 404
    assert SECRET not in api(personas.hr, "/feedback/reports/2026Q1/B001").content.decode()

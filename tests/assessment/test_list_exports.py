"""The people, scorecards and appeals lists export the filtered list, all pages, with the
page's visibility: headers in the reader's language, refused like the page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kaopei.assessment.models import Appeal

pytestmark = pytest.mark.django_db


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def client_in(scored: Any, who: Any, lang: str) -> Any:
    client = scored.personas.client(who)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def test_scorecards_export_in_both_languages_with_the_pages_scope(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    url = "/assessment/cycles/2026Q1/scorecards/"
    en = rows_of(client_in(scored_cycle, p.hr, "en").get(url, {"export": "csv"}))
    assert en[0][:2] == ["Employee number", "Name"]
    assert sorted(r[0] for r in en[1:]) == ["A001", "B001"]
    zh = rows_of(client_in(scored_cycle, p.hr, "zh-hans").get(url, {"export": "csv"}))
    assert zh[0][0] == "工号"
    mine = rows_of(client_in(scored_cycle, p.sup, "en").get(url, {"export": "csv"}))
    assert [r[0] for r in mine[1:]] == ["A001"]
    alice = rows_of(client_in(scored_cycle, p.alice, "en").get(url, {"export": "csv"}))
    assert [r[0] for r in alice[1:]] == ["A001"]
    assert p.client(p.trainer).get(url, {"export": "csv"}).status_code == 403
    xlsx = client_in(scored_cycle, p.hr, "en").get(url, {"export": "xlsx", "q": "A001"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None and ws.max_row == 2 and ws["F2"].data_type == "n"


def test_people_export_follows_the_filters_and_the_scope(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    url = "/org/people/"
    everyone = rows_of(client_in(scored_cycle, p.hr, "en").get(url, {"export": "csv"}))
    assert everyone[0][0] == "Employee number" and len(everyone) > 3
    sh = rows_of(client_in(scored_cycle, p.hr, "en").get(url, {"export": "csv", "unit": "SH"}))
    assert sorted(r[0] for r in sh[1:]) == ["B001", "S002"]
    mine = rows_of(client_in(scored_cycle, p.sup, "en").get(url, {"export": "csv"}))
    assert sorted(r[0] for r in mine[1:]) == ["A001", "S001"]
    assert p.client(p.alice).get(url, {"export": "csv"}).status_code == 403


def test_appeals_export_and_a_bad_format(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    Appeal.objects.create(
        scorecard=card, metric=card.lines.first().metric, reason="=1+1", raised_by=p.alice.user
    )
    url = "/assessment/appeals/"
    rows = rows_of(client_in(scored_cycle, p.sup, "en").get(url, {"export": "csv"}))
    assert rows[1][2] == "A001" and rows[1][6] == "'=1+1"
    assert rows_of(client_in(scored_cycle, p.sup2, "en").get(url, {"export": "csv"}))[1:] == []
    bad = client_in(scored_cycle, p.hr, "en").get(url, {"export": "docx"})
    assert bad.status_code == 400 and "csv or xlsx" in bad.content.decode()


def test_people_export_query_count_does_not_grow(scored_cycle: Any) -> None:
    from tests.factories import employee_with_login

    p = scored_cycle.personas
    client = p.client(p.hr)
    client.get("/org/people/")
    counts = []
    for n in (3, 30):
        for i in range(n - (0 if not counts else 3)):
            employee_with_login(f"X{n}{i:03d}", f"员工{i}", p.bj_t1, p.am1, [], supervisor=p.sup)
        with CaptureQueriesContext(connection) as queries:
            client.get("/org/people/", {"export": "csv"})
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

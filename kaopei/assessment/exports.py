"""Exports of a cycle (DESIGN.md §4.1 ⚑): ``scorecards`` and ``score-lines``, CSV or xlsx.

One module serves the command line, the web download and the tests:

- pure formatting: :func:`rounded`, :func:`scorecard_row`, :func:`score_line_row` and
  :func:`csv_text` turn plain values into cells by the contract — numbers rounded half-up
  (actual and target 4 decimals, attainment a fraction to 4, points, weight and total 2),
  ``None`` for an empty cell, ``has_data`` as ``true``/``false``;
- reading: :func:`scorecard_rows` and :func:`score_line_rows`, one streamed query each;
- headers: the ⚑ English column names for the command line and the API; a download from the
  pages uses :data:`HEADER_LABELS` in the reader's language instead (:func:`page_header`);
- writing: :func:`write_table` — CSV in UTF-8 with a BOM (so Excel opens it), or an xlsx
  workbook whose numbers are numeric cells showing the same decimals. Text cells that a
  spreadsheet would run as a formula are escaped (:mod:`kaopei.core.spreadsheets`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle, Scorecard, ScoreLine
from kaopei.core.errors import ApplicationError
from kaopei.core.i18n import english_active
from kaopei.core.spreadsheets import csv_text_cell, xlsx_cell

Cell = str | Decimal | None
Row = list[Cell]

SCORECARD_COLUMNS = (
    "employee_no",
    "name",
    "org_unit",
    "level",
    "cycle",
    "total",
    "grade",
    "veto_reason",
)
SCORE_LINE_COLUMNS = (
    "employee_no",
    "metric",
    "actual",
    "target",
    "attainment",
    "points",
    "weight",
    "has_data",
)
# The column headers of a download from the pages, for a reader of Chinese. The command line
# and the API keep the ⚑ English names above (DESIGN.md §4.1); so does an English reader.
HEADER_LABELS = {
    "employee_no": _("Employee number"),
    "name": _("Name"),
    "org_unit": _("Org unit code"),
    "level": _("Job level code"),
    "cycle": _("Cycle"),
    "total": _("Total"),
    "grade": _("Grade"),
    "veto_reason": _("Veto reason"),
    "metric": _("Metric code"),
    "actual": _("Actual"),
    "target": _("Target"),
    "attainment": _("Attainment"),
    "points": _("Points"),
    "weight": _("Weight"),
    "has_data": _("Has data"),
}
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 2000


class ExportFormatError(ApplicationError):
    """A file name whose extension is neither .csv nor .xlsx."""


# --- pure formatting -----------------------------------------------------------------------


def rounded(value: Decimal | int | str | None, places: int) -> Decimal | None:
    """``value`` rounded half-up to ``places`` decimals (None stays None; never ``-0``)."""
    if value is None:
        return None
    out = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return out.copy_abs() if out.is_zero() else out


def scorecard_row(
    *,
    employee_no: str,
    name: str,
    org_unit: str,
    level: str,
    cycle: str,
    total: Decimal | None,
    grade: str,
    veto_reason: str,
) -> Row:
    """One ``scorecards`` row: codes for unit and level, the total to 2 decimals (empty when
    no line has data), ``veto_reason`` as ``<incident_id> <category>`` or empty."""
    return [
        employee_no,
        name,
        org_unit,
        level,
        cycle,
        rounded(total, 2),
        grade,
        veto_reason or None,
    ]


def score_line_row(
    *,
    employee_no: str,
    metric: str,
    actual: Decimal | None,
    target: Decimal | None,
    attainment: Decimal | None,
    points: Decimal | None,
    weight: Decimal,
    has_data: bool,
) -> Row:
    """One ``score-lines`` row: actual, target and attainment (a fraction, 1.2 = 120%) to 4
    decimals, points and the template's weight to 2; ``has_data`` ``true``/``false``."""
    return [
        employee_no,
        metric,
        rounded(actual, 4),
        rounded(target, 4),
        rounded(attainment, 4),
        rounded(points, 2),
        rounded(weight, 2),
        "true" if has_data else "false",
    ]


def csv_text(cell: Cell) -> str:
    """A cell as CSV text: plain decimals with ``.`` and no thousands separators; a text that
    a spreadsheet would run as a formula (= + - @ first) gets a leading ``'``."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return csv_text_cell(str(cell))


def format_for(path: str | PurePath) -> str:
    """``csv`` or ``xlsx`` from a file name's extension (any case); ExportFormatError else."""
    suffix = PurePath(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportFormatError(
            _("Cannot export to “%(name)s”: the file name must end in .csv or .xlsx.")
            % {"name": PurePath(path).name or str(path)}
        )
    return suffix


# --- reading -------------------------------------------------------------------------------


def scorecard_rows(cycle: Cycle) -> Iterator[Row]:
    """Every scorecard of ``cycle`` by employee number, as export rows (one query); the
    cards kept for people no longer eligible are left out."""
    rows = (
        Scorecard.objects.filter(cycle=cycle, eligible=True)
        .order_by("employee__employee_no")
        .values_list(
            "employee__employee_no",
            "employee__name",
            "org_unit__code",
            "level__code",
            "total",
            "grade",
            "veto_reason",
        )
    )
    for no, name, unit, level, total, grade, veto in rows.iterator(chunk_size=CHUNK):
        yield scorecard_row(
            employee_no=no,
            name=name,
            org_unit=unit,
            level=level,
            cycle=cycle.code,
            total=total,
            grade=grade,
            veto_reason=veto,
        )


def score_line_rows(cycle: Cycle) -> Iterator[Row]:
    """Every score line of ``cycle`` by employee number and line order (one query)."""
    rows = (
        ScoreLine.objects.filter(scorecard__cycle=cycle, scorecard__eligible=True)
        .order_by("scorecard__employee__employee_no", "position")
        .values_list(
            "scorecard__employee__employee_no",
            "metric__code",
            "actual",
            "target",
            "attainment",
            "points",
            "weight",
            "has_data",
        )
    )
    for no, metric, actual, target, attainment, points, weight, has_data in rows.iterator(
        chunk_size=CHUNK
    ):
        yield score_line_row(
            employee_no=no,
            metric=metric,
            actual=actual,
            target=target,
            attainment=attainment,
            points=points,
            weight=weight,
            has_data=has_data,
        )


EXPORTS: dict[str, tuple[Sequence[str], Callable[[Cycle], Iterator[Row]]]] = {
    "scorecards": (SCORECARD_COLUMNS, scorecard_rows),
    "score-lines": (SCORE_LINE_COLUMNS, score_line_rows),
}


# Exports other apps contribute to ``kaopei export`` (the command line): name → (columns,
# rows of a cycle). An app registers its own at start-up (:func:`register_export`); this
# module names none of them. ``rows`` checks what it needs at once (it raises
# ApplicationError before anything is written) and then yields the rows.
CONTRIBUTED: dict[str, tuple[Sequence[str], Callable[[Cycle], Iterable[Row]]]] = {}


def register_export(
    name: str, columns: Sequence[str], rows: Callable[[Cycle], Iterable[Row]]
) -> None:
    """Make ``name`` an export of ``kaopei export NAME CYCLE -o FILE``."""
    if name in EXPORTS or CONTRIBUTED.get(name, (columns, rows)) != (columns, rows):
        raise ValueError(f"export {name} is registered twice")
    CONTRIBUTED[name] = (tuple(columns), rows)


def command_exports() -> dict[str, tuple[Sequence[str], Callable[[Cycle], Iterable[Row]]]]:
    """Every export of the command line: the cycle's own, then the contributed ones."""
    return {**EXPORTS, **CONTRIBUTED}


def page_header(columns: Sequence[str]) -> list[str]:
    """The headers of a download from the pages: in Chinese for a reader of Chinese, the ⚑
    English column names otherwise (the same as the command line's)."""
    if english_active():
        return list(columns)
    return [str(HEADER_LABELS[name]) for name in columns]


# --- writing -------------------------------------------------------------------------------


def write_table(
    stream: IO[bytes],
    *,
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Row],
    sheet: str = "export",
) -> int:
    """Write ``header`` and ``rows`` to a binary ``stream`` as ``csv`` or ``xlsx``.

    Returns the number of data rows. CSV: UTF-8 with a BOM, comma-separated, CRLF line ends.
    xlsx: one sheet; text as text (employee numbers keep leading zeros), numbers as numbers
    formatted with the decimals they were rounded to, empty cells empty.
    """
    if fmt == "csv":
        return _write_csv(stream, header, rows)
    if fmt == "xlsx":
        return _write_xlsx(stream, header, rows, sheet)
    raise ExportFormatError(_("Unknown export format “%(fmt)s”.") % {"fmt": fmt})


def _write_csv(stream: IO[bytes], header: Sequence[str], rows: Iterable[Row]) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)  # type: ignore[type-var]
    try:
        writer = csv.writer(text)
        writer.writerow([csv_text_cell(name) for name in header])
        n = 0
        for row in rows:
            writer.writerow([csv_text(cell) for cell in row])
            n += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
    return n


def _number_format(value: Decimal) -> str:
    places = -int(value.as_tuple().exponent)
    return "0." + "0" * places if places > 0 else "0"


def _write_xlsx(stream: IO[bytes], header: Sequence[str], rows: Iterable[Row], sheet: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31])
    ws.append([xlsx_cell(ws, name) for name in header])
    n = 0
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = _number_format(value)
                cells.append(cell)
            else:
                cells.append(xlsx_cell(ws, value))  # text: never a formula
        ws.append(cells)
        n += 1
    book.save(stream)
    return n


def export_cycle(
    *, cycle: Cycle, what: str, fmt: str, stream: IO[bytes], page_headers: bool = False
) -> int:
    """Write export ``what`` (``scorecards``, ``score-lines`` or a contributed one) of
    ``cycle`` to ``stream`` in ``fmt``; returns the number of data rows. ApplicationError
    for an unknown export, or from a contributed export that cannot be written.

    The headers are the ⚑ English column names; ``page_headers`` (a download from the
    pages) puts them in the reader's language (:func:`page_header`)."""
    every = command_exports()
    if what not in every:
        raise ApplicationError(
            _("Unknown export “%(what)s”: choose one of %(names)s.")
            % {"what": what, "names": ", ".join(every)}
        )
    if fmt not in FORMATS:
        raise ExportFormatError(_("Unknown export format “%(fmt)s”.") % {"fmt": fmt})
    header, reader = every[what]
    if page_headers and what in EXPORTS:
        header = page_header(header)
    return write_table(stream, fmt=fmt, header=header, rows=reader(cycle), sheet=what)


def export_file_name(cycle: Cycle, what: str, fmt: str) -> str:
    return f"kaopei-{cycle.code}-{what}.{fmt}"

"""The annotated error copies of uploaded files (see :func:`error_workbook`).

A copy of a batch's uploaded file (csv or xlsx) as ``.xlsx`` with a last column
"错误 / Errors" holding the messages of each row, the rows in error highlighted, and a second
sheet listing every error. Row numbers are kept, so "row 7" in the report is row 7 in the
copy.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import PatternFill

from kaopei.core.errors import ApplicationError
from kaopei.core.spreadsheets import xlsx_cell
from kaopei.imports.importing import (
    SPECS,
    ExcelErrorValue,
    ImportFileError,
    Table,
    Uncalculated,
    map_headers,
    open_table,
)
from kaopei.imports.importing.cells import is_blank
from kaopei.imports.workbooks.styles import (
    _CELL_FILL,
    _ERROR_FONT,
    _HEADER_FILL,
    _HEADER_FONT,
    _ROW_FILL,
    _WRAP,
    EXCEL_MAX_CELL_CHARS,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    _cell,
    _header_width,
    _set_widths,
)

if TYPE_CHECKING:
    from kaopei.imports.models import ImportBatch

ERROR_HEADER = "错误 / Errors"
ROW_HEADER = "行号 / Row"
# Above this many data rows an error copy holds only the rows in error (see error_workbook).
ERROR_COPY_FULL_ROWS = 100_000
ERROR_LIST_SHEET = "错误清单 Error list"


def _safe_text(text: str) -> str:
    """Text Excel accepts: no control characters, not longer than a cell holds."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= EXCEL_MAX_CELL_CHARS else text[: EXCEL_MAX_CELL_CHARS - 1] + "…"


def _copy_cell(ws: Any, value: Any, fill: PatternFill | None = None) -> Any:
    """A cell of the uploaded file, copied: text stays text (never a formula or an Excel
    error, see :mod:`kaopei.core.spreadsheets`), the reader's markers become their text.
    Unstyled ordinary values are returned as they are, which is much faster for openpyxl to
    write than a cell object."""
    if isinstance(value, Uncalculated | ExcelErrorValue):
        value = str(value)
    elif isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, str):
        value = _safe_text(value)
    cell = xlsx_cell(ws, value)  # "=1+1" or "#N/A" from a CSV is text
    if fill is None:
        return cell
    if cell is value:
        cell = WriteOnlyCell(ws, value=value)
    cell.fill = fill
    return cell


@contextmanager
def stored_table(batch: ImportBatch) -> Iterator[Table]:
    """The batch's uploaded file (``batch.stored_file``, under MEDIA_ROOT or in the default
    storage) opened as a Table, released on leaving the block.

    Raises :class:`ApplicationError` when the file is gone or can no longer be read (also
    when reading fails part-way through the block).
    """
    source: str | IO[bytes] | None = None
    name = batch.stored_file
    if name:
        root = Path(settings.MEDIA_ROOT).resolve()
        path = (root / name).resolve()
        if path.is_relative_to(root) and path.is_file():
            source = str(path)
        else:
            try:
                source = default_storage.open(name, "rb")
            except (OSError, ValueError):  # missing, or a name the storage refuses
                source = None
    if source is None:
        raise ApplicationError(_("The uploaded file of this import is no longer available."))
    try:
        try:
            with open_table(source, batch.file_name or name) as table:
                yield table
        except ImportFileError as exc:  # unreadable from the start, or part-way through
            raise ApplicationError(exc.message) from exc
    finally:
        if not isinstance(source, str):
            source.close()  # open_table leaves a file object it was given open


def _errors_by_row(report: Sequence[Mapping[str, Any]]) -> dict[int, list[Mapping[str, Any]]]:
    by_row: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for error in report:
        try:
            by_row[int(error.get("row") or 0)].append(error)
        except (TypeError, ValueError):
            by_row[0].append(error)
    return by_row


def _message(error: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    column = str(error.get("column") or "")
    reason = str(error.get("reason") or error.get("code") or "")
    where = headers.get(column) or column
    return f"{where}: {reason}" if where else reason


def _content_width(batch: ImportBatch, header_width: int) -> int:
    """The widest row's last non-blank cell (a second pass; only for files with stray cells)."""
    width = header_width
    with stored_table(batch) as table:
        for row in table:
            for index in range(len(row.cells) - 1, width - 1, -1):
                if not is_blank(row.cells[index]):
                    width = index + 1
                    break
    return min(width, EXCEL_MAX_COLUMNS - 1)


def error_workbook(batch: ImportBatch) -> bytes:
    """An ``.xlsx`` copy of the batch's uploaded file with an error column, as bytes.

    The copy keeps every row at its row number. The added last column "错误 / Errors" holds,
    for each row in the error report, all its messages (one per line, each prefixed with the
    column's header as written in the file); those rows are highlighted and the cells named
    by an error more strongly. A second sheet lists every error (row, column, value, reason),
    including those about the header.

    A file of more than :data:`ERROR_COPY_FULL_ROWS` data rows would take minutes to write,
    so its copy holds the header and only the rows in error, with a first column "行号 / Row"
    giving each one's row number in the file. Raises :class:`ApplicationError` when the
    uploaded file is no longer available or readable.
    """
    report: list[Mapping[str, Any]] = [e for e in (batch.error_report or []) if isinstance(e, dict)]
    by_row = _errors_by_row(report)
    errors_only = (batch.rows or 0) > ERROR_COPY_FULL_ROWS
    with stored_table(batch) as table:
        header = list(table.header)
        spec = SPECS.get(batch.kind)
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        if spec is not None:
            mapped = map_headers(header, spec, row=table.header_row)
            positions, headers = mapped.positions, mapped.headers
        width = len(header)
        if any(e.get("code") == "extra_cell" for e in report):
            width = _content_width(batch, width)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_sheet_title(batch.file_name))
        lead = [10] if errors_only else []
        widths = [_header_width(h) for h in header] + [10] * (width - len(header))
        _set_widths(sheet, [*lead, *widths, 60])
        header_errors = {
            positions[str(e.get("column"))]
            for e in by_row.get(table.header_row, [])
            if str(e.get("column")) in positions
        }
        header_row = [
            _copy_cell(sheet, text, _CELL_FILL if i in header_errors else None)
            for i, text in enumerate(header + [""] * (width - len(header)))
        ] + [_cell(sheet, ERROR_HEADER, font=_HEADER_FONT, fill=_HEADER_FILL)]
        if errors_only:
            sheet.freeze_panes = "B2"
            sheet.append(
                [_cell(sheet, ROW_HEADER, font=_HEADER_FONT, fill=_HEADER_FILL)] + header_row
            )
        else:
            sheet.freeze_panes = f"A{table.header_row + 1}"
            for _blank in range(table.header_row - 1):
                sheet.append([])
            sheet.append(header_row)
        written = table.header_row
        for row in table:
            errors = by_row.get(row.number)
            if errors_only:
                if errors:
                    cells = _data_row(sheet, row.cells, width, errors, positions, headers)
                    sheet.append([row.number, *cells])
                continue
            if row.number >= EXCEL_MAX_ROWS:
                break
            while written < row.number - 1:
                sheet.append([])
                written += 1
            sheet.append(_data_row(sheet, row.cells, width, errors, positions, headers))
            written = row.number
    _error_list_sheet(book.create_sheet(ERROR_LIST_SHEET), report, headers)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(file_name: str) -> str:
    stem = Path(file_name or "").stem
    cleaned = "".join(ch for ch in stem if ch not in "[]:*?/\\").strip("' ")
    return (cleaned or "Sheet1")[:31]


def _data_row(
    ws: Any,
    cells: Sequence[Any],
    width: int,
    errors: list[Mapping[str, Any]] | None,
    positions: Mapping[str, int],
    headers: Mapping[str, str],
) -> list[Any]:
    padded = list(cells[:width]) + [None] * (width - len(cells))
    if not errors:
        out = [_copy_cell(ws, value) for value in padded]
        if len(cells) > width:
            out.append(None)  # the empty error cell, before the stray cells
    else:
        marked = {positions[c] for e in errors if (c := str(e.get("column") or "")) in positions}
        out = [
            _copy_cell(ws, value, _CELL_FILL if index in marked else _ROW_FILL)
            for index, value in enumerate(padded)
        ]
        text = "\n".join(_message(e, headers) for e in errors)
        error_cell = _copy_cell(ws, text, _ROW_FILL)
        error_cell.font = _ERROR_FONT
        error_cell.alignment = _WRAP
        out.append(error_cell)
    # Stray cells beyond the widest row seen are kept, after the error column.
    out.extend(_copy_cell(ws, value) for value in cells[width:] if not is_blank(value))
    return out


def _error_list_sheet(
    ws: Any, report: Sequence[Mapping[str, Any]], headers: Mapping[str, str]
) -> None:
    _set_widths(ws, [8, 22, 24, 90])
    ws.freeze_panes = "A2"
    ws.append(
        [
            _cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL)
            for h in (_("Row"), _("Column"), _("Value"), _("Reason"))
        ]
    )
    for error in _sorted(report):
        column = str(error.get("column") or "")
        ws.append(
            [
                error.get("row") or None,  # row 0: the file as a whole
                _copy_cell(ws, headers.get(column) or column),
                _copy_cell(ws, str(error.get("value") or "")),
                _copy_cell(ws, str(error.get("reason") or error.get("code") or "")),
            ]
        )


def _sorted(report: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    def key(error: Mapping[str, Any]) -> int:
        try:
            return int(error.get("row") or 0)
        except (TypeError, ValueError):
            return 0

    return iter(sorted(report, key=key))

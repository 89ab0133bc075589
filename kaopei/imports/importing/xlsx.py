"""The xlsx reader: the first worksheet of a workbook, streamed (DESIGN.md §4.2 ⚑).

openpyxl reads it with ``read_only=True, data_only=True``, so cells keep their native types
and formulas give their cached values. A file saved by a program that never calculated it
has no cached values (openpyxl reads ``None``): when the sheet XML has formula elements, a
second streaming pass with ``data_only=False`` runs in step and such cells become
:class:`~.cells.Uncalculated`, reported rather than imported as blanks. Excel error values
become :class:`~.cells.ExcelErrorValue`. Whatever openpyxl raises on a damaged file becomes
``xlsx_corrupt``. :func:`~.package.check_package` has bounded what the workbook may unpack
to before this module opens it; the worksheet's own scan here bounds its longest stretch.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from openpyxl import load_workbook

from .cells import CellValue, ExcelErrorValue, Uncalculated
from .errors import ImportFileError
from .package import mb, package_limits
from .table import Record, Table, start_table

CHUNK_BYTES = 1024 * 1024
# A stretch of sheet XML this long without a "<" is refused (any stretch of twice this is
# certain to fill one whole chunk).
MAX_STRETCH_BYTES = 1024 * 1024
# <f>, <f t="shared" …/>, <x:f>: a formula element in sheet XML.
_FORMULA_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def open_xlsx(handle: IO[bytes], owned: bool, filename: str) -> Table:
    """Read the first worksheet of the workbook in ``handle`` (already confirmed an xlsx).

    ``owned``: close ``handle`` when the table is released. Raises ``xlsx_corrupt`` or
    ``no_sheet`` (and ``file_empty`` / ``no_data_rows`` from :func:`start_table`).
    """
    books: list[Any] = []

    def release() -> None:
        while books:
            books.pop().close()
        if owned:
            handle.close()

    try:
        values = _first_sheet(_load(handle, data_only=True, books=books))
        formulas = None
        if _has_formulas(handle, getattr(values, "_worksheet_path", None)):
            formulas = _first_sheet(_load(handle, data_only=False, books=books))
    except BaseException:
        release()
        raise
    return start_table(filename, "xlsx", _xlsx_records(values, formulas), release)


def _load(handle: IO[bytes], *, data_only: bool, books: list[Any]) -> Any:
    handle.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            # External links are never needed to import a sheet, and would be read whole.
            book = load_workbook(handle, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise ImportFileError("xlsx_corrupt") from exc
    books.append(book)
    return book


def _first_sheet(book: Any) -> Any:
    if not book.worksheets:
        raise ImportFileError("no_sheet")
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # never trust the stored size: read every row there is
    return sheet


def _has_formulas(handle: IO[bytes], member: str | None) -> bool:
    """Whether the sheet's XML has a formula element (``True`` when unsure).

    The sheet is streamed to its end, also to refuse a stretch of more than
    :data:`MAX_STRETCH_BYTES` without a ``<`` — a cell or an attribute that size would be
    held whole in memory by the parser (no real cell is: Excel keeps 32,767 characters) —
    and to count the bytes it really unpacks to (``xlsx_too_large`` past the limit)."""
    if member is None:
        return True
    limit = package_limits().max_unpacked
    found = False
    try:
        with zipfile.ZipFile(handle) as archive, archive.open(member.lstrip("/")) as xml:
            tail = b""
            seen = 0
            while chunk := xml.read(MAX_STRETCH_BYTES):
                seen += len(chunk)
                if seen > limit:
                    raise ImportFileError("xlsx_too_large", limit=mb(limit))
                if len(chunk) == MAX_STRETCH_BYTES and b"<" not in chunk:
                    raise ImportFileError("xlsx_cell_too_large", limit=mb(MAX_STRETCH_BYTES))
                if not found and _FORMULA_TAG_RE.search(tail + chunk):
                    found = True
                tail = chunk[-32:]
    except ImportFileError:
        raise
    except Exception:  # the real reading reports a damaged file
        return True
    return found


def _xlsx_records(values: Any, formulas: Any | None) -> Iterator[Record]:
    value_rows = values.iter_rows(min_row=1)
    formula_rows = formulas.iter_rows(min_row=1) if formulas is not None else None
    number = 0
    while True:
        try:
            cells = next(value_rows, None)
            formula_cells = next(formula_rows, None) if formula_rows is not None else None
        except Exception as exc:  # damaged sheet XML, bad shared-string index …
            raise ImportFileError("xlsx_corrupt") from exc
        if cells is None:
            return
        number += 1
        yield number, tuple(_xlsx_cells(cells, formula_cells))


def _xlsx_cells(cells: Sequence[Any], formula_cells: Sequence[Any] | None) -> Iterator[CellValue]:
    for index, cell in enumerate(cells):
        value = cell.value
        if value is None:
            # A calculated empty string has data_type "str"; no cached value reads as "n".
            if formula_cells is not None and index < len(formula_cells) and cell.data_type == "n":
                formula = formula_cells[index]
                if formula.data_type == "f":
                    yield Uncalculated(str(getattr(formula.value, "text", formula.value)))
                    continue
            yield None
        elif cell.data_type == "e":
            yield ExcelErrorValue(str(value))
        else:
            yield value

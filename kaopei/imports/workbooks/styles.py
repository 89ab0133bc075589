"""What both kinds of workbook share: Excel's limits, fills and fonts, small cell helpers.

Used by :mod:`.templates` (the import templates) and :mod:`.errors` (the annotated error
copies).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kaopei.core.spreadsheets import xlsx_text_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767

_HEADER_FILL = PatternFill("solid", fgColor="FF1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFFFF")
_SECONDARY_FILL = PatternFill("solid", fgColor="FFDDEBF7")
_SECONDARY_FONT = Font(italic=True, color="FF1F4E79")
_KEY_FONT = Font(bold=True, color="FFFFE699")
_ROW_FILL = PatternFill("solid", fgColor="FFFDE9E7")  # a row with an error
_CELL_FILL = PatternFill("solid", fgColor="FFF8B4AE")  # the cell the error is about
_ERROR_FONT = Font(color="FF9C0006")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(
    ws: Any,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    number_format: str | None = None,
    wrap: bool = False,
) -> WriteOnlyCell:
    cell = xlsx_text_cell(ws, value) if isinstance(value, str) else WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    if wrap:
        cell.alignment = _WRAP
    return cell


def _set_widths(ws: Any, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _header_width(text: str) -> int:
    return max(10, min(40, sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) + 4))

"""What a cell can hold once a reader has read it, and small helpers on cell values.

CSV cells are always ``str``. xlsx cells keep their native types (``int``, ``float``,
``bool``, ``str``, ``datetime``, ``time``, ``timedelta``) or are one of two markers a reader
substitutes: :class:`Uncalculated` (a formula whose calculated value was never saved) and
:class:`ExcelErrorValue` (``#N/A``, ``#DIV/0!`` …). ``None`` is an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

SHOWN_MAX = 200  # characters of a value quoted back in an error report


@dataclass(frozen=True, slots=True)
class Uncalculated:
    """A formula cell whose file holds no calculated value (``formula`` is its text)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass(frozen=True, slots=True)
class ExcelErrorValue:
    """A cell holding an Excel error value such as ``#N/A``."""

    error: str

    def __str__(self) -> str:
        return self.error


CellValue = (
    str
    | int
    | float
    | bool
    | Decimal
    | date
    | datetime
    | time
    | timedelta
    | Uncalculated
    | ExcelErrorValue
    | None
)


def is_blank(value: object) -> bool:
    """True for an empty cell: ``None`` or text that is only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def row_is_blank(cells: tuple[object, ...] | list[object]) -> bool:
    """True when every cell of a row is blank (such rows are skipped but keep their number)."""
    # is_blank() inlined: this runs once per row of every file.
    for cell in cells:
        if cell is None:
            continue
        if not isinstance(cell, str) or cell.strip():
            return False
    return True


def shown(value: object) -> str:
    """The value as text for an error report: ISO dates, no ``.0`` on whole floats, truncated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"

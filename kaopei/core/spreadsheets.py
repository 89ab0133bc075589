"""Text cells that no spreadsheet runs as a formula (DESIGN.md §4.1 ⚑), for every writer.

A person named ``=HYPERLINK("http://…"&A1,"click me")`` or ``@SUM(1+1)`` must reach the
reader of an export as that text, never as a live formula. Every CSV or xlsx writer of the
product passes its *text* cells through here (numbers are written as numbers and are never
escaped: a negative profit stays ``-12.5``):

- :func:`csv_text_cell` — CSV: a text beginning with ``=``, ``+``, ``-`` or ``@`` gets a
  leading ``'``, which Excel, LibreOffice and Google Sheets show as text;
- :func:`xlsx_cell` — xlsx: such a text becomes a cell of type text (``t="s"``), so the file
  holds no ``<f>`` (formula) element for it; any other value is returned unchanged (a plain
  value is much faster for openpyxl's write-only mode than a cell object).

Domain-free: it knows cells, not what they hold.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@")
CSV_ESCAPE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (it begins with = + - @)."""
    return text.startswith(FORMULA_PREFIXES)


def csv_text_cell(text: str) -> str:
    """``text`` for a CSV cell: prefixed with ``'`` when it begins with = + - or @."""
    return CSV_ESCAPE + text if is_formula_like(text) else text


def xlsx_cell(ws: Any, value: Any) -> Any:
    """``value`` for an xlsx row of worksheet ``ws``: a text that looks like a formula (or
    like an Excel error such as ``#N/A``) as an explicit text cell, anything else as it is.
    Works for write-only and ordinary worksheets."""
    if isinstance(value, str) and (is_formula_like(value) or value.startswith("#")):
        return xlsx_text_cell(ws, value)
    return value


def xlsx_text_cell(ws: Any, text: str) -> Any:
    """A cell of ``ws`` holding ``text`` as text, whatever it begins with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl would write "=…" as a formula and "#N/A" as an error
    return cell

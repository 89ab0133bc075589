"""Every list page exports what it shows — the filtered list, all pages — as ``.csv`` or
``.xlsx`` (issue 14, Exports). Domain-free: a page passes columns and rows.

- :class:`Column`: a key, a header label (lazily translated: a Chinese reader gets Chinese
  headers) and a kind — ``text``, ``number`` (a number cell in xlsx) or ``date``;
- :func:`export_format`: the ``?export=`` of a request (``csv`` or ``xlsx``), None when
  absent, a 400 with a message (``BadParameter``) for anything else;
- :func:`table_response`: the download. CSV is UTF-8 with a BOM so that Excel opens Chinese;
  xlsx has numbers as numbers and dates as dates. Text that a spreadsheet would run as a
  formula is made safe (:mod:`kaopei.core.spreadsheets`). The file is named after the list
  and today's date (``targets-2026-12-06.xlsx``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kaopei.core.params import BadParameter
from kaopei.core.spreadsheets import csv_text_cell, xlsx_cell

Kind = Literal["text", "number", "date"]
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation: the header in the reader's language
    kind: Kind = "text"


def export_format(request: HttpRequest, *, param: str = "export") -> str | None:
    """``csv`` or ``xlsx`` when the request asks for an export (``?export=``, or another
    ``param`` a page used before), None when it does not; ``BadParameter`` (400 with the
    reason) for any other value."""
    raw = request.GET.get(param, "").strip()
    if not raw:
        return None
    if raw.lower() not in FORMATS:
        raise BadParameter(
            _("Cannot export as “%(value)s”: choose csv or xlsx.") % {"value": raw[:20]}
        )
    return raw.lower()


def _value(row: Mapping[str, Any] | Sequence[Any], column: Column, index: int) -> Any:
    if isinstance(row, Mapping):
        return row.get(column.key)
    return row[index]


def _plain(value: Any, kind: Kind) -> Any:
    """A cell value for a column of ``kind``: a number, a date, a text or None."""
    if value is None or value == "":
        return None
    if kind == "number":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int | float | Decimal):
            return value
        return Decimal(str(value))
    if kind == "date":
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.replace(tzinfo=None)
        return value
    return str(value)


def table_rows(
    columns: Sequence[Column], rows: Iterable[Mapping[str, Any] | Sequence[Any]]
) -> Iterable[list[Any]]:
    """Each row as a list of plain cell values, in column order."""
    for row in rows:
        yield [_plain(_value(row, c, i), c.kind) for i, c in enumerate(columns)]


def csv_bytes(
    columns: Sequence[Column], rows: Iterable[Mapping[str, Any] | Sequence[Any]]
) -> bytes:
    """The table as CSV, UTF-8 with a BOM; formula-like text escaped with ``'``."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_text_cell(str(c.label)) for c in columns])
    for cells in table_rows(columns, rows):
        out = []
        for value in cells:
            if value is None:
                out.append("")
            elif isinstance(value, str):
                out.append(csv_text_cell(value))
            elif isinstance(value, dt.date):
                out.append(
                    value.isoformat(sep=" ")
                    if isinstance(value, dt.datetime)
                    else value.isoformat()
                )
            else:
                out.append(str(value))
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    title: str = "Sheet1",
) -> bytes:
    """The table as an xlsx workbook: numbers as numbers, dates as dates, text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    ws.append([xlsx_cell(ws, str(c.label)) for c in columns])
    for cells in table_rows(columns, rows):
        out: list[Any] = []
        for value in cells:
            if isinstance(value, dt.datetime):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                out.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(xlsx_cell(ws, value))
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_filename(name: str, fmt: str) -> str:
    """``<name>-<today>.<fmt>``, ASCII, e.g. ``targets-2026q4-2026-12-06.csv``."""
    base = slugify(name) or "export"
    return f"{base}-{timezone.localdate().isoformat()}.{fmt}"


def table_response(
    *,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    fmt: str,
    name: str,
) -> HttpResponse:
    """The download of the table as ``fmt`` (``csv`` or ``xlsx``), named after ``name``."""
    if fmt not in FORMATS:
        raise BadParameter(_("Cannot export as “%(value)s”: choose csv or xlsx.") % {"value": fmt})
    body = csv_bytes(columns, rows) if fmt == "csv" else xlsx_bytes(columns, rows, title=name)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(name, fmt)}"'
    return response

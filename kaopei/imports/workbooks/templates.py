"""The downloadable import templates (see :func:`template_workbook`).

For one import kind, an ``.xlsx`` whose first sheet imports as is (Chinese headers in row 1,
one example row), a sheet "English" with the English headers over the same example row, and
a sheet "说明 Help" describing every column. Everything is derived from the kind's
declaration (:mod:`kaopei.imports.importing.kinds`), so a new kind gets a template without code
here; :data:`~.kind_content.EXAMPLES` only makes the example row read well.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaopei.imports.importing import DEFAULT_TZ, Column, KindSpec, get_spec
from kaopei.imports.importing import columns as cols
from kaopei.imports.workbooks.kind_content import EXAMPLES, KIND_DESCRIPTIONS, KIND_NOTES
from kaopei.imports.workbooks.styles import (
    _BOLD,
    _HEADER_FILL,
    _HEADER_FONT,
    _KEY_FONT,
    _SECONDARY_FILL,
    _SECONDARY_FONT,
    _cell,
    _header_width,
    _set_widths,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ENGLISH_SHEET = "English"
HELP_SHEET = "说明 Help"

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def kind_description(kind: str) -> StrOrPromise:
    """What an import kind holds, in a sentence (empty when none is written)."""
    return KIND_DESCRIPTIONS.get(kind, "")


def template_filename(kind: str) -> str:
    return f"kaopei-{kind}-template.xlsx"


def _choice_example(column: Column) -> str:
    assert column.choices is not None
    code, aliases = next(iter(column.choices.aliases.items()))
    return aliases[0] if aliases else code


def example_value(kind: str, column: Column) -> Any:
    """The example cell of ``column``: :data:`EXAMPLES`, else one made from its type."""
    given = EXAMPLES.get(kind, {})
    if column.name in given:
        return given[column.name]
    parser = column.parser
    if parser in (cols.as_choice, cols.as_choice_list):
        return _choice_example(column)
    if parser is cols.as_date:
        return date(2026, 3, 5)
    if parser is cols.as_datetime:
        return datetime(2026, 3, 5, 14, 30)
    if parser is cols.as_bool:
        return "是"
    if parser is cols.as_cycle:
        return "2026Q1"
    if parser is cols.as_email:
        return "someone@example.com"
    if parser in (cols.as_int, cols.as_decimal, cols.as_amount):
        low = column.minimum if column.minimum is not None else 0
        value = max(Decimal(low) + (1 if column.min_exclusive or low == 0 else 0), Decimal(1))
        if column.maximum is not None:
            value = min(value, Decimal(column.maximum))
        return int(value) if value == value.to_integral_value() else float(value)
    if parser is cols.as_key:
        return f"{column.name.upper()[:8]}-001"
    return column.zh


def _format_text(column: Column) -> str:
    """How a column's cells are written, in the active language."""
    parser = column.parser
    if parser is cols.as_key:
        text = _("A code: text or a whole number, on one line; spaces around it are trimmed.")
    elif parser is cols.as_text:
        text = _("Text.")
    elif parser is cols.as_email:
        text = _("An e-mail address.")
    elif parser is cols.as_date:
        text = _("A date: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 or an Excel date cell.")
    elif parser is cols.as_datetime:
        text = _(
            "A date and time: 2026-03-05 14:30, 2026/3/5 14:30, an Excel date-time cell or "
            "ISO 8601 (2026-03-05T14:30:00+08:00); a date alone means 00:00."
        )
    elif parser is cols.as_bool:
        text = _("Yes or no: 是/否, true/false, yes/no, y/n or 1/0.")
    elif parser is cols.as_cycle:
        text = _("A cycle code: 2026Q1 for a quarter, 2026 for a year.")
    elif parser is cols.as_choice:
        assert column.choices is not None
        text = _("One of these codes or their Chinese names: %(choices)s.") % {
            "choices": column.choices.describe()
        }
    elif parser is cols.as_choice_list:
        assert column.choices is not None
        text = _(
            "One or more of these codes or their Chinese names, separated by commas: %(choices)s."
        ) % {"choices": column.choices.describe()}
    elif parser is cols.as_amount:
        if column.allow_negative:
            text = _("An amount in 元; may be negative; thousands separators are allowed.")
        else:
            text = _("An amount in 元, not negative; thousands separators are allowed.")
    elif parser is cols.as_int:
        text = _("A whole number.")
    elif parser is cols.as_decimal:
        text = _("A number.")
    else:
        # A kind's own parser may describe its cells (``parser.format_hint``).
        text = str(getattr(parser, "format_hint", ""))
    extra: list[str] = [text] if text else []
    if parser in (cols.as_int, cols.as_decimal) and (
        column.minimum is not None or column.maximum is not None
    ):
        extra.append(_("Allowed range: %(range)s.") % {"range": _range(column)})
    if column.decimal_places is not None and parser is not cols.as_int:
        extra.append(_("At most %(places)s decimal places.") % {"places": column.decimal_places})
    if column.max_length is not None and parser in (cols.as_key, cols.as_text):
        extra.append(_("At most %(max)s characters.") % {"max": column.max_length})
    if column.unit == cols.NO_UNIT:
        extra.append(_("No unit: the header must not carry one."))
    elif column.unit:
        extra.append(
            _("Unit: %(unit)s (the header may say %(header)s(%(unit)s); no other unit).")
            % {"unit": column.unit, "header": column.zh}
        )
    return " ".join(extra)


def _range(column: Column) -> str:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"> {low}" if column.min_exclusive else f"≥ {low}"
    return f"≤ {high}"


def _required_text(column: Column) -> str:
    if column.required and not column.blank_ok:
        return _("Required")
    if column.required:
        return _("Required column; the cell may be blank")
    if column.default is None:
        return _("Optional")
    default = column.default
    shown = (_("yes") if default else _("no")) if isinstance(default, bool) else str(default)
    return _("Optional (blank means %(default)s)") % {"default": shown}


def _example_cells(ws: Any, spec: KindSpec) -> list[WriteOnlyCell]:
    cells = []
    for column in spec.columns:
        value = example_value(spec.kind, column)
        number_format = None
        if isinstance(value, datetime):
            number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            number_format = DATE_FORMAT
        elif column.parser in (cols.as_key, cols.as_text, cols.as_cycle):
            number_format = "@"  # text, so Excel keeps 00123 and 2026Q1 as typed
        cells.append(_cell(ws, value, number_format=number_format))
    return cells


def _dropdowns(ws: Any, spec: KindSpec) -> None:
    """Suggest the allowed values of single-choice and yes/no columns (not enforced)."""
    for index, column in enumerate(spec.columns, start=1):
        if column.parser is cols.as_choice and column.choices is not None:
            options = [a for aliases in column.choices.aliases.values() for a in aliases[:1]]
            options += list(column.choices.codes)
        elif column.parser is cols.as_bool:
            options = ["是", "否"]
        else:
            continue
        formula = '"' + ",".join(options) + '"'
        if len(formula) > 255:  # Excel's limit for a literal list
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=True, showErrorMessage=False
        )
        validation.add(f"{letter}2:{letter}10000")
        ws.add_data_validation(validation)


def template_workbook(kind: str) -> bytes:
    """The import template of ``kind`` as ``.xlsx`` bytes.

    Sheet 1 (the one an import reads): the Chinese headers in row 1 and one example row.
    Sheet "English": the English headers over the same example row (either header row is
    accepted). Sheet "说明 Help": what each column holds and how to write it. Raises
    :class:`~kaopei.imports.importing.UnknownKindError` for an unknown kind.
    """
    spec = get_spec(kind)
    book = Workbook()
    book.remove(book.active)
    widths = [_header_width(c.zh if c.zh else c.name) for c in spec.columns]
    widths = [max(w, _header_width(c.name), 14) for w, c in zip(widths, spec.columns, strict=True)]

    main = book.create_sheet(spec.kind[:31])
    _set_widths(main, widths)
    main.freeze_panes = "A2"
    _dropdowns(main, spec)
    main.append(
        [
            _cell(
                main,
                c.zh,
                font=_KEY_FONT if c.name in spec.key else _HEADER_FONT,
                fill=_HEADER_FILL,
            )
            for c in spec.columns
        ]
    )
    main.append(_example_cells(main, spec))

    english = book.create_sheet(ENGLISH_SHEET)
    _set_widths(english, widths)
    english.freeze_panes = "A2"
    english.append(
        [_cell(english, c.name, font=_SECONDARY_FONT, fill=_SECONDARY_FILL) for c in spec.columns]
    )
    english.append(_example_cells(english, spec))

    _help_sheet(book.create_sheet(HELP_SHEET), spec)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help_sheet(ws: Any, spec: KindSpec) -> None:
    _set_widths(ws, [18, 18, 22, 10, 70, 22])
    title = _("Import template: %(label)s (%(kind)s)") % {"label": spec.label, "kind": spec.kind}
    ws.append([_cell(ws, title, font=Font(bold=True, size=14))])
    description = kind_description(spec.kind)
    if description:
        ws.append([_cell(ws, str(description))])
    ws.append([])
    notes = [
        _(
            "The first sheet imports as it is: row 1 holds the Chinese headers, row 2 an "
            "example. Replace the example with your data, one record per row, and upload the "
            "file as .xlsx (the first sheet is read) or save it as CSV (UTF-8 or GB18030)."
        ),
        _(
            "The English names on the sheet “English” are accepted as headers too, as are "
            "headers in any case and with spaces. The order of the columns does not matter."
        ),
        _(
            "A header may carry a unit in brackets, such as 金额(元) or 响应时长（小时）. Only "
            "元, 小时, 天 and % are accepted, and only the column's own unit: convert the "
            "values rather than changing the unit."
        ),
        _(
            "Dates: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 or Excel dates. Yes/no: 是/否, "
            "true/false, yes/no, y/n or 1/0. Amounts may have thousands separators (1,234.50)."
        ),
        _(
            "Key: %(key)s. A row whose key exists already replaces that record's columns (a "
            "blank cell clears an optional value); records not in the file are left as they are."
        )
        % {"key": " + ".join(f"{spec.column(n).zh} ({n})" for n in spec.key)},
        _(
            "Blank rows are skipped. A file with any invalid row imports nothing: every problem "
            "is reported with its row number, and you can download the file with an error "
            "column."
        ),
        _("Columns that are not listed below are ignored (you will see a warning)."),
    ]
    note = KIND_NOTES.get(spec.kind)
    if note:
        notes.append(str(note).format(tz=getattr(settings, "TIME_ZONE", str(DEFAULT_TZ))))
    for index, text in enumerate(notes, start=1):
        ws.append([_cell(ws, f"{index}. {text}")])
    ws.append([])
    headings = [
        _("Chinese header"),
        _("English header"),
        _("Required"),
        _("Key"),
        _("Format and allowed values"),
        _("Example"),
    ]
    ws.append([_cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL) for h in headings])
    for column in spec.columns:
        example = example_value(spec.kind, column)
        if isinstance(example, datetime):
            example = example.strftime("%Y-%m-%d %H:%M")
        elif isinstance(example, date):
            example = example.isoformat()
        ws.append(
            [
                _cell(ws, column.zh, font=_BOLD),
                _cell(ws, column.name),
                _cell(ws, _required_text(column), wrap=True),
                _cell(ws, _("Key") if column.name in spec.key else ""),
                _cell(ws, _format_text(column), wrap=True),
                _cell(ws, "" if example is None else str(example)),
            ]
        )

"""Excel workbooks of the import pages: templates to fill in and annotated error copies.

- :func:`template_workbook` — for one import kind, an ``.xlsx`` whose first sheet imports as
  is (Chinese headers in row 1, one example row), a sheet "English" with the English headers
  over the same example row, and a sheet "说明 Help" describing every column. Everything is
  derived from the kind's declaration (:mod:`kaopei.facts.importing.kinds`), so a new kind
  gets a template without code here; :data:`EXAMPLES` only makes the example row read well.
- :func:`error_workbook` — a copy of a batch's uploaded file (csv or xlsx) as ``.xlsx`` with
  a last column "错误 / Errors" holding the messages of each row, the rows in error
  highlighted, and a second sheet listing every error. Row numbers are kept, so "row 7" in
  the report is row 7 in the copy.

Help texts are rendered in the active language; column names are always shown in both.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaopei.core.errors import ApplicationError
from kaopei.facts.importing import (
    DEFAULT_TZ,
    SPECS,
    Column,
    ExcelErrorValue,
    ImportFileError,
    KindSpec,
    Table,
    Uncalculated,
    get_spec,
    map_headers,
    open_table,
)
from kaopei.facts.importing import columns as cols
from kaopei.facts.importing.cells import is_blank

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from kaopei.facts.models import ImportBatch

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_HEADER = "错误 / Errors"
ROW_HEADER = "行号 / Row"
# Above this many data rows an error copy holds only the rows in error (see error_workbook).
ERROR_COPY_FULL_ROWS = 100_000
ENGLISH_SHEET = "English"
HELP_SHEET = "说明 Help"
ERROR_LIST_SHEET = "错误清单 Error list"
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

# What each kind holds, for the templates page (kinds without an entry show their label only).
KIND_DESCRIPTIONS: dict[str, StrOrPromise] = {
    "job_levels": gettext_lazy("Job levels and their seniority (a higher rank is more senior)."),
    "org_units": gettext_lazy("The organisation tree: head office, branches and teams."),
    "employees": gettext_lazy(
        "People with their org unit, job level, supervisor and roles; each gets a login."
    ),
    "customers": gettext_lazy("Customers and the account manager who owns them."),
    "activities": gettext_lazy("Visits, calls, meetings and customer requests from the CRM."),
    "opportunities": gettext_lazy("Sales opportunities: open, won or lost, with their amount."),
    "sales": gettext_lazy("Signed contracts with their amount and simulated profit."),
    "receivables": gettext_lazy("Invoices and the date each was paid."),
    "complaints": gettext_lazy("Customer complaints and the date each was resolved."),
    "surveys": gettext_lazy("Customer survey answers: NPS (0–10) and satisfaction (1–5)."),
    "incidents": gettext_lazy("Compliance incidents (bribery, AML, data privacy, other)."),
    "targets": gettext_lazy("Targets per cycle, employee and metric."),
    "manual_scores": gettext_lazy("Hand-entered scores per cycle, such as supervisor ratings."),
    "templates": gettext_lazy("Assessment templates: the metrics and weights of each job level."),
}

# Rules of a kind that span columns, in words (the declarations hold them as code).
KIND_NOTES: dict[str, StrOrPromise] = {
    "org_units": gettext_lazy(
        "Leave 上级机构代码 (parent_code) blank for the head office. A parent may be a unit "
        "that exists already or one earlier in the same file."
    ),
    "employees": gettext_lazy(
        "机构代码 (org_unit) and 职级 (level) must exist; 上级工号 (supervisor_no) must be "
        "another employee, existing or earlier in the file. 离职日期 (left_on) cannot be "
        "before 入职日期 (hire_date)."
    ),
    "customers": gettext_lazy(
        "客户经理工号 (owner_no) must be an existing employee. 流失日期 (lost_on) cannot be "
        "before 获客日期 (acquired_on)."
    ),
    "activities": gettext_lazy(
        "客户经理工号 and 客户编号 must exist. A time without a zone is in the organisation's "
        "time zone ({tz})."
    ),
    "opportunities": gettext_lazy(
        "关闭日期 (closed_on) is required when 状态 (status) is won (赢单) or lost (输单), and "
        "cannot be before 创建日期 (created_on)."
    ),
    "sales": gettext_lazy("模拟利润 (profit) may be negative; 金额 (amount) may not."),
    "receivables": gettext_lazy(
        "Leave 回款日期 (paid_on) blank while the invoice is unpaid; it cannot be before "
        "开票日期 (invoiced_on)."
    ),
    "complaints": gettext_lazy(
        "Leave 解决日期 (resolved_on) blank while the complaint is open; it cannot be before "
        "投诉日期 (opened_on)."
    ),
    "incidents": gettext_lazy(
        "A confirmed incident in a cycle makes that cycle's grade UNQUALIFIED (不合格)."
    ),
    "targets": gettext_lazy(
        "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
        "whole file."
    ),
    "manual_scores": gettext_lazy(
        "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
        "whole file."
    ),
    "templates": gettext_lazy(
        "The weights of each template in the file must add up to 100, and all rows of a "
        "template must name the same job level and cycle type. Importing a template that "
        "exists makes a new version."
    ),
}

# Example values that read well; a column without one gets a value from its type.
EXAMPLES: dict[str, dict[str, Any]] = {
    "job_levels": {"code": "AM1", "name": "初级客户经理", "rank": 1},
    "org_units": {"code": "BJ-T1", "name": "北京一组", "parent_code": "BJ"},
    "employees": {
        "employee_no": "A001",
        "name": "安丽",
        "org_unit": "BJ-T1",
        "level": "AM1",
        "supervisor_no": "S001",
        "email": "anli@example.com",
        "hire_date": date(2024, 7, 1),
        "left_on": None,
        "active": "是",
        "roles": "客户经理",
    },
    "customers": {
        "customer_no": "C0001",
        "name": "北京示例科技有限公司",
        "owner_no": "A001",
        "segment": "对公",
        "strategic": "否",
        "acquired_on": date(2025, 1, 15),
        "lost_on": None,
    },
    "activities": {
        "activity_id": "V20260305001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "kind": "拜访",
        "occurred_at": datetime(2026, 3, 5, 14, 30),
        "response_hours": 2.5,
    },
    "opportunities": {
        "opportunity_id": "O2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "created_on": date(2026, 1, 10),
        "closed_on": date(2026, 3, 5),
        "status": "赢单",
        "amount": 500000,
    },
    "sales": {
        "contract_no": "HT2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "signed_on": date(2026, 3, 5),
        "amount": 500000,
        "profit": 60000,
    },
    "receivables": {
        "invoice_no": "FP2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "invoiced_on": date(2026, 3, 5),
        "amount": 500000,
        "paid_on": date(2026, 4, 2),
    },
    "complaints": {
        "complaint_id": "TS2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "opened_on": date(2026, 2, 1),
        "resolved_on": date(2026, 2, 5),
    },
    "surveys": {
        "response_id": "WJ2026001",
        "employee_no": "A001",
        "customer_no": "C0001",
        "responded_on": date(2026, 3, 20),
        "nps": 9,
        "csat": 5,
    },
    "incidents": {
        "incident_id": "SJ2026001",
        "employee_no": "A001",
        "occurred_on": date(2026, 2, 14),
        "category": "其他",
        "confirmed": "否",
        "description": "客户拜访记录未按规定登记",
    },
    "targets": {
        "cycle": "2026Q1",
        "employee_no": "A001",
        "metric": "sales_amount",
        "target": 1000000,
    },
    "manual_scores": {
        "cycle": "2026Q1",
        "employee_no": "A001",
        "metric": "supervisor_rating",
        "value": 4,
        "rater_no": "S001",
    },
    "templates": {
        "template": "AM1-Q",
        "level": "AM1",
        "cycle_kind": "季度",
        "metric": "visit_count",
        "weight": 100,
        "cap": 1.5,
    },
}

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


# ------------------------------------------------------------------------------ templates


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
        text = ""
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


def _cell(
    ws: Any,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    number_format: str | None = None,
    wrap: bool = False,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    if wrap:
        cell.alignment = _WRAP
    return cell


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


def _set_widths(ws: Any, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


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


def _header_width(text: str) -> int:
    return max(10, min(40, sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) + 4))


def template_workbook(kind: str) -> bytes:
    """The import template of ``kind`` as ``.xlsx`` bytes.

    Sheet 1 (the one an import reads): the Chinese headers in row 1 and one example row.
    Sheet "English": the English headers over the same example row (either header row is
    accepted). Sheet "说明 Help": what each column holds and how to write it. Raises
    :class:`~kaopei.facts.importing.UnknownKindError` for an unknown kind.
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


# --------------------------------------------------------------------------- error copies


def _safe_text(text: str) -> str:
    """Text Excel accepts: no control characters, not longer than a cell holds."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= EXCEL_MAX_CELL_CHARS else text[: EXCEL_MAX_CELL_CHARS - 1] + "…"


def _copy_cell(ws: Any, value: Any, fill: PatternFill | None = None) -> Any:
    """A cell of the uploaded file, copied: text stays text (never a formula or an Excel
    error), the reader's markers become their text. Unstyled ordinary values are returned
    as they are, which is much faster for openpyxl to write than a cell object."""
    if isinstance(value, Uncalculated | ExcelErrorValue):
        value = str(value)
    elif isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, str):
        value = _safe_text(value)
        as_text = value.startswith("=") or value in ERROR_CODES
    else:
        as_text = False
    if fill is None and not as_text:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=1+1" or "#N/A" from a CSV is text, not a formula or an error
    if fill is not None:
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

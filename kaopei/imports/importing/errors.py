"""The import pipeline's error types and the one table of their messages.

Every problem has a stable machine ``code`` (what tests, the API and the loader compare) and a
lazily translated message built from the code's template and its ``params``. Messages are
never rendered here, so the pure pipeline runs without Django settings; ``str()`` renders them
in the active language.

- :class:`ImportFileError` — the file as a whole cannot be read (raised by the readers, also
  while a table is being iterated).
- :class:`UnknownKindError` — an import kind that is not declared.
- :class:`CellError` — one cell's value is not acceptable (raised by the parsers).
- :class:`RowError` — a reported problem at a row (and column) of the file: a cell error, a
  cross-field rule, a duplicate key, or a header problem (row = the header's row). Warnings use
  the same type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# One message per code; placeholders are str.format fields filled from the error's params.
MESSAGES: dict[str, StrOrPromise] = {
    # The file as a whole.
    "file_too_large": _("The file is {size} MB, more than the limit of {limit} MB."),
    "xlsx_too_large": _("The Excel file unpacks to more than {limit} MB, which is too large."),
    "xlsx_ratio": _(
        "The Excel file was not opened: its part “{part}” unpacks to {ratio} times its packed "
        "size, more than the {limit} times a workbook may (it looks like a decompression bomb)."
    ),
    "xlsx_part_too_large": _(
        "The Excel file was not opened: its part “{part}” unpacks to {size} MB, more than the "
        "limit of {limit} MB for the texts, styles and other parts read at once. Save the "
        "sheet as CSV and import that."
    ),
    "xlsx_too_complex": _(
        "The Excel file was not opened: it holds more than {limit} texts, styles or other "
        "elements to read at once. Save the sheet as CSV and import that."
    ),
    "xlsx_cell_too_large": _(
        "The Excel worksheet holds a cell or tag of more than {limit} MB; a cell holds at most "
        "32,767 characters, so the file is damaged or hostile and was not read."
    ),
    "file_empty": _("The file is empty."),
    "file_not_found": _("The file “{filename}” does not exist or cannot be read."),
    "no_data_rows": _("The file has a header row but no data rows."),
    "unsupported_extension": _(
        "Only .csv and .xlsx files can be imported, and “{filename}” is neither. "
        "Save it from Excel as .xlsx or as CSV."
    ),
    "wrong_content": _(
        "The file is not what its extension says: “{filename}” is named .{ext} but contains "
        "{detected}."
    ),
    "encoding": _(
        "The file's text encoding was not recognised (tried {tried}). "
        "Save it from Excel as “CSV UTF-8”."
    ),
    "encoding_unsupported": _(
        "The file is encoded as {encoding}, which cannot be imported. "
        "Save it from Excel as “CSV UTF-8”."
    ),
    "decode_failed": _(
        "The file is not valid {encoding} text near row {row}; it is damaged or mixes encodings."
    ),
    "malformed_csv": _(
        "The CSV file is malformed near row {row}: a field is too long or its quotes are "
        "unbalanced."
    ),
    "xlsx_corrupt": _("The Excel file is damaged or is not a valid .xlsx workbook."),
    "no_sheet": _("The Excel workbook has no worksheet."),
    "unknown_kind": _("“{kind}” is not an import kind. The kinds are: {kinds}."),
    # The header row.
    "missing_column": _("The required column {column} is missing."),
    "duplicate_column": _("The column {column} appears twice: “{first}” and “{second}”."),
    "unit_unknown": _(
        "The header “{header}” has the unit “{unit}”; only 元, 小时, 天 and % are accepted. "
        "Convert the values instead of changing the unit."
    ),
    "unit_mismatch": _(
        "The header “{header}” has the unit “{unit}”, but {column} is in {expected}. "
        "Convert the values instead of changing the unit."
    ),
    "unit_not_allowed": _("The header “{header}” has the unit “{unit}”, but {column} has no unit."),
    "unknown_column": _("The column “{header}” is not part of this import and is ignored."),
    # One cell.
    "required": _("A value is required."),
    "extra_cell": _("This cell (column {position}) has a value but its column has no header."),
    "formula_without_value": _(
        "The cell holds a formula without a calculated value; open and save the file in Excel."
    ),
    "excel_error": _("The cell holds the Excel error {error}."),
    "invalid_date": _(
        "This is not a date. Use a date such as 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日."
    ),
    "date_has_time": _("A date is expected, but the value has a time of day."),
    "date_out_of_range": _("The year {year} is outside the supported range 1900–2999."),
    "invalid_datetime": _(
        "This is not a date and time. Use for example 2026-03-05 14:30 or "
        "2026-03-05T14:30:00+08:00."
    ),
    "invalid_bool": _("This is not a yes/no value. Use true/false, yes/no, y/n, 1/0 or 是/否."),
    "invalid_number": _("This is not a number."),
    "scientific_notation": _(
        "The value is in scientific notation, as Excel shows a number that is too long for its "
        "cell; format the column as plain numbers or text and save again."
    ),
    "number_too_large": _("The number is too large."),
    "too_many_decimals": _("At most {places} decimal places are allowed."),
    "negative": _("The amount cannot be negative."),
    "out_of_range": _("The value must be {range}."),
    "not_integer": _("A whole number is expected."),
    "invalid_key": _("This is not a valid code: a code is text or a whole number on one line."),
    "too_long": _("The text has {length} characters; at most {max} are allowed."),
    "invalid_choice": _("“{value}” is not an allowed value. Use one of: {choices}."),
    "invalid_email": _("This is not a valid e-mail address."),
    "invalid_cycle": _(
        "This is not a cycle code. Use YYYYQn for a quarter (2026Q1) or YYYY for a year (2026)."
    ),
    # Rules across cells and rows.
    "required_when": _("{column} is required when {other} is {value}."),
    "date_order": _("{column} ({value}) is before {other} ({other_value})."),
    "must_differ": _("{column} cannot be the same as {other}."),
    "duplicate_key": _("The key {key} also appears in row {other_row}."),
    "inconsistent_value": _(
        "{column} is “{value}” here but “{other_value}” in row {other_row} for the same "
        "{group} “{group_value}”."
    ),
}

# Phrases used inside messages (``{range}``, ``{detected}``, ``{expected}``).
RANGE_BETWEEN = _("between {min} and {max}")
RANGE_AT_LEAST = _("at least {min}")
RANGE_GREATER_THAN = _("greater than {min}")
RANGE_AT_MOST = _("at most {max}")
DETECTED_XLSX = _("an Excel workbook (.xlsx)")
DETECTED_XLS = _("an old-style Excel workbook (.xls) or another Office document")
DETECTED_ZIP = _("a ZIP archive that is not an Excel workbook")
DETECTED_PDF = _("a PDF document")
DETECTED_IMAGE = _("an image")
DETECTED_BINARY = _("binary data, not text")
DETECTED_TEXT = _("plain text (perhaps a CSV file)")


def message_for(code: str, params: Mapping[str, object]) -> StrOrPromise:
    """The lazily translated message of ``code`` with ``params`` filled in.

    Raises ``KeyError`` for a code that has no message (a programming error).
    """
    return format_lazy(MESSAGES[code], **params)


def _render(code: str, params: Mapping[str, object]) -> str:
    """Render for logs and tracebacks; falls back to the code when Django is not set up."""
    try:
        return str(message_for(code, params))
    except Exception:  # ImproperlyConfigured without settings; never hide the real error
        return f"{code} {dict(params)!r}"


class ImportPipelineError(Exception):
    """Base of the pipeline's own exceptions: ``code`` plus ``params`` for the message."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"no message for import error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params: dict[str, object] = params

    @property
    def message(self) -> StrOrPromise:
        """The translatable message (lazy; rendered by ``str()``)."""
        return message_for(self.code, self.params)

    def __str__(self) -> str:
        return _render(self.code, self.params)


class ImportFileError(ImportPipelineError):
    """The file cannot be imported at all (size, type, encoding, structure)."""


class UnknownKindError(ImportPipelineError):
    """The import kind is not one of the declared kinds."""


class CellError(ImportPipelineError):
    """One cell's value is refused; raised by the parsers, caught and reported per row."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem reported at ``row`` (the spreadsheet row number; the header is row 1).

    ``column`` is the English column name (``"a+b"`` for a composite key, ``""`` for a cell
    without a column), ``value`` the cell as text (truncated), ``reason`` the lazily translated
    message, ``code`` the stable machine code, ``params`` what fills the message, and
    ``header`` the column's header as written in the file when there is one. Equality and
    ``repr`` ignore the lazy parts, so comparing and printing never needs translations.
    """

    row: int
    column: str
    value: str
    reason: StrOrPromise = field(compare=False, repr=False)
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    header: str = ""

    @classmethod
    def of(
        cls,
        code: str,
        params: Mapping[str, object] | None = None,
        *,
        row: int,
        column: str = "",
        value: str = "",
        header: str = "",
    ) -> RowError:
        """Build a row error from a code and the params of its message."""
        params = dict(params or {})
        return cls(row, column, value, message_for(code, params), code, params, header)

    @classmethod
    def from_exception(
        cls,
        error: ImportPipelineError,
        *,
        row: int,
        column: str = "",
        value: str = "",
        header: str = "",
    ) -> RowError:
        """Attach a raised pipeline error (usually a :class:`CellError`) to a row."""
        return cls(row, column, value, error.message, error.code, error.params, header)

    def as_dict(self) -> dict[str, object]:
        """JSON-able form for reports (renders the message in the active language)."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": str(self.reason),
            "code": self.code,
        }

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {_render(self.code, self.params)}"

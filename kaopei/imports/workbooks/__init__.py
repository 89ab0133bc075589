"""Excel workbooks of the import pages: templates to fill in and annotated error copies.

- :func:`template_workbook` — for one import kind, an ``.xlsx`` whose first sheet imports as
  is (Chinese headers in row 1, one example row), a sheet "English" with the English headers
  over the same example row, and a sheet "说明 Help" describing every column. Everything is
  derived from the kind's declaration (:mod:`kaopei.imports.importing.kinds`), so a new kind
  gets a template without code here; :data:`EXAMPLES` only makes the example row read well.
- :func:`error_workbook` — a copy of a batch's uploaded file (csv or xlsx) as ``.xlsx`` with
  a last column "错误 / Errors" holding the messages of each row, the rows in error
  highlighted, and a second sheet listing every error. Row numbers are kept, so "row 7" in
  the report is row 7 in the copy.

Help texts are rendered in the active language; column names are always shown in both.

Where things live:

- :mod:`.templates` — the templates (:func:`template_workbook`, the help sheet, the
  dropdowns, :func:`example_value`);
- :mod:`.kind_content` — what the templates say about each kind (:data:`KIND_DESCRIPTIONS`,
  :data:`KIND_NOTES`, :data:`EXAMPLES`);
- :mod:`.errors` — the error copies (:func:`error_workbook`, :func:`stored_table`, the error
  list sheet);
- :mod:`.styles` — what both share: Excel's limits, fills and fonts, small cell helpers.

This package re-exports the public names; patch a setting such as
:data:`ERROR_COPY_FULL_ROWS` in the submodule that reads it
(``kaopei.imports.workbooks.errors``), not here.
"""

from kaopei.imports.workbooks.errors import (
    ERROR_COPY_FULL_ROWS,
    ERROR_HEADER,
    ERROR_LIST_SHEET,
    ROW_HEADER,
    error_workbook,
    stored_table,
)
from kaopei.imports.workbooks.kind_content import EXAMPLES, KIND_DESCRIPTIONS, KIND_NOTES
from kaopei.imports.workbooks.styles import (
    EXCEL_MAX_CELL_CHARS,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    XLSX_CONTENT_TYPE,
)
from kaopei.imports.workbooks.templates import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    ENGLISH_SHEET,
    HELP_SHEET,
    example_value,
    kind_description,
    template_filename,
    template_workbook,
)

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "ENGLISH_SHEET",
    "ERROR_COPY_FULL_ROWS",
    "ERROR_HEADER",
    "ERROR_LIST_SHEET",
    "EXAMPLES",
    "EXCEL_MAX_CELL_CHARS",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "HELP_SHEET",
    "KIND_DESCRIPTIONS",
    "KIND_NOTES",
    "ROW_HEADER",
    "XLSX_CONTENT_TYPE",
    "error_workbook",
    "example_value",
    "kind_description",
    "stored_table",
    "template_filename",
    "template_workbook",
]

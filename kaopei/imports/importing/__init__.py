"""The pure half of the one import pipeline (DESIGN.md §4.2 ⚑): no database access.

    table = open_table(path_or_file, filename)        # readers: csv / xlsx → rows
    result = parse_rows(table, "employees", tz)       # header mapping, cell parsing, rules
    if result.ok: ... a loader writes result.rows ... else: report result.errors

For big files a loader can stream instead: ``stream = RowStream(table, spec, tz)``, consume
``chunked(stream, n)``, and write nothing unless ``stream.errors`` is empty at the end.
Every problem has a stable ``code``; messages are lazily translated.
"""

from .cells import CellValue, ExcelErrorValue, Uncalculated
from .columns import (
    ACCEPTED_UNITS,
    Column,
    HeaderMap,
    KindSpec,
    ParseContext,
    RowRule,
    Violation,
    guess_kind,
    map_headers,
    split_header,
)
from .errors import (
    MESSAGES,
    CellError,
    ImportFileError,
    ImportPipelineError,
    RowError,
    UnknownKindError,
)
from .kinds import KINDS, SPECS, get_spec
from .parsers import DEFAULT_TZ, Choices
from .readers import check_upload, max_file_bytes, open_table
from .table import Row, Table, table_from_rows
from .validate import ParsedRow, ParseResult, RowStream, chunked, parse_rows

__all__ = [
    "ACCEPTED_UNITS",
    "DEFAULT_TZ",
    "KINDS",
    "MESSAGES",
    "SPECS",
    "CellError",
    "CellValue",
    "Choices",
    "Column",
    "ExcelErrorValue",
    "HeaderMap",
    "ImportFileError",
    "ImportPipelineError",
    "KindSpec",
    "ParseContext",
    "ParseResult",
    "ParsedRow",
    "Row",
    "RowError",
    "RowRule",
    "RowStream",
    "Table",
    "Uncalculated",
    "UnknownKindError",
    "Violation",
    "check_upload",
    "chunked",
    "get_spec",
    "guess_kind",
    "map_headers",
    "max_file_bytes",
    "open_table",
    "parse_rows",
    "split_header",
    "table_from_rows",
]

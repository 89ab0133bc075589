"""A table: a file's header and a single-use stream of its data rows.

Readers (:mod:`.readers`, :mod:`.xlsx`) produce numbered records; :func:`start_table` finds
the header (the first non-blank row) and the first data row, so an empty or header-only file
fails at once, and streams the rest. Blank rows are skipped but keep their numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .cells import CellValue, row_is_blank, shown
from .errors import ImportFileError

Record = tuple[int, tuple[CellValue, ...]]


@dataclass(frozen=True, slots=True)
class Row:
    """One non-blank data row: its spreadsheet row number and its cells (may be ragged)."""

    number: int
    cells: tuple[CellValue, ...]


class Table:
    """A file's header and a single-use stream of its non-blank data rows.

    ``header`` holds the header texts (trimmed, trailing blanks dropped) from row
    ``header_row``. Iterate once; close it (or use ``with``) to release the file when not
    iterating to the end. ``format`` is ``csv``, ``xlsx`` or ``rows`` (built in memory);
    ``encoding`` and ``delimiter`` describe a CSV.
    """

    def __init__(
        self,
        *,
        filename: str,
        format: str,
        header: tuple[str, ...],
        header_row: int,
        rows: Iterator[Row],
        close: Callable[[], None],
        encoding: str | None = None,
        delimiter: str | None = None,
    ) -> None:
        self.filename = filename
        self.format = format
        self.header = header
        self.header_row = header_row
        self.encoding = encoding
        self.delimiter = delimiter
        self._rows = rows
        self._close = close
        self._iterated = False

    def __iter__(self) -> Iterator[Row]:
        if self._iterated:
            raise RuntimeError("a Table's rows can be read only once")
        self._iterated = True
        return self._rows

    def close(self) -> None:
        """Release the file (idempotent)."""
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Table {self.filename!r} {self.format} header={self.header!r}>"


def table_from_rows(
    header: Sequence[CellValue], rows: Iterable[Sequence[CellValue]], *, filename: str = ""
) -> Table:
    """A Table over in-memory rows (API payloads, tests): ``header`` is row 1, then 2, 3 …

    Blank rows are skipped but counted, as in a file; ``file_empty`` / ``no_data_rows`` apply.
    """
    records = (
        (number, tuple(cells))
        for number, cells in enumerate(itertools.chain([header], rows), start=1)
    )
    return start_table(filename, "rows", records, lambda: None)


def _header_text(value: CellValue) -> str:
    return value.strip() if isinstance(value, str) else shown(value).strip()


def _next_nonblank(records: Iterator[Record]) -> Record | None:
    for record in records:
        if not row_is_blank(record[1]):
            return record
    return None


def start_table(
    filename: str,
    format: str,
    records: Iterator[Record],
    release: Callable[[], None],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Read the header and the first data row (so empty files fail now), then stream.

    The stream releases the file when it ends or fails; ``Table.close()`` releases it too.
    """
    closed = False

    def close() -> None:
        nonlocal closed
        if not closed:
            closed = True
            getattr(records, "close", lambda: None)()
            release()

    try:
        header_record = _next_nonblank(records)
        if header_record is None:
            raise ImportFileError("file_empty")
        first = _next_nonblank(records)
        if first is None:
            raise ImportFileError("no_data_rows")
    except BaseException:
        close()
        raise
    header = [_header_text(cell) for cell in header_record[1]]
    while header and not header[-1]:
        header.pop()

    def stream() -> Generator[Row, None, None]:
        try:
            yield Row(*first)
            for number, cells in records:
                if not row_is_blank(cells):
                    yield Row(number, cells)
        finally:
            close()

    rows = stream()

    def close_all() -> None:
        rows.close()
        close()

    return Table(
        filename=filename,
        format=format,
        header=tuple(header),
        header_row=header_record[0],
        rows=rows,
        close=close_all,
        encoding=encoding,
        delimiter=delimiter,
    )

"""Rows of a Table → parsed, validated rows plus every error (DESIGN.md §4.2 ⚑).

:class:`RowStream` is the streaming core: it maps the header once, then yields each row that
is valid as a :class:`ParsedRow` while collecting every :class:`RowError` (cell errors, row
rules, duplicate keys within the file, inconsistent groups, values under no header). A loader
can consume it in chunks (:func:`chunked`) and must write nothing if ``stream.errors`` is not
empty at the end. :func:`parse_rows` is the same, collected into a :class:`ParseResult`.

A parsed row holds the columns present in the file (spec order), keyed by English name: a
blank cell gives the column's default (``None`` unless declared); a column absent from the
file is absent from the row, so a loader can leave such a field untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from . import fast as fast_paths
from .cells import is_blank, shown
from .columns import (
    Column,
    HeaderMap,
    KindSpec,
    ParseContext,
    as_amount,
    as_bool,
    as_choice,
    as_date,
    as_datetime,
    as_decimal,
    as_int,
    as_key,
    as_text,
    map_headers,
)
from .errors import CellError, RowError
from .fast import MISS, StrParser
from .kinds import get_spec
from .parsers import DEFAULT_TZ
from .table import Row, Table

T = TypeVar("T")


class ParsedRow(Mapping[str, Any]):
    """One valid row: ``row`` (its spreadsheet number) and its values by column name.

    Compact: the column names are shared by all rows of a file; only values are per row.
    """

    __slots__ = ("row", "_index", "_values")

    def __init__(self, row: int, index: Mapping[str, int], values: tuple[Any, ...]) -> None:
        self.row = row
        self._index = index
        self._values = values

    def __getitem__(self, name: str) -> Any:
        return self._values[self._index[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    @property
    def parsed(self) -> tuple[Any, ...]:
        """The values in column order (``RowStream.columns``), for loaders' hot loops."""
        return self._values

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self._index, self._values, strict=True))

    def __repr__(self) -> str:
        return f"ParsedRow({self.row}, {self.as_dict()!r})"


def str_parser(column: Column, ctx: ParseContext) -> StrParser | None:
    """The fast path of ``column`` for a str cell (see :mod:`.fast`), if it has one.

    It returns the value ``column.parse`` would, or ``MISS`` for any text outside the
    everyday shapes (blanks included), which then goes through ``column.parse``.
    """
    parser = column.parser
    if parser is as_key:
        return fast_paths.fast_key(column.max_length)
    if parser is as_text:
        return fast_paths.fast_text(column.max_length)
    if parser is as_date:
        return fast_paths.fast_date()
    if parser is as_datetime:
        return fast_paths.fast_datetime(ctx.tz)
    if parser is as_decimal:
        return fast_paths.fast_decimal(
            column.minimum, column.maximum, column.min_exclusive, column.decimal_places
        )
    if parser is as_amount:
        return fast_paths.fast_amount(column.maximum, column.decimal_places)
    if parser is as_int:
        low = None if column.minimum is None else int(column.minimum)
        high = None if column.maximum is None else int(column.maximum)
        return fast_paths.fast_int(low, high)
    if parser is as_choice and column.choices is not None:
        return fast_paths.fast_choice(column.choices)
    if parser is as_bool:
        return fast_paths.fast_bool()
    return None


class RowStream:
    """Parse ``table`` as ``spec`` row by row (single use).

    ``errors`` starts with the header errors and grows while iterating; ``warnings`` holds
    the header warnings; ``rows_read`` counts the non-blank data rows seen and ``last_row`` is
    the number of the last one (blank rows in between were skipped). Iterating yields
    only rows without errors. :class:`~.errors.ImportFileError` from the reader propagates.
    """

    def __init__(
        self,
        table: Table,
        spec: KindSpec,
        tz: ZoneInfo = DEFAULT_TZ,
        *,
        on_invalid: Callable[[ParsedRow, frozenset[str]], None] | None = None,
    ) -> None:
        self.table = table
        # Told about each row that had errors: the row (``None`` for its failed cells) and
        # the columns whose cells failed — so a loader can still check its other cells.
        self.on_invalid = on_invalid
        self.spec = spec
        self.context = ParseContext(tz)
        self.header: HeaderMap = map_headers(table.header, spec, row=table.header_row)
        self.errors: list[RowError] = list(self.header.errors)
        self.warnings: list[RowError] = list(self.header.warnings)
        self.rows_read = 0
        self.last_row = table.header_row  # the number of the last data row read
        present = [c for c in spec.columns if c.name in self.header.positions]
        self.columns: tuple[str, ...] = tuple(c.name for c in present)
        self._cells: list[tuple[Column, int, str, StrParser | None]] = [
            (
                c,
                self.header.positions[c.name],
                self.header.headers[c.name],
                str_parser(c, self.context),
            )
            for c in present
        ]
        self._index = {name: i for i, name in enumerate(self.columns)}
        self._check_keys = all(name in self._index for name in spec.key)
        self._key_positions = tuple(self._index.get(name, -1) for name in spec.key)
        # A one-column key is stored as itself, not as a 1-tuple (memory on big files).
        self._keys: dict[Any, int] = {}
        self._by_name_needed = bool(spec.rules or spec.consistent)
        self._groups: dict[tuple[str, Any], tuple[int, tuple[Any, ...]]] = {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def __iter__(self) -> Iterator[ParsedRow]:
        for row in self.table:
            self.rows_read += 1
            self.last_row = row.number
            parsed = self._parse(row)
            if parsed is not None:
                yield parsed

    def _error(self, row: int, code: str, params: Mapping[str, object], **where: str) -> None:
        self.errors.append(RowError.of(code, params, row=row, **where))

    def _parse(self, row: Row) -> ParsedRow | None:
        before = len(self.errors)
        cells = row.cells
        size = len(cells)
        context = self.context
        values: list[Any] = []
        append = values.append
        failed: set[str] | None = None
        for column, position, header, fast in self._cells:
            raw = cells[position] if position < size else None
            try:
                if fast is not None and type(raw) is str:
                    value = fast(raw)
                    if value is MISS:
                        value = column.parse(raw, context)
                else:
                    value = column.parse(raw, context)
            except CellError as error:
                if failed is None:
                    failed = set()
                failed.add(column.name)
                append(None)
                self.errors.append(
                    RowError.from_exception(
                        error, row=row.number, column=column.name, value=shown(raw), header=header
                    )
                )
            else:
                append(value)
        if self.header.unheaded or size > self.header.width:
            self._unheaded_cells(row)
        by_name: dict[str, Any] | None = None
        if self._by_name_needed:
            by_name = dict(zip(self.columns, values, strict=True))
            for rule in self.spec.rules:
                if failed is None or failed.isdisjoint(rule.columns):
                    for found in rule.check(by_name, self.spec):
                        self._error(
                            row.number,
                            found.code,
                            found.params,
                            column=found.column,
                            value=shown(by_name.get(found.column)),
                            header=self.header.headers.get(found.column, ""),
                        )
        if self._check_keys and (failed is None or failed.isdisjoint(self.spec.key)):
            positions = self._key_positions
            if len(positions) == 1:
                self._duplicate_key(row.number, values[positions[0]], single=True)
            else:
                self._duplicate_key(row.number, tuple(values[i] for i in positions))
        if by_name is not None:
            self._consistency(row.number, by_name, failed or set())
        if len(self.errors) > before:
            if self.on_invalid is not None:
                self.on_invalid(
                    ParsedRow(row.number, self._index, tuple(values)), frozenset(failed or ())
                )
            return None
        return ParsedRow(row.number, self._index, tuple(values))

    def _unheaded_cells(self, row: Row) -> None:
        width = self.header.width
        if not self.header.unheaded and len(row.cells) <= width:
            return
        positions = [*self.header.unheaded, *range(width, len(row.cells))]
        for position in positions:
            if position < len(row.cells) and not is_blank(row.cells[position]):
                self._error(
                    row.number,
                    "extra_cell",
                    {"position": _column_letter(position)},
                    value=shown(row.cells[position]),
                )

    def _duplicate_key(self, number: int, key: Any, *, single: bool = False) -> None:
        first = self._keys.setdefault(key, number)
        if first != number:
            parts = (key,) if single else key
            self._error(
                number,
                "duplicate_key",
                {"key": " / ".join(shown(part) for part in parts), "other_row": first},
                column="+".join(self.spec.key),
                value=" / ".join(shown(p) for p in parts),
            )

    def _consistency(self, number: int, by_name: Mapping[str, Any], failed: set[str]) -> None:
        for group, columns in self.spec.consistent:
            names = [c for c in columns if c in by_name]
            if group not in by_name or group in failed or not failed.isdisjoint(names):
                continue
            mine = tuple(by_name[c] for c in names)
            first_row, theirs = self._groups.setdefault((group, by_name[group]), (number, mine))
            for name, value, other in zip(names, mine, theirs, strict=True):
                if value != other:
                    self._error(
                        number,
                        "inconsistent_value",
                        {
                            "column": self.spec.column(name).label,
                            "value": shown(value),
                            "other_value": shown(other),
                            "other_row": first_row,
                            "group": self.spec.column(group).label,
                            "group_value": shown(by_name[group]),
                        },
                        column=name,
                        value=shown(value),
                    )


def _column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass
class ParseResult:
    """Everything :func:`parse_rows` found.

    ``rows`` are the valid rows (empty when ``keep_rows`` was false); ``errors`` every error
    (header ones first, then by row); ``warnings`` the header warnings; ``columns`` the kind's
    columns present in the file; ``rows_read`` the non-blank data rows.
    """

    kind: str
    columns: tuple[str, ...]
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_rows(
    table: Table, spec: KindSpec | str, tz: ZoneInfo = DEFAULT_TZ, *, keep_rows: bool = True
) -> ParseResult:
    """Parse and validate every row of ``table`` as ``spec`` (a KindSpec or a kind name).

    Never stops at the first problem. Raises :class:`~.errors.UnknownKindError` for an
    unknown kind name and :class:`~.errors.ImportFileError` when the file cannot be read to
    the end; every other problem is in the result. Closes the table.
    """
    if isinstance(spec, str):
        spec = get_spec(spec)
    with table:
        stream = RowStream(table, spec, tz)
        rows: list[ParsedRow] = []
        for parsed in stream:
            if keep_rows:
                rows.append(parsed)
    return ParseResult(
        kind=spec.kind,
        columns=stream.columns,
        rows=rows,
        errors=stream.errors,
        warnings=stream.warnings,
        rows_read=stream.rows_read,
    )


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order (for loaders writing in batches)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk

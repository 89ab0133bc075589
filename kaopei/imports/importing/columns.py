"""Column and kind declarations, header mapping and cross-field rules (DESIGN.md §4.2 ⚑).

A kind is plain data: a :class:`KindSpec` lists its :class:`Column` s in file order, its key
columns, its row rules and its within-file consistency groups. Each app declares its kinds
(``kaopei/<app>/import_kinds.py``) and registers them with their loaders
(:mod:`kaopei.imports.registry`); :mod:`.kinds` holds the registered specs.

Headers are matched to columns by English name or Chinese alias, ignoring case, spaces,
underscores, full-width forms and a trailing unit in brackets (``(元)``, ``（元）``,
``[元]``, ``【元】``). Only the units 元, 小时, 天 and % are accepted, and a column that
declares its unit accepts only that one, so values are never silently rescaled.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from . import parsers
from .cells import CellValue, is_blank
from .errors import CellError, RowError
from .parsers import DEFAULT_TZ, Choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACCEPTED_UNITS = frozenset({"元", "小时", "天", "%"})
NO_UNIT = ""  # Column.unit for a column whose header may carry no unit at all (a fraction)

_UNIT_RE = re.compile(r"[(\[【〔]\s*(?P<unit>[^()\[\]【】〔〕]*?)\s*[)\]】〕]\s*$")
_IGNORED_IN_NAMES_RE = re.compile(r"[\s_]+")


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What parsing needs beyond the cell: the organisation's time zone."""

    tz: ZoneInfo = DEFAULT_TZ


CellParser = Callable[[CellValue, "Column", ParseContext], Any]


@dataclass(frozen=True)
class Column:
    """One column of a kind.

    ``required`` columns must be in the header; their cells must not be blank unless
    ``allow_blank`` says so (``org_units.parent_code``: blank = a root unit). A blank cell in a
    column that allows blanks parses to ``default`` (``None`` unless declared). The remaining
    fields parameterise ``parser``: ``choices`` (enums), ``minimum``/``maximum``/
    ``min_exclusive`` (numbers), ``allow_negative`` (amounts), ``decimal_places``,
    ``max_length`` (text and codes). ``unit`` is the only header unit the column accepts
    (``None``: any accepted unit; :data:`NO_UNIT`: none); ``aliases`` are extra header names.
    """

    name: str
    zh: str
    parser: CellParser
    required: bool = True
    choices: Choices | None = None
    allow_blank: bool | None = None
    default: Any = None
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    min_exclusive: bool = False
    allow_negative: bool = False
    decimal_places: int | None = None
    max_length: int | None = None
    unit: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def blank_ok(self) -> bool:
        """Whether a blank cell is accepted (and parses to ``default``)."""
        return (not self.required) if self.allow_blank is None else self.allow_blank

    @property
    def label(self) -> str:
        """``closed_on (关闭日期)`` — how messages name the column."""
        return f"{self.name} ({self.zh})"

    @property
    def header_names(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)

    def parse(self, value: CellValue, ctx: ParseContext) -> Any:
        """The cell's Python value; raises :class:`CellError` (``required`` for a bad blank)."""
        if is_blank(value):
            if self.blank_ok:
                return self.default
            raise CellError("required")
        return self.parser(value, self, ctx)


# Column parsers: adapt the pure parsers to a column's declared options.


def as_key(value: CellValue, column: Column, ctx: ParseContext) -> str:
    return parsers.parse_key(value, max_length=column.max_length)


def as_text(value: CellValue, column: Column, ctx: ParseContext) -> str:
    return parsers.parse_text(value, max_length=column.max_length)


def as_email(value: CellValue, column: Column, ctx: ParseContext) -> str:
    return parsers.parse_email(value, max_length=column.max_length)


def as_cycle(value: CellValue, column: Column, ctx: ParseContext) -> str:
    return parsers.parse_cycle(value)


def as_date(value: CellValue, column: Column, ctx: ParseContext) -> date:
    return parsers.parse_date(value)


def as_datetime(value: CellValue, column: Column, ctx: ParseContext) -> Any:
    return parsers.parse_datetime(value, ctx.tz)


def as_bool(value: CellValue, column: Column, ctx: ParseContext) -> bool:
    return parsers.parse_bool(value)


def as_int(value: CellValue, column: Column, ctx: ParseContext) -> int:
    low = None if column.minimum is None else int(column.minimum)
    high = None if column.maximum is None else int(column.maximum)
    return parsers.parse_int(value, minimum=low, maximum=high)


def as_decimal(value: CellValue, column: Column, ctx: ParseContext) -> Decimal:
    return parsers.parse_decimal(
        value,
        minimum=column.minimum,
        maximum=column.maximum,
        min_exclusive=column.min_exclusive,
        decimal_places=column.decimal_places,
    )


def as_amount(value: CellValue, column: Column, ctx: ParseContext) -> Decimal:
    return parsers.parse_amount(
        value,
        allow_negative=column.allow_negative,
        maximum=column.maximum,
        decimal_places=column.decimal_places,
    )


def as_choice(value: CellValue, column: Column, ctx: ParseContext) -> str:
    assert column.choices is not None  # KindSpec checks this at declaration
    return parsers.parse_choice(value, column.choices)


def as_choice_list(value: CellValue, column: Column, ctx: ParseContext) -> tuple[str, ...]:
    assert column.choices is not None
    return parsers.parse_choice_list(value, column.choices)


# Row rules: pure checks on one row's parsed values.


@dataclass(frozen=True, slots=True)
class Violation:
    """A row rule's finding, reported on ``column`` with message ``code`` and ``params``."""

    column: str
    code: str
    params: dict[str, object]


RuleCheck = Callable[[Mapping[str, Any], "KindSpec"], Iterator[Violation]]


@dataclass(frozen=True)
class RowRule:
    """A cross-field check over ``columns``.

    It runs only when none of those columns had a cell error; a column absent from the file
    reads as ``None``.
    """

    columns: tuple[str, ...]
    check: RuleCheck


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def not_before(column: str, other: str) -> RowRule:
    """``column`` (a date) may not be earlier than ``other``; blanks pass."""

    def check(values: Mapping[str, Any], spec: KindSpec) -> Iterator[Violation]:
        later, earlier = values.get(column), values.get(other)
        if later is not None and earlier is not None and later < earlier:
            yield Violation(
                column,
                "date_order",
                {
                    "column": spec.column(column).label,
                    "value": _shown(later),
                    "other": spec.column(other).label,
                    "other_value": _shown(earlier),
                },
            )

    return RowRule((column, other), check)


def required_when(column: str, other: str, values_: tuple[str, ...]) -> RowRule:
    """``column`` must have a value when ``other`` is one of ``values_``."""

    def check(values: Mapping[str, Any], spec: KindSpec) -> Iterator[Violation]:
        if values.get(other) in values_ and values.get(column) is None:
            yield Violation(
                column,
                "required_when",
                {
                    "column": spec.column(column).label,
                    "other": spec.column(other).label,
                    "value": values[other],
                },
            )

    return RowRule((column, other), check)


def differs_from(column: str, other: str) -> RowRule:
    """``column`` may not equal ``other`` (a supervisor is not their own supervisor)."""

    def check(values: Mapping[str, Any], spec: KindSpec) -> Iterator[Violation]:
        value = values.get(column)
        if value is not None and value == values.get(other):
            yield Violation(
                column,
                "must_differ",
                {
                    "column": spec.column(column).label,
                    "other": spec.column(other).label,
                },
            )

    return RowRule((column, other), check)


# Kinds.


def normalise_name(text: str) -> str:
    """A header or column name for matching: NFKC, no spaces or underscores, case-folded."""
    return _IGNORED_IN_NAMES_RE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def split_header(text: str) -> tuple[str, str | None]:
    """``" 金额（元）"`` → ``("金额", "元")``: the normalised name and the trailing unit."""
    text = unicodedata.normalize("NFKC", text).strip()
    unit = None
    match = _UNIT_RE.search(text)
    if match is not None and match.start() > 0:
        unit = match["unit"].strip() or None
        text = text[: match.start()]
    return normalise_name(text), unit


@dataclass(frozen=True)
class KindSpec:
    """One import kind: its columns in file order, key, label, rules and consistency groups.

    ``consistent`` pairs a grouping column with columns that must agree across all rows of
    the file sharing its value (``("template", ("level", "cycle_kind"))``).
    """

    kind: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    label: StrOrPromise = ""
    rules: tuple[RowRule, ...] = ()
    consistent: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)
    _by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Column] = {}
        by_header: dict[str, Column] = {}
        for column in self.columns:
            if column.name in by_name:
                raise ValueError(f"{self.kind}: column {column.name} declared twice")
            by_name[column.name] = column
            for name in column.header_names:
                if by_header.setdefault(normalise_name(name), column) is not column:
                    raise ValueError(f"{self.kind}: header name {name!r} is ambiguous")
            if column.parser in (as_choice, as_choice_list) and column.choices is None:
                raise ValueError(f"{self.kind}: {column.name} needs choices")
        for name in self.key:
            if name not in by_name or by_name[name].blank_ok:
                raise ValueError(f"{self.kind}: key column {name} must be a required column")
        names = set(by_name)
        referenced = {n for rule in self.rules for n in rule.columns}
        referenced |= {name for group, cols in self.consistent for name in (group, *cols)}
        if not referenced <= names:
            raise ValueError(f"{self.kind}: rules name unknown columns {referenced - names}")
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_header", by_header)

    @property
    def column_names(self) -> tuple[str, ...]:
        """English column names in file order (also the order of export templates)."""
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        """The column called ``name``; ``KeyError`` if there is none."""
        return self._by_name[name]

    def match_header(self, normalised: str) -> Column | None:
        """The column a normalised header names (see :func:`split_header`), if any."""
        return self._by_header.get(normalised)

    def key_of(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The row's key tuple, in key order."""
        return tuple(values[name] for name in self.key)


@dataclass
class HeaderMap:
    """How a file's header row maps to a kind's columns.

    ``positions`` gives each column's cell index; ``headers`` its header as written;
    ``unheaded`` the cell indices within ``width`` whose header is blank (a value there is a
    row error). ``errors`` and ``warnings`` are reported at the header's row.
    """

    positions: dict[str, int]
    headers: dict[str, str]
    unheaded: tuple[int, ...]
    width: int
    errors: list[RowError]
    warnings: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _unit_error(column: Column, header: str, unit: str, row: int) -> RowError | None:
    params = {"header": header, "unit": unit, "column": column.label}
    if unit not in ACCEPTED_UNITS:
        code = "unit_unknown"
    elif column.unit == NO_UNIT:
        code = "unit_not_allowed"
    elif column.unit is not None and unit != column.unit:
        code = "unit_mismatch"
        params["expected"] = column.unit
    else:
        return None
    return RowError.of(code, params, row=row, column=column.name, value=header, header=header)


def map_headers(headers: Sequence[str], spec: KindSpec, *, row: int = 1) -> HeaderMap:
    """Map header texts to ``spec``'s columns and report every header problem at once.

    Errors: ``missing_column`` (one per missing required column), ``duplicate_column`` (the
    later copy is ignored), ``unit_unknown`` / ``unit_mismatch`` / ``unit_not_allowed``.
    Warnings: ``unknown_column`` for each header that names no column (its cells are ignored).
    Blank headers are not reported, but values under them are (see :class:`HeaderMap`).
    """
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    unheaded: list[int] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for index, header in enumerate(headers):
        if not header.strip():
            unheaded.append(index)
            continue
        name, unit = split_header(header)
        column = spec.match_header(name)
        if column is None:
            warnings.append(
                RowError.of(
                    "unknown_column", {"header": header}, row=row, value=header, header=header
                )
            )
            continue
        if column.name in positions:
            errors.append(
                RowError.of(
                    "duplicate_column",
                    {"column": column.label, "first": written[column.name], "second": header},
                    row=row,
                    column=column.name,
                    value=header,
                    header=header,
                )
            )
            continue
        positions[column.name] = index
        written[column.name] = header
        if unit is not None:
            problem = _unit_error(column, header, unit, row)
            if problem is not None:
                errors.append(problem)
    for column in spec.columns:
        if column.required and column.name not in positions:
            errors.append(
                RowError.of("missing_column", {"column": column.label}, row=row, column=column.name)
            )
    return HeaderMap(positions, written, tuple(unheaded), len(headers), errors, warnings)


def guess_kind(
    headers: Sequence[str], specs: Mapping[str, KindSpec] | Iterable[KindSpec]
) -> str | None:
    """The kind whose columns ``headers`` match best, for an upload that names no kind.

    A kind qualifies when every one of its required columns is present; among those, the one
    with the most matched columns and the fewest unknown headers wins. ``None`` when no kind
    qualifies or two tie.
    """
    candidates = specs.values() if isinstance(specs, Mapping) else specs
    names = [split_header(header)[0] for header in headers if header.strip()]
    scores: list[tuple[int, str]] = []
    for spec in candidates:
        columns = [spec.match_header(name) for name in names]
        matched = {column.name for column in columns if column is not None}
        if not matched >= set(spec.required_columns):
            continue
        unknown = sum(1 for column in columns if column is None)
        scores.append((len(matched) - unknown, spec.kind))
    if not scores:
        return None
    scores.sort(reverse=True)
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        return None
    return scores[0][1]

"""Pure cell parsers (DESIGN.md §4.2 ⚑): a cell value in, a Python value out.

Each parser takes a non-blank cell as a reader yields it (text from CSV, native values from
xlsx, see :mod:`.cells`) and returns the parsed value or raises :class:`CellError` with a
stable code. Blank cells are the column layer's business (required or default), not theirs.
No database, no settings: the organisation's time zone is passed in.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import format_lazy

from kaopei.core.periods import PeriodCodeError, parse_period

from .cells import CellValue, ExcelErrorValue, Uncalculated
from .errors import RANGE_AT_LEAST, RANGE_AT_MOST, RANGE_BETWEEN, RANGE_GREATER_THAN, CellError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
MIN_YEAR, MAX_YEAR = 1900, 2999
NUMBER_LIMIT = Decimal(10) ** 15  # |value| below this (amounts fit DECIMAL(18, 2))
# Excel keeps 15 significant digits; a float cell is read as Excel shows it, so 0.1 stays
# 0.1 and a formula's 30.000000000000004 is 30.
EXCEL_DIGITS = 15

_DATE = r"(?P<y>[0-9]{4})\s*(?P<sep>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P=sep)\s*(?P<d>[0-9]{1,2})"
_CN_DATE = r"(?P<cy>[0-9]{4})\s*年\s*(?P<cm>[0-9]{1,2})\s*月\s*(?P<cd>[0-9]{1,2})\s*日"
_TIME = (
    r"(?:(?:\s*T\s*|\s+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})"
    r"(?::(?P<S>[0-9]{2})(?:[.,](?P<F>[0-9]{1,6}))?)?"
    r"\s*(?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DATETIME_RE = re.compile(rf"(?:{_DATE}|{_CN_DATE}){_TIME}", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED_NUMBER_RE = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_SCIENTIFIC_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)E[+-]?[0-9]+", re.IGNORECASE)
# How Excel writes a long number it had to shorten: 1.23457E+11, 1E+15.
_EXCEL_SHORTENED_RE = re.compile(r"[0-9](?:\.[0-9]+)?E\+[0-9]{2,}", re.IGNORECASE)
_LIST_SEPARATORS_RE = re.compile(r"[,，、;；]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_TRUE = frozenset({"true", "yes", "y", "1", "是"})
_FALSE = frozenset({"false", "no", "n", "0", "否"})


def _special(value: CellValue) -> None:
    """Refuse the reader's markers, whatever the column."""
    if isinstance(value, Uncalculated):
        raise CellError("formula_without_value")
    if isinstance(value, ExcelErrorValue):
        raise CellError("excel_error", error=value.error)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# ----------------------------------------------------------------------------------- dates


def _make_date(year: int, month: int, day: int, code: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError("date_out_of_range", year=year)
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(code) from None


def _check_year(d: date) -> None:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise CellError("date_out_of_range", year=d.year)


def _split_datetime_text(text: str, code: str) -> tuple[date, time | None, timezone | None]:
    """Parse ``date[ time][offset]`` text into its date, time of day and UTC offset."""
    match = _DATETIME_RE.fullmatch(_nfkc(text))
    if match is None:
        raise CellError(code)
    if match["y"] is not None:
        day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]), code)
    else:
        day = _make_date(int(match["cy"]), int(match["cm"]), int(match["cd"]), code)
    if match["H"] is None:
        return day, None, None
    micro = int((match["F"] or "0").ljust(6, "0"))
    try:
        clock = time(int(match["H"]), int(match["M"]), int(match["S"] or 0), micro)
    except ValueError:
        raise CellError(code) from None
    offset = None
    if match["tz"] is not None:
        offset = _offset(match["tz"], code)
    return day, clock, offset


def _offset(text: str, code: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise CellError(code)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(value: CellValue) -> date:
    """A calendar date (DESIGN.md §4.2).

    Accepts ``2026-03-05``, ``2026/3/5``, ``2026.3.5``, ``2026年3月5日``, an Excel date cell
    (``date``/``datetime``) and a datetime at exactly 00:00 (cell or text). Codes:
    ``date_has_time`` for any other time of day, ``date_out_of_range`` outside 1900–2999,
    ``invalid_date`` for anything else (numbers, times, offsets, impossible dates).
    """
    _special(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise CellError("invalid_date")
        if value.time() != time(0):
            raise CellError("date_has_time")
        _check_year(value)
        return value.date()
    if isinstance(value, date):
        _check_year(value)
        return value
    if not isinstance(value, str):
        raise CellError("invalid_date")
    day, clock, offset = _split_datetime_text(value, "invalid_date")
    if offset is not None:
        raise CellError("invalid_date")
    if clock is not None and clock != time(0):
        raise CellError("date_has_time")
    return day


def parse_datetime(value: CellValue, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    """An aware datetime, expressed in ``tz`` (the organisation's time zone).

    Accepts every date :func:`parse_date` accepts (a date alone means 00:00) with an optional
    time ``HH:MM[:SS[.ffffff]]`` after a space or ``T``, and an optional UTC offset (``Z``,
    ``+08:00``, ``+0800``, ``+08``) — ISO 8601 included. A value without an offset is a wall
    time in ``tz``. Code ``invalid_datetime`` (or ``date_out_of_range``) otherwise.
    """
    _special(value)
    if isinstance(value, datetime):
        _check_year(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        return value.astimezone(tz)
    if isinstance(value, date):
        _check_year(value)
        return datetime.combine(value, time(0), tzinfo=tz)
    if not isinstance(value, str):
        raise CellError("invalid_datetime")
    day, clock, offset = _split_datetime_text(value, "invalid_datetime")
    moment = datetime.combine(day, clock or time(0))
    if offset is None:
        return moment.replace(tzinfo=tz)
    return moment.replace(tzinfo=offset).astimezone(tz)


# ------------------------------------------------------------------------------- booleans


def parse_bool(value: CellValue) -> bool:
    """``true/false, yes/no, y/n, 1/0, 是/否`` in any case, or a native bool / 0 / 1 cell.

    Code ``invalid_bool`` otherwise.
    """
    _special(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and _is_number(value) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = _nfkc(value).casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise CellError("invalid_bool")


# -------------------------------------------------------------------------------- numbers


def _is_number(value: int | float | Decimal) -> bool:
    """False for NaN (a signalling Decimal NaN would raise on comparison)."""
    return not (isinstance(value, Decimal) and value.is_nan())


def _float_to_decimal(value: float) -> Decimal:
    if not math.isfinite(value):
        raise CellError("invalid_number")
    return Decimal(format(value, f".{EXCEL_DIGITS}g"))


def to_decimal(value: CellValue) -> Decimal:
    """A finite ``Decimal`` from a number cell or number text.

    Text may carry ``,`` thousands separators in proper groups of three (``1,234,567.5``);
    ``1,5`` is refused rather than guessed. Codes: ``scientific_notation`` (``1.2E+11``),
    ``number_too_large`` (|value| ≥ 10^15), ``invalid_number`` (NaN, infinity, anything else).
    """
    _special(value)
    if isinstance(value, bool):
        raise CellError("invalid_number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = _float_to_decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = _nfkc(value)
        if _PLAIN_NUMBER_RE.fullmatch(text) or _GROUPED_NUMBER_RE.fullmatch(text):
            number = Decimal(text.replace(",", ""))
        elif _SCIENTIFIC_RE.fullmatch(text):
            raise CellError("scientific_notation")
        else:
            raise CellError("invalid_number")
    else:
        raise CellError("invalid_number")
    if not number.is_finite():
        raise CellError("invalid_number")
    if abs(number) >= NUMBER_LIMIT:
        raise CellError("number_too_large")
    return number


def range_text(
    minimum: Decimal | int | None, maximum: Decimal | int | None, *, min_exclusive: bool = False
) -> StrOrPromise:
    """The allowed range as a translatable phrase for the ``out_of_range`` message."""
    if minimum is not None and maximum is not None:
        return format_lazy(RANGE_BETWEEN, min=minimum, max=maximum)
    if minimum is not None:
        return format_lazy(RANGE_GREATER_THAN if min_exclusive else RANGE_AT_LEAST, min=minimum)
    return format_lazy(RANGE_AT_MOST, max=maximum)


def _check_range(
    number: Decimal,
    minimum: Decimal | int | None,
    maximum: Decimal | int | None,
    min_exclusive: bool,
) -> None:
    too_low = minimum is not None and (number <= minimum if min_exclusive else number < minimum)
    too_high = maximum is not None and number > maximum
    if too_low or too_high:
        raise CellError(
            "out_of_range", range=range_text(minimum, maximum, min_exclusive=min_exclusive)
        )


def _check_places(number: Decimal, places: int | None) -> None:
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError("too_many_decimals", places=places)


def parse_decimal(
    value: CellValue,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    min_exclusive: bool = False,
    decimal_places: int | None = None,
) -> Decimal:
    """A ``Decimal`` (see :func:`to_decimal`) within the inclusive ``minimum``–``maximum``.

    ``min_exclusive`` makes the lower bound strict (``cap > 0``). Codes of
    :func:`to_decimal`, plus ``out_of_range`` and ``too_many_decimals``.
    """
    number = to_decimal(value)
    _check_range(number, minimum, maximum, min_exclusive)
    _check_places(number, decimal_places)
    return number


def parse_amount(
    value: CellValue,
    *,
    allow_negative: bool = False,
    maximum: Decimal | int | None = None,
    decimal_places: int | None = 2,
) -> Decimal:
    """A money amount in 元: never negative unless ``allow_negative`` (``profit``).

    Codes of :func:`to_decimal`, plus ``negative``, ``out_of_range``, ``too_many_decimals``.
    """
    number = to_decimal(value)
    if number < 0 and not allow_negative:
        raise CellError("negative")
    _check_range(number, None, maximum, False)
    _check_places(number, decimal_places)
    return number


def parse_int(value: CellValue, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number (``7``, ``7.0``, ``"1,000"``) within the inclusive bounds.

    Codes of :func:`to_decimal`, plus ``not_integer`` and ``out_of_range``.
    """
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise CellError("not_integer")
    _check_range(number, minimum, maximum, False)
    return int(number)


# ---------------------------------------------------------------------------- keys, text


def _number_text(value: int | float | Decimal) -> str:
    """Numbers as a person reads them: ``123.0`` → ``123``, ``0.1`` → ``0.1``."""
    number = Decimal(value) if isinstance(value, int) else value
    if isinstance(number, float):
        number = _float_to_decimal(number)
    if not number.is_finite():
        raise CellError("invalid_number")
    if abs(number) >= NUMBER_LIMIT:
        raise CellError("number_too_large")
    if number == number.to_integral_value():
        return f"{number.to_integral_value():f}"
    return f"{number.normalize():f}"


def _check_length(text: str, max_length: int | None) -> str:
    if max_length is not None and len(text) > max_length:
        raise CellError("too_long", length=len(text), max=max_length)
    return text


def parse_key(value: CellValue, *, max_length: int | None = None) -> str:
    """A code or identifier: trimmed text; an xlsx number ``123`` or ``123.0`` is ``"123"``.

    Codes: ``required`` (empty), ``invalid_key`` (a date, time or boolean cell, a line break
    or other control character), ``scientific_notation`` (text Excel shortened, such as
    ``1.23457E+11``), ``too_long``.
    """
    _special(value)
    if isinstance(value, bool | date | time | timedelta):
        raise CellError("invalid_key")
    if isinstance(value, int | float | Decimal):
        try:
            text = _number_text(value)
        except CellError:
            raise CellError("invalid_key") from None
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise CellError("invalid_key")
    if not text:
        raise CellError("required")
    if _CONTROL_RE.search(text):
        raise CellError("invalid_key")
    if _EXCEL_SHORTENED_RE.fullmatch(text):
        raise CellError("scientific_notation")
    return _check_length(text, max_length)


def parse_text(value: CellValue, *, max_length: int | None = None) -> str:
    """Free text, trimmed; numbers read as shown (``123.0`` → ``"123"``), dates as ISO.

    Codes: ``required`` (empty after trimming), ``too_long``.
    """
    _special(value)
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float | Decimal):
        text = _number_text(value)
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    else:
        text = str(value)
    if not text:
        raise CellError("required")
    return _check_length(text, max_length)


def parse_email(value: CellValue, *, max_length: int | None = 254) -> str:
    """An e-mail address (Django's validator). Codes: ``invalid_email``, ``too_long``."""
    text = parse_text(value, max_length=max_length)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError("invalid_email") from None
    return text


def parse_cycle(value: CellValue) -> str:
    """A cycle code, canonical (``2026q1`` → ``2026Q1``; an xlsx number 2026 → ``2026``).

    Code ``invalid_cycle``.
    """
    try:
        text = parse_key(value, max_length=20)
        return parse_period(text).code
    except (CellError, PeriodCodeError):
        raise CellError("invalid_cycle") from None


# ---------------------------------------------------------------------------------- enums


class Choices:
    """The allowed values of an enum column: code → aliases (e.g. ``visit`` → ``拜访``).

    Matching ignores case, surrounding spaces and full-width forms, and accepts the code or
    any alias; the parsed value is always the code.
    """

    __slots__ = ("aliases", "_lookup", "exact")

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        self.aliases: dict[str, tuple[str, ...]] = {
            code: tuple(names) for code, names in aliases.items()
        }
        self._lookup: dict[str, str] = {}
        for code, names in self.aliases.items():
            for name in (code, *names):
                folded = _nfkc(name).casefold()
                if self._lookup.setdefault(folded, code) != code:
                    raise ValueError(f"choice alias {name!r} names two codes")
        # Texts that match() maps to a code without any normalising: a plain dict lookup
        # gives the same answer for them (the fast path of str_parser()).
        self.exact: dict[str, str] = {
            text: code for text, code in self._lookup.items() if _nfkc(text).casefold() == text
        }

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.aliases)

    def match(self, text: str) -> str | None:
        """The code ``text`` names, or ``None``."""
        return self._lookup.get(_nfkc(text).casefold())

    def describe(self) -> str:
        """``visit (拜访), call (电话)`` — for messages and documentation."""
        return ", ".join(
            f"{code} ({' / '.join(names)})" if names else code
            for code, names in self.aliases.items()
        )

    def __repr__(self) -> str:
        return f"Choices({self.aliases!r})"


def parse_choice(value: CellValue, choices: Choices) -> str:
    """One code of ``choices`` named by its code or alias. Code ``invalid_choice``."""
    _special(value)
    text = value if isinstance(value, str) else None
    code = choices.match(text) if text is not None else None
    if code is None:
        raise CellError("invalid_choice", value=str(value).strip()[:60], choices=choices.describe())
    return code


def parse_choice_list(value: CellValue, choices: Choices) -> tuple[str, ...]:
    """Several codes of ``choices``, separated by ``,`` ``，`` ``、`` ``;`` or ``；``.

    Duplicates are dropped, order kept; empty items are ignored. Code ``invalid_choice``
    for the first item that is not allowed.
    """
    _special(value)
    if not isinstance(value, str):
        raise CellError("invalid_choice", value=str(value).strip()[:60], choices=choices.describe())
    codes: list[str] = []
    for item in _LIST_SEPARATORS_RE.split(value):
        if not item.strip():
            continue
        code = parse_choice(item, choices)
        if code not in codes:
            codes.append(code)
    return tuple(codes)

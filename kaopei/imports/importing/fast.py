"""Fast paths of the cell parsers, for str cells (what every CSV cell is).

A big CSV is millions of str cells in a handful of everyday shapes (``E0001``,
``2026-03-05 14:30:00``, ``2026/3/5``, ``1200.50``, ``visit``). The parsers here recognise
exactly those shapes and return the same value the general parser of :mod:`.parsers` would;
for anything else they return :data:`MISS` and the caller runs the general parser, which
alone decides every error. So the behaviour is the general parsers' by construction; only
the common case is faster (tests/imports/test_import_loaders.py checks the equivalence).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from .errors import CellError
from .parsers import _FALSE, _TRUE, MAX_YEAR, MIN_YEAR, Choices, _check_places, _check_range

MISS = object()  # "not a shape I know": run the general parser

StrParser = Callable[[str], object]

# No whitespace (so strip() is a no-op), no control character, no "+" (so never Excel's
# shortened 1.23457E+11): such a text is its own key.
_FAST_KEY_RE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f+]+")
_FAST_DATE_RE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_FAST_DATETIME_RE = re.compile(
    r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
# Unsigned, no separators, at most 12 integer digits (so below NUMBER_LIMIT).
_FAST_NUMBER_RE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")
_FAST_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def fast_key(max_length: int | None) -> StrParser:
    match = _FAST_KEY_RE.fullmatch

    def parse(text: str) -> object:
        if match(text) is not None and (max_length is None or len(text) <= max_length):
            return text
        return MISS

    return parse


def fast_text(max_length: int | None) -> StrParser:
    def parse(text: str) -> object:
        text = text.strip()
        if text and (max_length is None or len(text) <= max_length):
            return text
        return MISS

    return parse


def fast_date() -> StrParser:
    match = _FAST_DATE_RE.fullmatch

    def parse(text: str) -> object:
        found = match(text)
        if found is None:
            return MISS
        year = int(found[1])
        if not MIN_YEAR <= year <= MAX_YEAR:
            return MISS
        try:
            return date(year, int(found[3]), int(found[4]))
        except ValueError:
            return MISS

    return parse


def fast_datetime(tz: ZoneInfo) -> StrParser:
    match = _FAST_DATETIME_RE.fullmatch
    from_iso = datetime.fromisoformat

    def parse(text: str) -> object:
        size = len(text)
        # ISO with a space: YYYY-MM-DD HH:MM[:SS], parsed in C; digits are checked by it.
        if (
            (size == 19 or size == 16)
            and text[4] == "-"
            and text[7] == "-"
            and text[10] == " "
            and text[13] == ":"
            and (size == 16 or text[16] == ":")
            and text.isascii()
        ):
            try:
                value = from_iso(text)
            except ValueError:
                return MISS
            if value.tzinfo is None and MIN_YEAR <= value.year <= MAX_YEAR:
                return value.replace(tzinfo=tz)
            return MISS
        found = match(text)
        if found is None:
            return MISS
        year = int(found[1])
        if not MIN_YEAR <= year <= MAX_YEAR:
            return MISS
        try:
            return datetime(
                year,
                int(found[3]),
                int(found[4]),
                int(found[5] or 0),
                int(found[6] or 0),
                int(found[7] or 0),
                tzinfo=tz,
            )
        except ValueError:
            return MISS

    return parse


def fast_decimal(
    minimum: Decimal | int | None,
    maximum: Decimal | int | None,
    min_exclusive: bool,
    decimal_places: int | None,
) -> StrParser:
    match = _FAST_NUMBER_RE.fullmatch

    def parse(text: str) -> object:
        if match(text) is None:
            return MISS
        number = Decimal(text)
        _check_range(number, minimum, maximum, min_exclusive)
        if decimal_places is not None:
            dot = text.find(".")
            if dot >= 0 and len(text) - dot - 1 > decimal_places:
                _check_places(number, decimal_places)  # "1.500" is fine, "1.505" is not
        return number

    return parse


def fast_amount(maximum: Decimal | int | None, decimal_places: int | None) -> StrParser:
    # Never negative (no sign in the shape), so parse_amount's sign rule cannot apply.
    return fast_decimal(None, maximum, False, decimal_places)


def fast_int(minimum: int | None, maximum: int | None) -> StrParser:
    match = _FAST_NUMBER_RE.fullmatch

    def parse(text: str) -> object:
        if match(text) is None:
            return MISS
        number = Decimal(text)
        if number != number.to_integral_value():
            raise CellError("not_integer")
        _check_range(number, minimum, maximum, False)
        return int(number)

    return parse


def fast_choice(choices: Choices) -> StrParser:
    exact = choices.exact

    def parse(text: str) -> object:
        return exact.get(text, MISS)

    return parse


def fast_bool() -> StrParser:
    exact = _FAST_BOOLS

    def parse(text: str) -> object:
        return exact.get(text, MISS)

    return parse

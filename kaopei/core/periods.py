"""Cycle codes (DESIGN.md §4.1 ⚑): calendar quarters ``YYYYQn`` and calendar years ``YYYY``.

Pure date logic, no database. A period's dates are inclusive and its length in days is
end − start + 1 (90 for 2026Q1). Years run from 1900 to 2999.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Literal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

Kind = Literal["quarterly", "annual"]
QUARTERLY: Kind = "quarterly"
ANNUAL: Kind = "annual"
KINDS: tuple[Kind, ...] = (QUARTERLY, ANNUAL)
MIN_YEAR = 1900
MAX_YEAR = 2999

# Digits are matched as ASCII after NFKC, so full-width input (２０２６Ｑ１) is accepted too.
_CODE_RE = re.compile(r"([0-9]{4})(?:Q([1-4]))?", re.IGNORECASE)


class PeriodCodeError(ValueError):
    """A cycle code that is not ``YYYY`` or ``YYYYQn`` with a year from 1900 to 2999.

    ``value`` is what was given; the (lazily translated) message names it and the rule.
    """

    def __init__(self, value: object) -> None:
        self.value = value
        shown = str(value)
        if len(shown) > 40:
            shown = shown[:40] + "…"
        message = format_lazy(
            _(
                "“{value}” is not a cycle code. Use YYYY for a calendar year or YYYYQn for a "
                "calendar quarter (n from 1 to 4), for example 2026 or 2026Q1, with a year "
                "from {min_year} to {max_year}."
            ),
            value=shown,
            min_year=MIN_YEAR,
            max_year=MAX_YEAR,
        )
        super().__init__(message)


@dataclass(frozen=True)
class Period:
    """One cycle: ``code`` is canonical (``2026Q1``, ``2026``); ``start``/``end`` inclusive."""

    code: str
    kind: Kind
    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def parse_period(code: str) -> Period:
    """Return the period a cycle code names.

    Accepts ``YYYY`` and ``YYYYQn`` (``q`` in either case, surrounding spaces ignored,
    full-width characters normalised). Raises ``PeriodCodeError`` (a ``ValueError``) for
    anything else, including a year outside 1900–2999.
    """
    if not isinstance(code, str):
        raise PeriodCodeError(code)
    match = _CODE_RE.fullmatch(unicodedata.normalize("NFKC", code).strip())
    if match is None:
        raise PeriodCodeError(code)
    year = int(match[1])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodCodeError(code)
    return _quarter(year, int(match[2])) if match[2] else _year(year)


def quarters_of(year: int) -> list[Period]:
    """The four calendar quarters of ``year``, in order. ``ValueError`` outside 1900–2999."""
    _check_year(year)
    return [_quarter(year, n) for n in range(1, 5)]


def period_containing(d: date, kind: Kind) -> Period:
    """The quarter or year (``kind``) that contains the date ``d``.

    Takes a ``date``, never a ``datetime``: convert an aware datetime to the organisation's
    local date first (DESIGN.md §4.2), so "in period" is decided in that time zone.
    """
    if isinstance(d, datetime):
        raise TypeError("period_containing() takes a date; convert datetimes to a local date")
    _check_year(d.year)
    if kind == QUARTERLY:
        return _quarter(d.year, (d.month - 1) // 3 + 1)
    if kind == ANNUAL:
        return _year(d.year)
    raise ValueError(format_lazy(_("Unknown cycle kind “{kind}”."), kind=kind))


def previous_period(p: Period) -> Period:
    """The period of the same kind just before ``p`` (2026Q1 → 2025Q4, 2026 → 2025)."""
    if p.kind == ANNUAL:
        _check_year(p.start.year - 1)
        return _year(p.start.year - 1)
    quarter = (p.start.month - 1) // 3 + 1
    if quarter == 1:
        _check_year(p.start.year - 1)
        return _quarter(p.start.year - 1, 4)
    return _quarter(p.start.year, quarter - 1)


def elapsed_fraction(p: Period, today: date) -> Decimal:
    """Share of ``p``'s days elapsed by ``today`` inclusive, from 0 to 1, for run-rates.

    0 before the start, 1 on or after the end; on the first day it is 1/days. The value is
    unrounded (28 significant digits).
    """
    if today < p.start:
        return Decimal(0)
    if today >= p.end:
        return Decimal(1)
    with localcontext(prec=28):
        return Decimal((today - p.start).days + 1) / Decimal(p.days)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            format_lazy(
                _("The year {year} is outside the supported range {min_year}–{max_year}."),
                year=year,
                min_year=MIN_YEAR,
                max_year=MAX_YEAR,
            )
        )


def _year(year: int) -> Period:
    return Period(code=f"{year}", kind=ANNUAL, start=date(year, 1, 1), end=date(year, 12, 31))


def _quarter(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    next_start = date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    end = next_start - timedelta(days=1)
    return Period(code=f"{year}Q{quarter}", kind=QUARTERLY, start=start, end=end)

"""Cycle codes (DESIGN.md §4.1): pure date logic, no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from kaopei.core.periods import (
    ANNUAL,
    KINDS,
    QUARTERLY,
    Period,
    PeriodCodeError,
    elapsed_fraction,
    parse_period,
    period_containing,
    previous_period,
    quarters_of,
)

supported_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


def test_it_parses_a_quarter_code() -> None:
    period = parse_period("2026Q1")

    assert period == Period("2026Q1", QUARTERLY, date(2026, 1, 1), date(2026, 3, 31))
    assert period.days == 90


def test_it_parses_a_year_code() -> None:
    period = parse_period("2026")

    assert period == Period("2026", ANNUAL, date(2026, 1, 1), date(2026, 12, 31))
    assert period.days == 365


@pytest.mark.parametrize(
    ("code", "start", "end", "days"),
    [
        ("2026Q2", date(2026, 4, 1), date(2026, 6, 30), 91),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30), 92),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), 92),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31), 91),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), 366),
    ],
)
def test_it_knows_the_dates_and_length_of_every_quarter_and_leap_year(
    code: str, start: date, end: date, days: int
) -> None:
    period = parse_period(code)

    assert (period.start, period.end, period.days) == (start, end, days)


@pytest.mark.parametrize("code", ["2026q1", " 2026Q1 ", "\t2026q1\n", "２０２６Ｑ１", "2026Q1　"])
def test_it_accepts_a_lowercase_q_surrounding_spaces_and_full_width_input(code: str) -> None:
    assert parse_period(code).code == "2026Q1"


@pytest.mark.parametrize(
    "code",
    [
        "",
        " ",
        "2026Q0",
        "2026Q5",
        "2026Q12",
        "26Q1",
        "2026-Q1",
        "2026 Q1",
        "Q1 2026",
        "2026H1",
        "2026-01",
        "1899",
        "1899Q4",
        "3000",
        "20260",
        "٢٠٢٦",
    ],
)
def test_it_rejects_anything_that_is_not_a_cycle_code(code: str) -> None:
    with pytest.raises(PeriodCodeError) as excinfo:
        parse_period(code)

    assert isinstance(excinfo.value, ValueError)
    assert excinfo.value.value == code


def test_it_rejects_a_code_that_is_not_text() -> None:
    with pytest.raises(PeriodCodeError):
        parse_period(2026)  # type: ignore[arg-type]


@pytest.mark.skipif(not settings.configured, reason="translating needs Django settings")
def test_its_error_message_names_the_bad_code_and_the_rule() -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError) as excinfo:
        parse_period("2026Q5")

    message = str(excinfo.value)
    assert "2026Q5" in message
    assert "YYYYQn" in message
    assert "1900" in message and "2999" in message


@given(year=st.integers(1900, 2999))
def test_the_quarters_of_a_year_tile_it_without_gaps(year: int) -> None:
    quarters = quarters_of(year)
    whole_year = parse_period(str(year))

    assert [q.code for q in quarters] == [f"{year}Q{n}" for n in range(1, 5)]
    assert quarters[0].start == whole_year.start
    assert quarters[-1].end == whole_year.end
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert before.end + timedelta(days=1) == after.start
    assert sum(q.days for q in quarters) == whole_year.days


def test_it_refuses_years_outside_the_supported_range() -> None:
    with pytest.raises(ValueError):
        quarters_of(1899)
    with pytest.raises(ValueError):
        period_containing(date(3000, 1, 1), QUARTERLY)
    with pytest.raises(ValueError):
        previous_period(parse_period("1900Q1"))
    with pytest.raises(ValueError):
        previous_period(parse_period("1900"))


@given(day=supported_dates, kind=st.sampled_from(KINDS))
def test_the_period_containing_a_date_contains_it_and_round_trips_its_code(
    day: date, kind: str
) -> None:
    period = period_containing(day, kind)  # type: ignore[arg-type]

    assert day in period
    assert period.kind == kind
    assert parse_period(period.code) == period


def test_period_containing_takes_a_local_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        period_containing(datetime(2026, 3, 31, 23, 0), QUARTERLY)


def test_period_containing_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        period_containing(date(2026, 3, 31), "monthly")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "previous"),
    [("2026Q1", "2025Q4"), ("2026Q2", "2026Q1"), ("2026Q4", "2026Q3"), ("2026", "2025")],
)
def test_the_previous_period_is_the_one_just_before(code: str, previous: str) -> None:
    assert previous_period(parse_period(code)) == parse_period(previous)


@given(day=st.dates(min_value=date(1901, 1, 1), max_value=date(2999, 12, 31)))
def test_the_previous_period_ends_the_day_before_a_period_starts(day: date) -> None:
    for kind in KINDS:
        period = period_containing(day, kind)
        previous = previous_period(period)

        assert previous.kind == period.kind
        assert previous.end + timedelta(days=1) == period.start


@pytest.mark.parametrize(
    ("today", "fraction"),
    [
        (date(2025, 12, 31), Decimal(0)),
        (date(2026, 1, 1), Decimal(1) / Decimal(90)),
        (date(2026, 2, 14), Decimal("0.5")),
        (date(2026, 3, 31), Decimal(1)),
        (date(2026, 7, 1), Decimal(1)),
    ],
)
def test_the_elapsed_fraction_counts_days_inclusive(today: date, fraction: Decimal) -> None:
    assert elapsed_fraction(parse_period("2026Q1"), today) == fraction


@given(code=st.sampled_from(["2024Q1", "2026Q3", "2026", "2024"]), today=supported_dates)
def test_the_elapsed_fraction_stays_between_0_and_1_and_never_goes_back(
    code: str, today: date
) -> None:
    period = parse_period(code)
    fraction = elapsed_fraction(period, today)

    assert Decimal(0) <= fraction <= Decimal(1)
    if today < date(2999, 12, 31):
        assert elapsed_fraction(period, today + timedelta(days=1)) >= fraction

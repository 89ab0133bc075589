"""The mandatory-duty rule (kaopei.training.mandatory): done, due or overdue on a day, with
renewal windows, late completions and people hired after a due date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kaopei.training.mandatory import DONE, DUE, OVERDUE, add_months, duty_status

D = dt.date


def status(first: D, renew: int | None, today: D, hired: D | None = None, done: tuple[D, ...] = ()):  # type: ignore[no-untyped-def]
    return duty_status(
        first_due=first, renew_months=renew, today=today, hired_on=hired, completions=done
    )


def test_before_the_first_due_date_a_person_without_completion_is_due() -> None:
    s = status(D(2026, 12, 31), 12, D(2026, 6, 1))
    assert (s.status, s.due_on, s.completed_on) == (DUE, D(2026, 12, 31), None)


def test_on_the_due_date_itself_the_duty_is_still_due_not_overdue() -> None:
    assert status(D(2026, 12, 31), 12, D(2026, 12, 31)).status == DUE


def test_the_day_after_a_missed_due_date_the_person_is_overdue() -> None:
    s = status(D(2025, 12, 31), 12, D(2026, 1, 1), hired=D(2020, 1, 1))
    assert (s.status, s.due_on) == (OVERDUE, D(2025, 12, 31))


def test_a_completion_in_the_renewal_window_makes_the_passed_due_date_met() -> None:
    s = status(D(2025, 12, 31), 12, D(2026, 3, 1), done=(D(2025, 5, 1),))
    assert (s.status, s.due_on) == (DUE, D(2026, 12, 31))


def test_a_completion_before_the_window_does_not_count() -> None:
    s = status(D(2025, 12, 31), 12, D(2026, 3, 1), done=(D(2024, 12, 31),))
    assert s.status == OVERDUE


def test_a_late_completion_catches_up_and_counts_for_the_next_due_date() -> None:
    s = status(D(2025, 12, 31), 12, D(2026, 3, 1), done=(D(2026, 2, 1),))
    assert (s.status, s.due_on, s.completed_on) == (DONE, D(2026, 12, 31), D(2026, 2, 1))


def test_someone_hired_after_the_passed_due_date_is_not_overdue_for_it() -> None:
    s = status(D(2025, 12, 31), 12, D(2026, 3, 1), hired=D(2026, 1, 15))
    assert (s.status, s.due_on) == (DUE, D(2026, 12, 31))


def test_without_renewal_any_completion_is_done_for_ever() -> None:
    assert status(D(2025, 6, 30), None, D(2030, 1, 1), done=(D(2020, 1, 1),)).status == DONE
    assert status(D(2025, 6, 30), None, D(2030, 1, 1)).status == OVERDUE
    assert status(D(2025, 6, 30), None, D(2030, 1, 1), hired=D(2026, 1, 1)).status == DUE


def test_month_ends_stay_month_ends() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 3, 15), -3) == D(2025, 12, 15)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    first=dates,
    renew=st.one_of(st.none(), st.integers(1, 36)),
    today=dates,
    hired=st.one_of(st.none(), dates),
    done=st.lists(dates, max_size=6),
)
def test_the_rule_always_answers_consistently(  # type: ignore[no-untyped-def]
    first, renew, today, hired, done
) -> None:
    s = status(first, renew, today, hired, tuple(done))
    assert s.status in (DONE, DUE, OVERDUE)
    if s.status == OVERDUE:
        # Overdue: a due date has passed, the person was there for it, and nothing since.
        assert s.due_on < today
        assert hired is None or hired <= s.due_on
        assert not [d for d in done if d > s.due_on]
        assert s.completed_on is None
    if s.status == DONE:
        assert s.completed_on in done
    if s.status == DUE:
        assert s.completed_on is None
    if renew is not None and s.status != OVERDUE:
        # The duty shown is the next due date: today or later, within one renewal period.
        assert today <= s.due_on or first >= today
        assert s.due_on <= max(add_months(today, renew), first)
    # Completing the course today never makes anyone overdue.
    assert status(first, renew, today, hired, (*done, today)).status != OVERDUE

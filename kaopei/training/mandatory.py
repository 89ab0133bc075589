"""When a mandatory course is due, and whether a person is done, due or overdue — the one
home of that rule (pure: dates in, a status out).

A ``MandatoryRule`` says people of a level must complete a course by ``due_on``; with
``renew_months`` the duty returns every so many months (due ``due_on``,
``due_on + renew``, …). For a person on a given day:

- the *last passed* due date is the latest due date before today (none before the first);
  the person is **overdue** when there is one, they were hired on or before it, and they have
  no completion in the window that ends on it (``renew_months`` long; without renewal, any
  completion on or before it) nor any completion after it (a late completion catches up);
- otherwise their duty is the *next* due date (today or later): **done** when they have a
  completion in the window that ends on it (without renewal: any completion at all),
  **due** otherwise.

Without renewal there is only ``due_on``: once passed, the person is overdue until they
complete the course, and done from then on.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

DONE = "done"
DUE = "due"
OVERDUE = "overdue"


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DutyStatus:
    due_on: date
    status: str  # DONE, DUE or OVERDUE
    completed_on: date | None  # the completion that satisfies it (DONE), else None


def _due_dates_around(first: date, renew: int | None, today: date) -> tuple[date | None, date]:
    """(the latest due date before today or None, the earliest due date on or after today;
    without renewal the only due date, even when passed)."""
    if renew is None:
        return (first if first < today else None), first
    if first >= today:
        return None, first
    # Jump close to today, then step: due dates are first + k * renew months.
    months = (today.year - first.year) * 12 + today.month - first.month
    k = max(months // renew - 1, 0)
    passed = add_months(first, k * renew)
    while True:
        following = add_months(first, (k + 1) * renew)
        if following >= today:
            return passed, following
        k += 1
        passed = following


def duty_status(
    *,
    first_due: date,
    renew_months: int | None,
    today: date,
    hired_on: date | None,
    completions: Sequence[date],
) -> DutyStatus:
    """The person's duty for one rule on ``today``; ``completions`` are the session dates of
    their completed enrolments in the course (any order)."""
    done = sorted(completions)
    passed, upcoming = _due_dates_around(first_due, renew_months, today)

    def window_hit(end: date) -> date | None:
        start = add_months(end, -renew_months) if renew_months is not None else None
        hits = [d for d in done if d <= end and (start is None or d > start)]
        return hits[-1] if hits else None

    if renew_months is None:
        if done:
            return DutyStatus(first_due, DONE, done[-1])
        if passed is not None and (hired_on is None or hired_on <= passed):
            return DutyStatus(first_due, OVERDUE, None)
        return DutyStatus(first_due, DUE, None)

    if passed is not None and (hired_on is None or hired_on <= passed):
        late = [d for d in done if d > passed]
        if window_hit(passed) is None and not late:
            return DutyStatus(passed, OVERDUE, None)
    hit = window_hit(upcoming)
    if hit is None:
        # A completion after the passed due date also counts towards the next one only
        # if it falls in its window (checked above by window_hit).
        return DutyStatus(upcoming, DUE, None)
    return DutyStatus(upcoming, DONE, hit)

"""Mandatory training duties of a set of people (the rule: ``kaopei.training.mandatory``).
Three queries whatever the number of people: the rules of their levels, their completed
enrolments in those courses, and the people themselves when given as ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kaopei.org.models import Employee
from kaopei.training.mandatory import DutyStatus, duty_status
from kaopei.training.models import Enrolment, MandatoryRule


@dataclass(frozen=True)
class Duty:
    employee_id: int
    course_id: int
    rule_id: int
    due_on: date
    status: str  # mandatory.DONE, DUE or OVERDUE
    completed_on: date | None


def duties_for(*, employees: Iterable[Employee], today: date) -> list[Duty]:
    """Every mandatory duty of ``employees`` on ``today`` (people whose level has no rule
    have none), sorted by person, due date, course. Callers scope ``employees`` to what the
    reader may see."""
    people = list(employees)
    by_level: dict[int, list[MandatoryRule]] = defaultdict(list)
    level_ids = {e.level_id for e in people}
    for rule in MandatoryRule.objects.filter(level_id__in=level_ids).order_by("due_on", "pk"):
        by_level[rule.level_id].append(rule)
    course_ids = {r.course_id for rules in by_level.values() for r in rules}
    done: dict[tuple[int, int], list[date]] = defaultdict(list)
    if course_ids:
        rows = Enrolment.objects.filter(
            employee_id__in=[e.pk for e in people if e.level_id in by_level],
            course_id__in=course_ids,
            completed=True,
        ).values_list("employee_id", "course_id", "session_on")
        for emp, course, day in rows:
            done[(emp, course)].append(day)
    out: list[Duty] = []
    for person in people:
        for rule in by_level.get(person.level_id or 0, ()):
            st: DutyStatus = duty_status(
                first_due=rule.due_on,
                renew_months=rule.renew_months,
                today=today,
                hired_on=person.hire_date,
                completions=done.get((person.pk, rule.course_id), ()),
            )
            out.append(
                Duty(person.pk, rule.course_id, rule.pk, st.due_on, st.status, st.completed_on)
            )
    out.sort(key=lambda d: (d.employee_id, d.due_on, d.course_id))
    return out

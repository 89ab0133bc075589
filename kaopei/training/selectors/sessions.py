"""Reads of sessions, enrolments and mandatory duties, scoped to the reader
(``kaopei.training.rules``): everyone employed sees the sessions; training records are one's
own, a supervisor's chain, or everyone's for trainers and HR admins."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kaopei.org.models import Employee, OrgUnit
from kaopei.org.selectors import employee_for_user, subordinate_ids, unit_descendant_ids
from kaopei.training import mandatory
from kaopei.training.models import Course, Enrolment, MandatoryRule, Session
from kaopei.training.rules import (
    can_enrol_others,
    can_enrol_self,
    can_manage_sessions,
    can_see_overdue,
    can_see_training_records,
    is_supervisor,
)
from kaopei.training.selectors.mandatory import Duty, duties_for

DUE_SOON_DAYS = 30


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def record_scope(user: Any) -> set[int] | None:
    """Whose training records ``user`` may read: None for everyone (trainers, HR admins),
    else the ids of themself and, for a supervisor, their chain."""
    from kaopei.core.rules import is_hr_admin, is_trainer

    if is_hr_admin(user) or is_trainer(user):
        return None
    me = employee_for_user(user)
    if me is None:
        return set()
    ids = {me.pk}
    if is_supervisor(user):
        ids |= subordinate_ids(me.pk)
    return ids


def enrollable_scope(user: Any) -> set[int] | None:
    """Whom ``user`` may enrol besides themself: None for anyone (trainers, HR admins),
    a supervisor's chain, nobody else."""
    if not can_enrol_others(user):
        return set()
    from kaopei.core.rules import is_hr_admin, is_trainer

    if is_hr_admin(user) or is_trainer(user):
        return None
    me = employee_for_user(user)
    return subordinate_ids(me.pk) if me is not None else set()


# --- Sessions --------------------------------------------------------------------------------


def _sessions() -> QuerySet[Session]:
    return (
        Session.objects.select_related("course", "trainer")
        .annotate(
            confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)),
            waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
        )
        .order_by("starts_at", "pk")
    )


def session_list(
    *,
    user: Any,
    when: str = "",
    course: str = "",
    trainer: int | None = None,
    module: str = "",
    q: str = "",
) -> QuerySet[Session]:
    """Sessions everyone employed may see, filtered: ``when`` upcoming (not ended yet) or
    past; a course code; a trainer's id; a module; ``q`` in the course code, title or place."""
    _require(can_enrol_self(user))
    qs = _sessions()
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    if course:
        qs = qs.filter(course__code=course)
    if trainer:
        qs = qs.filter(trainer_id=trainer)
    if module:
        qs = qs.filter(course__module=module)
    if q:
        qs = qs.filter(
            Q(course__code__icontains=q)
            | Q(course__title__icontains=q)
            | Q(course__title_en__icontains=q)
            | Q(place__icontains=q)
        )
    return qs


def session_get(*, user: Any, pk: int) -> Session:
    _require(can_enrol_self(user))
    session = _sessions().filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def session_get_to_manage(*, user: Any, pk: int) -> Session:
    _require(can_manage_sessions(user))
    return session_get(user=user, pk=pk)


def seats_left(session: Session) -> int:
    confirmed = getattr(session, "confirmed", None)
    if confirmed is None:
        confirmed = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    return max(session.capacity - confirmed, 0)


def my_enrolment(*, user: Any, session: Session) -> Enrolment | None:
    me = employee_for_user(user)
    if me is None:
        return None
    return session.enrolments.filter(employee=me).first()


def session_roster(*, user: Any, session: Session) -> list[Enrolment]:
    """The people of a session (not cancelled), for those who manage sessions or may see
    the records: the confirmed first, then the waitlist in order."""
    scope = record_scope(user)
    qs = session.enrolments.exclude(status=Enrolment.Status.CANCELLED).select_related(
        "employee", "employee__org_unit"
    )
    if scope is not None and not can_manage_sessions(user):
        qs = qs.filter(employee_id__in=scope)
    rows = list(qs)
    rows.sort(
        key=lambda e: (
            e.status != Enrolment.Status.ENROLLED,
            e.waitlisted_at or datetime.min.replace(tzinfo=timezone.get_current_timezone()),
            e.employee.employee_no,
        )
    )
    return rows


def upcoming_for_course(*, course: Course, limit: int = 5) -> list[Session]:
    return list(
        _sessions()
        .filter(course=course, status=Session.Status.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:limit]
    )


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    sessions: list[Session]


def calendar_month(*, user: Any, year: int, month: int) -> tuple[list[list[CalendarDay]], set[int]]:
    """The weeks (Monday first) of a month with the sessions of each day, and the ids of the
    sessions the reader holds a place in (enrolled or waiting)."""
    _require(can_enrol_self(user))
    weeks_dates = _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    by_day: dict[date, list[Session]] = {}
    for s in _sessions().filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"):
        by_day.setdefault(timezone.localdate(s.starts_at), []).append(s)
    me = employee_for_user(user)
    mine: set[int] = set()
    if me is not None:
        mine = set(
            Enrolment.objects.filter(
                employee=me, session__starts_at__gte=start, session__starts_at__lt=end
            )
            .exclude(status=Enrolment.Status.CANCELLED)
            .values_list("session_id", flat=True)
        )
    weeks = [
        [CalendarDay(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks_dates
    ]
    return weeks, mine


# --- Enrolments ------------------------------------------------------------------------------


def enrolment_list(
    *,
    user: Any,
    course: str = "",
    person: str = "",
    status: str = "",
    completed: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Enrolment]:
    """Enrolments the reader may see (their own; a supervisor's chain; everyone's for
    trainers and HR admins), filtered; newest training date first."""
    _require(can_enrol_self(user))
    qs = Enrolment.objects.select_related("course", "employee", "session")
    scope = record_scope(user)
    if scope is not None:
        qs = qs.filter(employee_id__in=scope)
    if course:
        qs = qs.filter(course__code=course)
    if person:
        qs = qs.filter(Q(employee__employee_no=person) | Q(employee__name__icontains=person))
    if status:
        qs = qs.filter(status=status)
    if completed is not None:
        qs = qs.filter(completed=completed)
    if date_from:
        qs = qs.filter(session_on__gte=date_from)
    if date_to:
        qs = qs.filter(session_on__lte=date_to)
    return qs.order_by("-session_on", "employee__employee_no", "pk")


def enrolment_get(*, user: Any, pk: int) -> Enrolment:
    """One enrolment the reader may see, else 404."""
    _require(can_enrol_self(user))
    qs = Enrolment.objects.select_related("course", "employee", "session")
    scope = record_scope(user)
    if scope is not None:
        qs = qs.filter(employee_id__in=scope)
    enrolment = qs.filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    return enrolment


def enrolment_get_to_cancel(*, user: Any, pk: int) -> Enrolment:
    """An enrolment the reader may cancel: their own, one of their chain (supervisors), any
    (trainers, HR admins); 404 when they may not see it."""
    enrolment = enrolment_get(user=user, pk=pk)
    me = employee_for_user(user)
    if me is not None and enrolment.employee_id == me.pk:
        return enrolment
    _require(can_enrol_others(user) or can_manage_sessions(user))
    return enrolment


def enrolment_get_own(*, user: Any, pk: int) -> Enrolment:
    """One's own enrolment (to rate it); 404 otherwise."""
    me = employee_for_user(user)
    enrolment = (
        Enrolment.objects.select_related("course", "session", "employee")
        .filter(pk=pk, employee__isnull=False)
        .first()
    )
    if enrolment is None or me is None or enrolment.employee_id != me.pk:
        raise Http404
    return enrolment


def people_to_enrol(*, user: Any, employee_nos: list[str]) -> list[Employee]:
    """The people named by number whom ``user`` may enrol; 404 for a number outside their
    scope (its existence does not leak), PermissionDenied when they may enrol nobody else."""
    me = employee_for_user(user)
    scope = enrollable_scope(user)
    nos = list(dict.fromkeys(n for n in employee_nos if n))
    people = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=nos, active=True)}
    out = []
    for no in nos:
        person = people.get(no)
        if person is None:
            raise Http404
        if me is not None and person.pk == me.pk:
            _require(can_enrol_self(user))
        elif scope is not None and person.pk not in scope:
            if not can_enrol_others(user):
                raise PermissionDenied
            raise Http404
        out.append(person)
    return out


def team_to_enrol(*, user: Any, unit_code: str) -> list[Employee]:
    """The active people of a unit (and the units below it) whom ``user`` may enrol."""
    _require(can_enrol_others(user))
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404
    qs = Employee.objects.filter(org_unit_id__in=unit_descendant_ids(unit.pk), active=True)
    scope = enrollable_scope(user)
    if scope is not None:
        qs = qs.filter(pk__in=scope)
    people = list(qs.order_by("employee_no"))
    if not people and scope is not None:
        raise Http404
    return people


def enrollable_people(*, user: Any) -> QuerySet[Employee]:
    qs = Employee.objects.filter(active=True).order_by("employee_no")
    scope = enrollable_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def enrollable_units(*, user: Any) -> QuerySet[OrgUnit]:
    scope = enrollable_scope(user)
    qs = OrgUnit.objects.filter(active=True).order_by("code")
    if scope is None:
        return qs
    return qs.filter(employees__pk__in=scope).distinct()


# --- Mandatory -------------------------------------------------------------------------------


def mandatory_rule_list(*, user: Any) -> QuerySet[MandatoryRule]:
    _require(can_enrol_self(user))
    return MandatoryRule.objects.select_related("course", "level").order_by(
        "course__code", "level__rank", "level__code"
    )


@dataclass(frozen=True)
class OverdueRow:
    employee: Employee
    course: Course
    due_on: date
    status: str


def overdue_rows(
    *,
    user: Any,
    today: date,
    course: str = "",
    status: str = "",
    unit: str = "",
) -> list[OverdueRow]:
    """Who is overdue, or due within 30 days, on mandatory training, among the people the
    reader may see (supervisors: their chain; trainers and HR admins: everyone)."""
    _require(can_see_overdue(user))
    people = Employee.objects.filter(active=True, level__isnull=False).select_related(
        "org_unit", "level"
    )
    scope = record_scope(user)
    if scope is not None:
        me = employee_for_user(user)
        people = people.filter(pk__in=scope - ({me.pk} if me else set()))
    if unit:
        found = OrgUnit.objects.filter(code=unit).first()
        people = people.filter(org_unit_id__in=unit_descendant_ids(found.pk) if found else [])
    staff = {e.pk: e for e in people}
    duties: list[Duty] = duties_for(employees=staff.values(), today=today)
    courses = Course.objects.in_bulk({d.course_id for d in duties})
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = []
    for d in duties:
        if d.status == mandatory.DONE or (d.status == mandatory.DUE and d.due_on > soon):
            continue
        if status and d.status != status:
            continue
        c = courses[d.course_id]
        if course and c.code != course:
            continue
        rows.append(OverdueRow(staff[d.employee_id], c, d.due_on, d.status))
    rows.sort(key=lambda r: (r.status != mandatory.OVERDUE, r.due_on, r.employee.employee_no))
    return rows


def mandatory_due_for(*, employee: Employee, course: Course, today: date) -> date | None:
    """The due date of ``employee``'s open duty (due or overdue) in ``course``, if any."""
    for d in duties_for(employees=[employee], today=today):
        if d.course_id == course.pk and d.status != mandatory.DONE:
            return d.due_on
    return None


def may_see_records(user: Any) -> bool:
    return bool(can_see_training_records(user))

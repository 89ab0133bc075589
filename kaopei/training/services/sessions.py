"""Writes of sessions and enrolment: scheduling, cancelling, enrolling (with the waitlist),
attendance and completion, the reaction survey (DESIGN.md §8 L1) and mandatory rules.

Every change to who holds a seat locks the session's row first, so two people taking the
last seat at once get one place and one waitlist position, never more than the capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.notifications import notify
from kaopei.org.models import Employee, JobLevel
from kaopei.training.models import Course, Enrolment, MandatoryRule, Session

REACTION_DAYS = 30  # a rating may change until the session is this many days past
MAX_HOURS_FACTOR = 2  # hours recorded for a person: at most twice the session's

ENROLMENT_PROMOTED = "training_enrolment_promoted"
SESSION_CANCELLED = "training_session_cancelled"
RATE_SESSION = "training_rate_session"


def _lock(session_pk: int) -> Session:
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_pk)
    )


def _confirmed(session: Session) -> int:
    return session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


# The years a session may take place in (a typo such as 0026 or 9999 is refused).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_session_values(
    *, starts_at: datetime, ends_at: datetime, capacity: int, hours: Decimal, place: str, link: str
) -> None:
    if not (starts_at.year >= FIRST_YEAR and ends_at.year <= LAST_YEAR):
        raise ApplicationError(
            _("A session takes place between the years %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if ends_at <= starts_at:
        raise ApplicationError(_("A session must end after it starts."))
    if capacity < 1:
        raise ApplicationError(_("A session needs room for at least one person."))
    if hours < 0:
        raise ApplicationError(_("Hours cannot be negative."))
    if not place.strip() and not link.strip():
        raise ApplicationError(_("Give the session's place or its online link."))


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    trainer: Employee | None = None,
    place: str = "",
    link: str = "",
    hours: Decimal | None = None,
    notes: str = "",
    user: Any = None,
) -> Session:
    """Schedule a session of ``course``; its hours default to the course's."""
    hours = course.hours if hours is None else hours
    _check_session_values(
        starts_at=starts_at, ends_at=ends_at, capacity=capacity, hours=hours, place=place, link=link
    )
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        trainer=trainer,
        place=place.strip(),
        link=link.strip(),
        hours=hours,
        notes=notes,
    )
    session._change_reason = "scheduled"  # type: ignore[attr-defined]
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    trainer: Employee | None,
    place: str,
    link: str,
    hours: Decimal,
    notes: str = "",
    user: Any = None,
) -> Session:
    """Change a scheduled session. The capacity may not fall below the confirmed places; a
    larger one takes people from the waitlist, in order."""
    locked = _lock(session.pk)
    if locked.status == Session.Status.CANCELLED:
        raise ApplicationError(_("This session was cancelled; it can no longer change."))
    if locked.status == Session.Status.COMPLETED:
        # Its date and hours are the attended people's training records now.
        raise ApplicationError(_("This session was held; it can no longer change."))
    _check_session_values(
        starts_at=starts_at, ends_at=ends_at, capacity=capacity, hours=hours, place=place, link=link
    )
    confirmed = _confirmed(locked)
    if capacity < confirmed:
        raise ApplicationError(
            _("%(n)d people hold a confirmed place: the capacity cannot be lower.")
            % {"n": confirmed}
        )
    day = timezone.localdate(starts_at)
    if day != timezone.localdate(locked.starts_at):
        try:
            with transaction.atomic():
                locked.enrolments.update(session_on=day)
        except IntegrityError:
            raise ApplicationError(
                _("Someone in this session already has a place in the course on that day.")
            ) from None
    locked.starts_at, locked.ends_at, locked.capacity = starts_at, ends_at, capacity
    locked.trainer, locked.place, locked.link = trainer, place.strip(), link.strip()
    locked.hours, locked.notes = hours, notes
    locked._change_reason = "edited"  # type: ignore[attr-defined]
    locked.save()
    _promote(locked, capacity - confirmed)
    return locked


@transaction.atomic
def session_cancel(*, session: Session, user: Any = None) -> Session:
    """Cancel a scheduled session: every place in it is cancelled and its people notified."""
    locked = _lock(session.pk)
    if locked.status != Session.Status.SCHEDULED:
        raise ApplicationError(_("Only a scheduled session can be cancelled."))
    locked.status = Session.Status.CANCELLED
    locked._change_reason = "cancelled"  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "updated_at"])
    open_places = list(
        locked.enrolments.exclude(status=Enrolment.Status.CANCELLED).select_related("employee")
    )
    for e in open_places:
        e.status, e.completed, e.waitlisted_at = Enrolment.Status.CANCELLED, False, None
        e._change_reason = "session cancelled"  # type: ignore[attr-defined]
        e.save(update_fields=["status", "completed", "waitlisted_at", "updated_at"])
    notify(
        users=[e.employee.user_id for e in open_places],
        kind=SESSION_CANCELLED,
        message=gettext_noop("The session of %(course)s on %(day)s was cancelled."),
        params={"course": locked.course.code, "day": f"{timezone.localdate(locked.starts_at)}"},
        url=reverse("training:session_detail", args=[locked.pk]),
    )
    return locked


@dataclass(frozen=True)
class EnrolResult:
    employee: Employee
    enrolment: Enrolment

    @property
    def waitlisted(self) -> bool:
        return self.enrolment.status == Enrolment.Status.WAITLISTED


@transaction.atomic
def enrol(
    *,
    session: Session,
    employees: list[Employee],
    by: Employee | None = None,
    due_on: date | None = None,
    due_dates: dict[int, date] | None = None,
) -> list[EnrolResult]:
    """Give each person a place in ``session`` (or a waitlist position once it is full).
    Refused, with nothing stored, when anyone is already enrolled in it, or holds another
    enrolment in the course on the same day."""
    if not employees:
        raise ApplicationError(_("Choose at least one person to enrol."))
    locked = _lock(session.pk)
    if locked.status != Session.Status.SCHEDULED:
        raise ApplicationError(_("This session is not open for enrolment."))
    if locked.starts_at <= timezone.now():
        raise ApplicationError(_("This session has already started: enrolment is closed."))
    day = timezone.localdate(locked.starts_at)
    existing = {
        e.employee_id: e
        for e in Enrolment.objects.select_for_update().filter(
            course=locked.course, session_on=day, employee__in=employees
        )
    }
    for person in employees:
        found = existing.get(person.pk)
        if found is None or found.status == Enrolment.Status.CANCELLED:
            continue
        if found.session_id == locked.pk:
            raise ConflictError(
                _("%(name)s is already enrolled in this session.") % {"name": person.name}
            )
        raise ConflictError(
            _("%(name)s already has a place in %(course)s on %(day)s (another session).")
            % {"name": person.name, "course": locked.course.code, "day": day}
        )
    seats = locked.capacity - _confirmed(locked)
    now = timezone.now()
    out = []
    for person in employees:
        due = (due_dates or {}).get(person.pk, due_on)
        e = existing.get(person.pk) or Enrolment(course=locked.course, employee=person)
        e.session, e.session_on = locked, day
        e.hours, e.attended, e.completed = locked.hours, None, False
        e.source, e.enrolled_by, e.due_on = Enrolment.Source.KAOPEI, by, due
        e.reaction, e.reaction_comment = None, ""
        if seats > 0:
            e.status, e.waitlisted_at = Enrolment.Status.ENROLLED, None
            seats -= 1
        else:
            e.status, e.waitlisted_at = Enrolment.Status.WAITLISTED, now
        e._change_reason = "enrolled"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                e.save()
        except IntegrityError:
            raise ConflictError(
                _("%(name)s already has a place in %(course)s on %(day)s.")
                % {"name": person.name, "course": locked.course.code, "day": day}
            ) from None
        out.append(EnrolResult(person, e))
    return out


def _promote(session: Session, seats: int) -> list[Enrolment]:
    """Move the first ``seats`` people of the waitlist to confirmed places and tell them."""
    if seats <= 0:
        return []
    waiting = list(
        session.enrolments.filter(status=Enrolment.Status.WAITLISTED)
        .select_related("employee")
        .order_by("waitlisted_at", "pk")[:seats]
    )
    for e in waiting:
        e.status, e.waitlisted_at = Enrolment.Status.ENROLLED, None
        e._change_reason = "promoted from the waitlist"  # type: ignore[attr-defined]
        e.save(update_fields=["status", "waitlisted_at", "updated_at"])
    if waiting:
        notify(
            users=[e.employee.user_id for e in waiting],
            kind=ENROLMENT_PROMOTED,
            message=gettext_noop(
                "A place opened up: you are now enrolled in %(course)s on %(day)s."
            ),
            params={"course": session.course.code, "day": f"{waiting[0].session_on}"},
            url=reverse("training:session_detail", args=[session.pk]),
        )
    return waiting


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, user: Any = None) -> Enrolment:
    """Give up a place (or a waitlist position); a confirmed place goes to the first person
    waiting. An imported or completed enrolment cannot be cancelled."""
    if enrolment.session_id is not None:
        session = _lock(enrolment.session_id)
    e = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if e.status == Enrolment.Status.CANCELLED:
        raise ApplicationError(_("This enrolment is already cancelled."))
    if e.source == Enrolment.Source.IMPORT or e.session_id is None:
        raise ApplicationError(_("An imported training record cannot be cancelled here."))
    if e.completed or session.status != Session.Status.SCHEDULED:
        raise ApplicationError(
            _("The session was held: this enrolment can no longer be cancelled.")
        )
    if session.starts_at <= timezone.now():
        raise ApplicationError(
            _("The session has started: this enrolment can no longer be cancelled.")
        )
    was_confirmed = e.status == Enrolment.Status.ENROLLED
    e.status, e.waitlisted_at, e.attended = Enrolment.Status.CANCELLED, None, None
    e._change_reason = "cancelled"  # type: ignore[attr-defined]
    e.save(update_fields=["status", "waitlisted_at", "attended", "updated_at"])
    if was_confirmed:
        _promote(session, session.capacity - _confirmed(session))
    return e


@dataclass(frozen=True)
class AttendanceRow:
    enrolment_id: int
    attended: bool
    completed: bool
    hours: Decimal | None = None  # None: the session's hours


@transaction.atomic
def attendance_save(
    *, session: Session, rows: list[AttendanceRow], held: bool = True, user: Any = None
) -> Session:
    """Record who attended and completed, with their hours, all at once; with ``held`` the
    session is marked held. Completion needs attendance; hours are 0 to twice the session's.
    Any bad row refuses the whole sheet."""
    locked = _lock(session.pk)
    if locked.status == Session.Status.CANCELLED:
        raise ApplicationError(_("This session was cancelled."))
    if locked.starts_at > timezone.now():
        raise ApplicationError(_("Attendance can be recorded once the session has started."))
    places = {
        e.pk: e
        for e in locked.enrolments.select_for_update().filter(status=Enrolment.Status.ENROLLED)
    }
    limit = locked.hours * MAX_HOURS_FACTOR
    changed = []
    newly_present: list[Enrolment] = []
    for row in rows:
        e = places.get(row.enrolment_id)
        if e is None:
            raise ApplicationError(_("Attendance names someone without a place in this session."))
        if row.completed and not row.attended:
            raise ApplicationError(
                _("%(name)s: completion requires attendance.") % {"name": e.employee.name}
            )
        hours = locked.hours if row.hours is None else row.hours
        if hours < 0 or hours > limit:
            raise ApplicationError(
                _("%(name)s: hours must be between 0 and %(max)s.")
                % {"name": e.employee.name, "max": limit.normalize()}
            )
        if row.attended and not e.attended and e.reaction is None:
            newly_present.append(e)
        e.attended, e.completed, e.hours = row.attended, row.completed, hours
        e._change_reason = "attendance"  # type: ignore[attr-defined]
        changed.append(e)
    for e in changed:
        e.save(update_fields=["attended", "completed", "hours", "updated_at"])
    # Who is marked present for the first time is asked for their reaction (L1), once.
    for e in newly_present:
        notify(
            users=[e.employee.user_id],
            kind=RATE_SESSION,
            message=gettext_noop(
                "You attended %(course)s on %(day)s: how was it? Rate the session (1–5)."
            ),
            params={"course": locked.course.code, "day": f"{e.session_on}"},
            url=reverse("training:enrolment_react", args=[e.pk]),
        )
    if held and locked.status != Session.Status.COMPLETED:
        locked.status = Session.Status.COMPLETED
        locked._change_reason = "held"  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "updated_at"])
    return locked


def reaction_deadline(enrolment: Enrolment) -> date:
    return enrolment.session_on + timedelta(days=REACTION_DAYS)


@transaction.atomic
def reaction_set(
    *, enrolment: Enrolment, reaction: int, comment: str = "", today: date | None = None
) -> Enrolment:
    """Rate a session one attended, 1 to 5, with an optional comment: from its start until
    it is 30 days past (changing the rating is allowed until then)."""
    e = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=enrolment.pk)
    )
    today = today or timezone.localdate()
    if not isinstance(reaction, int) or not 1 <= reaction <= 5:
        raise ApplicationError(_("A rating is a whole number from 1 to 5."))
    if e.session is None or e.source != Enrolment.Source.KAOPEI:
        raise ApplicationError(_("Only a session held in Kaopei can be rated here."))
    if e.session.starts_at > timezone.now():
        raise ApplicationError(_("The session has not started yet: rate it once you attended."))
    if e.status != Enrolment.Status.ENROLLED or not e.attended:
        raise ApplicationError(_("Only people who attended the session can rate it."))
    if today > reaction_deadline(e):
        raise ApplicationError(
            _("Ratings close 30 days after the session (it closed on %(day)s).")
            % {"day": reaction_deadline(e)}
        )
    e.reaction, e.reaction_comment = reaction, comment.strip()[:2000]
    e._change_reason = "reaction"  # type: ignore[attr-defined]
    e.save(update_fields=["reaction", "reaction_comment", "updated_at"])
    return e


# --- Mandatory rules -------------------------------------------------------------------------


@transaction.atomic
def mandatory_rule_save(
    *,
    course: Course,
    level: JobLevel,
    due_on: date,
    renew_months: int | None,
    rule: MandatoryRule | None = None,
) -> MandatoryRule:
    """Create or change the rule "people of ``level`` complete ``course`` by ``due_on``"."""
    if renew_months is not None and renew_months < 1:
        raise ApplicationError(_("Renewal is at least every month."))
    clash = MandatoryRule.objects.filter(course=course, level=level)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ConflictError(_("This course is already mandatory for this level."))
    rule = rule or MandatoryRule()
    rule.course, rule.level, rule.due_on, rule.renew_months = course, level, due_on, renew_months
    rule.save()
    return rule


@transaction.atomic
def mandatory_rule_delete(*, rule: MandatoryRule) -> None:
    rule.delete()

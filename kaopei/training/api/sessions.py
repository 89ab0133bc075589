"""Training API: sessions, enrolment, attendance and the reaction survey. Every operation
applies the same rules as the pages (``kaopei.training.selectors.sessions``): what the
caller may not see is a 404; what they may see but not do is a 403."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, QueryEx, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from kaopei.core.api import ERRORS
from kaopei.core.api_params import PRINTABLE, limit_param, object_id, offset_param, text_param
from kaopei.org.selectors import employee_for_user
from kaopei.training.models import Enrolment, Session
from kaopei.training.rules import can_enrol_self
from kaopei.training.selectors import sessions as sel
from kaopei.training.services import sessions as services

router = Router(tags=["training"])

EmployeeNo = Annotated[str, StringConstraints(max_length=40, pattern=PRINTABLE)]


class SessionOut(Schema):
    id: int
    course: str
    course_title: str
    starts_at: datetime
    ends_at: datetime
    trainer: str | None  # employee number
    place: str
    link: str
    capacity: int
    hours: float
    status: str
    enrolled: int
    waitlisted: int
    seats_left: int


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class EnrolmentOut(Schema):
    id: int
    course: str
    employee_no: str
    session_id: int | None
    session_on: date
    status: str
    attended: bool | None
    completed: bool
    hours: float
    reaction: int | None
    pre_score: float | None
    post_score: float | None
    source: str
    due_on: date | None


class EnrolmentPage(Schema):
    count: int
    items: list[EnrolmentOut]


class EnrolIn(Schema):
    employee_nos: list[EmployeeNo] = Field(
        default_factory=list, max_length=500, description="People to enrol (managers)."
    )
    unit: str = Field("", max_length=40, pattern=PRINTABLE, description="A whole team's code.")


class EnrolledOut(Schema):
    employee_no: str
    enrolment_id: int
    status: str  # enrolled | waitlisted


class AttendanceRowIn(Schema):
    enrolment_id: int = Field(ge=1, le=2**63 - 1)
    attended: bool
    completed: bool = False
    hours: float | None = Field(None, ge=0, le=9999)


class AttendanceIn(Schema):
    rows: list[AttendanceRowIn] = Field(max_length=10000)
    held: bool = True


class ReactionIn(Schema):
    reaction: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


def _session(s: Session) -> SessionOut:
    return SessionOut(
        id=s.pk,
        course=s.course.code,
        course_title=s.course.local_title,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        trainer=s.trainer.employee_no if s.trainer else None,
        place=s.place,
        link=s.link,
        capacity=s.capacity,
        hours=float(s.hours),
        status=s.status,
        enrolled=getattr(s, "confirmed", 0),
        waitlisted=getattr(s, "waiting", 0),
        seats_left=sel.seats_left(s),
    )


def _enrolment(e: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=e.pk,
        course=e.course.code,
        employee_no=e.employee.employee_no,
        session_id=e.session_id,
        session_on=e.session_on,
        status=e.status,
        attended=e.attended,
        completed=e.completed,
        hours=float(e.hours),
        reaction=e.reaction,
        pre_score=None if e.pre_score is None else float(e.pre_score),
        post_score=None if e.post_score is None else float(e.post_score),
        source=e.source,
        due_on=e.due_on,
    )


@router.get("/training/sessions", response={200: SessionPage, **ERRORS})
def sessions(
    request: HttpRequest,
    when: QueryEx[str, text_param(10, "upcoming or past")] = "",
    course: QueryEx[str, text_param(40, "A course code.")] = "",
    module: QueryEx[str, text_param(24, "A module.")] = "",
    q: QueryEx[str, text_param(100, "Search.")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> SessionPage:
    """Training sessions (everyone employed), filtered."""
    qs = sel.session_list(user=request.user, when=when, course=course, module=module, q=q)
    return SessionPage(count=qs.count(), items=[_session(s) for s in qs[offset : offset + limit]])


@router.get("/training/sessions/{session_id}", response={200: SessionOut, **ERRORS})
def session(request: HttpRequest, session_id: int) -> SessionOut:
    return _session(sel.session_get(user=request.user, pk=object_id(session_id)))


@router.post(
    "/training/sessions/{session_id}/enrolments", response={201: list[EnrolledOut], **ERRORS}
)
def session_enrol(request: HttpRequest, session_id: int, payload: EnrolIn) -> Any:
    """Enrol oneself (an empty body) or, for managers, people by number or a whole team;
    each gets ``enrolled`` or, once the session is full, ``waitlisted``. 409 when someone
    is already enrolled; nothing is stored then."""
    found = sel.session_get(user=request.user, pk=object_id(session_id))
    me = employee_for_user(request.user)
    if not payload.employee_nos and not payload.unit:
        if me is None or not can_enrol_self(request.user):
            raise PermissionDenied
        people = [me]
    else:
        people = []
        if payload.unit:
            people += sel.team_to_enrol(user=request.user, unit_code=payload.unit)
        nos = [*payload.employee_nos, *[p.employee_no for p in people]]
        people = sel.people_to_enrol(user=request.user, employee_nos=nos)
    today = timezone.localdate()
    dues = {}
    for person in people:
        due = sel.mandatory_due_for(employee=person, course=found.course, today=today)
        if due is not None:
            dues[person.pk] = due
    results = services.enrol(session=found, employees=people, by=me, due_dates=dues)
    return Status(
        201,
        [
            EnrolledOut(
                employee_no=r.employee.employee_no,
                enrolment_id=r.enrolment.pk,
                status=r.enrolment.status,
            )
            for r in results
        ],
    )


@router.post("/training/sessions/{session_id}/attendance", response={200: SessionOut, **ERRORS})
def session_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    """Save the attendance sheet at once (trainers, HR admins); ``held`` marks it held."""
    found = sel.session_get_to_manage(user=request.user, pk=object_id(session_id))
    services.attendance_save(
        session=found,
        rows=[
            services.AttendanceRow(
                enrolment_id=r.enrolment_id,
                attended=r.attended,
                completed=r.completed,
                hours=None if r.hours is None else Decimal(str(r.hours)).quantize(Decimal("0.01")),
            )
            for r in payload.rows
        ],
        held=payload.held,
        user=request.user,
    )
    return _session(sel.session_get(user=request.user, pk=found.pk))


@router.get("/training/enrolments", response={200: EnrolmentPage, **ERRORS})
def enrolments(
    request: HttpRequest,
    course: QueryEx[str, text_param(40, "A course code.")] = "",
    employee_no: QueryEx[str, text_param(40, "An employee number.")] = "",
    status: QueryEx[str, text_param(10, "enrolled, waitlisted or cancelled")] = "",
    completed: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> EnrolmentPage:
    """Enrolments the caller may see: their own; a supervisor's chain; trainers and HR all."""
    qs = sel.enrolment_list(
        user=request.user,
        course=course,
        person=employee_no,
        status=status,
        completed=completed,
        date_from=date_from,
        date_to=date_to,
    )
    return EnrolmentPage(
        count=qs.count(), items=[_enrolment(e) for e in qs[offset : offset + limit]]
    )


@router.get("/training/enrolments/{enrolment_id}", response={200: EnrolmentOut, **ERRORS})
def enrolment(request: HttpRequest, enrolment_id: int) -> EnrolmentOut:
    return _enrolment(sel.enrolment_get(user=request.user, pk=object_id(enrolment_id)))


@router.post("/training/enrolments/{enrolment_id}/cancel", response={200: EnrolmentOut, **ERRORS})
def enrolment_cancel(request: HttpRequest, enrolment_id: int) -> EnrolmentOut:
    """Give up a place (one's own; managers others'); the first on the waitlist takes it."""
    found = sel.enrolment_get_to_cancel(user=request.user, pk=object_id(enrolment_id))
    services.enrolment_cancel(enrolment=found, user=request.user)
    return _enrolment(sel.enrolment_get(user=request.user, pk=found.pk))


@router.post("/training/enrolments/{enrolment_id}/reaction", response={200: EnrolmentOut, **ERRORS})
def enrolment_react(request: HttpRequest, enrolment_id: int, payload: ReactionIn) -> EnrolmentOut:
    """Rate a session one attended, 1–5, with an optional comment (changeable until the
    session is 30 days past)."""
    found = sel.enrolment_get_own(user=request.user, pk=object_id(enrolment_id))
    services.reaction_set(enrolment=found, reaction=payload.reaction, comment=payload.comment)
    return _enrolment(sel.enrolment_get(user=request.user, pk=found.pk))

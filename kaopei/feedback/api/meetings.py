"""Feedback API: performance interviews, review meetings and my actions. Every operation
applies the same visibility rules as the pages (``kaopei.feedback.selectors.meetings``):
what the caller may not see is a 404."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import QueryEx, Router, Schema

from kaopei.assessment.models import Cycle
from kaopei.core.api import ERRORS
from kaopei.core.api_params import limit_param, object_id, offset_param, text_param
from kaopei.core.errors import ApplicationError
from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from kaopei.feedback.selectors import meetings as sel
from kaopei.feedback.services import meetings as svc

router = Router(tags=["feedback"])


class ActionOut(Schema):
    id: int
    text: str
    owner: str  # employee number
    owner_name: str
    due_on: date
    status: str
    done_on: date | None
    source_kind: str  # "interview" or "meeting"
    source_id: int


class InterviewOut(Schema):
    id: int
    cycle: str
    employee_no: str
    name: str
    interviewer: str | None  # employee number
    scheduled_on: date | None
    status: str
    employee_acknowledged_at: datetime | None
    interviewer_acknowledged_at: datetime | None


class InterviewDetailOut(InterviewOut):
    self_summary: str
    supervisor_feedback: str
    employee_comment: str
    actions: list[ActionOut]


class InterviewPage(Schema):
    count: int
    items: list[InterviewOut]


class MeetingOut(Schema):
    id: int
    cycle: str
    team: str  # org unit code
    team_name: str
    held_on: date
    chair: str | None


class MeetingDetailOut(MeetingOut):
    participants: list[str]  # employee numbers
    findings: str
    suggestions: str
    actions: list[ActionOut]


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]


class AcknowledgeIn(Schema):
    comment: str = ""


def _action(a: ActionItem) -> ActionOut:
    return ActionOut(
        id=a.pk,
        text=a.text,
        owner=a.owner.employee_no,
        owner_name=a.owner.name,
        due_on=a.due_on,
        status=a.status,
        done_on=a.done_on,
        source_kind="interview" if a.interview_id is not None else "meeting",
        source_id=a.interview_id if a.interview_id is not None else a.meeting_id,  # type: ignore[arg-type]
    )


def _interview_fields(i: Interview) -> dict[str, Any]:
    return {
        "id": i.pk,
        "cycle": i.cycle.code,
        "employee_no": i.employee.employee_no,
        "name": i.employee.name,
        "interviewer": i.interviewer.employee_no if i.interviewer else None,
        "scheduled_on": i.scheduled_on,
        "status": i.status,
        "employee_acknowledged_at": i.employee_acknowledged_at,
        "interviewer_acknowledged_at": i.interviewer_acknowledged_at,
    }


def _interview_detail(i: Interview) -> InterviewDetailOut:
    return InterviewDetailOut(
        **_interview_fields(i),
        self_summary=i.self_summary,
        supervisor_feedback=i.supervisor_feedback,
        employee_comment=i.employee_comment,
        actions=[_action(a) for a in sel.interview_actions(i)],
    )


def _meeting_fields(m: ReviewMeeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "cycle": m.cycle.code,
        "team": m.org_unit.code,
        "team_name": m.org_unit.name,
        "held_on": m.held_on,
        "chair": m.chair.employee_no if m.chair else None,
    }


def _in_cycle(qs: Any, code: str) -> Any:
    """The cycle filter: an unknown code matches nothing (an empty page, not an error)."""
    if not code:
        return qs
    cycle: Cycle | None = sel.interview_cycles().filter(code=code.strip().upper()).first()
    return qs.filter(cycle=cycle) if cycle is not None else qs.none()


CycleFilter = QueryEx[str, text_param(40, "A cycle code: only its items.")]


@router.get("/feedback/interviews", response={200: InterviewPage, **ERRORS})
def interviews(
    request: HttpRequest,
    cycle: CycleFilter = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> InterviewPage:
    """Interviews the caller may see (theirs; a supervisor's chain's; HR all)."""
    qs = _in_cycle(sel.interview_search(user=request.user), cycle)
    return InterviewPage(
        count=qs.count(),
        items=[InterviewOut(**_interview_fields(i)) for i in qs[offset : offset + limit]],
    )


@router.get("/feedback/interviews/{interview_id}", response={200: InterviewDetailOut, **ERRORS})
def interview(request: HttpRequest, interview_id: int) -> InterviewDetailOut:
    found = sel.interview_get_for_user(user=request.user, pk=object_id(interview_id))
    return _interview_detail(found)


def _comment(request: HttpRequest) -> str:
    """The optional ``comment``: from a JSON object or a form; an empty body has none."""
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ApplicationError(_("The body is not valid JSON.")) from exc
        if not isinstance(data, dict) or not isinstance(data.get("comment", ""), str):
            raise ApplicationError(_("“comment” must be text."))
        return str(data.get("comment", "")).replace("\x00", "")
    return str(request.POST.get("comment", "")).replace("\x00", "")


@router.post(
    "/feedback/interviews/{interview_id}/acknowledge",
    response={200: InterviewDetailOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": AcknowledgeIn.json_schema()}},
        }
    },
)
def interview_acknowledge(request: HttpRequest, interview_id: int) -> InterviewDetailOut:
    """The person or the interviewer acknowledges a held interview (the person may send a
    ``comment``, as JSON or a form field). 409 when it is not held yet or already
    acknowledged by the caller."""
    found = sel.interview_get_for_user(user=request.user, pk=object_id(interview_id))
    if not (sel.is_interviewee(request.user, found) or sel.is_interviewer(request.user, found)):
        raise PermissionDenied
    done = svc.interview_acknowledge(interview=found, user=request.user, comment=_comment(request))
    return _interview_detail(sel.interview_get_for_user(user=request.user, pk=done.pk))


@router.get("/feedback/review-meetings", response={200: MeetingPage, **ERRORS})
def meetings(
    request: HttpRequest,
    cycle: CycleFilter = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> MeetingPage:
    """Review meetings the caller may see (HR all; a team's supervisors, participants and
    members theirs)."""
    qs = _in_cycle(sel.meeting_search(user=request.user), cycle)
    return MeetingPage(
        count=qs.count(),
        items=[MeetingOut(**_meeting_fields(m)) for m in qs[offset : offset + limit]],
    )


@router.get("/feedback/review-meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    m = sel.meeting_get_for_user(user=request.user, pk=object_id(meeting_id))
    return MeetingDetailOut(
        **_meeting_fields(m),
        participants=list(
            m.participants.order_by("employee_no").values_list("employee_no", flat=True)
        ),
        findings=m.findings,
        suggestions=m.suggestions,
        actions=[_action(a) for a in sel.meeting_actions(m)],
    )


@router.get("/feedback/actions", response={200: list[ActionOut], **ERRORS})
def my_actions(
    request: HttpRequest,
    status: QueryEx[str, text_param(8, "open, done or dropped: only those.")] = "",
) -> list[ActionOut]:
    """The actions the caller owns, by due date."""
    if status and status not in ActionItem.Status.values:
        return []
    return [_action(a) for a in sel.my_actions(user=request.user, status=status)]

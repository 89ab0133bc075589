"""Feedback API: rounds. Every operation applies the same visibility rules as the pages:
HR admins see every round, supervisors the rounds about people of their chain (and only
those people); the counts say how many answered, never who."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import PathEx, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.api_params import text_param
from kaopei.feedback import rules
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.rounds import (
    round_get_for_user,
    round_list_visible_to,
    round_progress,
    round_subjects_visible_to,
    round_totals,
    subject_scope_ids,
)
from kaopei.feedback.services.rounds import feedback_round_close

router = Router(tags=["feedback"])

CycleCode = PathEx[str, text_param(40, "A cycle code: 2026Q1, 2026H1 or 2026.")]


class RoundOut(Schema):
    cycle: str
    status: str
    deadline: date | None
    opened_at: datetime | None
    closed_at: datetime | None
    questionnaire: str | None
    subjects: int
    raters: int  # proposed (preparing) or asked (open, closed)
    answered: int


class SubjectOut(Schema):
    employee_no: str
    name: str
    org_unit: str
    raters: int
    answered: int
    pending_nominations: int
    raters_approved: bool


class RoundDetailOut(RoundOut):
    people: list[SubjectOut]


def _require_rounds(user: Any) -> None:
    if not rules.can_see_rounds(user):
        raise PermissionDenied


def _scoped_ids(user: Any, r: FeedbackRound) -> list[int] | None:
    if subject_scope_ids(user) is None:
        return None
    return list(
        round_subjects_visible_to(user=user, feedback_round=r).values_list("employee_id", flat=True)
    )


def _round_out(user: Any, r: FeedbackRound) -> dict[str, Any]:
    ids = _scoped_ids(user, r)
    totals = round_totals(r, ids)
    q = r.questionnaire
    return {
        "cycle": r.cycle.code,
        "status": r.status,
        "deadline": r.deadline,
        "opened_at": r.opened_at,
        "closed_at": r.closed_at,
        "questionnaire": f"{q.code} v{q.version}" if q is not None else None,
        "subjects": len(ids) if ids is not None else r.subjects.count(),
        "raters": totals.raters,
        "answered": totals.answered,
    }


@router.get("/feedback/rounds", response={200: list[RoundOut], **ERRORS})
def rounds(request: HttpRequest) -> list[dict[str, Any]]:
    """The 360 rounds the caller may see, with their status, deadline and counts."""
    _require_rounds(request.user)
    return [_round_out(request.user, r) for r in round_list_visible_to(user=request.user)]


@router.get("/feedback/rounds/{cycle}", response={200: RoundDetailOut, **ERRORS})
def round_detail(request: HttpRequest, cycle: CycleCode) -> dict[str, Any]:
    """One round and, per person in the caller's scope, the raters asked and the answers
    received (numbers only)."""
    _require_rounds(request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    subjects = list(round_subjects_visible_to(user=request.user, feedback_round=r))
    progress = round_progress(r, [s.employee_id for s in subjects])
    out = _round_out(request.user, r)
    out["people"] = [
        {
            "employee_no": s.employee.employee_no,
            "name": s.employee.name,
            "org_unit": s.employee.org_unit.code,
            "raters": progress[s.employee_id].raters,
            "answered": progress[s.employee_id].answered,
            "pending_nominations": progress[s.employee_id].pending_nominations,
            "raters_approved": s.raters_approved_at is not None,
        }
        for s in subjects
    ]
    return out


@router.post("/feedback/rounds/{cycle}/close", response={200: RoundOut, **ERRORS})
def round_close(request: HttpRequest, cycle: CycleCode) -> dict[str, Any]:
    """HR admins: close an open round (409 when it is not open)."""
    if not rules.can_manage_rounds(request.user):
        raise PermissionDenied
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    closed = feedback_round_close(feedback_round=r, user=request.user)
    return _round_out(request.user, closed)

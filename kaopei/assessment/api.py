"""Assessment endpoints (DESIGN.md §4.3 ⚑): cycles, scoring as a job, scorecards with the
evidence behind every line, and jobs. The same visibility rules as the pages.

Numbers are JSON numbers (schema ``number``), rounded like the exports: actual, target and
attainment to 4 decimals, points, weight and total to 2.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import PathEx, QueryEx, Router, Schema
from ninja.responses import Status

from kaopei.assessment.evidence import evidence_for
from kaopei.assessment.exports import rounded
from kaopei.assessment.models import Cycle, Scorecard
from kaopei.assessment.selectors import (
    cycle_get_for_user,
    cycle_list_visible_to,
    job_get_for_user,
    scorecard_gaps,
    scorecard_get_for_user,
    scorecard_list_visible_to,
)
from kaopei.assessment.selectors import require_hr as _require_hr
from kaopei.assessment.tasks import job_live_progress, score_cycle_enqueue
from kaopei.core.api import ERRORS
from kaopei.core.api_params import limit_param, object_id, offset_param, text_param
from kaopei.core.models import Job
from kaopei.core.periods import parse_period

router = Router(tags=["assessment"])
EVIDENCE_CAP = 500
# A cycle code in a path: bounded and printable here, checked as a code by the domain (a
# clear 400 when scoring, 404 when reading).
CycleCode = PathEx[str, text_param(40, "A cycle code: 2026Q1, 2026H1 or 2026.")]
EmployeeNo = PathEx[str, text_param(40, "An employee number.")]


class CycleOut(Schema):
    code: str
    kind: str
    start: date
    end: date
    days: int
    status: str
    grade_policy: str | None
    appeal_deadline: date | None
    max_a_share: float
    scored_at: datetime | None
    finalised_at: datetime | None


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    total: int
    percent: int
    result: dict[str, Any]
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ScorecardOut(Schema):
    employee_no: str
    name: str
    org_unit: str
    level: str
    cycle: str
    total: float | None
    grade: str
    computed_grade: str
    veto_reason: str
    renormalised: bool
    final: bool
    template: str
    template_version: int
    acknowledged_at: datetime | None
    # False: kept for the record, its owner no longer eligible (not re-scored, not counted).
    eligible: bool


class ScorecardPage(Schema):
    count: int
    items: list[ScorecardOut]


class EvidenceGroupOut(Schema):
    label: str
    count: int
    keys: list[str]
    truncated: bool


class LineOut(Schema):
    metric: str
    name: str
    unit: str
    actual: float | None
    target: float | None
    attainment: float | None
    points: float | None
    weight: float
    cap: float
    has_data: bool
    warning: str
    evidence: list[EvidenceGroupOut] | None


class CalibrationOut(Schema):
    from_grade: str
    to_grade: str
    reason: str
    by: str | None
    at: datetime


class ScorecardDetailOut(ScorecardOut):
    weight_with_data: float
    weight_total: float
    inputs_hash: str
    lines: list[LineOut]
    calibrations: list[CalibrationOut]
    gaps: list[dict[str, Any]]


def _num(value: Decimal | None, places: int) -> float | None:
    out = rounded(value, places)
    return None if out is None else float(out)


def _cycle_out(c: Cycle) -> CycleOut:
    return CycleOut(
        code=c.code,
        kind=c.kind,
        start=c.start,
        end=c.end,
        days=c.days,
        status=c.status,
        grade_policy=c.grade_policy.code if c.grade_policy else None,
        appeal_deadline=c.appeal_deadline,
        max_a_share=float(c.max_a_share),
        scored_at=c.scored_at,
        finalised_at=c.finalised_at,
    )


def _job_out(job: Job) -> JobOut:
    done, total = job_live_progress(job)
    percent = min(100, done * 100 // total) if total else (100 if job.is_done else 0)
    return JobOut(
        id=job.pk,
        kind=job.kind,
        status=job.status,
        progress=done,
        total=total,
        percent=percent,
        result=job.result or {},
        error=_job_error(job),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def _job_error(job: Job) -> str:
    """What went wrong, for a failed job: the domain message, never a traceback."""
    if job.status != Job.Status.FAILED:
        return ""
    return str((job.result or {}).get("detail") or "The job failed; the error has been logged.")


def _card_fields(card: Scorecard) -> dict[str, Any]:
    return {
        "employee_no": card.employee.employee_no,
        "name": card.employee.name,
        "org_unit": card.org_unit.code,
        "level": card.level.code,
        "cycle": card.cycle.code,
        "total": _num(card.total, 2),
        "grade": card.grade,
        "computed_grade": card.computed_grade,
        "veto_reason": card.veto_reason,
        "renormalised": card.renormalised,
        "final": card.cycle.is_final,
        "template": card.template.code,
        "template_version": card.template.version,
        "acknowledged_at": card.acknowledged_at,
        "eligible": card.eligible,
    }


def _evidence(code: str, employee_id: int, cycle: Cycle) -> list[EvidenceGroupOut] | None:
    """The keys of the records a line counted, by group; at most 500 keys per group."""
    found = evidence_for(code, employee_id, parse_period(cycle.code))
    if found is None:
        return None
    groups = []
    for group in found.groups:
        if group.voided:  # the records voided by hand count nowhere: not listed here
            continue
        key = group.columns[0][0]
        keys = [str(k) for k in group.queryset.values_list(key, flat=True)[: EVIDENCE_CAP + 1]]
        truncated = len(keys) > EVIDENCE_CAP
        count = group.queryset.count() if truncated else len(keys)
        groups.append(
            EvidenceGroupOut(
                label=str(group.label), count=count, keys=keys[:EVIDENCE_CAP], truncated=truncated
            )
        )
    return groups


@router.get("/cycles", response={200: list[CycleOut], **ERRORS})
def cycles(request: HttpRequest) -> list[CycleOut]:
    """Cycles: every one for HR admins (drafts included), published ones for others."""
    return [
        _cycle_out(c) for c in cycle_list_visible_to(user=request.user).order_by("-start", "kind")
    ]


@router.post("/cycles/{code}/score", response={202: JobOut, **ERRORS})
def score(request: HttpRequest, code: CycleCode) -> Any:
    """HR admins: score the cycle (created if needed) as a background job; returns the job
    (poll ``GET /jobs/{id}``), or the cycle's scoring job already under way (one at a time).
    400 for a bad code, 409 for a final cycle."""
    _require_hr(request.user)
    job = score_cycle_enqueue(code=code, user=request.user).job
    return Status(202, _job_out(job))


@router.get("/cycles/{code}/scorecards", response={200: ScorecardPage, **ERRORS})
def scorecards(
    request: HttpRequest,
    code: CycleCode,
    unit: QueryEx[str, text_param(40, "An org unit code.")] = "",
    grade: QueryEx[str, text_param(20, "A grade (any case).")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> ScorecardPage:
    """The scorecards of a cycle the caller may see (HR all; supervisors their people;
    account managers their own once published), by employee number; ``limit`` ≤ 500."""
    cycle = cycle_get_for_user(user=request.user, code=code)
    qs = scorecard_list_visible_to(user=request.user, cycle=cycle).order_by("employee__employee_no")
    if unit:
        qs = qs.filter(org_unit__code=unit)
    if grade:
        qs = qs.filter(grade=grade.upper())
    return ScorecardPage(
        count=qs.count(),
        items=[ScorecardOut(**_card_fields(c)) for c in qs[offset : offset + limit]],
    )


@router.get("/cycles/{code}/scorecards/{employee_no}", response={200: ScorecardDetailOut, **ERRORS})
def scorecard(request: HttpRequest, code: CycleCode, employee_no: EmployeeNo) -> ScorecardDetailOut:
    """One scorecard with its lines and, for each line, the records it counted."""
    card = scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    lines = []
    for line in card.lines.all():
        metric = line.metric
        lines.append(
            LineOut(
                metric=metric.code,
                name=metric.name,
                unit=metric.unit,
                actual=_num(line.actual, 4),
                target=_num(line.target, 4),
                attainment=_num(line.attainment, 4),
                points=_num(line.points, 2),
                weight=float(rounded(line.weight, 2) or 0),
                cap=float(line.cap),
                has_data=line.has_data,
                warning=line.warning,
                evidence=_evidence(metric.code, card.employee_id, card.cycle),
            )
        )
    return ScorecardDetailOut(
        **_card_fields(card),
        weight_with_data=float(card.weight_with_data),
        weight_total=float(card.weight_total),
        inputs_hash=card.inputs_hash,
        lines=lines,
        calibrations=[
            CalibrationOut(
                from_grade=c.from_grade,
                to_grade=c.to_grade,
                reason=c.reason,
                by=c.by.get_username() if c.by else None,
                at=c.at,
            )
            for c in card.calibrations.all()
        ],
        gaps=scorecard_gaps(card=card),
    )


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job(request: HttpRequest, job_id: int) -> JobOut:
    """A job's status, progress and result: for the person who started it and HR admins."""
    return _job_out(job_get_for_user(user=request.user, job_id=object_id(job_id)))

"""Training API: role-plays. The library (list, detail), the agreement across a role-play's
performances (trainers, HR), performances (the visible ones; one's detail under the same
independence rule as the page: an assessor sees no score before submitting their own, and
the performer and their supervisors see no assessor names), and an assessor's submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, QueryEx, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS
from kaopei.core.api_params import limit_param, object_id, offset_param, text_param
from kaopei.training.selectors import roleplays as sel
from kaopei.training.services import roleplays as services

router = Router(tags=["training"])


class RubricCriterionOut(Schema):
    id: int
    order: int
    name: str
    name_en: str
    description: str
    description_en: str
    weight: Decimal


class RolePlayOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    course: str | None = Field(description="The course code, if any.")
    scale_min: int
    scale_max: int
    disagreement_threshold: Decimal
    active: bool
    version: int


class RolePlayDetailOut(RolePlayOut):
    learner_brief: str
    learner_brief_en: str
    client_brief: str | None = Field(description="Trainers, HR and assessors only.")
    client_brief_en: str | None
    criteria: list[RubricCriterionOut]


class RolePlayPage(Schema):
    count: int
    items: list[RolePlayOut]


class AgreementOut(Schema):
    statistic: str = "ICC(1)"
    coefficient: float | None = Field(
        description="None when fewer than 3 performances have at least 2 submitted scores."
    )
    band: str | None = Field(description="poor, moderate, good or excellent (Koo & Li 2016).")
    performances: int
    ratings: int
    needed: int


class PerformanceOut(Schema):
    id: int
    roleplay: str
    performer: str = Field(description="The performer's employee number.")
    performer_name: str
    performed_on: dt.date
    status: str


class CriterionScoreOut(Schema):
    criterion_id: int
    value: Decimal
    comment: str


class SheetOut(Schema):
    assessor: str | None = Field(description="Employee number; None for readers not shown names.")
    submitted_at: dt.datetime | None
    comment: str
    scores: list[CriterionScoreOut]
    toolkit_versions: list[int]


class CriterionSummaryOut(Schema):
    criterion_id: int
    mean: Decimal | None
    range: Decimal | None
    std_dev: float | None
    flagged: bool
    comments: list[str]


class PerformanceDetailOut(PerformanceOut):
    scores_visible: bool = Field(
        description=(
            "False for an assessor who has not submitted their own scores yet, and for the "
            "performer and their supervisors until every assessor has scored (or it closes)."
        )
    )
    results_pending: bool = Field(
        description="The performer and their supervisors: scores are shown once every "
        "assessor has scored or the performance is closed."
    )
    awaiting_my_scores: bool
    result: Decimal | None = Field(description="Weighted rubric total as % of its maximum.")
    criteria: list[CriterionSummaryOut]
    sheets: list[SheetOut] = Field(
        description="Per assessor (trainers, HR, assessors who submitted)."
    )
    toolkit_versions: list[int]


class PerformancePage(Schema):
    count: int
    items: list[PerformanceOut]


class ScoreIn(Schema):
    scores: dict[int, Any] = Field(
        description=(
            "Criterion id → score on the scale (a number or a numeric string; whole or half "
            "points). Anything else, however large, is refused as outside the scale."
        )
    )
    comments: dict[int, str] = Field(default_factory=dict, description="Criterion id → comment.")
    comment: str = Field("", max_length=4000)
    toolkit_versions: list[int] = Field(default_factory=list, max_length=20)


def _roleplay(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "code": r.code,
        "title": r.title,
        "title_en": r.title_en,
        "course": r.course.code if r.course_id else None,
        "scale_min": r.scale_min,
        "scale_max": r.scale_max,
        "disagreement_threshold": r.disagreement_threshold,
        "active": r.active,
        "version": r.version,
    }


def _performance(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "roleplay": p.roleplay.code,
        "performer": p.performer.employee_no,
        "performer_name": p.performer.name,
        "performed_on": p.performed_on,
        "status": p.status,
    }


@router.get("/training/roleplays", response={200: RolePlayPage, **ERRORS})
def roleplays(
    request: HttpRequest,
    q: QueryEx[str, text_param(100, "Code or title contains.")] = "",
    active: QueryEx[str, text_param(3, "yes or no (trainers, HR).")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> Any:
    """The role-plays the caller may browse (archived ones for trainers and HR only)."""
    qs = sel.roleplay_list_visible_to(user=request.user, query=q, active=active)
    return RolePlayPage(
        count=qs.count(), items=[RolePlayOut(**_roleplay(r)) for r in qs[offset : offset + limit]]
    )


@router.get("/training/roleplays/{roleplay_id}", response={200: RolePlayDetailOut, **ERRORS})
def roleplay(request: HttpRequest, roleplay_id: int) -> Any:
    r = sel.roleplay_get_for_user(user=request.user, pk=object_id(roleplay_id))
    client = sel.may_see_client_brief(user=request.user)
    return RolePlayDetailOut(
        **_roleplay(r),
        learner_brief=r.learner_brief,
        learner_brief_en=r.learner_brief_en,
        client_brief=r.client_brief if client else None,
        client_brief_en=r.client_brief_en if client else None,
        criteria=[
            RubricCriterionOut(
                id=c.pk,
                order=c.order,
                name=c.name,
                name_en=c.name_en,
                description=c.description,
                description_en=c.description_en,
                weight=c.weight,
            )
            for c in r.criteria.all()
        ],
    )


@router.get("/training/roleplays/{roleplay_id}/agreement", response={200: AgreementOut, **ERRORS})
def roleplay_agreement(request: HttpRequest, roleplay_id: int) -> Any:
    """ICC(1) across the role-play's performances (trainers, HR admins)."""
    r = sel.roleplay_get_to_manage(user=request.user, pk=object_id(roleplay_id))
    a = sel.agreement_for_roleplay(roleplay=r)
    return AgreementOut(
        coefficient=a.coefficient,
        band=a.band,
        performances=a.performances,
        ratings=a.ratings,
        needed=sel.agreement.MIN_PERFORMANCES,
    )


@router.get("/training/performances", response={200: PerformancePage, **ERRORS})
def performances(
    request: HttpRequest,
    roleplay: QueryEx[str, text_param(40, "A role-play code.")] = "",
    status: QueryEx[str, text_param(8, "open or closed.")] = "",
    q: QueryEx[str, text_param(100, "Performer's name or employee number contains.")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> Any:
    """Performances the caller may read: their own, their chain's, those they assess (all
    for trainers and HR); newest first."""
    qs = sel.performance_list_visible_to(user=request.user, status=status, query=q)
    if roleplay:
        qs = qs.filter(roleplay__code=roleplay)
    return PerformancePage(
        count=qs.count(),
        items=[PerformanceOut(**_performance(p)) for p in qs[offset : offset + limit]],
    )


def _detail(request: HttpRequest, p: Any) -> PerformanceDetailOut:
    v = sel.performance_view(user=request.user, performance=p)
    names = v.mode == sel.FULL
    return PerformanceDetailOut(
        **_performance(p),
        scores_visible=v.mode != sel.HIDDEN and not v.results_pending,
        results_pending=v.results_pending,
        awaiting_my_scores=v.awaiting_me,
        result=v.result,
        criteria=[
            CriterionSummaryOut(
                criterion_id=row.criterion.pk,
                mean=row.spread.mean,
                range=row.spread.range if names else None,
                std_dev=row.spread.std_dev if names else None,
                flagged=row.spread.flagged if names else False,
                comments=row.comments,
            )
            for row in v.criteria
        ],
        sheets=[
            SheetOut(
                assessor=s.assessor.employee_no,
                submitted_at=s.submitted_at,
                comment=s.comment,
                scores=[
                    CriterionScoreOut(criterion_id=x.criterion_id, value=x.value, comment=x.comment)
                    for x in s.criterion_scores.all()
                ],
                toolkit_versions=[t.pk for t in s.toolkit_versions.all()],
            )
            for s in v.sheets
        ]
        if names
        else [],
        toolkit_versions=[t.pk for t in v.toolkit_versions],
    )


@router.get(
    "/training/performances/{performance_id}", response={200: PerformanceDetailOut, **ERRORS}
)
def performance(request: HttpRequest, performance_id: int) -> Any:
    """One performance. An assessor who has not submitted sees no score; the performer and
    their supervisors see averages and comments without assessor names."""
    p = sel.performance_get_for_user(user=request.user, pk=object_id(performance_id))
    return _detail(request, p)


@router.post(
    "/training/performances/{performance_id}/scores",
    response={201: PerformanceDetailOut, **ERRORS},
)
def performance_scores_submit(request: HttpRequest, performance_id: int, payload: ScoreIn) -> Any:
    """Submit the caller's final scores (an assessor of the performance): 400 for a missing
    criterion, a score outside the scale or an unknown toolkit version; 403 for a caller who
    is not its assessor; 409 when already submitted or the performance is closed."""
    p, me = sel.performance_get_to_score(user=request.user, pk=object_id(performance_id))
    if me.pk == p.performer_id:
        raise PermissionDenied
    services.score_submit(
        performance=p,
        assessor=me,
        values=dict(payload.scores),
        comments=dict(payload.comments),
        comment=payload.comment,
        toolkit_version_ids=payload.toolkit_versions,
    )
    return Status(201, _detail(request, p))

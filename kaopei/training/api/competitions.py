"""Training API: group competitions, with the visibility of the pages.

- ``GET /training/competitions`` and ``/training/competitions/{code}``: anyone employed
  (drafts for organisers only);
- ``GET|PUT /training/competitions/{code}/submission``: the caller's team's submission
  (text; files through the page);
- ``GET /training/review-assignments`` and ``POST /training/review-assignments/{id}/review``:
  the reviews the caller's teams have to write, and writing one;
- ``POST /training/competitions/{code}/teams/{team_id}/expert-score``: the experts;
- ``GET /training/competitions/{code}/leaderboard``: as the leaderboard page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.training.models import Competition
from kaopei.training.selectors import competitions as sel
from kaopei.training.services import competitions as services

router = Router(tags=["training"])


class CompetitionCriterionOut(Schema):
    id: int
    name: str
    name_en: str
    weight: int


class CompetitionOut(Schema):
    code: str
    title: str
    title_en: str
    status: str
    opens_at: dt.datetime
    deadline_at: dt.datetime
    review_deadline_at: dt.datetime


class CompetitionDetailOut(CompetitionOut):
    task: str
    task_en: str
    scale_min: int
    scale_max: int
    expert_weight: int
    peer_weight: int
    reviews_per_team: int
    criteria: list[CompetitionCriterionOut]
    teams: list[str]
    my_team: str | None


class SubmissionOut(Schema):
    team: str
    text: str
    version: int
    submitted_at: dt.datetime | None
    files: list[str]


class SubmissionIn(Schema):
    text: str = Field(max_length=services.TEXT_MAX)


class AssignmentOut(Schema):
    id: int
    competition: str
    submission_text: str
    reviewed: bool


class CompetitionScoreIn(Schema):
    scores: dict[int, int] = Field(description="criterion id → score on the competition's scale")
    comment: str = Field("", max_length=5000)


class ReviewOut(Schema):
    id: int
    submitted_at: dt.datetime


class StandingOut(Schema):
    rank: int | None
    team: str
    combined: float | None = Field(json_schema_extra={"type": ["number", "null"]})
    expert: float | None = Field(json_schema_extra={"type": ["number", "null"]})
    peer: float | None = Field(json_schema_extra={"type": ["number", "null"]})
    partial: bool
    peer_reviews: int
    experts: int


class LeaderboardOut(Schema):
    code: str
    expert_weight: int
    peer_weight: int
    final: bool
    standings: list[StandingOut]


def _out(c: Competition) -> dict[str, Any]:
    return {
        "code": c.code,
        "title": c.title,
        "title_en": c.title_en,
        "status": c.status,
        "opens_at": c.opens_at,
        "deadline_at": c.deadline_at,
        "review_deadline_at": c.review_deadline_at,
    }


@router.get("/training/competitions", response={200: list[CompetitionOut], **ERRORS})
def competition_list(request: HttpRequest, status: str = "", mine: bool = False) -> Any:
    """Competitions the caller may see, latest deadline first."""
    if status and status not in Competition.Status.values:
        raise Http404
    return [
        _out(c)
        for c in sel.competition_list_visible_to(user=request.user, status=status, mine=mine)[:200]
    ]


@router.get("/training/competitions/{code}", response={200: CompetitionDetailOut, **ERRORS})
def competition_detail(request: HttpRequest, code: str) -> Any:
    c = sel.competition_get_for_user(user=request.user, code=code)
    team = sel.team_of(competition=c, employee=sel.reader_employee(request.user))
    return {
        **_out(c),
        "task": c.task,
        "task_en": c.task_en,
        "scale_min": c.scale_min,
        "scale_max": c.scale_max,
        "expert_weight": c.expert_weight,
        "peer_weight": c.peer_weight,
        "reviews_per_team": c.reviews_per_team,
        "criteria": [
            {"id": k.pk, "name": k.name, "name_en": k.name_en, "weight": k.weight}
            for k in c.criteria.all()
        ],
        "teams": [t.name for t in c.teams.order_by("name")],
        "my_team": team.name if team else None,
    }


def _my_team(request: HttpRequest, code: str) -> Any:
    c = sel.competition_get_for_user(user=request.user, code=code)
    me = sel.reader_employee(request.user)
    team = sel.team_of(competition=c, employee=me)
    if team is None or me is None:
        raise PermissionDenied
    return c, me, team


def _submission_out(team: Any) -> dict[str, Any]:
    s = getattr(team, "submission", None)
    return {
        "team": team.name,
        "text": s.text if s else "",
        "version": s.version if s else 0,
        "submitted_at": s.submitted_at if s else None,
        "files": [f.original_name for f in s.files.all()] if s else [],
    }


@router.get("/training/competitions/{code}/submission", response={200: SubmissionOut, **ERRORS})
def submission_get(request: HttpRequest, code: str) -> Any:
    """The caller's team's submission (version 0: nothing submitted yet)."""
    _c, _me, team = _my_team(request, code)
    return _submission_out(team)


@router.put("/training/competitions/{code}/submission", response={200: SubmissionOut, **ERRORS})
def submission_put(request: HttpRequest, code: str, payload: SubmissionIn) -> Any:
    """Submit or replace the team's text before the deadline (409/400 after it)."""
    c, me, team = _my_team(request, code)
    services.submission_save(competition=c, employee=me, text=payload.text)
    team.refresh_from_db()
    return _submission_out(sel.team_of(competition=c, employee=me))


@router.get("/training/review-assignments", response={200: list[AssignmentOut], **ERRORS})
def assignment_list(request: HttpRequest) -> Any:
    """The submissions the caller's teams review (the reviewed team is not named)."""
    return [
        {
            "id": a.pk,
            "competition": a.competition.code,
            "submission_text": a.submission.text,
            "reviewed": hasattr(a, "review"),
        }
        for a in sel.my_assignments(user=request.user)
    ]


@router.post(
    "/training/review-assignments/{assignment_id}/review",
    response={201: ReviewOut, **ERRORS},
)
def review_submit(request: HttpRequest, assignment_id: int, payload: CompetitionScoreIn) -> Any:
    """The caller's team's review of an assigned submission (409 when already reviewed)."""
    a = sel.assignment_get_for_user(user=request.user, pk=assignment_id)
    me = sel.reader_employee(request.user)
    assert me is not None  # the selector found the caller's team
    review = services.peer_review_submit(
        assignment=a, employee=me, scores=payload.scores, comment=payload.comment
    )
    return 201, {"id": review.pk, "submitted_at": review.submitted_at}


@router.post(
    "/training/competitions/{code}/teams/{team_id}/expert-score",
    response={201: ReviewOut, **ERRORS},
)
def expert_score(request: HttpRequest, code: str, team_id: int, payload: CompetitionScoreIn) -> Any:
    """An expert's score of a team (replaces the expert's earlier one)."""
    c = sel.competition_get_for_user(user=request.user, code=code)
    team = sel.team_for_expert(user=request.user, competition=c, pk=team_id)
    me = sel.reader_employee(request.user)
    assert me is not None
    score = services.expert_score_submit(
        team=team, employee=me, scores=payload.scores, comment=payload.comment
    )
    return 201, {"id": score.pk, "submitted_at": score.submitted_at}


@router.get("/training/competitions/{code}/leaderboard", response={200: LeaderboardOut, **ERRORS})
def leaderboard(request: HttpRequest, code: str) -> Any:
    c, standings = sel.leaderboard_for_user(user=request.user, code=code)
    return {
        "code": c.code,
        "expert_weight": c.expert_weight,
        "peer_weight": c.peer_weight,
        "final": c.status == Competition.Status.CLOSED,
        "standings": [
            {
                "rank": s.rank,
                "team": s.name,
                "combined": float(s.combined) if s.combined is not None else None,
                "expert": float(s.expert) if s.expert is not None else None,
                "peer": float(s.peer) if s.peer is not None else None,
                "partial": s.partial,
                "peer_reviews": s.peer_reviews,
                "experts": s.experts,
            }
            for s in standings
        ],
    }

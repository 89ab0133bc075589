"""Group competitions: every read a person sees, scoped and authorised.

Who sees what:
- the list and a competition's task: anyone employed (drafts: organisers only);
- a submission's text and files: its team, the teams assigned to review it, the experts,
  organisers (trainers, HR);
- the **leaderboard**: organisers, HR and experts at any time after opening; the
  competition's participants once it is closed. Others (executives, supervisors who are not
  in it) do not see it: a competition is a training exercise, not an assessment;
- a team's **reviews**: its members once the competition is closed — the scores and
  comments of each review and of each expert, with the reviewing teams' names hidden
  (experts are named).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user
from kaopei.training.competition_ranking import Standing, TeamScores, ranking, rubric_percent
from kaopei.training.models import (
    Competition,
    ExpertScore,
    PeerReview,
    ReviewAssignment,
    Submission,
    SubmissionFile,
    Team,
    TeamMember,
)
from kaopei.training.rules import can_organise_competitions, can_see_competitions

Status = Competition.Status


def reader_employee(user: Any) -> Employee | None:
    return employee_for_user(user) if getattr(user, "is_authenticated", False) else None


def competition_list_visible_to(
    *, user: Any, q: str = "", status: str = "", mine: bool = False
) -> QuerySet[Competition]:
    """Competitions the reader may see (drafts only for organisers), filtered by a search
    on code/title, a status, or only those the reader takes part in (team or expert)."""
    if not can_see_competitions(user):
        raise PermissionDenied
    qs = Competition.objects.select_related("course")
    if not can_organise_competitions(user):
        qs = qs.exclude(status=Status.DRAFT)
    if mine:
        me = reader_employee(user)
        if me is None:
            return qs.none()
        qs = qs.filter(Q(teams__members=me) | Q(experts=me)).distinct()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(title_en__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-deadline_at", "code")


def competition_get_for_user(*, user: Any, code: str) -> Competition:
    """A competition the reader may see (404 for a draft unless an organiser)."""
    if not can_see_competitions(user):
        raise PermissionDenied
    competition = Competition.objects.select_related("course").filter(code=code).first()
    if competition is None:
        raise Http404
    if competition.status == Status.DRAFT and not can_organise_competitions(user):
        raise Http404
    return competition


def competition_for_organiser(*, user: Any, code: str) -> Competition:
    if not can_organise_competitions(user):
        raise PermissionDenied
    competition = Competition.objects.filter(code=code).first()
    if competition is None:
        raise Http404
    return competition


def team_of(*, competition: Competition, employee: Employee | None) -> Team | None:
    if employee is None:
        return None
    row = (
        TeamMember.objects.filter(competition=competition, employee=employee)
        .select_related("team")
        .first()
    )
    return row.team if row else None


def is_expert(*, competition: Competition, employee: Employee | None) -> bool:
    return employee is not None and competition.experts.filter(pk=employee.pk).exists()


def is_participant(*, competition: Competition, employee: Employee | None) -> bool:
    return team_of(competition=competition, employee=employee) is not None or is_expert(
        competition=competition, employee=employee
    )


def may_see_leaderboard(*, user: Any, competition: Competition) -> bool:
    if competition.status == Status.DRAFT:
        return False
    if can_organise_competitions(user):
        return True
    me = reader_employee(user)
    if is_expert(competition=competition, employee=me):
        return True
    return (
        competition.status == Status.CLOSED
        and team_of(competition=competition, employee=me) is not None
    )


def leaderboard_for_user(*, user: Any, code: str) -> tuple[Competition, list[Standing]]:
    competition = competition_get_for_user(user=user, code=code)
    if not may_see_leaderboard(user=user, competition=competition):
        raise PermissionDenied
    return competition, leaderboard(competition)


def leaderboard(competition: Competition) -> list[Standing]:
    """The combined ranking of every team (see :mod:`competition_ranking`)."""
    weights = {c.pk: c.weight for c in competition.criteria.all()}
    smin, smax = competition.scale_min, competition.scale_max

    def percent(rows: Any) -> Decimal:
        return rubric_percent(
            {s.criterion_id: s.score for s in rows}, weights, scale_min=smin, scale_max=smax
        )

    peer: dict[int, list[Decimal]] = {}
    for review in (
        PeerReview.objects.filter(assignment__competition=competition)
        .select_related("assignment__submission")
        .prefetch_related("scores")
    ):
        peer.setdefault(review.assignment.submission.team_id, []).append(
            percent(review.scores.all())
        )
    expert: dict[int, list[Decimal]] = {}
    for score in ExpertScore.objects.filter(competition=competition).prefetch_related("scores"):
        expert.setdefault(score.team_id, []).append(percent(score.scores.all()))
    teams = [
        TeamScores(
            team=t.pk,
            name=t.name,
            peer_percents=tuple(peer.get(t.pk, [])),
            expert_percents=tuple(expert.get(t.pk, [])),
        )
        for t in competition.teams.all()
    ]
    return ranking(
        teams, expert_weight=competition.expert_weight, peer_weight=competition.peer_weight
    )


def team_list(competition: Competition) -> list[Team]:
    return list(
        competition.teams.prefetch_related("members").select_related("submission").order_by("name")
    )


def assignments_of(*, competition: Competition, team: Team | None) -> list[ReviewAssignment]:
    """The reviews a team has to write, with the review if written."""
    if team is None:
        return []
    return list(
        ReviewAssignment.objects.filter(reviewer_team=team)
        .select_related("submission", "review")
        .order_by("submission_id")
    )


def my_assignments(*, user: Any) -> list[ReviewAssignment]:
    """Every review assignment of the reader's teams (API)."""
    me = reader_employee(user)
    if me is None:
        return []
    return list(
        ReviewAssignment.objects.filter(reviewer_team__members=me)
        .select_related("competition", "submission", "review")
        .order_by("competition__code", "submission_id")
    )


def assignment_get_for_user(*, user: Any, pk: int) -> ReviewAssignment:
    """An assignment for a member of its reviewing team; 404 for anyone else (the reviewed
    team included: it must not learn who reviews it)."""
    a = (
        ReviewAssignment.objects.select_related("competition", "submission__team", "reviewer_team")
        .filter(pk=pk)
        .first()
    )
    me = reader_employee(user)
    if a is None or me is None:
        raise Http404
    mine = team_of(competition=a.competition, employee=me)
    if mine is None or mine.pk != a.reviewer_team_id:
        raise Http404
    return a


def submission_visible_to(*, user: Any, submission: Submission) -> bool:
    competition = submission.team.competition
    if can_organise_competitions(user):
        return True
    me = reader_employee(user)
    if me is None:
        return False
    if is_expert(competition=competition, employee=me):
        return True
    mine = team_of(competition=competition, employee=me)
    if mine is None:
        return False
    return (
        mine.pk == submission.team_id
        or ReviewAssignment.objects.filter(reviewer_team=mine, submission=submission).exists()
    )


def submission_file_get_for_user(*, user: Any, pk: int) -> SubmissionFile:
    f = SubmissionFile.objects.select_related("submission__team__competition").filter(pk=pk).first()
    if f is None or not submission_visible_to(user=user, submission=f.submission):
        raise Http404
    return f


def team_for_expert(*, user: Any, competition: Competition, pk: int) -> Team:
    me = reader_employee(user)
    if not is_expert(competition=competition, employee=me):
        raise PermissionDenied
    team = Team.objects.filter(competition=competition, pk=pk).select_related("submission").first()
    if team is None:
        raise Http404
    return team


@dataclass(frozen=True)
class ReceivedReview:
    label: str  # "Review 1" — the reviewing team is not named
    percent: Decimal
    comment: str
    scores: list[tuple[str, int]]


def reviews_received(*, competition: Competition, team: Team) -> dict[str, Any]:
    """What a team sees of its own submission's reviews: scores and comments of each peer
    review (reviewing team hidden, numbered in submission order) and of each expert."""
    criteria = list(competition.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    names = {c.pk: c.local_name for c in criteria}

    def row(scores: Any) -> tuple[Decimal, list[tuple[str, int]]]:
        by = {s.criterion_id: s.score for s in scores}
        return (
            rubric_percent(
                by, weights, scale_min=competition.scale_min, scale_max=competition.scale_max
            ),
            [(names[c.pk], by[c.pk]) for c in criteria if c.pk in by],
        )

    peers = []
    reviews = (
        PeerReview.objects.filter(assignment__submission__team=team)
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    for review in reviews:
        pct, lines = row(review.scores.all())
        peers.append({"percent": pct, "comment": review.comment, "scores": lines})
    experts = []
    for score in (
        ExpertScore.objects.filter(team=team)
        .select_related("assessor")
        .prefetch_related("scores")
        .order_by("assessor__name")
    ):
        pct, lines = row(score.scores.all())
        experts.append(
            {
                "expert": score.assessor.name,
                "percent": pct,
                "comment": score.comment,
                "scores": lines,
            }
        )
    return {"peer": peers, "expert": experts}


def own_reviews_for_user(
    *, user: Any, code: str
) -> tuple[Competition, Team, dict[str, Any] | None]:
    """A team member's view of the reviews of their team's submission: ``None`` until the
    competition is closed (the page says when they are shown); 403 for anyone not in a
    team."""
    competition = competition_get_for_user(user=user, code=code)
    team = team_of(competition=competition, employee=reader_employee(user))
    if team is None:
        raise PermissionDenied
    if competition.status != Status.CLOSED:
        return competition, team, None
    return competition, team, reviews_received(competition=competition, team=team)


def course_competitions(*, course: Any, user: Any) -> list[Competition]:
    qs = Competition.objects.filter(course=course)
    if not can_organise_competitions(user):
        qs = qs.exclude(status=Status.DRAFT)
    return list(qs.order_by("-deadline_at"))


def people_for_teams() -> QuerySet[Employee]:
    return Employee.objects.filter(active=True).order_by("employee_no")


def prefetch_for_detail(competition: Competition) -> Competition:
    return (
        Competition.objects.select_related("course")
        .prefetch_related(
            "criteria",
            "experts",
            Prefetch("teams", queryset=Team.objects.prefetch_related("members")),
        )
        .get(pk=competition.pk)
    )

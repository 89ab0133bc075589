"""Group competitions: every write. Each refusal is an :class:`ApplicationError` with a
specific message and stores nothing (one transaction per action). Races are locked on the
row the action is about: the team for a submission, the assignment for a review, the team
for an expert's score, the competition for the phase changes."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.notifications import notify
from kaopei.org.models import Competency, Employee
from kaopei.training.competition_ranking import round_robin, weights_problem
from kaopei.training.materials import SUBMISSION, check_material, clean_file_name
from kaopei.training.models import (
    Competition,
    CompetitionCriterion,
    Course,
    ExpertCriterionScore,
    ExpertScore,
    PeerReview,
    PeerReviewScore,
    ReviewAssignment,
    Submission,
    SubmissionFile,
    Team,
    TeamMember,
)
from kaopei.training.selectors.competitions import team_of

COMPETITION_OPENED = "competition_opened"
COMPETITION_REVIEWING = "competition_reviewing"
COMPETITION_CLOSED = "competition_closed"

MAX_FILES = 5
# Codes that would clash with the competition pages' own addresses.
RESERVED_CODES = {"mine", "new"}
TEXT_MAX = 20000
# The columns' lengths (see :mod:`kaopei.training.models.competitions`).
CODE_MAX = Competition._meta.get_field("code").max_length or 40
TITLE_MAX = Competition._meta.get_field("title").max_length or 160
CRITERION_MAX = CompetitionCriterion._meta.get_field("name").max_length or 120
TEAM_NAME_MAX = Team._meta.get_field("name").max_length or 80


@dataclass(frozen=True)
class CriterionIn:
    name: str
    name_en: str
    weight: int


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _check_weights(weights: Sequence[int]) -> None:
    problem = weights_problem(weights)
    if problem == "none":
        raise ApplicationError(_("A competition needs at least one criterion."))
    if problem == "not_positive":
        raise ApplicationError(_("Every criterion needs a weight above 0."))
    if problem == "sum":
        raise ApplicationError(
            _("The criteria weights add up to %(sum)s; they must add up to 100.")
            % {"sum": sum(weights)}
        )


def _check_criterion_names(criteria: Sequence[CriterionIn]) -> None:
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names):
        raise ApplicationError(_("Every criterion needs a name."))
    for c in criteria:
        if len(c.name.strip()) > CRITERION_MAX or len(c.name_en.strip()) > CRITERION_MAX:
            raise ApplicationError(
                _("A criterion name has at most %(max)d characters.") % {"max": CRITERION_MAX}
            )
    english = [c.name_en.strip().casefold() for c in criteria if c.name_en.strip()]
    if len(set(names)) != len(names) or len(set(english)) != len(english):
        raise ApplicationError(_("Two criteria have the same name."))


def _check_experts(expert_weight: int, experts: int) -> None:
    if expert_weight > 0 and experts == 0:
        raise ApplicationError(
            _(
                "The expert score counts for %(weight)s%% of the ranking but the competition "
                "has no experts: name at least one expert, or set the expert weight to 0 and "
                "the peer weight to 100."
            )
            % {"weight": expert_weight}
        )


@transaction.atomic
def competition_create(
    *,
    user: Any,
    code: str,
    title: str,
    title_en: str = "",
    task: str,
    task_en: str = "",
    course: Course | None = None,
    competencies: Iterable[Competency] = (),
    experts: Iterable[Employee] = (),
    opens_at: dt.datetime,
    deadline_at: dt.datetime,
    review_deadline_at: dt.datetime,
    scale_min: int = 1,
    scale_max: int = 5,
    expert_weight: int = 60,
    peer_weight: int = 40,
    reviews_per_team: int = 2,
    criteria: Sequence[CriterionIn],
) -> Competition:
    """A draft competition with its rubric. Refused (nothing stored): a code in use, the
    two ranking weights not adding up to 100, criterion weights not adding up to 100, a
    scale whose top is not above its bottom, deadlines out of order, no reviews, an
    expert weight above 0 without experts, a code, title or criterion name longer than its
    column, two criteria with the same name."""
    code = code.strip()
    if not code or not title.strip() or not task.strip():
        raise ApplicationError(_("A competition needs a code, a title and a task."))
    if len(code) > CODE_MAX:
        raise ApplicationError(
            _("A competition code has at most %(max)d characters.") % {"max": CODE_MAX}
        )
    if len(title.strip()) > TITLE_MAX or len(title_en.strip()) > TITLE_MAX:
        raise ApplicationError(_("A title has at most %(max)d characters.") % {"max": TITLE_MAX})
    if code.lower() in RESERVED_CODES or "/" in code:
        raise ApplicationError(
            _("The code %(code)s cannot be used: choose another one.") % {"code": code}
        )
    if Competition.objects.filter(code=code).exists():
        raise ApplicationError(_("The code %(code)s is already used.") % {"code": code})
    if expert_weight < 0 or peer_weight < 0 or expert_weight + peer_weight != 100:
        raise ApplicationError(
            _("The expert weight and the peer weight add up to %(sum)s; they must add up to 100.")
            % {"sum": expert_weight + peer_weight}
        )
    if scale_min < 0 or scale_max <= scale_min or scale_max > 100:
        raise ApplicationError(_("The highest score must be above the lowest score (at most 100)."))
    if not opens_at < deadline_at < review_deadline_at:
        raise ApplicationError(
            _(
                "The dates must come in order: opening, then the submission deadline, then the "
                "review deadline."
            )
        )
    if not 1 <= reviews_per_team <= 10:
        raise ApplicationError(_("Each submission needs between 1 and 10 reviews."))
    _check_weights([c.weight for c in criteria])
    _check_criterion_names(criteria)
    experts = list(experts)
    _check_experts(expert_weight, len(experts))
    competition = Competition(
        code=code,
        title=title.strip(),
        title_en=title_en.strip(),
        task=task.strip(),
        task_en=task_en.strip(),
        course=course,
        opens_at=opens_at,
        deadline_at=deadline_at,
        review_deadline_at=review_deadline_at,
        scale_min=scale_min,
        scale_max=scale_max,
        expert_weight=expert_weight,
        peer_weight=peer_weight,
        reviews_per_team=reviews_per_team,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    competition._history_user = competition.created_by  # type: ignore[attr-defined]
    competition._change_reason = "created"  # type: ignore[attr-defined]
    competition.save()
    competition.competencies.set(list(competencies))
    competition.experts.set(experts)
    CompetitionCriterion.objects.bulk_create(
        CompetitionCriterion(
            competition=competition,
            order=i,
            name=c.name.strip(),
            name_en=c.name_en.strip(),
            weight=c.weight,
        )
        for i, c in enumerate(criteria, start=1)
    )
    return competition


def _lock(competition: Competition) -> Competition:
    return Competition.objects.select_for_update().get(pk=competition.pk)


def _save_status(competition: Competition, status: str, user: Any, reason: str) -> None:
    competition.status = status
    competition._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    competition._change_reason = reason  # type: ignore[attr-defined]
    competition.save(update_fields=["status", "updated_at"])


@transaction.atomic
def team_create(
    *, competition: Competition, name: str, members: Sequence[Employee], user: Any = None
) -> Team:
    """A team of ``members`` (at least one). Refused: the competition is past its draft or
    open phase, a name in use, a person already in another team of this competition or
    named an expert of it."""
    locked = _lock(competition)
    if locked.status not in (Competition.Status.DRAFT, Competition.Status.OPEN):
        raise ApplicationError(_("Teams can only be formed before the review phase."))
    name = name.strip()
    if not name:
        raise ApplicationError(_("A team needs a name."))
    if len(name) > TEAM_NAME_MAX:
        raise ApplicationError(
            _("A team name has at most %(max)d characters.") % {"max": TEAM_NAME_MAX}
        )
    if not members:
        raise ApplicationError(_("A team needs at least one member."))
    if Team.objects.filter(competition=locked, name=name).exists():
        raise ApplicationError(_("There is already a team called %(name)s.") % {"name": name})
    taken = (
        TeamMember.objects.filter(competition=locked, employee__in=members)
        .select_related("employee", "team")
        .first()
    )
    if taken is not None:
        raise ApplicationError(
            _("%(person)s is already in team %(team)s: a person is in one team per competition.")
            % {"person": taken.employee.name, "team": taken.team.name}
        )
    experts = set(locked.experts.values_list("pk", flat=True))
    for m in members:
        if m.pk in experts:
            raise ApplicationError(
                _("%(person)s is an expert of this competition and cannot be in a team.")
                % {"person": m.name}
            )
    team = Team(competition=locked, name=name)
    team._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    team.save()
    try:
        with transaction.atomic():
            TeamMember.objects.bulk_create(
                TeamMember(team=team, competition=locked, employee=m) for m in members
            )
    except IntegrityError:
        raise ConflictError(
            _("Someone in this team was just put in another team. Please check the teams.")
        ) from None
    return team


def _member_user_ids(competition: Competition) -> list[int]:
    return list(
        TeamMember.objects.filter(
            competition=competition, employee__user__isnull=False
        ).values_list("employee__user_id", flat=True)
    )


@transaction.atomic
def competition_open(
    *, competition: Competition, user: Any = None, now: dt.datetime | None = None
) -> Competition:
    """Open a draft competition for submissions and notify its team members. Refused
    unless it is a draft with at least two teams, its submission deadline still ahead, and
    experts named when the expert score counts."""
    locked = _lock(competition)
    if locked.status != Competition.Status.DRAFT:
        raise ApplicationError(_("Only a draft competition can be opened."))
    if locked.teams.count() < 2:
        raise ApplicationError(_("A competition needs at least two teams to cross-review."))
    _check_experts(locked.expert_weight, locked.experts.count())
    if _now(now) >= locked.deadline_at:
        raise ApplicationError(
            _(
                "The submission deadline (%(deadline)s) has already passed: the teams could "
                "not submit. Create the competition again with later dates."
            )
            % {"deadline": timezone.localtime(locked.deadline_at).strftime("%Y-%m-%d %H:%M")}
        )
    _save_status(locked, Competition.Status.OPEN, user, "opened")
    notify(
        users=_member_user_ids(locked),
        kind=COMPETITION_OPENED,
        message=gettext_noop(
            "Competition %(code)s is open: your team submits its work by %(deadline)s."
        ),
        params={
            "code": locked.code,
            "deadline": timezone.localtime(locked.deadline_at).strftime("%Y-%m-%d %H:%M"),
        },
        url=reverse("training:competition_detail", args=[locked.code]),
    )
    return locked


@transaction.atomic
def submission_save(
    *,
    competition: Competition,
    employee: Employee,
    text: str,
    files: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Submission:
    """Submit (or re-submit) the team's work. A re-submission replaces the text, and the
    files when new ones are given (the earlier files are kept otherwise); ``version``
    counts the submissions. Refused (nothing stored): not a member, the competition not
    open, after the deadline, nothing to submit, a file the upload policy refuses.
    Two members at once: the team row is locked, the second one's version follows."""
    moment = _now(now)
    team = team_of(competition=competition, employee=employee)
    if team is None:
        raise ApplicationError(_("Only a member of a team can submit its work."), status=403)
    team = Team.objects.select_for_update().get(pk=team.pk)
    current = Competition.objects.get(pk=competition.pk)
    if current.status != Competition.Status.OPEN or moment < current.opens_at:
        raise ApplicationError(_("This competition is not open for submissions."))
    if moment >= current.deadline_at:
        raise ApplicationError(
            _("The submission deadline (%(deadline)s) has passed: nothing was stored.")
            % {"deadline": timezone.localtime(current.deadline_at).strftime("%Y-%m-%d %H:%M")}
        )
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ApplicationError(_("The text is longer than %(max)s characters.") % {"max": TEXT_MAX})
    if len(files) > MAX_FILES:
        raise ApplicationError(_("At most %(max)s files per submission.") % {"max": MAX_FILES})
    checked = [(f, check_material(f, purpose=SUBMISSION)) for f in files]
    existing = Submission.objects.filter(team=team).first()
    if not text and not checked and (existing is None or not existing.files.exists()):
        raise ApplicationError(_("Write the text of your work or attach a file."))
    if existing is None:
        submission = Submission(team=team, version=1)
    else:
        submission = existing
        submission.version += 1
    submission.text = text
    submission.submitted_at = moment
    submission.submitted_by = employee
    submission._history_user = employee.user  # type: ignore[attr-defined]
    submission.save()
    if checked:
        for old in submission.files.all():
            old.file.delete(save=False)
        submission.files.all().delete()
        for f, file_type in checked:
            name = clean_file_name(f.name)
            row = SubmissionFile(
                submission=submission,
                original_name=name,
                content_type=file_type.content_type,
                size=int(f.size),
            )
            row.file.save(name, f, save=False)
            row.save()
    return submission


@transaction.atomic
def competition_start_review(
    *, competition: Competition, user: Any = None, now: dt.datetime | None = None
) -> list[ReviewAssignment]:
    """Close submissions and assign the cross-reviews: a balanced round robin among the
    teams that submitted (each reviews ``reviews_per_team`` others, never itself), in an
    order shuffled by the system's random source, so that nobody can work out from the
    teams' order who reviews whom. Refused
    before the submission deadline or unless the competition is open."""
    locked = _lock(competition)
    if locked.status != Competition.Status.OPEN:
        raise ApplicationError(_("Only an open competition can move to its review phase."))
    if _now(now) < locked.deadline_at:
        raise ApplicationError(
            _("The submission deadline has not passed yet: teams may still submit.")
        )
    submissions = {
        s.team_id: s
        for s in Submission.objects.filter(team__competition=locked).order_by("team_id")
    }
    order = sorted(submissions)
    random.SystemRandom().shuffle(order)
    pairs = round_robin(order, locked.reviews_per_team)
    assignments = ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            competition=locked, reviewer_team_id=reviewer, submission=submissions[reviewed]
        )
        for reviewer, reviewed in pairs
    )
    _save_status(locked, Competition.Status.REVIEWING, user, "review started")
    notify(
        users=_member_user_ids(locked)
        + list(locked.experts.filter(user__isnull=False).values_list("user_id", flat=True)),
        kind=COMPETITION_REVIEWING,
        message=gettext_noop(
            "Competition %(code)s is in cross-review: score the submissions assigned to you "
            "by %(deadline)s."
        ),
        params={
            "code": locked.code,
            "deadline": timezone.localtime(locked.review_deadline_at).strftime("%Y-%m-%d %H:%M"),
        },
        url=reverse("training:competition_detail", args=[locked.code]),
    )
    return assignments


def _check_scores(
    competition: Competition, scores: Mapping[int, int]
) -> list[tuple[CompetitionCriterion, int]]:
    criteria = list(competition.criteria.all())
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        raise ApplicationError(_("A score is for a criterion this competition does not have."))
    out = []
    for c in criteria:
        if c.pk not in scores or scores[c.pk] is None:
            raise ApplicationError(
                _("Score every criterion: %(criterion)s has no score.")
                % {"criterion": c.local_name}
            )
        value = scores[c.pk]
        if not competition.scale_min <= value <= competition.scale_max:
            raise ApplicationError(
                _("%(criterion)s: %(score)s is outside the scale %(min)s–%(max)s.")
                % {
                    "criterion": c.local_name,
                    "score": value,
                    "min": competition.scale_min,
                    "max": competition.scale_max,
                }
            )
        out.append((c, int(value)))
    return out


def _check_review_window(competition: Competition, moment: dt.datetime) -> None:
    if competition.status != Competition.Status.REVIEWING:
        raise ApplicationError(_("This competition is not in its review phase."))
    if moment >= competition.review_deadline_at:
        raise ApplicationError(_("The review deadline has passed: nothing was stored."))


@transaction.atomic
def peer_review_submit(
    *,
    assignment: ReviewAssignment,
    employee: Employee,
    scores: Mapping[int, int],
    comment: str = "",
    now: dt.datetime | None = None,
) -> PeerReview:
    """The reviewing team's review of its assigned submission (one per assignment; the
    second of two members at once is refused). Refused: not a member of the reviewing team,
    a team reviewing its own work, not in the review phase or past its deadline, a missing
    score or one outside the scale."""
    locked = (
        ReviewAssignment.objects.select_for_update()
        .select_related("submission", "competition")
        .get(pk=assignment.pk)
    )
    competition = locked.competition
    mine = team_of(competition=competition, employee=employee)
    if mine is not None and mine.pk == locked.submission.team_id:
        raise ApplicationError(_("A team cannot review its own submission."), status=403)
    if mine is None or mine.pk != locked.reviewer_team_id:
        raise ApplicationError(
            _("Only a member of the reviewing team can submit this review."), status=403
        )
    _check_review_window(competition, _now(now))
    checked = _check_scores(competition, scores)
    if PeerReview.objects.filter(assignment=locked).exists():
        raise ConflictError(_("Your team has already reviewed this submission."))
    review = PeerReview(
        assignment=locked, submitted_by=employee, submitted_at=_now(now), comment=comment.strip()
    )
    review._history_user = employee.user  # type: ignore[attr-defined]
    review.save()
    PeerReviewScore.objects.bulk_create(
        PeerReviewScore(review=review, criterion=c, score=v) for c, v in checked
    )
    return review


@transaction.atomic
def expert_score_submit(
    *,
    team: Team,
    employee: Employee,
    scores: Mapping[int, int],
    comment: str = "",
    now: dt.datetime | None = None,
) -> ExpertScore:
    """An expert's score of a team's submission; submitting again before the review
    deadline replaces it. Refused: not an expert of the competition, a team without a
    submission, not in the review phase or past its deadline, bad scores."""
    locked_team = Team.objects.select_for_update().select_related("competition").get(pk=team.pk)
    competition = locked_team.competition
    if not competition.experts.filter(pk=employee.pk).exists():
        raise ApplicationError(_("Only the competition's experts give expert scores."), status=403)
    _check_review_window(competition, _now(now))
    if not Submission.objects.filter(team=locked_team).exists():
        raise ApplicationError(_("This team submitted nothing to score."))
    checked = _check_scores(competition, scores)
    score, _created = ExpertScore.objects.update_or_create(
        team=locked_team,
        assessor=employee,
        defaults={
            "competition": competition,
            "submitted_at": _now(now),
            "comment": comment.strip(),
        },
    )
    score.scores.all().delete()
    ExpertCriterionScore.objects.bulk_create(
        ExpertCriterionScore(expert_score=score, criterion=c, score=v) for c, v in checked
    )
    return score


@transaction.atomic
def competition_close(
    *, competition: Competition, user: Any = None, now: dt.datetime | None = None
) -> Competition:
    """Close the review phase: the leaderboard is final and the teams see their reviews.
    Refused before the review deadline or unless it is reviewing."""
    locked = _lock(competition)
    if locked.status != Competition.Status.REVIEWING:
        raise ApplicationError(_("Only a competition in its review phase can be closed."))
    if _now(now) < locked.review_deadline_at:
        raise ApplicationError(_("The review deadline has not passed yet."))
    _save_status(locked, Competition.Status.CLOSED, user, "closed")
    notify(
        users=_member_user_ids(locked),
        kind=COMPETITION_CLOSED,
        message=gettext_noop(
            "Competition %(code)s is closed: see the leaderboard and your team's reviews."
        ),
        params={"code": locked.code},
        url=reverse("training:competition_leaderboard", args=[locked.code]),
    )
    return locked

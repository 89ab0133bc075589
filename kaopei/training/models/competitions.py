"""Group competitions with cross-review (issue: practice): teams work on a task until a
deadline and submit text and files; once the deadline passes each submission is reviewed
by other teams (never its own) on the competition's rubric, experts score every team, and a
combined ranking with the stated weights makes the leaderboard.

A person is in at most one team per competition: ``TeamMember`` carries the competition
and is unique on (competition, employee).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel

if TYPE_CHECKING:
    from kaopei.org.models import Employee


class Competition(TimeStampedModel):
    """A competition: its task, its deadlines, its rubric scale and the stated weights of
    the combined ranking (expert % and peer %, adding up to 100)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for submissions")
        REVIEWING = "reviewing", _("Cross-review")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    task = models.TextField(_("task"))
    task_en = models.TextField(_("task (English)"), blank=True, default="")
    course = models.ForeignKey(
        "training.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competitions",
        verbose_name=_("course"),
    )
    competencies = models.ManyToManyField(
        "org.Competency", blank=True, related_name="+", verbose_name=_("competencies")
    )
    experts = models.ManyToManyField(
        "org.Employee", blank=True, related_name="expert_competitions", verbose_name=_("experts")
    )
    opens_at = models.DateTimeField(_("opens at"))
    deadline_at = models.DateTimeField(_("submission deadline"))
    review_deadline_at = models.DateTimeField(_("review deadline"))
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    expert_weight = models.PositiveSmallIntegerField(_("expert weight (%)"), default=60)
    peer_weight = models.PositiveSmallIntegerField(_("peer weight (%)"), default=40)
    reviews_per_team = models.PositiveSmallIntegerField(_("reviews per submission"), default=2)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organiser"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline_at", "code"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(expert_weight__lte=100) & Q(peer_weight__lte=100),
                name="competition_weights_percent",
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="competition_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_title} ({self.code})"

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_task(self) -> str:
        return localized(self, "task")


class CompetitionCriterion(models.Model):
    """One criterion of the competition's rubric; the weights add up to 100."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("competition"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=120)
    name_en = models.CharField(_("criterion (English)"), max_length=120, blank=True, default="")
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        ordering = ["competition", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["competition", "order"], name="competition_crit_order"),
        ]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return localized(self, "name")


class Team(TimeStampedModel):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="teams", verbose_name=_("competition")
    )
    name = models.CharField(_("team name"), max_length=80)
    members: models.ManyToManyField[Employee, TeamMember] = models.ManyToManyField(
        "org.Employee",
        through="TeamMember",
        related_name="competition_teams",
        verbose_name=_("members"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["competition", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="team_competition_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person in a team; unique per competition (one team each)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "employee"], name="team_member_one_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.employee_id}"


class Submission(TimeStampedModel):
    """A team's work: the last version replaces the earlier ones (``version`` counts them)."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="submission", verbose_name=_("team")
    )
    text = models.TextField(_("text"), blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        "org.Employee",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.team} v{self.version}"


def submission_file_path(instance: SubmissionFile, filename: str) -> str:
    return f"training/competitions/{instance.submission_id}/{filename}"


class SubmissionFile(models.Model):
    """A file of a submission (checked by the course materials' upload policy)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), upload_to=submission_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["submission", "original_name"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")

    def __str__(self) -> str:
        return self.original_name


class ReviewAssignment(models.Model):
    """Team ``reviewer_team`` reviews ``submission`` (never its own; the service checks)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("reviewing team")
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        ordering = ["competition", "reviewer_team", "submission"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer_team", "submission"], name="review_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_team_id} → {self.submission_id}"


class PeerReview(models.Model):
    """A team's review of an assigned submission: one per assignment."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    submitted_by = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    comment = models.TextField(_("comment"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")

    def __str__(self) -> str:
        return f"review {self.assignment_id}"


class PeerReviewScore(models.Model):
    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CompetitionCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="peer_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class ExpertScore(models.Model):
    """An expert's score of a team's submission (one per expert and team)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="expert_scores"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="expert_scores")
    assessor = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="+", verbose_name=_("expert")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    comment = models.TextField(_("comment"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        constraints = [
            models.UniqueConstraint(fields=["team", "assessor"], name="expert_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id} → {self.team_id}"


class ExpertCriterionScore(models.Model):
    expert_score = models.ForeignKey(ExpertScore, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CompetitionCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert_score", "criterion"], name="expert_crit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"

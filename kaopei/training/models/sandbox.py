"""The decision sandbox (issue 12): branching scenarios a learner plays step by step.

A ``Scenario`` is a graph of ``Step`` rows; each step's ``Choice`` rows lead to another
step (``next_step``) or end the path (``next_step`` empty). The graph must pass the pure
check of ``kaopei.training.sandbox_graph`` before it is published. A ``SandboxRun`` is one
play (solo, or a group deciding together); ``SandboxRunMember`` lists every player (one
row for a solo run) and ``SandboxRunStep`` the path taken.

Contract (``scenario_score``, DESIGN.md §5): a finished run's result for each member is
``points / max_points × 100``, dated by ``finished_at`` in the organisation's time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel


class Scenario(TimeStampedModel):
    """A branching scenario. Once anyone has played it, its structure (steps, where
    choices lead, points, best choices) is frozen: only wording may change, and a new
    structure is a new scenario (the old one is retired). ``version`` counts the wording
    revisions and publications; each run keeps the version it was played at."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("scenario", "Draft")
        PUBLISHED = "published", pgettext_lazy("scenario", "Published")
        RETIRED = "retired", pgettext_lazy("scenario", "Retired")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    brief = models.TextField(_("situation"))
    brief_en = models.TextField(_("situation (English)"), blank=True, default="")
    competencies = models.ManyToManyField(
        "org.Competency", blank=True, related_name="+", verbose_name=_("competencies")
    )
    metrics = models.ManyToManyField(
        "assessment.Metric", blank=True, related_name="+", verbose_name=_("metrics")
    )
    courses = models.ManyToManyField(
        "training.Course", blank=True, related_name="scenarios", verbose_name=_("courses")
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("sandbox scenario")
        verbose_name_plural = _("sandbox scenarios")

    def __str__(self) -> str:
        return self.code

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_brief(self) -> str:
        return localized(self, "brief")

    def get_absolute_url(self) -> str:
        return reverse("training:sandbox_detail", args=[self.pk])


class Step(models.Model):
    """A situation within a scenario; ``key`` is a short code unique in the scenario."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="steps", verbose_name=_("scenario")
    )
    key = models.CharField(_("key"), max_length=20)
    text = models.TextField(_("situation"))
    text_en = models.TextField(_("situation (English)"), blank=True, default="")
    is_start = models.BooleanField(_("start step"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scenario", "key"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "key"], name="sandbox_step_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def local_text(self) -> str:
        return localized(self, "text")


class Choice(models.Model):
    """An option at a step: where it leads (empty: the path ends), its points (may be
    negative), what happens and the expert's comment."""

    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="choices", verbose_name=_("step")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("choice"), max_length=500)
    text_en = models.CharField(_("choice (English)"), max_length=500, blank=True, default="")
    next_step = models.ForeignKey(
        Step,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming",
        verbose_name=_("leads to"),
    )
    points = models.IntegerField(_("points"), default=0)
    consequence = models.TextField(_("consequence"), blank=True, default="")
    consequence_en = models.TextField(_("consequence (English)"), blank=True, default="")
    feedback = models.TextField(_("expert feedback"), blank=True, default="")
    feedback_en = models.TextField(_("expert feedback (English)"), blank=True, default="")
    is_best = models.BooleanField(_("best choice"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["step", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text

    @property
    def local_text(self) -> str:
        return localized(self, "text")

    @property
    def local_consequence(self) -> str:
        return localized(self, "consequence")

    @property
    def local_feedback(self) -> str:
        return localized(self, "feedback")


class SandboxRun(TimeStampedModel):
    """One play of a scenario (at ``scenario_version``)."""

    class Mode(models.TextChoices):
        SOLO = "solo", _("Solo")
        GROUP = "group", _("Group")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        ABANDONED = "abandoned", _("Abandoned")
        TIMED_OUT = "timed_out", _("Timed out")

    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="runs", verbose_name=_("scenario")
    )
    scenario_version = models.PositiveIntegerField(_("scenario version"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.SOLO)
    started_by = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="sandbox_runs_started",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    points = models.IntegerField(_("points"), default=0)
    max_points = models.IntegerField(_("maximum points"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    current_step = models.ForeignKey(
        Step,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current step"),
    )

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("sandbox run")
        verbose_name_plural = _("sandbox runs")
        indexes = [
            models.Index(fields=["status", "finished_at"], name="sandbox_run_finished"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="sandbox_run_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} · #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("training:sandbox_run", args=[self.pk])

    @property
    def score(self) -> float | None:
        """``points / max_points × 100`` once finished (the ``scenario_score`` contract)."""
        if self.status != self.Status.FINISHED:
            return None
        return round(self.points / self.max_points * 100, 1)


class SandboxRunMember(models.Model):
    """A player of a run: every player, one row for a solo run."""

    run = models.ForeignKey(
        SandboxRun, on_delete=models.CASCADE, related_name="members", verbose_name=_("run")
    )
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="sandbox_memberships",
        verbose_name=_("employee"),
    )

    class Meta:
        verbose_name = _("run member")
        verbose_name_plural = _("run members")
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="sandbox_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.employee_id}"


class SandboxRunStep(models.Model):
    """One decision on the run's path."""

    run = models.ForeignKey(
        SandboxRun, on_delete=models.CASCADE, related_name="path", verbose_name=_("run")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="+", verbose_name=_("step")
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, related_name="taken", verbose_name=_("choice")
    )
    chosen_by = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("chosen by")
    )
    chosen_at = models.DateTimeField(_("chosen at"))

    class Meta:
        ordering = ["run", "order"]
        verbose_name = _("run step")
        verbose_name_plural = _("run steps")
        constraints = [
            models.UniqueConstraint(fields=["run", "order"], name="sandbox_path_order"),
            models.UniqueConstraint(fields=["run", "step"], name="sandbox_path_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.order}"

"""Role-play drills (issue: practice): a scenario with a brief for the learner and one for
whoever plays the client, a rubric of weighted criteria on a stated integer scale, and
performances scored independently by several expert assessors whose agreement Kaopei shows.

A performance's result (DESIGN.md §5 ``scenario_score``) is the weighted rubric total as %
of its maximum, averaged over the submitted assessor scores: for one assessor
Σ wᵢ·vᵢ / (Σ wᵢ · scale_max) × 100, so the scale's minimum does not map to 0 %.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel


class RolePlay(TimeStampedModel):
    """A drill scenario and its rubric (the criteria). ``version`` counts rubric and brief
    changes; the rubric is frozen once a performance has been scored."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    learner_brief = models.TextField(_("learner's brief"))
    learner_brief_en = models.TextField(_("learner's brief (English)"), blank=True, default="")
    client_brief = models.TextField(
        _("client's brief"), help_text=_("For whoever plays the client.")
    )
    client_brief_en = models.TextField(_("client's brief (English)"), blank=True, default="")
    course = models.ForeignKey(
        "training.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roleplays",
        verbose_name=_("course"),
    )
    competencies = models.ManyToManyField(
        "org.Competency", blank=True, related_name="roleplays", verbose_name=_("competencies")
    )
    scale_min = models.PositiveSmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=5)
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        help_text=_(
            "Points on the scale: a criterion is flagged when its highest and lowest "
            "assessor scores differ by more than this."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(m2m_fields=[competencies])

    class Meta:
        ordering = ["code"]
        verbose_name = _("role-play")
        verbose_name_plural = _("role-plays")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="roleplay_scale_order"
            ),
            models.CheckConstraint(
                condition=Q(disagreement_threshold__gt=0), name="roleplay_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_title} ({self.code})"

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_learner_brief(self) -> str:
        return localized(self, "learner_brief")

    @property
    def local_client_brief(self) -> str:
        return localized(self, "client_brief")


class Criterion(TimeStampedModel):
    """One rubric line; the weights of a role-play's criteria add up to 100."""

    roleplay = models.ForeignKey(
        RolePlay, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("role-play")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("criterion"), max_length=120)
    name_en = models.CharField(_("criterion (English)"), max_length=120, blank=True, default="")
    description = models.TextField(_("description and anchors"), blank=True, default="")
    description_en = models.TextField(
        _("description and anchors (English)"), blank=True, default=""
    )
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["roleplay", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return localized(self, "name")

    @property
    def local_description(self) -> str:
        return localized(self, "description")


class PerformanceStatus(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class Performance(TimeStampedModel):
    """One person playing a role-play on a day, scored by the assigned assessors."""

    roleplay = models.ForeignKey(
        RolePlay,
        on_delete=models.PROTECT,
        related_name="performances",
        verbose_name=_("role-play"),
    )
    performer = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="roleplay_performances",
        verbose_name=_("performer"),
    )
    performed_on = models.DateField(_("performed on"))
    session = models.ForeignKey(
        "training.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roleplay_performances",
        verbose_name=_("session"),
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PerformanceStatus.choices,
        default=PerformanceStatus.OPEN,
    )
    created_by = models.ForeignKey(
        "org.Employee",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_on", "-pk"]
        verbose_name = _("role-play performance")
        verbose_name_plural = _("role-play performances")
        indexes = [models.Index(fields=["performed_on"], name="performance_date")]

    def __str__(self) -> str:
        return f"{self.roleplay.code} · {self.performer} · {self.performed_on}"


class Assignment(TimeStampedModel):
    """An expert assessor named to score a performance (never its performer)."""

    performance = models.ForeignKey(
        Performance,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("performance"),
    )
    assessor = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="roleplay_assignments",
        verbose_name=_("assessor"),
    )

    class Meta:
        ordering = ["performance", "pk"]
        verbose_name = _("assessor assignment")
        verbose_name_plural = _("assessor assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["performance", "assessor"], name="roleplay_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.performance_id} · {self.assessor_id}"


class AssessorScore(TimeStampedModel):
    """One assessor's submitted, final score sheet of a performance (created only on
    submission, every criterion scored; never edited afterwards)."""

    performance = models.ForeignKey(
        Performance,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("performance"),
    )
    assessor = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="roleplay_scores",
        verbose_name=_("assessor"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    comment = models.TextField(_("overall feedback"), blank=True, default="")
    toolkit_versions = models.ManyToManyField(
        "training.ToolkitVersion",
        blank=True,
        related_name="roleplay_scores",
        verbose_name=_("attached toolkit items"),
    )

    class Meta:
        ordering = ["performance", "submitted_at", "pk"]
        verbose_name = _("assessor score")
        verbose_name_plural = _("assessor scores")
        constraints = [
            models.UniqueConstraint(fields=["performance", "assessor"], name="roleplay_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.performance_id} · {self.assessor_id}"


class CriterionScore(models.Model):
    assessor_score = models.ForeignKey(
        AssessorScore,
        on_delete=models.CASCADE,
        related_name="criterion_scores",
        verbose_name=_("assessor score"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True, default="")

    class Meta:
        ordering = ["assessor_score", "criterion__order", "criterion_id"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessor_score", "criterion"], name="roleplay_criterion_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"

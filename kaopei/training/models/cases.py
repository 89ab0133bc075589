"""The case library (issue: practice): success cases and failure post-mortems by industry,
with the situation, the key actions, the outcome and the lessons, tagged by competency,
metric and course, and discussion questions for the classroom. Trainers and HR write them;
each save bumps ``version`` so that a stale edit is refused."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import localized
from kaopei.core.models import TimeStampedModel


class CaseKind(models.TextChoices):
    SUCCESS = "success", _("Success case")
    FAILURE = "failure", _("Failure post-mortem")


class Industry(models.TextChoices):
    FINANCE = "finance", _("Finance")
    RETAIL = "retail", _("Retail")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TECHNOLOGY = "technology", _("Technology")
    REAL_ESTATE = "real_estate", _("Real estate")
    HEALTHCARE = "healthcare", _("Healthcare")
    ENERGY = "energy", _("Energy")
    PUBLIC = "public", _("Government and public utilities")
    OTHER = "other", _("Other")


class Case(TimeStampedModel):
    """A case of the library. ``version`` starts at 1 and grows by one on every save
    through :mod:`kaopei.training.services.cases`."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    situation = models.TextField(_("situation"), blank=True, default="")
    situation_en = models.TextField(_("situation (English)"), blank=True, default="")
    key_actions = models.TextField(_("key actions"), blank=True, default="")
    key_actions_en = models.TextField(_("key actions (English)"), blank=True, default="")
    outcome = models.TextField(_("outcome"), blank=True, default="")
    outcome_en = models.TextField(_("outcome (English)"), blank=True, default="")
    lessons = models.TextField(_("lessons"), blank=True, default="")
    lessons_en = models.TextField(_("lessons (English)"), blank=True, default="")
    competencies = models.ManyToManyField(
        "org.Competency", blank=True, related_name="cases", verbose_name=_("competencies")
    )
    metrics = models.ManyToManyField(
        "assessment.Metric", blank=True, related_name="cases", verbose_name=_("metrics")
    )
    courses = models.ManyToManyField(
        "training.Course", blank=True, related_name="cases", verbose_name=_("courses")
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(m2m_fields=[competencies, metrics, courses])

    class Meta:
        ordering = ["code"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.local_title} ({self.code})"

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_situation(self) -> str:
        return localized(self, "situation")

    @property
    def local_key_actions(self) -> str:
        return localized(self, "key_actions")

    @property
    def local_outcome(self) -> str:
        return localized(self, "outcome")

    @property
    def local_lessons(self) -> str:
        return localized(self, "lessons")


class DiscussionQuestion(models.Model):
    """A question for discussing a case, in the order it is asked."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="questions", verbose_name=_("case")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True, default="")

    class Meta:
        ordering = ["case", "order"]
        verbose_name = _("discussion question")
        verbose_name_plural = _("discussion questions")
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="case_question_order"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} Q{self.order}"

    @property
    def local_text(self) -> str:
        return localized(self, "text")

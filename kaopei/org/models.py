"""Organisation: units, job levels, employees and the competency framework (DESIGN.md §3)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import Bilingual, localized
from kaopei.core.models import TimeStampedModel


class OrgUnit(Bilingual, TimeStampedModel):
    """A node of the organisation tree: HQ → branches → teams. ``name`` is Chinese,
    ``name_en`` English (optional; pages fall back to the other one)."""

    class Kind(models.TextChoices):
        HQ = "hq", _("Head office")
        BRANCH = "branch", _("Branch")
        TEAM = "team", _("Team")
        OTHER = "other", _("Other unit")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True, db_default="")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    active = models.BooleanField(_("active"), default=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return f"{self.local_name} ({self.code})"


class JobLevel(Bilingual, TimeStampedModel):
    """A job level such as AM1 (junior) … AM3 (senior); a higher rank is more senior.
    ``name``/``description`` are Chinese, ``name_en``/``description_en`` English."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True, db_default="")
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    is_sales = models.BooleanField(
        _("sales role"),
        default=True,
        help_text=_("Sales targets are expected for this level; others get a warning."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, db_default="")
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("job level")
        verbose_name_plural = _("job levels")

    def __str__(self) -> str:
        return f"{self.local_name} ({self.code})"


class Employee(TimeStampedModel):
    employee_no = models.CharField(_("employee number"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=80)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("org unit")
    )
    level = models.ForeignKey(
        JobLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("job level"),
    )
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("supervisor"),
    )
    email = models.EmailField(_("email"), blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
        verbose_name=_("login"),
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["org_unit", "active"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"


class Competency(Bilingual, TimeStampedModel):
    """A competency with a 1–5 behaviour-anchored scale (see :class:`CompetencyAnchor`).
    ``name``/``description`` are Chinese, ``name_en``/``description_en`` English."""

    class Category(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional skill")
        SOFT = "soft", _("Soft skill")
        COLLABORATION = "collaboration", _("Collaboration")
        COMPLIANCE = "compliance", _("Risk and compliance")
        DIGITAL = "digital", _("Digital tools")
        LEADERSHIP = "leadership", _("Leadership")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True, db_default="")
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.PROFESSIONAL
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, db_default="")
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.local_name


SCALE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyAnchor(models.Model):
    """The observable behaviour that anchors one point of a competency's 1–5 scale
    (``behaviour`` Chinese, ``behaviour_en`` English)."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="anchors", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("scale point"), validators=SCALE_VALIDATORS)
    behaviour = models.TextField(_("behaviour"))
    behaviour_en = models.TextField(_("behaviour (English)"), blank=True, db_default="")

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="uniq_anchor_level"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="anchor_level_1_5"
            ),
        ]
        verbose_name = _("behaviour anchor")
        verbose_name_plural = _("behaviour anchors")

    def __str__(self) -> str:
        return f"{self.competency.code} {self.level}"

    @property
    def local_behaviour(self) -> str:
        return localized(self, "behaviour")


class LevelExpectation(models.Model):
    """The competency matrix: the level expected of a job level on a competency."""

    level = models.ForeignKey(
        JobLevel, on_delete=models.CASCADE, related_name="expectations", verbose_name=_("job level")
    )
    competency = models.ForeignKey(
        Competency,
        on_delete=models.CASCADE,
        related_name="expectations",
        verbose_name=_("competency"),
    )
    expected = models.PositiveSmallIntegerField(_("expected level"), validators=SCALE_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["level__rank", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "competency"], name="uniq_level_competency"),
            models.CheckConstraint(
                condition=models.Q(expected__gte=1, expected__lte=5), name="expected_1_5"
            ),
        ]
        verbose_name = _("level expectation")
        verbose_name_plural = _("level expectations")

    def __str__(self) -> str:
        return f"{self.level.code}/{self.competency.code}={self.expected}"


class LeaderboardSetting(models.Model):
    """How much of the rankings people see (one row, pk 1). Rankings are private by default:
    each person sees only their own rank band. HR may switch on the improvement board: the
    people of a unit who improved most since the previous cycle, named to that unit."""

    improvement_board = models.BooleanField(
        _("show the improvement board to each unit"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("leaderboard setting")
        verbose_name_plural = _("leaderboard settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

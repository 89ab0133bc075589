"""The course catalogue (DESIGN.md §3 training, §4.2 ``courses`` ⚑): courses by module and
format, the competencies and metrics each improves, their materials, and the courses a
job level must take by a due date."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.i18n import Bilingual, localized
from kaopei.core.models import TimeStampedModel


class Module(models.TextChoices):
    """The programme's modules (the ``courses`` import's ``module`` column)."""

    NEEDS_DISCOVERY = "needs_discovery", _("Needs discovery")
    VALUE_COMMUNICATION = "value_communication", _("Value communication and negotiation")
    COMPLIANCE = "compliance", _("Risk and compliance")
    DIGITAL_TOOLS = "digital_tools", _("Digital tools")
    PRODUCT = "product", _("Product knowledge")
    OTHER = "other", pgettext_lazy("course module", "Other")


class Format(models.TextChoices):
    """How a course is delivered (the ``courses`` import's ``format`` column)."""

    LECTURE = "lecture", _("Lecture")
    CASE = "case", _("Case study")
    ROLE_PLAY = "role_play", _("Role-play")
    SANDBOX = "sandbox", _("Decision sandbox")
    COMPETITION = "competition", _("Group competition")
    E_LEARNING = "e_learning", _("E-learning")


class Course(Bilingual, TimeStampedModel):
    """A course of the catalogue. ``title`` is Chinese, ``title_en`` English (pages fall
    back to the other one); ``hours`` is the default of its sessions and enrolments."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True, default="")
    module = models.CharField(_("module"), max_length=24, choices=Module.choices)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    description = models.TextField(_("description"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    objectives = models.TextField(_("learning objectives"), blank=True, default="")
    objectives_en = models.TextField(_("learning objectives (English)"), blank=True, default="")
    competencies = models.ManyToManyField(
        "org.Competency",
        blank=True,
        related_name="courses",
        verbose_name=_("competencies it improves"),
    )
    metrics = models.ManyToManyField(
        "assessment.Metric",
        blank=True,
        related_name="courses",
        verbose_name=_("metrics it improves"),
    )
    trainers = models.ManyToManyField(
        "org.Employee",
        blank=True,
        related_name="courses_trained",
        verbose_name=_("trainers"),
    )
    active = models.BooleanField(_("active"), default=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords(m2m_fields=[competencies, metrics])

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.local_title} ({self.code})"

    @property
    def local_title(self) -> str:
        return localized(self, "title")

    @property
    def local_objectives(self) -> str:
        return localized(self, "objectives")


def material_path(instance: CourseMaterial, filename: str) -> str:
    return f"training/materials/{instance.course_id}/{filename}"


class CourseMaterial(TimeStampedModel):
    """A file handed out with a course (slides, handouts, checklists), type- and
    size-checked on upload (see ``services.materials``)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="materials", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=160)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["course", "title", "pk"]
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")

    def __str__(self) -> str:
        return self.title


class MandatoryRule(TimeStampedModel):
    """People of ``level`` must complete ``course`` by ``due_on``; with ``renew_months``
    the duty comes back every so many months (compliance yearly: 12), each time due that
    many months after the last due date. A completion counts for a due date when its
    session date falls in the window that ends on that due date and is ``renew_months``
    long (without renewal: any completion on or before it)."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="mandatory_rules",
        verbose_name=_("course"),
    )
    level = models.ForeignKey(
        "org.JobLevel",
        on_delete=models.CASCADE,
        related_name="mandatory_courses",
        verbose_name=_("job level"),
    )
    due_on = models.DateField(_("first due date"))
    renew_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "level"]
        verbose_name = _("mandatory course")
        verbose_name_plural = _("mandatory courses")
        constraints = [
            models.UniqueConstraint(fields=["course", "level"], name="mandatory_course_level"),
            models.CheckConstraint(
                condition=Q(renew_months__isnull=True) | Q(renew_months__gte=1),
                name="mandatory_renew_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.level.code}"

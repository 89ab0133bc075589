"""Sessions and enrolments (DESIGN.md §3 training, §4.2 ``enrolments`` ⚑, §5
``training_hours``, §8 L1/L2).

An ``Enrolment`` is one person's place in one course on one training date
(``session_on``): through a Kaopei ``Session`` or, for the ``enrolments`` import, without
one. Its key is (course, employee, session_on), the import's key. ``completed`` with
``hours`` feeds ``training_hours``; ``reaction`` (1–5) is the L1 reaction survey;
``pre_score`` and ``post_score`` (0–100) are the L2 learning scores — imported, or written
by the quiz service from the person's pre-test and post-test attempts.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.models import TimeStampedModel

SCORE: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}
HOURS: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}


class Session(TimeStampedModel):
    """One delivery of a course: when, where (a place or an online link), by whom, and
    how many people fit (the rest wait on the waitlist)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", pgettext_lazy("training session", "Held")
        CANCELLED = "cancelled", pgettext_lazy("training session", "Cancelled")

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("course"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    trainer = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions_trained",
        verbose_name=_("trainer"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    link = models.URLField(_("online link"), max_length=500, blank=True, default="")
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    hours = models.DecimalField(_("hours"), **HOURS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="session_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(TimeStampedModel):
    """A person's place in a course on a date (DESIGN.md §4.2 ``enrolments``)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("enrolment", "Cancelled")

    class Source(models.TextChoices):
        KAOPEI = "kaopei", _("In Kaopei")
        IMPORT = "import", _("Imported")

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("course"),
    )
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("employee"),
    )
    session_on = models.DateField(_("training date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    # Order on the waitlist (earliest first); set when the person joins it.
    waitlisted_at = models.DateTimeField(_("joined the waitlist at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    hours = models.DecimalField(_("hours"), **HOURS)
    reaction = models.PositiveSmallIntegerField(
        _("reaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    reaction_comment = models.TextField(_("reaction comment"), blank=True, default="")
    pre_score = models.DecimalField(_("pre-test score"), null=True, blank=True, **SCORE)
    post_score = models.DecimalField(_("post-test score"), null=True, blank=True, **SCORE)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.KAOPEI
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
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
        ordering = ["-session_on", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "employee", "session_on"], name="enrolment_course_person_date"
            ),
            models.CheckConstraint(
                condition=Q(reaction__isnull=True) | Q(reaction__gte=1, reaction__lte=5),
                name="enrolment_reaction_1_5",
            ),
            models.CheckConstraint(
                condition=Q(pre_score__isnull=True) | Q(pre_score__gte=0, pre_score__lte=100),
                name="enrolment_pre_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(post_score__isnull=True) | Q(post_score__gte=0, post_score__lte=100),
                name="enrolment_post_score_0_100",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="enrolment_hours_not_negative"),
            # Only a confirmed place can be completed.
            models.CheckConstraint(
                condition=Q(completed=False) | Q(status="enrolled"),
                name="enrolment_completed_is_enrolled",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "session_on"], name="enrolment_person_date"),
            models.Index(fields=["course", "session_on"], name="enrolment_course_date"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.employee_id} · {self.session_on}"

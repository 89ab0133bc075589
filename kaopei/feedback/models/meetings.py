"""Performance interviews (绩效面谈) per person and cycle, review meetings (复盘会议) per team
and cycle, and the action items both agree (inputs of development plans)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.models import TimeStampedModel


class Interview(TimeStampedModel):
    """The performance interview of one person for one cycle: the person's self-summary,
    the supervisor's feedback and the agreed actions; both acknowledge."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")  # the supervisor recorded it; awaiting acknowledgements
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by both")

    cycle = models.ForeignKey(
        "assessment.Cycle", on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    interviewer = models.ForeignKey(
        "org.Employee",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    scheduled_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    self_summary = models.TextField(_("self-summary"), blank=True)
    supervisor_feedback = models.TextField(_("supervisor's feedback"), blank=True)
    employee_acknowledged_at = models.DateTimeField(
        _("acknowledged by the employee"), null=True, blank=True
    )
    employee_comment = models.TextField(_("employee's comment"), blank=True)
    interviewer_acknowledged_at = models.DateTimeField(
        _("acknowledged by the interviewer"), null=True, blank=True
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-cycle__start", "employee__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="one_interview_per_cycle")
        ]
        verbose_name = _("performance interview")
        verbose_name_plural = _("performance interviews")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.employee_id}"


class ReviewMeeting(TimeStampedModel):
    """The review meeting of one team for one cycle."""

    cycle = models.ForeignKey(
        "assessment.Cycle", on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    held_on = models.DateField(_("held on"))
    chair = models.ForeignKey(
        "org.Employee",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chair"),
    )
    participants = models.ManyToManyField(
        "org.Employee", related_name="+", blank=True, verbose_name=_("participants")
    )
    findings = models.TextField(_("findings"))
    suggestions = models.TextField(_("improvement suggestions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[])

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "org_unit"], name="one_review_per_team_cycle")
        ]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.org_unit_id}"


class ActionItem(TimeStampedModel):
    """An agreed action, from an interview or a review meeting, with an owner and a date.
    Development plans (kaopei.development) take them in."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    interview = models.ForeignKey(
        Interview,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("interview"),
    )
    meeting = models.ForeignKey(
        ReviewMeeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("review meeting"),
    )
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interview__isnull=False, meeting__isnull=True)
                | Q(interview__isnull=True, meeting__isnull=False),
                name="action_from_interview_or_meeting",
            )
        ]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text[:40]

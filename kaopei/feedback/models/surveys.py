"""Customer surveys by link and customer interview notes (客户访谈)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.core.models import TimeStampedModel


class SurveyInvitation(TimeStampedModel):
    """An NPS/CSAT survey sent to one customer about their account manager. The customer
    answers on a public page by a single-use, expiring token (only its hash is kept); the
    answer becomes a ``facts.SurveyResponse`` with source "link", which the ``nps`` and
    ``csat`` metrics count exactly as imported ones."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        "facts.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    email = models.EmailField(_("customer's email"), blank=True)
    ask_csat = models.BooleanField(_("ask for satisfaction (CSAT) too"), default=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    response = models.OneToOneField(
        "facts.SurveyResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
        verbose_name=_("survey response"),
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["employee", "status"])]
        verbose_name = _("customer survey")
        verbose_name_plural = _("customer surveys")

    def __str__(self) -> str:
        return f"{self.customer_id} → {self.employee_id}"


class CustomerInterview(TimeStampedModel):
    """Notes of a customer interview (客户访谈) about an account manager."""

    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        "facts.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    held_on = models.DateField(_("held on"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    notes = models.TextField(_("notes"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    # Edits by the author or HR are audited (who changed the notes, when, before/after).
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="interview_satisfaction_1_5",
            )
        ]
        verbose_name = _("customer interview")
        verbose_name_plural = _("customer interviews")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.held_on}"

"""Business records imported from CRM, finance and survey systems (DESIGN.md §3, §4.2).

Every row keeps the import batch it came from (``import_batch``, :mod:`kaopei.imports.models`); the key columns of
§4.2 are unique. Amounts are ``Decimal`` in 元.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaopei.core.models import TimeStampedModel

AMOUNT: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class FactModel(models.Model):
    """A business record. ``import_batch`` is empty for a record added by hand (its
    :class:`RecordCorrection` says who added it and why).

    A record is never deleted to correct a score: it is *voided* (``voided_at`` set, with
    who and why). A voided record counts in no metric and no veto, and the evidence lists it
    struck through; an import of the same key later leaves it voided and says so.
    """

    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("voided by"),
        db_index=False,  # a few voided among millions: no index on every fact table
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Customer(FactModel):
    customer_no = models.CharField(_("customer number"), max_length=60, unique=True)
    name = models.CharField(_("customer name"), max_length=200)
    owner = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("account manager"),
    )
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    strategic = models.BooleanField(_("strategic customer"), default=False)
    acquired_on = models.DateField(_("acquired on"))
    lost_on = models.DateField(_("lost on"), null=True, blank=True)

    class Meta:
        ordering = ["customer_no"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["owner", "acquired_on"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_no})"


class Activity(FactModel):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        REQUEST = "request", _("Customer request")

    activity_id = models.CharField(_("activity ID"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="activities", verbose_name=_("customer")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    # The date in the organisation's time zone: "in period" compares dates (DESIGN.md §4.2).
    occurred_on = models.DateField(_("occurred on"))
    response_hours = models.DecimalField(
        _("response time (hours)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["employee", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.kind}"


class Opportunity(FactModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    opportunity_id = models.CharField(_("opportunity ID"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("customer"),
    )
    created_on = models.DateField(_("created on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        ordering = ["-created_on"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [models.Index(fields=["employee", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.status}"


class Sale(FactModel):
    contract_no = models.CharField(_("contract number"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="sales", verbose_name=_("customer")
    )
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    profit = models.DecimalField(_("simulated profit"), **AMOUNT)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        indexes = [models.Index(fields=["employee", "signed_on"])]

    def __str__(self) -> str:
        return self.contract_no


class Receivable(FactModel):
    invoice_no = models.CharField(_("invoice number"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="receivables",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="receivables",
        verbose_name=_("customer"),
    )
    invoiced_on = models.DateField(_("invoiced on"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["-invoiced_on"]
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        indexes = [models.Index(fields=["employee", "invoiced_on"])]

    def __str__(self) -> str:
        return self.invoice_no


class Complaint(FactModel):
    complaint_id = models.CharField(_("complaint ID"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    opened_on = models.DateField(_("opened on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["employee", "opened_on"])]

    def __str__(self) -> str:
        return self.complaint_id


class SurveyResponse(FactModel):
    class Source(models.TextChoices):
        IMPORT = "import", _("Imported")
        LINK = "link", _("Answered by link")

    response_id = models.CharField(_("response ID"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("account manager"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("customer"),
    )
    responded_on = models.DateField(_("responded on"))
    nps = models.PositiveSmallIntegerField(_("NPS score (0–10)"))
    csat = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    # "link": answered on Kaopei's public survey page (kaopei.feedback); counted exactly as
    # imported ones by the nps and csat metrics.
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=Source.choices,
        default=Source.IMPORT,
        db_default=Source.IMPORT,
    )

    class Meta:
        ordering = ["-responded_on"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["employee", "responded_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(nps__lte=10), name="nps_0_10"),
            models.CheckConstraint(
                condition=models.Q(csat__isnull=True) | models.Q(csat__gte=1, csat__lte=5),
                name="csat_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.response_id


class ComplianceIncident(FactModel):
    class Category(models.TextChoices):
        BRIBERY = "bribery", _("Anti-bribery")
        AML = "aml", _("Anti-money-laundering")
        DATA_PRIVACY = "data_privacy", _("Data privacy")
        OTHER = "other", _("Other")

    incident_id = models.CharField(_("incident ID"), max_length=60, unique=True)
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("account manager"),
    )
    occurred_on = models.DateField(_("occurred on"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    confirmed = models.BooleanField(_("confirmed"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("compliance incident")
        verbose_name_plural = _("compliance incidents")
        indexes = [
            models.Index(fields=["employee", "occurred_on"]),
            # The one-vote veto looks up the confirmed incidents of a cycle (a few among many).
            models.Index(
                fields=["occurred_on"],
                condition=Q(confirmed=True, voided_at__isnull=True),
                name="incident_confirmed_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.category}"


class RecordCorrection(models.Model):
    """One correction of a business record by hand: voided, corrected (the previous values
    kept in ``before``, the new ones in ``after``) or added. Never edited or deleted.

    A corrected record keeps its key and its row: metrics and imports go on finding it by
    key, and this trail holds every earlier version.
    """

    class Action(models.TextChoices):
        VOID = "void", _("Voided")
        CORRECT = "correct", _("Corrected")
        ADD = "add", _("Added")

    model = models.CharField(_("record type"), max_length=60)  # label_lower, e.g. facts.sale
    object_id = models.BigIntegerField(_("record"))
    record_key = models.CharField(_("record key"), max_length=60)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("record correction")
        verbose_name_plural = _("record corrections")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.model} {self.record_key}"


__all__ = [
    "Activity",
    "ComplianceIncident",
    "Complaint",
    "Customer",
    "Opportunity",
    "Receivable",
    "RecordCorrection",
    "Sale",
    "SurveyResponse",
    "TimeStampedModel",
]

"""The records behind each metric line (drill-down): for one employee and period, exactly
the rows a formula in ``metrics.py`` counted, with their role in the formula, and last the
records that would have counted but were voided by hand (struck through, with who, when and
why: they count nowhere).

Each function returns an :class:`Evidence` with one or more named groups of records, e.g.
for ``opportunity_win_rate`` the won and the lost opportunities closed in the period.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaopei.core.periods import Period
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    Opportunity,
    Receivable,
    Sale,
    SurveyResponse,
)


@dataclass
class Group:
    label: str | Promise
    queryset: QuerySet[Any]
    columns: Sequence[tuple[str, Any]]  # (attribute path, heading)
    voided: bool = False  # the records voided by hand: listed, never counted


@dataclass
class Evidence:
    groups: list[Group] = field(default_factory=list)
    note: str | Promise = ""


CUSTOMER = ("customer", _("Customer"))
SALE_COLS = [
    ("contract_no", _("Contract")),
    CUSTOMER,
    ("signed_on", _("Signed on")),
    ("amount", _("Amount (元)")),
    ("profit", _("Simulated profit (元)")),
]
ACT_COLS = [
    ("activity_id", _("Activity")),
    CUSTOMER,
    ("get_kind_display", _("Type")),
    ("occurred_at", _("Occurred at")),
    ("response_hours", _("Response (hours)")),
]
OPP_COLS = [
    ("opportunity_id", _("Opportunity")),
    CUSTOMER,
    ("created_on", _("Created on")),
    ("closed_on", _("Closed on")),
    ("get_status_display", _("Status")),
    ("amount", _("Amount (元)")),
]
RCV_COLS = [
    ("invoice_no", _("Invoice")),
    CUSTOMER,
    ("invoiced_on", _("Invoiced on")),
    ("amount", _("Amount (元)")),
    ("paid_on", _("Paid on")),
]
CMP_COLS = [
    ("complaint_id", _("Complaint")),
    CUSTOMER,
    ("opened_on", _("Opened on")),
    ("resolved_on", _("Resolved on")),
]
SRV_COLS = [
    ("response_id", _("Response")),
    CUSTOMER,
    ("responded_on", _("Responded on")),
    ("nps", _("NPS (0–10)")),
    ("csat", _("CSAT (1–5)")),
    ("get_source_display", _("Source")),  # imported, or answered by link (kaopei.feedback)
]
CUS_COLS = [
    ("customer_no", _("Customer number")),
    ("name", _("Customer")),
    ("strategic", _("Strategic")),
    ("acquired_on", _("Acquired on")),
    ("lost_on", _("Lost on")),
]
INC_COLS = [
    ("incident_id", _("Incident")),
    ("occurred_on", _("Occurred on")),
    ("get_category_display", _("Category")),
    ("confirmed", _("Confirmed")),
    ("description", _("Description")),
]


def _in(p: Period) -> tuple[Any, Any]:
    return (p.start, p.end)


def sales(emp: int, p: Period) -> Evidence:
    qs = Sale.objects.filter(employee_id=emp, signed_on__range=_in(p)).select_related("customer")
    return Evidence([Group(_("Sales signed in the period"), qs, SALE_COLS)])


def new_customers(emp: int, p: Period) -> Evidence:
    qs = Customer.objects.filter(owner_id=emp, acquired_on__range=_in(p))
    return Evidence([Group(_("Customers acquired in the period"), qs, CUS_COLS)])


def customer_growth_rate(emp: int, p: Period) -> Evidence:
    base = Customer.objects.filter(owner_id=emp)
    start = base.filter(acquired_on__lt=p.start).filter(
        Q(lost_on__isnull=True) | Q(lost_on__gte=p.start)
    )
    end = base.filter(acquired_on__lte=p.end).filter(Q(lost_on__isnull=True) | Q(lost_on__gt=p.end))
    return Evidence(
        [
            Group(_("Customers at the start (N_start)"), start, CUS_COLS),
            Group(_("Customers at the end (N_end)"), end, CUS_COLS),
        ]
    )


def visit_count(emp: int, p: Period) -> Evidence:
    qs = Activity.objects.filter(
        employee_id=emp, kind=Activity.Kind.VISIT, occurred_on__range=_in(p)
    ).select_related("customer")
    return Evidence([Group(_("Visits in the period"), qs, ACT_COLS)])


def response_hours(emp: int, p: Period) -> Evidence:
    qs = (
        Activity.objects.filter(
            employee_id=emp, occurred_on__range=_in(p), response_hours__isnull=False
        )
        .select_related("customer")
        .order_by("response_hours", "activity_id")
    )
    return Evidence(
        [
            Group(
                _("Activities with a response time (sorted; the median is the middle)"),
                qs,
                ACT_COLS,
            )
        ]
    )


def opportunity_win_rate(emp: int, p: Period) -> Evidence:
    base = Opportunity.objects.filter(employee_id=emp, closed_on__range=_in(p)).select_related(
        "customer"
    )
    return Evidence(
        [
            Group(_("Won"), base.filter(status=Opportunity.Status.WON), OPP_COLS),
            Group(_("Lost"), base.filter(status=Opportunity.Status.LOST), OPP_COLS),
        ]
    )


def collection_days(emp: int, p: Period) -> Evidence:
    base = Receivable.objects.filter(employee_id=emp).select_related("customer")
    outstanding = base.filter(invoiced_on__lte=p.end).filter(
        Q(paid_on__isnull=True) | Q(paid_on__gt=p.end)
    )
    invoiced = base.filter(invoiced_on__range=_in(p))
    return Evidence(
        [
            Group(_("Outstanding at the end (AR_end)"), outstanding, RCV_COLS),
            Group(_("Invoiced in the period (credit sales)"), invoiced, RCV_COLS),
        ]
    )


def complaint_resolution_rate(emp: int, p: Period) -> Evidence:
    base = Complaint.objects.filter(employee_id=emp, opened_on__range=_in(p)).select_related(
        "customer"
    )
    resolved = base.filter(resolved_on__isnull=False, resolved_on__lte=p.end)
    open_ = base.exclude(pk__in=resolved.values("pk"))
    return Evidence(
        [
            Group(_("Resolved by the end"), resolved, CMP_COLS),
            Group(_("Not resolved by the end"), open_, CMP_COLS),
        ]
    )


def nps(emp: int, p: Period) -> Evidence:
    base = SurveyResponse.objects.filter(
        employee_id=emp, responded_on__range=_in(p)
    ).select_related("customer")
    return Evidence(
        [
            Group(_("Promoters (9–10)"), base.filter(nps__gte=9), SRV_COLS),
            Group(_("Passives (7–8)"), base.filter(nps__in=(7, 8)), SRV_COLS),
            Group(_("Detractors (0–6)"), base.filter(nps__lte=6), SRV_COLS),
        ]
    )


def csat(emp: int, p: Period) -> Evidence:
    base = SurveyResponse.objects.filter(
        employee_id=emp, responded_on__range=_in(p), csat__isnull=False
    ).select_related("customer")
    return Evidence(
        [
            Group(_("Satisfied (4–5)"), base.filter(csat__gte=4), SRV_COLS),
            Group(_("Not satisfied (1–3)"), base.filter(csat__lte=3), SRV_COLS),
        ]
    )


def strategic_coverage(emp: int, p: Period) -> Evidence:
    owned = Customer.objects.filter(owner_id=emp, strategic=True, acquired_on__lte=p.end).filter(
        Q(lost_on__isnull=True) | Q(lost_on__gt=p.end)
    )
    touched_ids = Activity.objects.filter(
        voided_at__isnull=True,
        employee_id=emp,
        kind__in=[Activity.Kind.VISIT, Activity.Kind.MEETING],
        occurred_on__range=_in(p),
    ).values("customer_id")
    return Evidence(
        [
            Group(
                _("Strategic customers visited or met"), owned.filter(pk__in=touched_ids), CUS_COLS
            ),
            Group(
                _("Strategic customers not visited or met"),
                owned.exclude(pk__in=touched_ids),
                CUS_COLS,
            ),
        ]
    )


def compliance_incidents(emp: int, p: Period) -> Evidence:
    qs = ComplianceIncident.objects.filter(employee_id=emp, occurred_on__range=_in(p))
    return Evidence([Group(_("Incidents in the period"), qs, INC_COLS)])


EVIDENCE: dict[str, Callable[[int, Period], Evidence]] = {
    "sales_amount": sales,
    "profit_contribution": sales,
    "new_customers": new_customers,
    "customer_growth_rate": customer_growth_rate,
    "visit_count": visit_count,
    "response_hours": response_hours,
    "opportunity_win_rate": opportunity_win_rate,
    "collection_days": collection_days,
    "complaint_resolution_rate": complaint_resolution_rate,
    "nps": nps,
    "csat": csat,
    "strategic_coverage": strategic_coverage,
    "compliance_incidents": compliance_incidents,
}


VOID_COLS = [
    ("voided_at", _("Voided at")),
    ("voided_by", _("Voided by")),
    ("void_reason", _("Reason for voiding")),
]


def _split_voided(evidence: Evidence) -> Evidence:
    """Counted groups without the voided records; those in a last group of their own."""
    if not evidence.groups:
        return evidence
    model = evidence.groups[0].queryset.model
    voided = Q(pk__in=[])
    for g in evidence.groups:
        voided |= Q(pk__in=g.queryset.filter(voided_at__isnull=False).values("pk"))
        g.queryset = g.queryset.filter(voided_at__isnull=True)
    related = ["voided_by__employee"] + (["customer"] if hasattr(model, "customer") else [])
    qs = model._default_manager.filter(voided).select_related(*related).order_by("-voided_at")
    columns = [*evidence.groups[0].columns, *VOID_COLS]
    evidence.groups.append(Group(_("Voided records (not counted)"), qs, columns, voided=True))
    return evidence


# The kind of record (``facts.corrections.RECORD_KINDS``) a missing record of a metric is.
SOURCE_KIND: dict[str, str] = {
    "sales_amount": "sale",
    "profit_contribution": "sale",
    "new_customers": "customer",
    "customer_growth_rate": "customer",
    "visit_count": "activity",
    "response_hours": "activity",
    "opportunity_win_rate": "opportunity",
    "collection_days": "receivable",
    "complaint_resolution_rate": "complaint",
    "nps": "survey",
    "csat": "survey",
    "strategic_coverage": "activity",
    "compliance_incidents": "incident",
}


def evidence_for(code: str, employee_id: int, period: Period) -> Evidence | None:
    """The records behind one metric, or None for metrics not fed by business records
    (manual scores and quarterly_average are explained on the scorecard itself)."""
    func = EVIDENCE.get(code)
    return _split_voided(func(employee_id, period)) if func else None


# --- Evidence other apps contribute --------------------------------------------------------
# A metric fed by another app (360 feedback, training) is explained by that app: it
# registers, at start-up, a provider for the metric's code. The line's evidence page renders
# each panel's template with its context. Assessment knows no provider.


@dataclass(frozen=True)
class EvidencePanel:
    template: str
    context: dict[str, Any]


EvidenceProvider = Callable[..., "EvidencePanel | None"]
_PANELS: dict[str, list[EvidenceProvider]] = {}


def evidence_panel_register(*, code: str, provider: EvidenceProvider) -> None:
    """Register ``provider(card=…, user=…)`` for the lines of metric ``code``; it returns an
    :class:`EvidencePanel` or None. Registering the same provider twice has no effect."""
    providers = _PANELS.setdefault(code, [])
    if provider not in providers:
        providers.append(provider)


def evidence_panels(*, code: str, card: Any, user: Any) -> list[EvidencePanel]:
    """The panels the registered providers give for one line of ``card``."""
    panels = (provider(card=card, user=user) for provider in _PANELS.get(code, []))
    return [panel for panel in panels if panel is not None]

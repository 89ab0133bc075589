"""The business-record kinds, declared as data (DESIGN.md §3, §4.2 ⚑): for each, its model,
its key, which file column feeds which field (and through which reference), and the dates
that place a record in cycles. :mod:`.facts` builds one loader per declaration."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

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

EMPLOYEE = "employee"
CUSTOMER = "customer"
REF_ERRORS = {EMPLOYEE: "unknown_employee", CUSTOMER: "unknown_customer"}


@dataclass(frozen=True)
class FieldMap:
    """File column ``column`` feeds model field ``field`` (through a reference, if any)."""

    column: str
    field: str
    ref: str | None = None


@dataclass(frozen=True)
class FactKind:
    """One business-record kind: model, key field (= key column), field map, the dates that
    place a record in cycles, and ``local_dates`` (a date field derived from a datetime
    column: the local date in the organisation's time zone)."""

    kind: str
    model: type[models.Model]
    key: str
    fields: tuple[FieldMap, ...]
    dates: tuple[str, ...]
    local_dates: tuple[tuple[str, str], ...] = ()


FACT_KINDS: tuple[FactKind, ...] = (
    FactKind(
        "customers",
        Customer,
        "customer_no",
        (
            FieldMap("customer_no", "customer_no"),
            FieldMap("name", "name"),
            FieldMap("owner_no", "owner", EMPLOYEE),
            FieldMap("segment", "segment"),
            FieldMap("strategic", "strategic"),
            FieldMap("acquired_on", "acquired_on"),
            FieldMap("lost_on", "lost_on"),
        ),
        dates=("acquired_on", "lost_on"),
    ),
    FactKind(
        "activities",
        Activity,
        "activity_id",
        (
            FieldMap("activity_id", "activity_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("kind", "kind"),
            FieldMap("occurred_at", "occurred_at"),
            FieldMap("response_hours", "response_hours"),
        ),
        dates=("occurred_on",),
        local_dates=(("occurred_on", "occurred_at"),),
    ),
    FactKind(
        "opportunities",
        Opportunity,
        "opportunity_id",
        (
            FieldMap("opportunity_id", "opportunity_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("created_on", "created_on"),
            FieldMap("closed_on", "closed_on"),
            FieldMap("status", "status"),
            FieldMap("amount", "amount"),
        ),
        dates=("created_on", "closed_on"),
    ),
    FactKind(
        "sales",
        Sale,
        "contract_no",
        (
            FieldMap("contract_no", "contract_no"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("signed_on", "signed_on"),
            FieldMap("amount", "amount"),
            FieldMap("profit", "profit"),
        ),
        dates=("signed_on",),
    ),
    FactKind(
        "receivables",
        Receivable,
        "invoice_no",
        (
            FieldMap("invoice_no", "invoice_no"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("invoiced_on", "invoiced_on"),
            FieldMap("amount", "amount"),
            FieldMap("paid_on", "paid_on"),
        ),
        dates=("invoiced_on", "paid_on"),
    ),
    FactKind(
        "complaints",
        Complaint,
        "complaint_id",
        (
            FieldMap("complaint_id", "complaint_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("opened_on", "opened_on"),
            FieldMap("resolved_on", "resolved_on"),
        ),
        dates=("opened_on", "resolved_on"),
    ),
    FactKind(
        "surveys",
        SurveyResponse,
        "response_id",
        (
            FieldMap("response_id", "response_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("customer_no", "customer", CUSTOMER),
            FieldMap("responded_on", "responded_on"),
            FieldMap("nps", "nps"),
            FieldMap("csat", "csat"),
        ),
        dates=("responded_on",),
    ),
    FactKind(
        "incidents",
        ComplianceIncident,
        "incident_id",
        (
            FieldMap("incident_id", "incident_id"),
            FieldMap("employee_no", "employee", EMPLOYEE),
            FieldMap("occurred_on", "occurred_on"),
            FieldMap("category", "category"),
            FieldMap("confirmed", "confirmed"),
            FieldMap("description", "description"),
        ),
        dates=("occurred_on",),
    ),
)

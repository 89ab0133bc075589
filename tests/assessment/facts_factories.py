"""factory_boy factories for the fact models (``kaopei.facts``), reusable by any test.

Every fact belongs to an account manager: pass ``employee=`` (``owner=`` for customers). The
customer of an activity, sale, … defaults to a new customer owned by that same employee.

Dates default to the middle of 2026Q1. An activity takes its ``occurred_at`` either directly
(an aware datetime) or from the ``day`` parameter (10:00 in the organisation's time zone), and
its ``occurred_on`` is always derived from ``occurred_at`` in that zone, as the importer does
(DESIGN.md §4.2) — unless a test passes ``occurred_on`` itself.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import factory
from django.utils import timezone

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
from tests.factories import EmployeeFactory

MID_Q1 = date(2026, 2, 10)


def local_datetime(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime at ``hour:minute`` on ``day`` in the organisation's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    customer_no = factory.Sequence(lambda n: f"CU{n:06d}")
    name = factory.Sequence(lambda n: f"客户{n}")
    owner = factory.SubFactory(EmployeeFactory)
    strategic = False
    acquired_on = date(2025, 6, 1)
    lost_on = None


class _EmployeeFactMixin(factory.django.DjangoModelFactory):
    """A fact of an employee about one of that employee's customers."""

    class Meta:
        abstract = True

    employee = factory.SubFactory(EmployeeFactory)
    customer = factory.SubFactory(CustomerFactory, owner=factory.SelfAttribute("..employee"))


class ActivityFactory(_EmployeeFactMixin):
    class Meta:
        model = Activity

    class Params:
        day = MID_Q1

    activity_id = factory.Sequence(lambda n: f"AC{n:07d}")
    kind = Activity.Kind.VISIT
    occurred_at = factory.LazyAttribute(lambda o: local_datetime(o.day))
    occurred_on = factory.LazyAttribute(lambda o: timezone.localdate(o.occurred_at))
    response_hours = None


class OpportunityFactory(_EmployeeFactMixin):
    class Meta:
        model = Opportunity

    opportunity_id = factory.Sequence(lambda n: f"OP{n:06d}")
    created_on = date(2026, 1, 5)
    status = Opportunity.Status.OPEN
    closed_on = None
    amount = Decimal("100000.00")


class SaleFactory(_EmployeeFactMixin):
    class Meta:
        model = Sale

    contract_no = factory.Sequence(lambda n: f"HT{n:06d}")
    signed_on = MID_Q1
    amount = Decimal("100000.00")
    profit = Decimal("10000.00")


class ReceivableFactory(_EmployeeFactMixin):
    class Meta:
        model = Receivable

    invoice_no = factory.Sequence(lambda n: f"FP{n:06d}")
    invoiced_on = MID_Q1
    amount = Decimal("50000.00")
    paid_on = None


class ComplaintFactory(_EmployeeFactMixin):
    class Meta:
        model = Complaint

    complaint_id = factory.Sequence(lambda n: f"TS{n:06d}")
    opened_on = MID_Q1
    resolved_on = None


class SurveyResponseFactory(_EmployeeFactMixin):
    class Meta:
        model = SurveyResponse

    response_id = factory.Sequence(lambda n: f"WJ{n:06d}")
    responded_on = MID_Q1
    nps = 9
    csat = None


class ComplianceIncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceIncident

    incident_id = factory.Sequence(lambda n: f"HG{n:05d}")
    employee = factory.SubFactory(EmployeeFactory)
    occurred_on = MID_Q1
    category = ComplianceIncident.Category.OTHER
    confirmed = False
    description = ""

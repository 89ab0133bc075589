"""A small scored cycle for the scorecard, calibration and appeal pages.

Built with the services (templates, targets, scoring) and facts rows written directly.
Cycle 2026Q1, scored "on" 2026-05-01 (so no run-rate projection):

- template ``am1-q`` (AM1): visit_count 30, sales_amount 50, nps 10, supervisor_rating 10
- template ``am2-q`` (AM2): visit_count 40, sales_amount 40, nps 10, supervisor_rating 10
- Alice (AM1): 8 visits / 10 → 80 points; sales ¥120,000 / ¥100,000 → 120; NPS of three
  answers 10, 9, 5 = 33.33 against 20 on the band from −100 → 111.11; supervisor rating
  4 / 4 (rated by her supervisor) → 100. Total (30×80 + 50×120 + 10×111.11 + 10×100) / 100
  = 105.11, grade B; to reach A: +5 visits or about +¥29,765 sales.
- Bob (AM2): 2 visits / 10 → 20; no sales / ¥200,000 → 0; NPS without answers (no data);
  supervisor rating without a target (target missing). Total (40×20 + 40×0) / 80 = 10.00,
  grade C, renormalised.
The supervisors (AM3) have no template and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from kaopei.assessment.models import Cycle, ManualScore, Metric, Scorecard
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.facts.models import Activity, ComplianceIncident, Customer, Sale, SurveyResponse
from kaopei.org.models import Employee

SCORED_ON = date(2026, 5, 1)
TZ = ZoneInfo("Asia/Shanghai")


def add_visits(
    employee: Employee,
    customer: Customer,
    n: int,
    *,
    day: date = date(2026, 2, 3),
    prefix: str = "V",
) -> None:
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)
    Activity.objects.bulk_create(
        [
            Activity(
                activity_id=f"{prefix}-{employee.employee_no}-{i:04d}",
                employee=employee,
                customer=customer,
                kind=Activity.Kind.VISIT,
                occurred_at=at,
                occurred_on=day,
            )
            for i in range(n)
        ]
    )


@dataclass
class Scored:
    personas: Any
    cycle: Cycle

    def card(self, who: Employee) -> Scorecard:
        return Scorecard.objects.get(cycle__code=self.cycle.code, employee=who)

    def client(self, who: Employee | None) -> Client:
        """A client for ``who`` reading the pages in English (the default is 简体中文)."""
        client = self.personas.client(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    def url(self, who: Employee, suffix: str = "") -> str:
        return f"/assessment/cycles/{self.cycle.code}/scorecards/{who.employee_no}/{suffix}"

    def rescore(self, today: date = SCORED_ON) -> None:
        cycle_score(code=self.cycle.code, user=self.personas.hr.user, today=today)
        self.cycle.refresh_from_db()

    def veto(self, who: Employee, incident_id: str = "HG-1", category: str = "aml") -> None:
        ComplianceIncident.objects.create(
            incident_id=incident_id,
            employee=who,
            occurred_on=date(2026, 2, 20),
            category=category,
            confirmed=True,
            description="Missed KYC checks",
        )
        self.rescore()


@pytest.fixture
def scored_cycle(personas: Any) -> Scored:
    p = personas
    template_create_version(
        code="am1-q",
        level=p.am1,
        cycle_kind="quarterly",
        items=[
            ItemSpec("visit_count", Decimal(30)),
            ItemSpec("sales_amount", Decimal(50)),
            ItemSpec("nps", Decimal(10)),
            ItemSpec("supervisor_rating", Decimal(10)),
        ],
    )
    template_create_version(
        code="am2-q",
        level=p.am2,
        cycle_kind="quarterly",
        items=[
            ItemSpec("visit_count", Decimal(40)),
            ItemSpec("sales_amount", Decimal(40)),
            ItemSpec("nps", Decimal(10)),
            ItemSpec("supervisor_rating", Decimal(10)),
        ],
    )
    cycle = cycle_get_or_create(code="2026Q1")
    m = {x.code: x.pk for x in Metric.objects.all()}
    targets_set(
        cycle=cycle,
        values={
            (p.alice.pk, m["visit_count"]): Decimal(10),
            (p.alice.pk, m["sales_amount"]): Decimal(100000),
            (p.alice.pk, m["nps"]): Decimal(20),
            (p.alice.pk, m["supervisor_rating"]): Decimal(4),
            (p.bob.pk, m["visit_count"]): Decimal(10),
            (p.bob.pk, m["sales_amount"]): Decimal(200000),
            (p.bob.pk, m["nps"]): Decimal(20),
        },
    )
    ca = Customer.objects.create(
        customer_no="CA1", name="安华贸易", owner=p.alice, acquired_on=date(2025, 1, 1)
    )
    cb = Customer.objects.create(
        customer_no="CB1", name="白云物流", owner=p.bob, acquired_on=date(2025, 1, 1)
    )
    add_visits(p.alice, ca, 8)
    add_visits(p.bob, cb, 2)
    Sale.objects.create(
        contract_no="S-A1",
        employee=p.alice,
        customer=ca,
        signed_on=date(2026, 2, 10),
        amount=Decimal(120000),
        profit=Decimal(9000),
    )
    for i, score in enumerate((10, 9, 5)):
        SurveyResponse.objects.create(
            response_id=f"R-A{i}",
            employee=p.alice,
            customer=ca,
            responded_on=date(2026, 3, 1),
            nps=score,
            csat=4,
        )
    ManualScore.objects.create(
        cycle=cycle,
        employee=p.alice,
        metric_id=m["supervisor_rating"],
        value=Decimal(4),
        rater=p.sup,
    )
    cycle_score(code="2026Q1", user=p.hr.user, today=SCORED_ON)
    cycle.refresh_from_db()
    return Scored(personas=p, cycle=cycle)

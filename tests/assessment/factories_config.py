"""Test data for the cycle, configuration, CLI, export and API tests, built with the
services (templates, targets, scoring) and fact rows.

:func:`build_hand_example` scores 2026Q1 for the personas; its arithmetic is in
``tests/assessment/test_exports.py`` (the hand-computed example):

- template ``cfg-am1`` (AM1): sales_amount 40, opportunity_win_rate 30, response_hours 30
- template ``cfg-am2`` (AM2): visit_count 100
- template ``cfg-am3`` (AM3): opportunity_win_rate 60, visit_count 40
- Alice (AM1): sales 123,456.78 + 100,000.00 against 200,000; response times 3, 4.5, 5 and
  6 hours against 4; no opportunity closed (win rate: no data) → total 99.94, C.
- Bob (AM2): 3 visits against 4 and a confirmed AML incident (INC-7) → 75.00, UNQUALIFIED.
- Sun Pei (S001, AM3): no visit against 10, no opportunity closed → 40 of 100 weight with
  data: total 0.00, INSUFFICIENT.
- Shen Er (S002, AM3): no targets at all → no line with data: no total, INSUFFICIENT.
- HR, executive and trainer hold no job level: skipped (no template).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from kaopei.assessment.models import Cycle, Metric
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.facts.models import Activity, ComplianceIncident, Customer, Sale
from kaopei.org.models import Employee

D = Decimal
TZ = ZoneInfo("Asia/Shanghai")
SCORED_ON = date(2026, 5, 1)


def metric_ids() -> dict[str, int]:
    return dict(Metric.objects.values_list("code", "pk"))


def english(client: Client) -> Client:
    """The client reads pages in English (the default language is 简体中文)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def customer(owner: Employee, no: str) -> Customer:
    return Customer.objects.create(
        customer_no=no, name=f"客户{no}", owner=owner, acquired_on=date(2025, 1, 1)
    )


def activity(
    employee: Employee,
    cust: Customer,
    activity_id: str,
    *,
    day: date,
    kind: str = Activity.Kind.VISIT,
    response_hours: Decimal | None = None,
) -> Activity:
    return Activity.objects.create(
        activity_id=activity_id,
        employee=employee,
        customer=cust,
        kind=kind,
        occurred_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ),
        occurred_on=day,
        response_hours=response_hours,
    )


def build_templates(p: Any) -> None:
    template_create_version(
        code="cfg-am1",
        level=p.am1,
        cycle_kind="quarterly",
        items=[
            ItemSpec("sales_amount", D(40)),
            ItemSpec("opportunity_win_rate", D(30)),
            ItemSpec("response_hours", D(30)),
        ],
        note="hand example",
    )
    template_create_version(
        code="cfg-am2", level=p.am2, cycle_kind="quarterly", items=[ItemSpec("visit_count", D(100))]
    )
    template_create_version(
        code="cfg-am3",
        level=p.am3,
        cycle_kind="quarterly",
        items=[
            ItemSpec("opportunity_win_rate", D(60)),
            ItemSpec("visit_count", D(40)),
        ],
    )


def build_hand_example(p: Any, *, score: bool = True) -> Cycle:
    """Templates, targets and facts of the hand-computed example; scores 2026Q1 as HR."""
    build_templates(p)
    cycle = cycle_get_or_create(code="2026Q1")
    m = metric_ids()
    targets_set(
        cycle=cycle,
        user=p.hr.user,
        values={
            (p.alice.pk, m["sales_amount"]): D(200000),
            (p.alice.pk, m["response_hours"]): D(4),
            (p.alice.pk, m["opportunity_win_rate"]): D(50),
            (p.bob.pk, m["visit_count"]): D(4),
            (p.sup.pk, m["visit_count"]): D(10),
            (p.sup.pk, m["opportunity_win_rate"]): D(40),
        },
    )
    ca = customer(p.alice, "C-A")
    cb = customer(p.bob, "C-B")
    Sale.objects.create(
        contract_no="HT-1",
        employee=p.alice,
        customer=ca,
        signed_on=date(2026, 1, 15),
        amount=D("123456.78"),
        profit=D(1000),
    )
    Sale.objects.create(
        contract_no="HT-2",
        employee=p.alice,
        customer=ca,
        signed_on=date(2026, 2, 20),
        amount=D("100000.00"),
        profit=D(1000),
    )
    Sale.objects.create(
        contract_no="HT-OUT",
        employee=p.alice,
        customer=ca,
        signed_on=date(2026, 4, 1),
        amount=D("999999.00"),
        profit=D(1000),
    )
    for i, hours in enumerate(("3", "4.5", "5", "6")):
        activity(
            p.alice,
            ca,
            f"AC-A{i}",
            day=date(2026, 3, 1 + i),
            kind=Activity.Kind.CALL,
            response_hours=D(hours),
        )
    for i in range(3):
        activity(p.bob, cb, f"AC-B{i}", day=date(2026, 2, 1 + i))
    ComplianceIncident.objects.create(
        incident_id="INC-7",
        employee=p.bob,
        occurred_on=date(2026, 2, 14),
        category="aml",
        confirmed=True,
        description="KYC missed",
    )
    if score:
        cycle_score(code="2026Q1", user=p.hr.user, today=SCORED_ON)
        cycle.refresh_from_db()
    return cycle

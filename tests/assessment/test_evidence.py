"""The drill-down (``evidence.py``) shows exactly the records each formula counted.

On one shared, seeded random data set — dates on and around the period's edges, activities at
the time-zone boundary, visits by someone other than a customer's owner, open opportunities,
receivables paid on the end date, answers without a csat — the metric value recomputed from
the evidence groups alone must equal the value ``metrics.py`` computes for everyone at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from kaopei.assessment.evidence import EVIDENCE, Evidence, evidence_for
from kaopei.assessment.metrics import NO_DATA, MetricValue, compute_metrics, value_for
from kaopei.core.periods import parse_period
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
from kaopei.org.models import Employee
from tests.assessment.facts_factories import (
    ActivityFactory,
    ComplaintFactory,
    ComplianceIncidentFactory,
    CustomerFactory,
    OpportunityFactory,
    ReceivableFactory,
    SaleFactory,
    SurveyResponseFactory,
    local_datetime,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

Q1 = parse_period("2026Q1")
# Days on, just inside and just outside both edges of 2026Q1, and some in between.
DAYS = [
    date(2025, 10, 1),
    date(2025, 12, 31),
    Q1.start,
    date(2026, 1, 2),
    date(2026, 2, 14),
    date(2026, 3, 30),
    Q1.end,
    date(2026, 4, 1),
    date(2026, 5, 20),
]
KINDS = list(Activity.Kind)
STATUSES = list(Opportunity.Status)


def _maybe(rng: random.Random, value: Any, p: float = 0.5) -> Any:
    return value if rng.random() < p else None


def _later(rng: random.Random, day: date) -> date:
    return rng.choice([d for d in DAYS if d >= day] + [day + timedelta(days=3)])


def _dataset(seed: int = 2026) -> list[Employee]:
    """Four account managers with a few hundred records between them, a fifth with none and
    a sixth on the edges: customers all new, only an open opportunity, nothing invoiced but an
    old invoice outstanding (collection_days: data, no actual), an answer without a csat."""
    rng = random.Random(seed)
    people = [EmployeeFactory.create() for _ in range(5)]
    busy = people[:4]
    customers = Customer.objects.bulk_create(
        CustomerFactory.build(
            owner=owner,
            strategic=rng.random() < 0.6,
            acquired_on=(acquired := rng.choice(DAYS)),
            lost_on=_maybe(rng, _later(rng, acquired), 0.4),
        )
        for owner in busy
        for _ in range(12)
    )
    mine = {e.pk: [c for c in customers if c.owner_id == e.pk] for e in busy}

    def customer_of(emp: Employee) -> Customer:
        # One time in six the record is about a colleague's customer.
        return rng.choice(customers if rng.random() < 1 / 6 else mine[emp.pk])

    def moment() -> datetime:
        if rng.random() < 0.2:  # 23:30 UTC or 16:30 UTC: the local date is the next day
            day = rng.choice(DAYS)
            return datetime(day.year, day.month, day.day, rng.choice((16, 23)), 30, tzinfo=UTC)
        return local_datetime(rng.choice(DAYS), rng.randrange(24), rng.randrange(60))

    Activity.objects.bulk_create(
        ActivityFactory.build(
            employee=e,
            customer=customer_of(e),
            kind=rng.choice(KINDS),
            occurred_at=moment(),
            response_hours=_maybe(rng, D(rng.randrange(1, 4000)) / 100, 0.6),
        )
        for e in busy
        for _ in range(40)
    )
    opportunities = []
    for e in busy:
        for _ in range(15):
            status = rng.choice(STATUSES)
            closed = rng.choice(DAYS) if status != Opportunity.Status.OPEN else None
            opportunities.append(
                OpportunityFactory.build(
                    employee=e,
                    customer=customer_of(e),
                    status=status,
                    closed_on=closed,
                    created_on=date(2025, 9, 1),
                )
            )
    Opportunity.objects.bulk_create(opportunities)
    Sale.objects.bulk_create(
        SaleFactory.build(
            employee=e,
            customer=customer_of(e),
            signed_on=rng.choice(DAYS),
            amount=D(rng.randrange(0, 10**8)) / 100,
            profit=D(rng.randrange(-(10**6), 10**7)) / 100,
        )
        for e in busy
        for _ in range(10)
    )
    Receivable.objects.bulk_create(
        ReceivableFactory.build(
            employee=e,
            customer=customer_of(e),
            invoiced_on=(invoiced := rng.choice(DAYS)),
            amount=D(rng.randrange(1, 10**7)) / 100,
            paid_on=_maybe(rng, _later(rng, invoiced)),
        )
        for e in busy
        for _ in range(12)
    )
    Complaint.objects.bulk_create(
        ComplaintFactory.build(
            employee=e,
            customer=customer_of(e),
            opened_on=(opened := rng.choice(DAYS)),
            resolved_on=_maybe(rng, _later(rng, opened), 0.7),
        )
        for e in busy
        for _ in range(10)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponseFactory.build(
            employee=e,
            customer=customer_of(e),
            responded_on=rng.choice(DAYS),
            nps=rng.randrange(11),
            csat=_maybe(rng, rng.randrange(1, 6), 0.6),
        )
        for e in busy
        for _ in range(15)
    )
    ComplianceIncident.objects.bulk_create(
        ComplianceIncidentFactory.build(
            employee=e, occurred_on=rng.choice(DAYS), confirmed=rng.random() < 0.5
        )
        for e in busy
        for _ in range(3)
    )
    edge = EmployeeFactory.create()  # the edges that a random draw may miss
    newcomer = CustomerFactory.create(owner=edge, strategic=True, acquired_on=Q1.start)
    ActivityFactory.create(employee=edge, customer=newcomer, kind=Activity.Kind.CALL, day=Q1.end)
    OpportunityFactory.create(employee=edge, customer=newcomer, status=Opportunity.Status.OPEN)
    ReceivableFactory.create(employee=edge, customer=newcomer, invoiced_on=date(2025, 12, 1))
    ReceivableFactory.create(
        employee=edge, customer=newcomer, invoiced_on=Q1.start, paid_on=Q1.end, amount=D(0)
    )
    SurveyResponseFactory.create(employee=edge, customer=newcomer, nps=8, csat=None)
    ComplaintFactory.create(employee=edge, customer=newcomer, opened_on=Q1.end, resolved_on=Q1.end)
    return [*people, edge]


# --- the value each evidence implies ---------------------------------------------------------

Groups = Sequence[Sequence[Any]]


def _has(value: int | D) -> MetricValue:
    return MetricValue(D(value), True)


def _pct(num: int, den: int) -> MetricValue:
    return NO_DATA if not den else MetricValue(D(num) * 100 / D(den), True)


def _median(g: Groups) -> MetricValue:
    hours = [a.response_hours for a in g[0]]
    assert hours == sorted(hours)  # shown sorted, "the median is the middle"
    n = len(hours)
    if not n:
        return NO_DATA
    return _has(hours[n // 2] if n % 2 else (hours[n // 2 - 1] + hours[n // 2]) / 2)


def _dso(g: Groups) -> MetricValue:
    ar, credit = sum(r.amount for r in g[0]), sum(r.amount for r in g[1])
    if not credit:
        return NO_DATA if not ar else MetricValue(None, True)
    return _has(ar / credit * Q1.days)


FROM_EVIDENCE: dict[str, Callable[[Groups], MetricValue]] = {
    "sales_amount": lambda g: _has(sum((s.amount for s in g[0]), D(0))),
    "profit_contribution": lambda g: _has(sum((s.profit for s in g[0]), D(0))),
    "new_customers": lambda g: _has(len(g[0])),
    "customer_growth_rate": lambda g: _pct(len(g[1]) - len(g[0]), len(g[0])),
    "visit_count": lambda g: _has(len(g[0])),
    "response_hours": _median,
    "opportunity_win_rate": lambda g: _pct(len(g[0]), len(g[0]) + len(g[1])),
    "collection_days": _dso,
    "complaint_resolution_rate": lambda g: _pct(len(g[0]), len(g[0]) + len(g[1])),
    "nps": lambda g: _pct(len(g[0]) - len(g[2]), len(g[0]) + len(g[1]) + len(g[2])),
    "csat": lambda g: _pct(len(g[0]), len(g[0]) + len(g[1])),
    "strategic_coverage": lambda g: _pct(len(g[0]), len(g[0]) + len(g[1])),
    "compliance_incidents": lambda g: _has(len(g[0])),
}
# Metrics whose groups split one set of records: a record is never in two of them.
PARTITIONED = {
    "opportunity_win_rate",
    "complaint_resolution_rate",
    "nps",
    "csat",
    "strategic_coverage",
}


def _owner(row: Any) -> int:
    return row.owner_id if isinstance(row, Customer) else row.employee_id


def _show(row: Any, path: str) -> Any:
    value = getattr(row, path)
    return value() if callable(value) else value


def test_every_metric_with_evidence_is_checked_here() -> None:
    assert set(FROM_EVIDENCE) == set(EVIDENCE)


@pytest.mark.parametrize("code", sorted(FROM_EVIDENCE))
def test_the_evidence_reproduces_the_metric_value(code: str) -> None:
    people = _dataset()
    values = compute_metrics([code], period=Q1)[code]
    seen = []
    for emp in people:
        evidence = evidence_for(code, emp.pk, Q1)
        assert isinstance(evidence, Evidence)
        groups = [list(group.queryset) for group in evidence.groups]
        expected = value_for(code, values, emp.pk)
        assert FROM_EVIDENCE[code](groups) == expected, (code, emp.employee_no, groups)
        seen.append(expected)
        rows = [row for group in groups for row in group]
        assert {_owner(row) for row in rows} <= {emp.pk}
        if code in PARTITIONED:
            assert len({row.pk for row in rows}) == len(rows)
        for group in evidence.groups:
            for row in group.queryset[:3]:
                for path, _heading in group.columns:
                    _show(row, path)  # every column of the drill-down can be shown
    # The data set is not degenerate: someone has a non-zero value; the fifth person none.
    assert any(v.has_data and v.actual for v in seen[:4]), (code, seen)
    assert seen[4] in (NO_DATA, _has(0))
    if code == "collection_days":
        assert seen[5] == MetricValue(None, True)


def test_metrics_without_business_records_have_no_evidence(db: Any) -> None:
    emp = EmployeeFactory.create()
    for code in (
        "supervisor_rating",
        "quarterly_average",
        "training_hours",
        "quiz_score",
        "competency_360",
        "branch_culture",
    ):
        assert evidence_for(code, emp.pk, Q1) is None

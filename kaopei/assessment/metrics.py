"""Metric formulas of the library (DESIGN.md §5 ⚑), each one set-based query for everyone.

Voided records (``voided_at`` set) count in no formula: every query filters them out.

``compute_metrics(codes, period, cycle)`` returns, for every metric code, a mapping
``employee_id -> MetricValue`` for the employees that have records; :func:`value_for` fills
in the rest by the contract: sums and counts over no records are 0 with data, ratios and
averages with an empty denominator have no data. Never a query per employee.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum

from kaopei.assessment.sources import formula_for
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

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class MetricValue(NamedTuple):
    """``actual`` None with ``has_data`` True means "data, but no value" (collection_days
    with receivables outstanding and nothing invoiced: attainment 0)."""

    actual: Decimal | None
    has_data: bool


NO_DATA = MetricValue(None, False)
ZERO_VALUE = MetricValue(ZERO, True)
# MetricValue((actual, has_data)) without the per-call cost of a NamedTuple's Python
# __new__: metrics build one per employee and metric (130,000 for 10,000 people).
_value = functools.partial(tuple.__new__, MetricValue)
Values = dict[int, MetricValue]


@dataclass(frozen=True)
class Context:
    period: Period
    cycle_id: int | None = None


def _pct(num: int | Decimal, den: int | Decimal) -> MetricValue:
    if not den:
        return NO_DATA
    return _value((Decimal(num) * HUNDRED / Decimal(den), True))


def _rows(qs: QuerySet[Any, Any], *columns: str) -> Iterable[tuple[Any, ...]]:
    """The rows of a grouped ``values(…).annotate(…)`` query as tuples of ``columns``.

    On PostgreSQL the compiled SQL runs on a plain cursor: the driver already returns ints
    and Decimals, and skipping the ORM's row handling matters at 100,000 rows per metric.
    """
    qs = qs.values_list(*columns).order_by()
    if connection.vendor != "postgresql":
        return qs
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()  # type: ignore[no-any-return]


def _sum(qs, field: str, owner: str = "employee_id") -> Values:  # type: ignore[no-untyped-def]
    return {
        emp: _value((v or ZERO, True))
        for emp, v in _rows(qs.values(owner).annotate(v=Sum(field)), owner, "v")
    }


def _count(qs, owner: str = "employee_id") -> Values:  # type: ignore[no-untyped-def]
    return {
        emp: _value((Decimal(v), True))
        for emp, v in _rows(qs.values(owner).annotate(v=Count("*")), owner, "v")
    }


def sales_amount(c: Context) -> Values:
    return _sum(
        Sale.objects.filter(
            voided_at__isnull=True, signed_on__range=(c.period.start, c.period.end)
        ),
        "amount",
    )


def profit_contribution(c: Context) -> Values:
    return _sum(
        Sale.objects.filter(
            voided_at__isnull=True, signed_on__range=(c.period.start, c.period.end)
        ),
        "profit",
    )


def new_customers(c: Context) -> Values:
    return _count(
        Customer.objects.filter(
            voided_at__isnull=True, acquired_on__range=(c.period.start, c.period.end)
        ),
        "owner_id",
    )


def customer_growth_rate(c: Context) -> Values:
    s, e = c.period.start, c.period.end
    rows = (
        Customer.objects.filter(voided_at__isnull=True, acquired_on__lte=e)
        .values("owner_id")
        .annotate(
            n_start=Count(
                "pk", filter=Q(acquired_on__lt=s) & (Q(lost_on__isnull=True) | Q(lost_on__gte=s))
            ),
            n_end=Count("pk", filter=Q(lost_on__isnull=True) | Q(lost_on__gt=e)),
        )
    )
    return {
        emp: _pct(n_end - n_start, n_start)
        for emp, n_start, n_end in _rows(rows, "owner_id", "n_start", "n_end")
    }


def visit_count(c: Context) -> Values:
    return _count(
        Activity.objects.filter(
            voided_at__isnull=True,
            kind=Activity.Kind.VISIT,
            occurred_on__range=(c.period.start, c.period.end),
        )
    )


def response_hours(c: Context) -> Values:
    """Median response time; for an even count the mean of the two middle values."""
    s, e = c.period.start, c.period.end
    if connection.vendor == "postgresql":
        table = Activity._meta.db_table
        sql = (
            f"SELECT employee_id,"  # noqa: S608 - table name from the model, dates bound
            " percentile_disc(0.5) WITHIN GROUP (ORDER BY response_hours),"
            " percentile_disc(0.5) WITHIN GROUP (ORDER BY response_hours DESC)"
            f" FROM {table} WHERE occurred_on BETWEEN %s AND %s"
            " AND response_hours IS NOT NULL AND voided_at IS NULL GROUP BY employee_id"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [s, e])
            return {
                emp: _value(((Decimal(lo) + Decimal(hi)) / 2, True))
                for emp, lo, hi in cur.fetchall()
            }
    values: dict[int, list[Decimal]] = defaultdict(list)
    hours: Decimal
    for emp, hours in (  # type: ignore[assignment]
        Activity.objects.filter(
            voided_at__isnull=True, occurred_on__range=(s, e), response_hours__isnull=False
        )
        .values_list("employee_id", "response_hours")
        .order_by()
    ):
        values[emp].append(hours)
    out: Values = {}
    for emp, hs in values.items():
        hs.sort()
        n = len(hs)
        mid = hs[n // 2] if n % 2 else (hs[n // 2 - 1] + hs[n // 2]) / 2
        out[emp] = MetricValue(mid, True)
    return out


def opportunity_win_rate(c: Context) -> Values:
    rows = (
        Opportunity.objects.filter(
            voided_at__isnull=True,
            closed_on__range=(c.period.start, c.period.end),
            status__in=[Opportunity.Status.WON, Opportunity.Status.LOST],
        )
        .values("employee_id")
        .annotate(won=Count("pk", filter=Q(status=Opportunity.Status.WON)), n=Count("*"))
    )
    return {emp: _pct(won, n) for emp, won, n in _rows(rows, "employee_id", "won", "n")}


def collection_days(c: Context) -> Values:
    s, e = c.period.start, c.period.end
    rows = (
        Receivable.objects.filter(voided_at__isnull=True, invoiced_on__lte=e)
        .values("employee_id")
        .annotate(
            ar_end=Sum("amount", filter=Q(paid_on__isnull=True) | Q(paid_on__gt=e)),
            credit=Sum("amount", filter=Q(invoiced_on__gte=s)),
        )
    )
    out: Values = {}
    for emp, ar_end, credit_sum in _rows(rows, "employee_id", "ar_end", "credit"):
        ar, credit = ar_end or ZERO, credit_sum or ZERO
        if credit == 0:
            out[emp] = NO_DATA if ar == 0 else MetricValue(None, True)
        else:
            out[emp] = MetricValue(ar / credit * c.period.days, True)
    return out


def complaint_resolution_rate(c: Context) -> Values:
    rows = (
        Complaint.objects.filter(
            voided_at__isnull=True, opened_on__range=(c.period.start, c.period.end)
        )
        .values("employee_id")
        .annotate(
            resolved=Count(
                "pk", filter=Q(resolved_on__isnull=False, resolved_on__lte=c.period.end)
            ),
            n=Count("*"),
        )
    )
    return {
        emp: _pct(resolved, n) for emp, resolved, n in _rows(rows, "employee_id", "resolved", "n")
    }


def nps(c: Context) -> Values:
    rows = (
        SurveyResponse.objects.filter(
            voided_at__isnull=True, responded_on__range=(c.period.start, c.period.end)
        )
        .values("employee_id")
        .annotate(
            promoters=Count("pk", filter=Q(nps__gte=9)),
            detractors=Count("pk", filter=Q(nps__lte=6)),
            n=Count("*"),
        )
    )
    return {
        emp: _pct(promoters - detractors, n)
        for emp, promoters, detractors, n in _rows(
            rows, "employee_id", "promoters", "detractors", "n"
        )
    }


def csat(c: Context) -> Values:
    rows = (
        SurveyResponse.objects.filter(
            voided_at__isnull=True,
            responded_on__range=(c.period.start, c.period.end),
            csat__isnull=False,
        )
        .values("employee_id")
        .annotate(good=Count("pk", filter=Q(csat__gte=4)), n=Count("*"))
    )
    return {emp: _pct(good, n) for emp, good, n in _rows(rows, "employee_id", "good", "n")}


def strategic_coverage(c: Context) -> Values:
    s, e = c.period.start, c.period.end
    touched = Activity.objects.filter(
        voided_at__isnull=True,
        customer_id=OuterRef("pk"),
        employee_id=OuterRef("owner_id"),
        kind__in=[Activity.Kind.VISIT, Activity.Kind.MEETING],
        occurred_on__range=(s, e),
    )
    rows = (
        Customer.objects.filter(voided_at__isnull=True, strategic=True, acquired_on__lte=e)
        .filter(Q(lost_on__isnull=True) | Q(lost_on__gt=e))
        .annotate(touched=Exists(touched))
        .values("owner_id")
        .annotate(n=Count("*"), covered=Count("pk", filter=Q(touched=True)))
    )
    return {emp: _pct(covered, n) for emp, n, covered in _rows(rows, "owner_id", "n", "covered")}


def compliance_incidents(c: Context) -> Values:
    return _count(
        ComplianceIncident.objects.filter(
            voided_at__isnull=True, occurred_on__range=(c.period.start, c.period.end)
        )
    )


def manual(code: str) -> Callable[[Context], Values]:
    """Manual metrics (supervisor_rating and administrators' own): the imported score."""

    def compute(c: Context) -> Values:
        from kaopei.assessment.models import ManualScore

        if c.cycle_id is None:
            return {}
        return {
            emp: MetricValue(value, True)
            for emp, value in ManualScore.objects.filter(
                cycle_id=c.cycle_id, metric__code=code
            ).values_list("employee_id", "value")
        }

    return compute


def quarterly_average(c: Context) -> Values:
    from kaopei.assessment.models import Cycle, Scorecard

    rows = (
        Scorecard.objects.filter(
            cycle__kind=Cycle.Kind.QUARTERLY,
            cycle__start__gte=c.period.start,
            cycle__end__lte=c.period.end,
            total__isnull=False,
        )
        .values("employee_id")
        .annotate(v=Avg("total"))
        .order_by()
    )
    return {r["employee_id"]: MetricValue(Decimal(str(r["v"])), True) for r in rows}


# The formulas over the facts; registered as these metrics' sources by AssessmentConfig.ready
# (``sources.py``). The metrics fed by training and 360 feedback have none yet.
FORMULAS: dict[str, Callable[[Context], Values]] = {
    "sales_amount": sales_amount,
    "profit_contribution": profit_contribution,
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
    "quarterly_average": quarterly_average,
}

# Sums and counts: an employee without records has 0, with data (DESIGN.md §5);
# training_hours is computed by kaopei.training.
ZERO_WHEN_EMPTY = frozenset(
    {
        "sales_amount",
        "profit_contribution",
        "new_customers",
        "visit_count",
        "compliance_incidents",
        "training_hours",
    }
)


def compute_metrics(
    codes: Iterable[str],
    *,
    period: Period,
    cycle_id: int | None = None,
    manual_codes: Iterable[str] = (),
) -> dict[str, Values]:
    """One grouped query per metric, for all employees at once. Raises UnknownMetricError
    for a code that no source computes (never "no data")."""
    ctx = Context(period=period, cycle_id=cycle_id)
    manual_set = set(manual_codes)
    out: dict[str, Values] = {}
    for code in codes:
        formula = manual(code) if code in manual_set else formula_for(code)
        out[code] = formula(ctx)
    return out


def value_for(code: str, values: Values, employee_id: int) -> MetricValue:
    found = values.get(employee_id)
    if found is not None:
        return found
    return empty_value(code)


def empty_value(code: str) -> MetricValue:
    """The value of an employee without records: 0 for sums and counts, else no data."""
    return ZERO_VALUE if code in ZERO_WHEN_EMPTY else NO_DATA

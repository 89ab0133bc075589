"""Demo business records: two years of believable facts for every account manager and team
lead, up to the day the demo is built and never after it.

Each person gets a fixed "performer" factor, so some do better than others all along;
activity follows the seasons (a slow first quarter around the Spring Festival, a strong
year-end) and grows a little from one year to the next (year-on-year comparisons mean
something); a few customers pay late, a few incidents happen, some customers are strategic.
Nobody has records before they were hired. All generated from the demo's seeded random
generator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import NOT_PROVIDED

from kaopei.core.bulk import insert_rows
from kaopei.core.demo import DemoContext, demo_step
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
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Employee

SEASON = {1: 0.85, 2: 1.0, 3: 0.95, 4: 1.2}
SEGMENTS = ["制造业", "批发零售", "科技企业", "医药健康", "建筑地产", "物流运输", "农业", "教育"]
CUSTOMER_WORDS = [
    "华",
    "盛",
    "达",
    "信",
    "通",
    "远",
    "恒",
    "瑞",
    "泰",
    "鑫",
    "诚",
    "嘉",
    "宏",
    "宇",
]
CUSTOMER_KINDS = [
    "科技有限公司",
    "贸易有限公司",
    "制造股份有限公司",
    "医药有限公司",
    "物流有限公司",
    "建设集团",
    "农业发展有限公司",
    "实业有限公司",
]
CITIES = {"BJ": "北京", "SH": "上海", "GZ": "广州", "CD": "成都"}
# Quarterly volumes for a "par" performer of each level (before the season factor).
PAR = {
    "AM1": {"visits": 36, "customers": 18, "opps": 8, "deal": 180_000, "new": 3},
    "AM2": {"visits": 30, "customers": 26, "opps": 9, "deal": 320_000, "new": 3},
    "AM3": {"visits": 24, "customers": 34, "opps": 8, "deal": 650_000, "new": 2},
    # Team leads keep a few key accounts of their own besides leading the team.
    "MGR": {"visits": 14, "customers": 16, "opps": 5, "deal": 800_000, "new": 1},
}
GROWTH = 1.08  # the current year against the previous one


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Two years of records in one set-based write (``COPY`` on PostgreSQL): plain rows,
    no model instances; a column a row does not name gets its field's default."""
    named = set(rows[0]) if rows else set()
    # A column with a database default that no row names is left to the database.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and (f.db_default is NOT_PROVIDED or f.attname in named)
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    insert_rows(
        model,
        [f.column for f in fields],
        [[row[n] if n in row else defaults[n] for n in names] for row in rows],
    )


def _quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def demo_quarters(ctx: DemoContext) -> list[tuple[int, int, dt.date, dt.date]]:
    """(year, quarter, start, end) of every quarter from the first day of the demo's records
    to the quarter holding ``today`` (that one runs to its real end)."""
    out = []
    for year in (ctx.year - 1, ctx.year):
        for q in (1, 2, 3, 4):
            start, end = _quarter_bounds(year, q)
            if start <= ctx.today:
                out.append((year, q, start, end))
    return out


@demo_step(20)
def build_facts(ctx: DemoContext) -> None:
    """Two years of customers, activities, deals, payments, complaints, surveys, incidents."""
    rng = ctx.rng
    today = ctx.today
    tz = ZoneInfo(settings.TIME_ZONE)
    batch = ImportBatch.objects.create(
        kind="demo",
        file_name="demo",
        sha256="0" * 64,
        status=ImportBatch.Status.COMMITTED,
        source="cli",
    )
    ams = list(
        Employee.objects.filter(level__code__in=PAR.keys(), hire_date__lte=today)
        .select_related("level", "org_unit")
        .order_by("employee_no")
    )
    level_of = {e.pk: e.level.code for e in ams if e.level is not None}
    performer = {e.pk: min(1.5, max(0.55, rng.gauss(1.0, 0.2))) for e in ams}
    ctx.data["performer"] = performer
    first = ctx.first_day
    span = (today - first).days
    quarters = demo_quarters(ctx)
    customers: list[Customer] = []
    owned: dict[int, list[Customer]] = {}
    n_customer = 0
    for e in ams:
        par = PAR[level_of[e.pk]]
        city = CITIES.get(e.org_unit.code[:2], "")
        hired = max(first, e.hire_date or first)
        mine = []
        for i in range(par["customers"] + rng.randint(-4, 4)):
            n_customer += 1
            # A share of the portfolio was won during the two years (after the hire date).
            in_span = i < par["new"] * 8 * performer[e.pk] * 0.9
            acquired = (
                hired + dt.timedelta(days=rng.randint(0, max(0, (today - hired).days)))
                if in_span
                else dt.date(first.year - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28))
            )
            lost = None
            if not in_span and rng.random() < 0.14 / performer[e.pk]:
                lost = first + dt.timedelta(days=rng.randint(0, span))
            c = Customer(
                customer_no=f"C{n_customer:06d}",
                name=city + "".join(rng.sample(CUSTOMER_WORDS, 2)) + rng.choice(CUSTOMER_KINDS),
                owner=e,
                segment=rng.choice(SEGMENTS),
                strategic=rng.random() < (0.3 if level_of[e.pk] in ("AM3", "MGR") else 0.1),
                acquired_on=acquired,
                lost_on=lost,
                import_batch=batch,
            )
            mine.append(c)
        customers += mine
        owned[e.pk] = mine
    Customer.objects.bulk_create(customers, batch_size=2000)

    activities: list[dict[str, Any]] = []
    opps: list[dict[str, Any]] = []
    sales: list[dict[str, Any]] = []
    receivables: list[dict[str, Any]] = []
    complaints: list[dict[str, Any]] = []
    surveys: list[dict[str, Any]] = []
    incidents: list[ComplianceIncident] = []
    counters = dict.fromkeys(("act", "opp", "sale", "inv", "cmp", "srv"), 0)

    def next_id(key: str, prefix: str) -> str:
        counters[key] += 1
        return f"{prefix}{ctx.year}{counters[key]:07d}"

    late_payers = {c.customer_no for c in customers if rng.random() < 0.12}
    for e in ams:
        p = performer[e.pk]
        par = PAR[level_of[e.pk]]
        pool = owned[e.pk]
        hired = e.hire_date or first
        for year, q, q_start, q_end in quarters:
            start, end = max(q_start, hired), min(q_end, today)
            if start > end:
                continue
            days = (end - start).days
            # Volumes in proportion to the part of the quarter lived (hired late, or today).
            share = (days + 1) / ((q_end - q_start).days + 1)
            trend = (GROWTH if year == ctx.year else 1.0) * SEASON[q] * share
            live = [
                c for c in pool if c.acquired_on <= end and (c.lost_on is None or c.lost_on > start)
            ] or pool

            def day() -> dt.date:
                return start + dt.timedelta(days=rng.randint(0, days))  # noqa: B023

            n_visits = max(0, round(par["visits"] * trend * p * rng.uniform(0.85, 1.15)))
            strategic = [c for c in live if c.strategic]
            for i in range(n_visits):
                # Good performers keep their strategic customers in view.
                cust = (
                    strategic[i % len(strategic)]
                    if strategic and rng.random() < 0.25 * p
                    else rng.choice(live)
                )
                when = dt.datetime.combine(
                    day(), dt.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45))), tz
                )
                activities.append(
                    {
                        "activity_id": next_id("act", "A"),
                        "employee_id": e.pk,
                        "customer_id": cust.pk,
                        "kind": "visit",
                        "occurred_at": when,
                        "occurred_on": when.date(),
                        "import_batch_id": batch.pk,
                    }
                )
            for _ in range(round(par["visits"] * 0.8 * trend * rng.uniform(0.8, 1.2))):
                kind = rng.choices(["call", "meeting", "request"], weights=[5, 2, 3])[0]
                when = dt.datetime.combine(
                    day(), dt.time(rng.randint(8, 20), rng.randint(0, 59)), tz
                )
                hours = None
                if kind == "request":
                    hours = Decimal(str(round(max(0.25, rng.lognormvariate(1.9, 0.6) / p), 2)))
                activities.append(
                    {
                        "activity_id": next_id("act", "A"),
                        "employee_id": e.pk,
                        "customer_id": rng.choice(live).pk,
                        "kind": kind,
                        "occurred_at": when,
                        "occurred_on": when.date(),
                        "response_hours": hours,
                        "import_batch_id": batch.pk,
                    }
                )
            win_p = min(0.85, max(0.1, 0.42 * p))
            for _ in range(max(1, round(par["opps"] * trend * rng.uniform(0.8, 1.2)))):
                cust = rng.choice(live)
                created = max(first, hired, day() - dt.timedelta(days=rng.randint(0, 40)))
                amount = Decimal(
                    round(par["deal"] * rng.uniform(0.5, 1.6) * (1.3 if cust.strategic else 1), -3)
                )
                r = rng.random()
                status = "open" if r < 0.2 else ("won" if r < 0.2 + 0.8 * win_p else "lost")
                closed = None
                if status != "open":
                    closed = max(start, min(end, created + dt.timedelta(days=rng.randint(5, 60))))
                opps.append(
                    {
                        "opportunity_id": next_id("opp", "O"),
                        "employee_id": e.pk,
                        "customer_id": cust.pk,
                        "created_on": created,
                        "closed_on": closed,
                        "status": status,
                        "amount": amount,
                        "import_batch_id": batch.pk,
                    }
                )
                if status == "won" and closed is not None:
                    margin = Decimal(str(round(rng.uniform(0.06, 0.16), 3)))
                    if rng.random() < 0.04:
                        margin = Decimal("-0.05")  # a loss-making deal now and then
                    signed = closed
                    sales.append(
                        {
                            "contract_no": next_id("sale", "HT"),
                            "employee_id": e.pk,
                            "customer_id": cust.pk,
                            "signed_on": signed,
                            "amount": amount,
                            "profit": (amount * margin).quantize(Decimal("1")),
                            "import_batch_id": batch.pk,
                        }
                    )
                    late = cust.customer_no in late_payers
                    delay = rng.randint(60, 150) if late else rng.randint(10, 55)
                    paid = signed + dt.timedelta(days=delay)
                    receivables.append(
                        {
                            "invoice_no": next_id("inv", "FP"),
                            "employee_id": e.pk,
                            "customer_id": cust.pk,
                            "invoiced_on": signed,
                            "amount": amount,
                            "paid_on": paid if paid <= today else None,
                            "import_batch_id": batch.pk,
                        }
                    )
            for _ in range(rng.choices([0, 1, 2], weights=[6, 3, 1])[0]):
                opened = day()
                resolved: dt.date | None = None
                if rng.random() < 0.6 + 0.3 * min(p, 1.2):
                    resolved = opened + dt.timedelta(days=rng.randint(1, 30))
                    if resolved > today:
                        resolved = None  # still being handled
                complaints.append(
                    {
                        "complaint_id": next_id("cmp", "TS"),
                        "employee_id": e.pk,
                        "customer_id": rng.choice(live).pk,
                        "opened_on": opened,
                        "resolved_on": resolved,
                        "import_batch_id": batch.pk,
                    }
                )
            for _ in range(round(rng.randint(4, 9) * share)):
                base = 6.5 + 2.2 * (p - 1)
                score = max(0, min(10, round(rng.gauss(base + 1.5, 1.8))))
                csat = (
                    max(1, min(5, round(score / 2 + rng.uniform(-0.6, 0.6))))
                    if rng.random() < 0.85
                    else None
                )
                surveys.append(
                    {
                        "response_id": next_id("srv", "WJ"),
                        "employee_id": e.pk,
                        "customer_id": rng.choice(live).pk,
                        "responded_on": day(),
                        "nps": score,
                        "csat": csat,
                        "import_batch_id": batch.pk,
                    }
                )
    # A handful of compliance incidents over the two years; some confirmed (the veto).
    for i, e in enumerate(rng.sample(ams, 10)):
        since = max(first, e.hire_date or first)
        incidents.append(
            ComplianceIncident(
                incident_id=f"HG{ctx.year}{i + 1:03d}",
                employee=e,
                occurred_on=since + dt.timedelta(days=rng.randint(0, (today - since).days)),
                category=rng.choice(["bribery", "aml", "data_privacy", "other"]),
                confirmed=i < 4,
                description="客户资料外发未脱敏" if i % 2 else "未按规定完成客户尽职调查",
                import_batch=batch,
            )
        )
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Activity, activities),
        (Opportunity, opps),
        (Sale, sales),
        (Receivable, receivables),
        (Complaint, complaints),
        (SurveyResponse, surveys),
    ]
    for model, rows in tables:
        _insert(model, rows)
    ComplianceIncident.objects.bulk_create(incidents)
    batch.rows = (
        len(customers)
        + len(activities)
        + len(opps)
        + len(sales)
        + len(receivables)
        + len(complaints)
        + len(surveys)
        + len(incidents)
    )
    batch.created = batch.rows
    batch.save()

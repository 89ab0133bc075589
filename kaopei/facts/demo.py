"""Demo business records: four quarters of believable facts for every account manager.

Each account manager gets a fixed "performer" factor, so some do better than others all
year; activity follows the seasons (a slow first quarter around the Spring Festival, a
strong year-end); a few customers pay late, a few incidents happen, some customers are
strategic. All generated from the demo's seeded random generator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

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
}


def _quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


@demo_step(20)
def build_facts(ctx: DemoContext) -> None:
    """Customers, activities, opportunities, sales, receivables, complaints, surveys,
    incidents for four quarters."""
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    batch = ImportBatch.objects.create(
        kind="demo",
        file_name="demo",
        sha256="0" * 64,
        status=ImportBatch.Status.COMMITTED,
        source="cli",
    )
    ams = list(
        Employee.objects.filter(level__code__in=PAR.keys())
        .select_related("level", "org_unit")
        .order_by("employee_no")
    )
    level_of = {e.pk: e.level.code for e in ams if e.level is not None}
    performer = {e.pk: min(1.5, max(0.55, rng.gauss(1.0, 0.2))) for e in ams}
    ctx.data["performer"] = performer
    customers: list[Customer] = []
    owned: dict[int, list[Customer]] = {}
    n_customer = 0
    for e in ams:
        par = PAR[level_of[e.pk]]
        city = CITIES.get(e.org_unit.code[:2], "")
        mine = []
        for i in range(par["customers"] + rng.randint(-4, 4)):
            n_customer += 1
            in_year = i < par["new"] * 4 * performer[e.pk] * 0.9
            acquired = (
                dt.date(ctx.year, 1, 1) + dt.timedelta(days=rng.randint(0, 350))
                if in_year
                else dt.date(ctx.year - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28))
            )
            lost = None
            if not in_year and rng.random() < 0.08 / performer[e.pk]:
                lost = dt.date(ctx.year, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
            c = Customer(
                customer_no=f"C{n_customer:06d}",
                name=city + "".join(rng.sample(CUSTOMER_WORDS, 2)) + rng.choice(CUSTOMER_KINDS),
                owner=e,
                segment=rng.choice(SEGMENTS),
                strategic=rng.random() < (0.3 if level_of[e.pk] == "AM3" else 0.1),
                acquired_on=acquired,
                lost_on=lost,
                import_batch=batch,
            )
            mine.append(c)
        customers += mine
        owned[e.pk] = mine
    Customer.objects.bulk_create(customers, batch_size=2000)

    activities, opps, sales, receivables, complaints, surveys, incidents = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    counters = dict.fromkeys(("act", "opp", "sale", "inv", "cmp", "srv"), 0)

    def next_id(key: str, prefix: str) -> str:
        counters[key] += 1
        return f"{prefix}{ctx.year}{counters[key]:07d}"

    late_payers = {c.customer_no for c in customers if rng.random() < 0.12}
    for e in ams:
        p = performer[e.pk]
        par = PAR[level_of[e.pk]]
        pool = owned[e.pk]
        for q in (1, 2, 3, 4):
            start, end = _quarter_bounds(ctx.year, q)
            days = (end - start).days
            live = [
                c for c in pool if c.acquired_on <= end and (c.lost_on is None or c.lost_on > start)
            ] or pool

            def day() -> dt.date:
                return start + dt.timedelta(days=rng.randint(0, days))  # noqa: B023

            n_visits = max(0, round(par["visits"] * SEASON[q] * p * rng.uniform(0.85, 1.15)))
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
                    Activity(
                        activity_id=next_id("act", "A"),
                        employee=e,
                        customer=cust,
                        kind="visit",
                        occurred_at=when,
                        occurred_on=when.date(),
                        import_batch=batch,
                    )
                )
            for _ in range(round(par["visits"] * 0.8 * SEASON[q] * rng.uniform(0.8, 1.2))):
                kind = rng.choices(["call", "meeting", "request"], weights=[5, 2, 3])[0]
                when = dt.datetime.combine(
                    day(), dt.time(rng.randint(8, 20), rng.randint(0, 59)), tz
                )
                hours = None
                if kind == "request":
                    hours = Decimal(str(round(max(0.25, rng.lognormvariate(1.9, 0.6) / p), 2)))
                activities.append(
                    Activity(
                        activity_id=next_id("act", "A"),
                        employee=e,
                        customer=rng.choice(live),
                        kind=kind,
                        occurred_at=when,
                        occurred_on=when.date(),
                        response_hours=hours,
                        import_batch=batch,
                    )
                )
            win_p = min(0.85, max(0.1, 0.42 * p))
            for _ in range(max(1, round(par["opps"] * SEASON[q] * rng.uniform(0.8, 1.2)))):
                cust = rng.choice(live)
                created = day() - dt.timedelta(days=rng.randint(0, 40))
                amount = Decimal(
                    round(par["deal"] * rng.uniform(0.5, 1.6) * (1.3 if cust.strategic else 1), -3)
                )
                r = rng.random()
                status = "open" if r < 0.2 else ("won" if r < 0.2 + 0.8 * win_p else "lost")
                closed = None
                if status != "open":
                    closed = min(end, created + dt.timedelta(days=rng.randint(5, 60)))
                    closed = max(closed, start)
                opps.append(
                    Opportunity(
                        opportunity_id=next_id("opp", "O"),
                        employee=e,
                        customer=cust,
                        created_on=created,
                        closed_on=closed,
                        status=status,
                        amount=amount,
                        import_batch=batch,
                    )
                )
                if status == "won" and closed is not None:
                    margin = Decimal(str(round(rng.uniform(0.06, 0.16), 3)))
                    if rng.random() < 0.04:
                        margin = Decimal("-0.05")  # a loss-making deal now and then
                    signed = closed
                    contract = next_id("sale", "HT")
                    sales.append(
                        Sale(
                            contract_no=contract,
                            employee=e,
                            customer=cust,
                            signed_on=signed,
                            amount=amount,
                            profit=(amount * margin).quantize(Decimal("1")),
                            import_batch=batch,
                        )
                    )
                    late = cust.customer_no in late_payers
                    delay = rng.randint(60, 150) if late else rng.randint(10, 55)
                    paid = signed + dt.timedelta(days=delay)
                    receivables.append(
                        Receivable(
                            invoice_no=next_id("inv", "FP"),
                            employee=e,
                            customer=cust,
                            invoiced_on=signed,
                            amount=amount,
                            paid_on=paid if paid <= ctx.today else None,
                            import_batch=batch,
                        )
                    )
            for _ in range(rng.choices([0, 1, 2], weights=[6, 3, 1])[0]):
                opened = day()
                resolved = (
                    opened + dt.timedelta(days=rng.randint(1, 30))
                    if rng.random() < 0.6 + 0.3 * min(p, 1.2)
                    else None
                )
                complaints.append(
                    Complaint(
                        complaint_id=next_id("cmp", "TS"),
                        employee=e,
                        customer=rng.choice(live),
                        opened_on=opened,
                        resolved_on=resolved,
                        import_batch=batch,
                    )
                )
            for _ in range(rng.randint(4, 9)):
                base = 6.5 + 2.2 * (p - 1)
                score = max(0, min(10, round(rng.gauss(base + 1.5, 1.8))))
                csat = (
                    max(1, min(5, round(score / 2 + rng.uniform(-0.6, 0.6))))
                    if rng.random() < 0.85
                    else None
                )
                surveys.append(
                    SurveyResponse(
                        response_id=next_id("srv", "WJ"),
                        employee=e,
                        customer=rng.choice(live),
                        responded_on=day(),
                        nps=score,
                        csat=csat,
                        import_batch=batch,
                    )
                )
    # A handful of compliance incidents; some confirmed (the one-vote veto).
    for i, e in enumerate(rng.sample(ams, 7)):
        incidents.append(
            ComplianceIncident(
                incident_id=f"HG{ctx.year}{i + 1:03d}",
                employee=e,
                occurred_on=dt.date(ctx.year, 1, 1) + dt.timedelta(days=rng.randint(0, 330)),
                category=rng.choice(["bribery", "aml", "data_privacy", "other"]),
                confirmed=i < 3,
                description="客户资料外发未脱敏" if i % 2 else "未按规定完成客户尽职调查",
                import_batch=batch,
            )
        )
    tables: list[tuple[Any, list[Any]]] = [
        (Activity, activities),
        (Opportunity, opps),
        (Sale, sales),
        (Receivable, receivables),
        (Complaint, complaints),
        (SurveyResponse, surveys),
        (ComplianceIncident, incidents),
    ]
    for model, rows in tables:
        model.objects.bulk_create(rows, batch_size=2000)
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

"""Demo assessment: the brief's default templates, targets for 2026, four scored quarters
and the annual cycle (Q1 and Q2 final, Q3 calibrating, Q4 and the year scored)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from kaopei.assessment.models import Cycle, Metric
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Employee, JobLevel

D = Decimal
# Quarterly templates weigh process metrics; AM1 puts 60 on execution (visits, response,
# win rate), AM3 puts 40 on key-account management (strategic coverage, profit).
TEMPLATES = {
    ("AM1", "quarterly"): [
        ("visit_count", 30),
        ("response_hours", 15),
        ("opportunity_win_rate", 15),
        ("new_customers", 10),
        ("complaint_resolution_rate", 10),
        ("nps", 10),
        ("compliance_incidents", 10),
    ],
    ("AM2", "quarterly"): [
        ("visit_count", 20),
        ("opportunity_win_rate", 20),
        ("sales_amount", 15),
        ("response_hours", 10),
        ("new_customers", 10),
        ("nps", 10),
        ("complaint_resolution_rate", 5),
        ("compliance_incidents", 10),
    ],
    ("AM3", "quarterly"): [
        ("strategic_coverage", 25),
        ("profit_contribution", 15),
        ("opportunity_win_rate", 15),
        ("sales_amount", 15),
        ("nps", 10),
        ("collection_days", 10),
        ("compliance_incidents", 10),
    ],
    ("AM1", "annual"): [
        ("quarterly_average", 35),
        ("sales_amount", 25),
        ("new_customers", 20),
        ("customer_growth_rate", 10),
        ("csat", 10),
    ],
    ("AM2", "annual"): [
        ("quarterly_average", 30),
        ("sales_amount", 25),
        ("profit_contribution", 15),
        ("customer_growth_rate", 10),
        ("collection_days", 10),
        ("csat", 10),
    ],
    ("AM3", "annual"): [
        ("profit_contribution", 25),
        ("quarterly_average", 25),
        ("strategic_coverage", 15),
        ("sales_amount", 15),
        ("collection_days", 10),
        ("customer_growth_rate", 10),
    ],
}
# Quarterly targets by level; cumulative ones are multiplied by 4 for the year.
TARGETS = {
    "AM1": {
        "visit_count": 30,
        "response_hours": 8,
        "opportunity_win_rate": 38,
        "new_customers": 2,
        "complaint_resolution_rate": 75,
        "nps": 20,
        "compliance_incidents": 0,
        "sales_amount": 420_000,
        "customer_growth_rate": 160,
        "csat": 70,
    },
    "AM2": {
        "visit_count": 25,
        "response_hours": 7,
        "opportunity_win_rate": 38,
        "new_customers": 2,
        "complaint_resolution_rate": 78,
        "nps": 25,
        "compliance_incidents": 0,
        "sales_amount": 880_000,
        "profit_contribution": 95_000,
        "customer_growth_rate": 60,
        "collection_days": 45,
        "csat": 72,
    },
    "AM3": {
        "strategic_coverage": 70,
        "profit_contribution": 160_000,
        "opportunity_win_rate": 36,
        "sales_amount": 1_600_000,
        "nps": 20,
        "collection_days": 48,
        "compliance_incidents": 0,
        "customer_growth_rate": 18,
    },
}
ANNUAL_X4 = {"sales_amount", "profit_contribution", "new_customers", "visit_count"}
SEASON = {1: D("0.85"), 2: D("1.0"), 3: D("0.95"), 4: D("1.2")}


@demo_step(30)
def build_assessment(ctx: DemoContext) -> None:
    """Templates, 2026 targets, scoring of 2026Q1–Q4 and 2026."""
    levels = {lv.code: lv for lv in JobLevel.objects.all()}
    for (level, kind), items in TEMPLATES.items():
        template_create_version(
            code=f"{level.lower()}-{kind}",
            level=levels[level],
            cycle_kind=kind,
            items=[ItemSpec(m, D(w)) for m, w in items],
            note="默认模板 / default",
        )
    metrics = {m.code: m for m in Metric.objects.all()}
    ams = list(
        Employee.objects.filter(level__code__in=TARGETS)
        .select_related("level")
        .order_by("employee_no")
    )
    level_of = {e.pk: e.level.code for e in ams if e.level is not None}
    newcomers = {e.pk for e in ams[5:7]}  # joined late: their Q1 targets were never set
    year = ctx.year
    for q in (1, 2, 3, 4):
        cycle = cycle_get_or_create(code=f"{year}Q{q}")
        values = {}
        for e in ams:
            for code, base in TARGETS[level_of[e.pk]].items():
                if code in dict(TEMPLATES[(level_of[e.pk], "quarterly")]):
                    if q == 1 and e.pk in newcomers and code != "visit_count":
                        continue
                    value = D(base) * (SEASON[q] if code in ANNUAL_X4 else 1)
                    values[(e.pk, metrics[code].pk)] = value.quantize(D("1"))
        targets_set(cycle=cycle, values=values)
    annual = cycle_get_or_create(code=str(year))
    values = {}
    for e in ams:
        for code, base in TARGETS[level_of[e.pk]].items():
            if code in dict(TEMPLATES[(level_of[e.pk], "annual")]):
                values[(e.pk, metrics[code].pk)] = D(base) * (4 if code in ANNUAL_X4 else 1)
    targets_set(cycle=annual, values=values)

    for q in (1, 2, 3, 4):
        cycle_score(code=f"{year}Q{q}", today=ctx.today)
    cycle_score(code=str(year), today=ctx.today)
    deadline = {1: 30, 2: 30, 3: 45, 4: 60}
    for q in (1, 2, 3, 4):
        c = Cycle.objects.get(code=f"{year}Q{q}")
        c.appeal_deadline = c.end + timedelta(days=deadline[q])
        c.status = {1: Cycle.Status.FINAL, 2: Cycle.Status.FINAL, 3: Cycle.Status.CALIBRATING}.get(
            q, Cycle.Status.SCORED
        )
        c.save()

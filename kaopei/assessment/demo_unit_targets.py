"""Demo unit targets (issue 14): every branch's strategic targets for the current quarter and
the one before, set from its people's targets so that the roll-up reads true — one branch's
people fall short of their branch's target, so the roll-up flags it and target-setting warns.
"""

from __future__ import annotations

from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kaopei.assessment import rollup
from kaopei.assessment.models import Cycle, Metric, Target, UnitTarget
from kaopei.assessment.services.unit_targets import unit_target_set
from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import OrgUnit

# Strategic metrics a branch is given a target for, and what the note says.
METRICS = {
    "sales_amount": "分行年度经营计划分解 / branch plan, quarterly share",
    "new_customers": "新客拓展专项 / new-customer drive",
    "opportunity_win_rate": "商机转化率目标 / win-rate goal",
}
SHORT_BY = Decimal("1.12")  # the short branch's target is 12 % above its people's
# Others sit within the margin either way.
NEAR = (Decimal("1.00"), Decimal("0.98"), Decimal("1.03"), Decimal("1.01"))


def _cycles(today: object) -> list[Cycle]:
    """The current quarter and the one before (those that exist)."""
    quarters = Cycle.objects.filter(kind=Cycle.Kind.QUARTERLY, start__lte=today).order_by("-start")
    return list(quarters[:2])


@demo_step(35)
def build_unit_targets(ctx: DemoContext) -> None:
    """Branch targets for the current and the last quarter, one branch short."""
    branches = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).order_by("code"))
    metrics = {m.code: m for m in Metric.objects.filter(code__in=METRICS)}
    if not branches or not metrics:
        return
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    hr = ctx.data.get("hr_user")
    short = branches[0]
    for cycle in _cycles(ctx.today):
        past: list[UnitTarget] = []
        for code, metric in metrics.items():
            values = Target.objects.filter(cycle=cycle, metric=metric).values_list(
                "employee__org_unit_id", "value"
            )
            buckets = rollup.subtree_buckets(parents=parents, values=values)
            how = rollup.aggregation_for(unit=metric.unit, cumulative=metric.cumulative)
            for i, branch in enumerate(branches):
                people = rollup.aggregate(buckets.get(branch.pk, []), how)
                if people is None:
                    continue
                factor = SHORT_BY if branch == short else NEAR[i % len(NEAR)]
                value = (people * factor).quantize(Decimal("1") if how == "sum" else Decimal("0.1"))
                if metric.unit == "%":
                    value = min(value, Decimal(100))
                if cycle.is_final:
                    # Set before the quarter was finalised; the service refuses a final cycle
                    # now, so the demo writes the record (with its history) directly.
                    past.append(
                        UnitTarget(
                            unit=branch,
                            cycle=cycle,
                            metric=metric,
                            value=value,
                            note=METRICS[code],
                            set_by=hr,
                        )
                    )
                else:
                    unit_target_set(
                        unit=branch,
                        cycle=cycle,
                        metric=metric,
                        value=value,
                        note=METRICS[code],
                        user=hr,
                    )
        if past:
            bulk_create_with_history(past, UnitTarget, default_user=hr)

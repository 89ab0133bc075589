"""Unit targets: HR admins alone list, create, edit and delete them; the roll-up is read by
HR admins, executives and supervisors (their subtree), refused to account managers and
trainers. The ``?export=csv|xlsx`` variants answer the same (tests/assessment)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kaopei.assessment.models import Metric, UnitTarget
from kaopei.assessment.services.cycles import cycle_get_or_create
from tests.access import HR_ONLY, JSON, answer, one


def build(world: Any) -> dict[str, object]:
    cycle = cycle_get_or_create(code="2026Q2")
    sales = Metric.objects.get(code="sales_amount")
    visits = Metric.objects.get(code="visit_count")
    keep = UnitTarget.objects.create(
        unit=world.p.bj, cycle=cycle, metric=sales, value=Decimal(150000)
    )
    gone = UnitTarget.objects.create(unit=world.p.sh, cycle=cycle, metric=visits, value=Decimal(40))
    return {"unit_target": keep, "unit_target_gone": gone}


PAGES = {
    "assessment:unit_target_list": one(HR_ONLY, post=answer(405)),
    # POST without data: the form again with its errors.
    "assessment:unit_target_create": one(HR_ONLY, post=HR_ONLY),
    "assessment:unit_target_edit": one(HR_ONLY, post=HR_ONLY, pk="@unit_target"),
    "assessment:unit_target_delete": one(HR_ONLY, post=answer(403, hr=302), pk="@unit_target_gone"),
    "assessment:target_rollup": one(
        answer(403, sup=200, sup2=200, exec=200, hr=200), post=answer(405)
    ),
}

API = {
    "GET /api/v1/unit-targets": one(answer(403, anon=401, hr=200)),
    "POST /api/v1/unit-targets": one(
        answer(403, anon=401, hr=201),
        data={
            JSON: '{"cycle": "2026Q2", "unit": "SH", "metric": "sales_amount", "value": "90000"}'
        },
    ),
    "GET /api/v1/target-rollup": one(answer(403, anon=401, sup=200, sup2=200, exec=200, hr=200)),
}

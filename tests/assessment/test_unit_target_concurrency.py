"""Two HR admins setting the same unit target at once: one row, the later value wins after
the first commits (the cycle's lock serialises them). PostgreSQL, two connections."""

from __future__ import annotations

from decimal import Decimal

from kaopei.assessment.models import Metric, UnitTarget
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.unit_targets import unit_target_set
from kaopei.core.errors import ApplicationError
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas

pytestmark = CONCURRENT_WRITERS


def test_two_hr_admins_setting_the_same_unit_target_leave_one_row() -> None:
    p = build_personas()
    cycle = cycle_get_or_create(code="2026Q2")
    sales = Metric.objects.get(code="sales_amount")

    def setter(value: int) -> object:
        return unit_target_set(
            unit=p.bj, cycle=cycle, metric=sales, value=Decimal(value), user=p.hr.user
        )

    results = at_once(lambda: setter(100), lambda: setter(200))
    assert not any(isinstance(r, Exception) for r in results), results
    assert UnitTarget.objects.filter(unit=p.bj, cycle=cycle, metric=sales).count() == 1
    assert sorted(created for _t, created in results) == [False, True]


def test_two_creates_at_once_give_one_row_and_one_clear_refusal() -> None:
    p = build_personas()
    cycle = cycle_get_or_create(code="2026Q3")
    sales = Metric.objects.get(code="sales_amount")

    def create() -> object:
        return unit_target_set(
            unit=p.sh, cycle=cycle, metric=sales, value=Decimal(5), create_only=True
        )

    results = at_once(create, create)
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and "already has a target" in str(refused[0].message)
    assert UnitTarget.objects.filter(unit=p.sh, cycle=cycle).count() == 1

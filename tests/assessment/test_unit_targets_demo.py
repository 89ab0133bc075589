"""The demo (built for 6 December 2026) gives every branch strategic targets for the current
and the last quarter, and one branch's people fall short of theirs: the warning shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kaopei.assessment.models import UnitTarget
from kaopei.assessment.selectors.unit_targets import target_rollup_for_user, unit_target_warnings
from kaopei.core.demo import DemoContext
from kaopei.org.models import Employee, OrgUnit
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    yield from demo_for_module(django_db_blocker, TODAY)


def test_every_branch_has_targets_for_two_quarters_and_one_falls_short(
    demo: DemoContext, db: None
) -> None:
    branches = set(OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).values_list("code", flat=True))
    cycles = set(UnitTarget.objects.values_list("cycle__code", flat=True))
    assert cycles == {"2026Q3", "2026Q4"}
    assert set(UnitTarget.objects.values_list("unit__code", flat=True)) == branches
    for code in cycles:
        flagged = unit_target_warnings(cycle=UnitTarget.objects.filter(cycle__code=code)[0].cycle)
        assert {r.unit.code for r in flagged} == {min(branches)}
        assert {r.result.flag for r in flagged} == {"short"}


def test_the_executive_reads_attainment_for_the_current_quarter(
    demo: DemoContext, db: None
) -> None:
    user = Employee.objects.get(employee_no="EX001").user
    cycle = UnitTarget.objects.filter(cycle__code="2026Q4")[0].cycle
    rows = target_rollup_for_user(user=user, cycle=cycle)
    assert rows and all(r.result.people is not None for r in rows)
    assert any(r.result.attainment is not None for r in rows)

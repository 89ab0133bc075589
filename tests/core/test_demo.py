from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kaopei.assessment.models import Scorecard
from kaopei.core.demo import DEMO_PASSWORD, demo_build
from kaopei.facts.models import Activity, Sale
from kaopei.org.models import Employee, OrgUnit

pytestmark = pytest.mark.django_db


def _snapshot() -> list[Any]:
    people = list(
        Employee.objects.order_by("employee_no").values_list(
            "employee_no", "name", "org_unit__code", "supervisor__employee_no", "level__code"
        )
    )
    sales = list(Sale.objects.order_by("contract_no").values_list("contract_no", "amount"))
    return [people, sales, Activity.objects.count()]


def test_demo_builds_a_believable_bank_that_every_persona_can_use(client: Any) -> None:
    ctx = demo_build(log=lambda _: None)
    assert OrgUnit.objects.filter(kind="branch").count() == 4
    assert OrgUnit.objects.filter(kind="team").count() == 12
    ams = Employee.objects.filter(user__groups__name="account_manager").exclude(
        user__groups__name="supervisor"
    )
    assert 110 <= ams.count() <= 130
    assert set(ams.values_list("level__code", flat=True)) == {"AM1", "AM2", "AM3"}
    assert len({role for role, _, _ in ctx.personas}) == 5
    for _, login, _ in ctx.personas:
        assert client.login(username=login, password=DEMO_PASSWORD), login
    grades = set(Scorecard.objects.filter(cycle__code="2026Q1").values_list("grade", flat=True))
    assert {"A", "B", "C", "UNQUALIFIED", "INSUFFICIENT"} <= grades


def test_demo_is_deterministic() -> None:
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            demo_build(log=lambda _: None, until=20)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]

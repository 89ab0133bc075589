"""Building the demo: the same day gives the same data, and the build log reads whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from kaopei.core.demo import demo_build
from kaopei.facts.models import Activity, Sale
from kaopei.org.models import Employee

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 6)


def _snapshot() -> list[Any]:
    people = list(
        Employee.objects.order_by("employee_no").values_list(
            "employee_no", "name", "org_unit__code", "supervisor__employee_no", "level__code"
        )
    )
    sales = list(Sale.objects.order_by("contract_no").values_list("contract_no", "amount"))
    return [people, sales, Activity.objects.count()]


def test_demo_is_deterministic_for_a_given_day(db: None) -> None:
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            demo_build(log=lambda _: None, until=20, today=TODAY)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]


def test_build_log_never_cuts_a_step_summary(db: None) -> None:
    lines: list[str] = []
    with transaction.atomic():
        demo_build(log=lines.append, until=10, today=TODAY)
        transaction.set_rollback(True)
    assert lines and all(not line.rstrip().endswith(",") for line in lines)

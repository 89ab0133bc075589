"""``scenario_score`` (DESIGN.md §5 ⚑): the mean of a person's role-play results and
decision-sandbox results completed in the period, each performance and run once; no data
for someone with neither."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kaopei.assessment.metrics import compute_metrics
from kaopei.assessment.sources import metric_available
from kaopei.core.periods import parse_period
from kaopei.training.models import SandboxRun
from kaopei.training.services import sandbox as sandbox_services
from tests.training.roleplays_factories import performance_of, roleplay_with_rubric, submit
from tests.training.sandbox_factories import choice_id, scenario_build, step

pytestmark = pytest.mark.django_db


def _quarter(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _play(run: SandboxRun, who: Any, *moves: tuple[str, int]) -> SandboxRun:
    for key, order in moves:
        sandbox_services.run_choose(
            run=run,
            employee=who,
            step_id=step(run.scenario, key).pk,
            choice_id=choice_id(run.scenario, key, order),
        )
    run.refresh_from_db()
    return run


def test_scenario_score_is_available_for_templates() -> None:
    assert metric_available(code="scenario_score", source="computed")


def test_role_plays_and_sandbox_runs_each_count_once_in_the_mean(personas: Any) -> None:
    today = timezone.localdate()
    rp = roleplay_with_rubric(weights=(60, 40))
    performance = performance_of(rp, personas.alice, [personas.trainer, personas.hr], today)
    submit(performance, personas.trainer, [5, 5])  # 100 %
    submit(performance, personas.hr, [4, 2])  # (240 + 80) / 500 = 64 %: the result is 82 %
    performance_of(rp, personas.bob, [personas.trainer], today)  # never scored: not completed

    scenario = scenario_build()
    best, _ = sandbox_services.run_start(scenario=scenario, employee=personas.alice)
    best = _play(best, personas.alice, ("S1", 1), ("S2", 1))
    group, _ = sandbox_services.run_start(
        scenario=scenario, employee=personas.sup, members=[personas.alice], group=True
    )
    group = _play(group, personas.alice, ("S1", 2), ("S3", 1))
    assert best.points == best.max_points

    values = compute_metrics(["scenario_score"], period=parse_period(_quarter(today)))
    got = values["scenario_score"]
    weak = Decimal(group.points) * 100 / Decimal(group.max_points)
    assert got[personas.alice.pk].has_data
    assert got[personas.alice.pk].actual == (Decimal(82) + Decimal(100) + weak) / 3
    # The group run counts for every member, the one who started it included.
    assert got[personas.sup.pk].actual == weak
    assert personas.bob.pk not in got  # no data: a performance nobody scored


def test_results_outside_the_period_do_not_count(personas: Any) -> None:
    today = timezone.localdate()
    rp = roleplay_with_rubric(weights=(50, 50))
    earlier = performance_of(rp, personas.alice, [personas.trainer], today - dt.timedelta(days=400))
    submit(earlier, personas.trainer, [5, 5])
    values = compute_metrics(["scenario_score"], period=parse_period(_quarter(today)))
    assert values["scenario_score"] == {}

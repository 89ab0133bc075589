"""The demo's decision sandbox: four bilingual published scenarios whose every path ends,
finished runs in every past quarter (``scenario_score`` has data for closed cycles), and
for AM0001 a solo run with a mistake and a group run with team colleagues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from kaopei.core.demo import DemoContext
from kaopei.training.models import Choice, SandboxRun, Scenario, Step
from kaopei.training.selectors.sandbox import run_review
from kaopei.training.services.sandbox import scenario_problems
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    yield from demo_for_module(django_db_blocker, TODAY)


def test_four_bilingual_published_scenarios_whose_paths_all_end(
    demo: DemoContext, db: None
) -> None:
    scenarios = list(Scenario.objects.order_by("code"))
    assert [s.code for s in scenarios] == ["SBX-AML", "SBX-FEE", "SBX-HNW", "SBX-PRIV"]
    for s in scenarios:
        assert s.status == Scenario.Status.PUBLISHED and s.title_en and s.brief_en
        assert scenario_problems(s) == []
        assert 5 <= Step.objects.filter(scenario=s).count() <= 8
        assert s.courses.exists() and s.competencies.exists()
    assert not Step.objects.filter(text_en="").exists()
    assert not Choice.objects.filter(text_en="").exists()
    assert not Choice.objects.filter(feedback_en="").exists()


def test_finished_runs_in_every_past_quarter(demo: DemoContext, db: None) -> None:
    tz = timezone.get_default_timezone()
    for start, end in (
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ):
        runs = [
            r
            for r in SandboxRun.objects.filter(status=SandboxRun.Status.FINISHED)
            if start <= r.finished_at.astimezone(tz).date() <= end
        ]
        assert len(runs) >= 10, (start, len(runs))
        assert 0 < sum(r.score or 0 for r in runs) / len(runs) < 100
    assert not SandboxRun.objects.filter(started_at__date__gt=TODAY).exists()


def test_the_account_manager_has_a_mistaken_run_and_a_group_run(
    demo: DemoContext, db: None
) -> None:
    mine = SandboxRun.objects.filter(members__employee__employee_no="AM0001")
    solo = mine.get(mode=SandboxRun.Mode.SOLO)
    assert solo.status == SandboxRun.Status.FINISHED and solo.score is not None and solo.score < 100
    assert any(line.wrong for line in run_review(solo))
    group = mine.get(mode=SandboxRun.Mode.GROUP)
    members = list(group.members.select_related("employee"))
    assert len(members) >= 2
    assert len({m.employee.org_unit_id for m in members}) == 1
    assert group.score is not None

"""Two at once (PostgreSQL only: SQLite serialises writers): two tabs, or two members of a
group, choosing at the same step record one choice; a double click on "start" makes one
solo run."""

from __future__ import annotations

from kaopei.core.errors import ConflictError
from kaopei.training.models import SandboxRun, SandboxRunStep
from kaopei.training.services.sandbox import run_choose, run_start
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.sandbox_factories import choice_id, scenario_build, step

pytestmark = CONCURRENT_WRITERS


def test_two_tabs_choosing_at_one_step_record_one_choice() -> None:
    p = build_personas()
    scenario = scenario_build()
    run, _ = run_start(scenario=scenario, employee=p.alice)
    s1 = step(scenario, "S1").pk
    results = at_once(
        lambda: run_choose(
            run=run, employee=p.alice, step_id=s1, choice_id=choice_id(scenario, "S1", 1)
        ),
        lambda: run_choose(
            run=run, employee=p.alice, step_id=s1, choice_id=choice_id(scenario, "S1", 2)
        ),
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ConflictError)
    assert SandboxRunStep.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    winner = SandboxRunStep.objects.get(run=run).choice
    assert run.points == winner.points and run.current_step_id == winner.next_step_id


def test_two_group_members_choosing_at_once_the_first_wins() -> None:
    p = build_personas()
    scenario = scenario_build()
    run, _ = run_start(scenario=scenario, employee=p.sup, members=[p.alice], group=True)
    s1 = step(scenario, "S1").pk
    results = at_once(
        lambda: run_choose(
            run=run, employee=p.sup, step_id=s1, choice_id=choice_id(scenario, "S1", 1)
        ),
        lambda: run_choose(
            run=run, employee=p.alice, step_id=s1, choice_id=choice_id(scenario, "S1", 2)
        ),
    )
    assert sum(isinstance(r, ConflictError) for r in results) == 1
    assert SandboxRunStep.objects.filter(run=run).count() == 1


def test_a_double_click_on_start_makes_one_solo_run() -> None:
    p = build_personas()
    scenario = scenario_build()
    results = at_once(
        lambda: run_start(scenario=scenario, employee=p.alice),
        lambda: run_start(scenario=scenario, employee=p.alice),
    )
    assert not any(isinstance(r, Exception) for r in results)
    assert SandboxRun.objects.filter(started_by=p.alice).count() == 1

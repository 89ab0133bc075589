"""Decision sandbox services: editing, publishing, playing solo and in a group, the time
limit, and bad input that writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import override

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.training.models import SandboxRun, SandboxRunStep, Scenario
from kaopei.training.selectors import sandbox as sel
from kaopei.training.services import sandbox as services
from tests.training.sandbox_factories import choice_id, scenario_build, step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with override("en"):
        yield


def play(run: SandboxRun, who: Any, *moves: tuple[str, int]) -> None:
    for key, order in moves:
        services.run_choose(
            run=run,
            employee=who,
            step_id=step(run.scenario, key).pk,
            choice_id=choice_id(run.scenario, key, order),
        )


def test_an_account_manager_plays_the_best_path_and_scores_100(personas: Any) -> None:
    scenario = scenario_build()
    run, resumed = services.run_start(scenario=scenario, employee=personas.alice)
    assert not resumed and run.max_points == 15 and run.members.count() == 1
    play(run, personas.alice, ("S1", 1), ("S2", 1))
    run.refresh_from_db()
    assert run.status == SandboxRun.Status.FINISHED and run.finished_at is not None
    assert run.points == 15 and run.score == 100.0
    assert [rs.step.key for rs in run.path.all()] == ["S1", "S2"]


def test_the_review_shows_where_the_path_went_wrong(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    play(run, personas.alice, ("S1", 2), ("S3", 1))
    run.refresh_from_db()
    assert run.points == 1 and run.score == pytest.approx(6.7)
    review = sel.run_review(run)
    assert [line.wrong for line in review] == [True, False]
    assert review[0].best[0].text_en == "Ask about needs"


def test_a_second_choice_for_the_same_step_is_refused(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    play(run, personas.alice, ("S1", 1))
    with pytest.raises(ConflictError, match="already been decided"):
        play(run, personas.alice, ("S1", 2))
    assert SandboxRunStep.objects.filter(run=run).count() == 1


def test_a_choice_of_another_step_is_refused_and_writes_nothing(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    with pytest.raises(ApplicationError, match="not one of the current step"):
        services.run_choose(
            run=run,
            employee=personas.alice,
            step_id=step(scenario, "S1").pk,
            choice_id=choice_id(scenario, "S2", 1),
        )
    run.refresh_from_db()
    assert run.points == 0 and not run.path.exists()


def test_a_finished_run_takes_no_more_choices(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    play(run, personas.alice, ("S1", 1), ("S2", 2))
    with pytest.raises(ConflictError, match="has ended"):
        play(run, personas.alice, ("S2", 1))


def test_someone_outside_the_run_cannot_choose(personas: Any) -> None:
    run, _ = services.run_start(scenario=scenario_build(), employee=personas.alice)
    with pytest.raises(PermissionDenied):
        play(run, personas.bob, ("S1", 1))


def test_the_time_limit_is_enforced_by_the_server(personas: Any) -> None:
    scenario = scenario_build(time_limit=5)
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    SandboxRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=6))
    with pytest.raises(services.TimeIsUp):
        play(run, personas.alice, ("S1", 1))
    run.refresh_from_db()
    assert run.status == SandboxRun.Status.TIMED_OUT and not run.path.exists()
    assert run.score is None


def test_starting_twice_resumes_the_open_solo_run(personas: Any) -> None:
    scenario = scenario_build()
    first, _ = services.run_start(scenario=scenario, employee=personas.alice)
    again, resumed = services.run_start(scenario=scenario, employee=personas.alice)
    assert resumed and again.pk == first.pk


def test_a_group_decides_together_and_the_result_counts_for_every_member(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(
        scenario=scenario, employee=personas.sup, members=[personas.alice], group=True
    )
    assert set(run.members.values_list("employee_id", flat=True)) == {
        personas.sup.pk,
        personas.alice.pk,
    }
    play(run, personas.alice, ("S1", 1))
    with pytest.raises(ConflictError):
        play(run, personas.sup, ("S1", 2))  # the other member's choice came first
    play(run, personas.sup, ("S2", 1))
    run.refresh_from_db()
    assert run.score == 100.0
    assert list(run.path.values_list("chosen_by_id", flat=True)) == [
        personas.alice.pk,
        personas.sup.pk,
    ]
    assert run in sel.runs_of_employee(user=personas.alice.user)


def test_a_group_run_needs_a_colleague(personas: Any) -> None:
    with pytest.raises(ApplicationError, match="at least one colleague"):
        services.run_start(scenario=scenario_build(), employee=personas.alice, group=True)
    assert not SandboxRun.objects.exists()


def test_a_draft_cannot_be_played(personas: Any) -> None:
    with pytest.raises(ApplicationError):
        services.run_start(scenario=scenario_build(publish=False), employee=personas.alice)


def test_publishing_a_scenario_with_a_dead_end_is_refused_and_writes_nothing() -> None:
    scenario = scenario_build(publish=False)
    services.step_save(scenario=scenario, step=None, key="D3", text="死路")
    services.choice_save(
        step=step(scenario, "S3"),
        choice=None,
        order=2,
        text="转走",
        next_step=step(scenario, "D3"),
        points=0,
    )
    with pytest.raises(ApplicationError) as exc:
        services.scenario_publish(scenario=scenario)
    assert "Step D3 has no choices: a learner reaching it cannot go on." in str(exc.value)
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.DRAFT


def test_publishing_an_unreachable_step_is_refused() -> None:
    scenario = scenario_build(publish=False)
    services.step_save(scenario=scenario, step=None, key="X1", text="孤岛")
    services.choice_save(
        step=step(scenario, "X1"), choice=None, order=1, text="结束", next_step=None, points=1
    )
    with pytest.raises(ApplicationError, match="X1 cannot be reached"):
        services.scenario_publish(scenario=scenario)


def test_a_choice_cannot_lead_to_its_own_step() -> None:
    scenario = scenario_build(publish=False)
    s1 = step(scenario, "S1")
    with pytest.raises(ApplicationError, match="own step"):
        services.choice_save(step=s1, choice=None, order=3, text="绕圈", next_step=s1, points=0)


def test_the_structure_is_frozen_once_played_but_wording_may_change(personas: Any) -> None:
    scenario = scenario_build()
    services.run_start(scenario=scenario, employee=personas.alice)
    s1 = step(scenario, "S1")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.step_save(scenario=scenario, step=None, key="S9", text="新的")
    c = s1.choices.get(order=1)
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.choice_save(
            step=s1, choice=c, order=1, text=c.text, next_step=c.next_step, points=99
        )
    services.choice_save(
        step=s1,
        choice=c,
        order=1,
        text="先了解客户需求",
        next_step=c.next_step,
        points=5,
        is_best=True,
    )
    with pytest.raises(ApplicationError, match="retire it instead"):
        services.scenario_delete(scenario=scenario)
    services.scenario_retire(scenario=scenario)
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.RETIRED
    assert scenario.history.filter(history_change_reason="scenario retired").exists()


def test_results_count_choices_and_name_where_people_go_wrong(personas: Any) -> None:
    scenario = scenario_build()
    for who, moves in (
        (personas.alice, [("S1", 2), ("S3", 1)]),
        (personas.bob, [("S1", 2), ("S3", 1)]),
        (personas.sup, [("S1", 1), ("S2", 1)]),
    ):
        run, _ = services.run_start(scenario=scenario, employee=who)
        play(run, who, *moves)
    results = sel.scenario_results(user=personas.trainer.user, scenario=scenario)
    assert results.runs == 3 and results.finished == 3
    assert results.mean_score == pytest.approx((100 + 6.667 * 2) / 3, abs=0.1)
    s1 = results.steps[0]
    assert s1.step.key == "S1" and [c.count for c in s1.choices] == [1, 2]
    assert s1.choices[1].pct == pytest.approx(66.7)
    assert results.mistakes[0][1].choice.text_en == "Cut the fee at once"
    # A supervisor sees their chain's runs only (Alice and herself, not Bob).
    assert sel.scenario_results(user=personas.sup.user, scenario=scenario).runs == 2


def test_the_sandbox_half_of_scenario_score_counts_for_every_member_by_finish_day(
    personas: Any,
) -> None:
    from decimal import Decimal

    from kaopei.training.metrics_sandbox import sandbox_results_in_period

    scenario = scenario_build()
    run, _ = services.run_start(
        scenario=scenario, employee=personas.sup, members=[personas.alice], group=True
    )
    play(run, personas.alice, ("S1", 2), ("S3", 1))
    today = timezone.localdate()
    got = sandbox_results_in_period(start=today, end=today)
    run.refresh_from_db()
    share = Decimal(run.points) * 100 / Decimal(run.max_points)
    assert share.quantize(Decimal("0.01")) == Decimal("6.67")
    assert got == {personas.sup.pk: [share], personas.alice.pk: [share]}
    assert (
        sandbox_results_in_period(start=today + timedelta(days=1), end=today + timedelta(days=9))
        == {}
    )


def test_a_step_the_run_is_not_at_is_refused_as_such(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    with override("en"), pytest.raises(ApplicationError, match="not where this run stands"):
        services.run_choose(
            run=run,
            employee=personas.alice,
            step_id=step(scenario, "S2").pk,
            choice_id=choice_id(scenario, "S2", 1),
        )
    assert not SandboxRunStep.objects.filter(run=run).exists()

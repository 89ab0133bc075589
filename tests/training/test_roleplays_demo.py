"""The demo's role-plays: bilingual drills with rubrics of weight 100, a year of
performances scored by two or three experts with a coefficient for each drill, one clear
disagreement, the account manager's feedback with a script template, and results for
``scenario_score``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kaopei.core.demo import DemoContext
from kaopei.org.models import Employee
from kaopei.training.models import AssessorScore, RolePlay
from kaopei.training.selectors.roleplays import (
    agreement_for_roleplay,
    performance_results,
    performance_view,
    queue_for_user,
)
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    yield from demo_for_module(django_db_blocker, TODAY)


def test_the_drills_are_bilingual_with_rubrics_of_100(demo: DemoContext, db: None) -> None:
    drills = list(RolePlay.objects.prefetch_related("criteria"))
    assert 3 <= len(drills) <= 4
    for rp in drills:
        assert rp.title and rp.title_en and rp.learner_brief_en and rp.client_brief_en
        assert sum(c.weight for c in rp.criteria.all()) == 100
        assert all(c.name_en for c in rp.criteria.all())
        assert rp.course is not None


def test_each_drill_has_enough_scored_performances_for_a_coefficient(
    demo: DemoContext, db: None
) -> None:
    for rp in RolePlay.objects.all():
        agreement = agreement_for_roleplay(roleplay=rp)
        assert agreement.coefficient is not None and agreement.performances >= 8
    per_sheet = AssessorScore.objects.values_list("performance_id", flat=True)
    counts = {pk: list(per_sheet).count(pk) for pk in set(per_sheet)}
    assert set(counts.values()) <= {2, 3} and 3 in counts.values()


def test_one_performance_shows_a_clear_disagreement(demo: DemoContext, db: None) -> None:
    performance = demo.data["roleplay_disagreement"]
    trainer = Employee.objects.get(employee_no="TR001")
    view = performance_view(user=trainer.user, performance=performance)
    flagged = [row for row in view.criteria if row.spread.flagged]
    assert [row.criterion.name_en for row in flagged] == ["Objection handling"]


def test_the_account_manager_reads_feedback_with_a_script_template(
    demo: DemoContext, db: None
) -> None:
    am = Employee.objects.get(employee_no="AM0001")
    performance = demo.data["roleplay_persona_performance"]
    assert performance.performer == am
    view = performance_view(user=am.user, performance=performance)
    assert view.mode == "anonymous" and view.result is not None
    assert [v.item.code for v in view.toolkit_versions] == ["TK-PRICE"]
    assert view.toolkit_versions[0].item.kind == "script"


def test_results_feed_the_scenario_score_and_experts_have_work(demo: DemoContext, db: None) -> None:
    quarter = performance_results(start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31))
    am = Employee.objects.get(employee_no="AM0001")
    assert am.pk in quarter
    values = [v for items in quarter.values() for _d, v in items]
    assert all(0 < v <= 100 for v in values)
    assert Employee.objects.filter(employee_no="TR002", user__groups__name="trainer").exists()
    trainer = Employee.objects.get(employee_no="TR001")
    assert queue_for_user(user=trainer.user).exists()

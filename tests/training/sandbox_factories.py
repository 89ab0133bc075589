"""A small decision-sandbox scenario for tests, built through the services.

    S1 (start) ─ A "Ask about needs" +5 (best) ──> S2 ─ A "Offer a fee waiver…" +10 (best, ends)
               │                                    └ B "Insist on the list price" 0 (ends)
               └ B "Cut the fee at once" −2 ─────> S3 ─ A "Apologise" +3 (ends)

Best path 15 points, worst 1.
"""

from __future__ import annotations

from typing import Any

from kaopei.training.models import Scenario, Step
from kaopei.training.services import sandbox as services


def scenario_build(code: str = "SBX-T", *, publish: bool = True, **extra: Any) -> Scenario:
    scenario = services.scenario_save(
        scenario=None,
        code=code,
        title="费用异议",
        title_en="Fee objection",
        brief="客户嫌手续费太高。",
        brief_en="The client finds the fees too high.",
        **extra,
    )
    s1 = services.step_save(scenario=scenario, step=None, key="S1", text="客户抱怨", is_start=True)
    s2 = services.step_save(scenario=scenario, step=None, key="S2", text="客户说明需求")
    s3 = services.step_save(scenario=scenario, step=None, key="S3", text="客户起疑")
    add = services.choice_save
    add(
        step=s1,
        choice=None,
        order=1,
        text="了解需求",
        text_en="Ask about needs",
        next_step=s2,
        points=5,
        feedback="先问再答",
        is_best=True,
    )
    add(
        step=s1,
        choice=None,
        order=2,
        text="马上降价",
        text_en="Cut the fee at once",
        next_step=s3,
        points=-2,
        consequence="客户觉得还能再压",
        feedback="先了解需求再谈价格",
    )
    add(
        step=s2,
        choice=None,
        order=1,
        text="按条件减免",
        text_en="Offer a waiver",
        next_step=None,
        points=10,
        is_best=True,
    )
    add(
        step=s2,
        choice=None,
        order=2,
        text="坚持原价",
        text_en="Insist on the list price",
        next_step=None,
        points=0,
    )
    add(step=s3, choice=None, order=1, text="道歉", text_en="Apologise", next_step=None, points=3)
    if publish:
        services.scenario_publish(scenario=scenario)
    scenario.refresh_from_db()
    return scenario


def step(scenario: Scenario, key: str) -> Step:
    return Step.objects.get(scenario=scenario, key=key)


def choice_id(scenario: Scenario, key: str, order: int) -> int:
    return step(scenario, key).choices.get(order=order).pk

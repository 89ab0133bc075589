"""A group competition in the browser, from task to leaderboard: the trainer creates it
with its rubric, forms two teams and opens it; each team submits; once the deadline passes
the trainer starts the cross-review; each team reviews the other's work and the trainer
scores both as the expert; after the review deadline the trainer closes it; Alice sees the
leaderboard (chart and table with the stated weights) and her team's reviews, without the
reviewing team's name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaopei.training.models import Competition
from tests.conftest import Personas
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def score_all(page: Any, values: list[int], comment: str) -> None:
    inputs = page.locator("form.kp-form input[type=number]")
    for i, v in enumerate(values):
        inputs.nth(i).fill(str(v))
    page.fill("textarea[name=comment]", comment)
    with page.expect_navigation():
        page.click("form.kp-form button[type=submit]")


def test_a_competition_from_task_to_leaderboard_with_cross_reviews(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    base = live_server.url
    now = timezone.now()
    trainer = page_for("en-US")
    login(trainer, base, "T001", password)
    trainer.goto(f"{base}/training/competitions/new/")
    trainer.fill("#id_code", "E2E-PLAN")
    trainer.fill("#id_title", "客户年度服务方案")
    trainer.fill("#id_title_en", "Annual service plan")
    trainer.fill("#id_task", "为高净值客户设计年度服务方案")
    trainer.fill("#id_opens_at", local(now - dt.timedelta(hours=1)))
    trainer.fill("#id_deadline_at", local(now + dt.timedelta(days=1)))
    trainer.fill("#id_review_deadline_at", local(now + dt.timedelta(days=2)))
    trainer.select_option("#id_experts", label="T001 田训")
    trainer.fill("#id_reviews_per_team", "1")
    trainer.fill("#id_criteria", "需求洞察 | Needs | 60\n合规 | Compliance | 40")
    with trainer.expect_navigation():
        trainer.click("form.kp-form button[type=submit]")
    for name, member in (("Alpha", "A001 安丽"), ("Beta", "B001 白波")):
        trainer.goto(f"{base}/training/competitions/E2E-PLAN/teams/new/")
        trainer.fill("#id_name", name)
        trainer.select_option("#id_members", label=member)
        with trainer.expect_navigation():
            trainer.click("form.kp-form button[type=submit]")
    trainer.goto(f"{base}/training/competitions/E2E-PLAN/open/")
    with trainer.expect_navigation():
        trainer.click("[data-confirm=open]")
    expect(trainer.locator("[data-status]")).to_have_attribute("data-status", "open")

    alice, bob = page_for("en-US"), page_for("en-US")
    login(alice, base, "A001", password)
    login(bob, base, "B001", password)
    for page, text in ((alice, "Alpha 的方案：季度回访"), (bob, "Beta 的方案：资产体检")):
        page.goto(f"{base}/training/competitions/E2E-PLAN/submission/")
        page.fill("#id_text", text)
        with page.expect_navigation():
            page.click("form.kp-form button[type=submit]")
        expect(page.locator("[data-my-team]")).to_contain_text("version 1")

    # The submission deadline passes.
    Competition.objects.filter(code="E2E-PLAN").update(deadline_at=timezone.now())
    trainer.goto(f"{base}/training/competitions/E2E-PLAN/review/start/")
    with trainer.expect_navigation():
        trainer.click("[data-confirm=review]")
    expect(trainer.locator("[data-status]")).to_have_attribute("data-status", "reviewing")

    for page, values, comment in ((alice, [4, 3], "思路清晰"), (bob, [5, 5], "很完整")):
        page.goto(f"{base}/training/competitions/E2E-PLAN/")
        with page.expect_navigation():
            page.click("[data-assignment] a.kp-btn")
        expect(page.locator("[data-submission]")).not_to_contain_text(
            "Alpha 的方案" if page is alice else "Beta 的方案"
        )
        score_all(page, values, comment)
        expect(page.locator("[data-assignment]")).to_contain_text("reviewed")

    for team in ("Alpha", "Beta"):
        trainer.goto(f"{base}/training/competitions/E2E-PLAN/")
        with trainer.expect_navigation():
            trainer.click(f"[data-expert] a:has-text('{team}')")
        score_all(trainer, [5, 4] if team == "Alpha" else [3, 3], f"专家点评 {team}")

    Competition.objects.filter(code="E2E-PLAN").update(review_deadline_at=timezone.now())
    trainer.goto(f"{base}/training/competitions/E2E-PLAN/close/")
    with trainer.expect_navigation():
        trainer.click("[data-confirm=close]")
    expect(trainer.locator("[data-status]")).to_have_attribute("data-status", "closed")

    alice.goto(f"{base}/training/competitions/E2E-PLAN/leaderboard/")
    expect(alice.locator("[data-weights]")).to_have_attribute("data-weights", "60 40")
    expect(alice.locator("[data-chart] canvas")).to_have_count(1)
    first = alice.locator("table[data-leaderboard] tbody tr").first
    expect(first).to_have_attribute("data-team", "Alpha")
    expect(first).to_have_attribute("data-rank", "1")

    alice.goto(f"{base}/training/competitions/E2E-PLAN/my-reviews/")
    expect(alice.locator("[data-peer-review]")).to_contain_text("很完整")
    expect(alice.locator("[data-expert-review]")).to_contain_text("专家点评 Alpha")
    expect(alice.locator("main")).not_to_contain_text("Beta")

"""The decision sandbox in the browser: an account manager plays a scenario, sees the
consequence and the expert's feedback of each choice, and on the result page where her
path went wrong and the better choice; then the trainer reads the results with the chart.
The result page fits a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.training.sandbox_factories import scenario_build

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_an_account_manager_plays_and_sees_where_her_path_went_wrong(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    scenario = scenario_build()
    base = live_server.url
    page = page_for("en")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, base, "A001", password)
    page.goto(f"{base}/training/sandbox/")
    page.get_by_role("link", name="Fee objection").click()
    page.locator("[data-start-form] button[type=submit]").click()
    expect(page.locator("[data-current-step]")).to_be_visible()
    page.get_by_label("Cut the fee at once").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("[data-last-decision]")).to_contain_text("Cut the fee at once")
    page.get_by_label("Apologise").check()
    page.get_by_role("button", name="Decide").click()
    wrong = page.locator('[data-wrong-step="S1"]')
    expect(wrong).to_be_visible()
    expect(wrong.locator("[data-better]")).to_have_text("Ask about needs")
    expect(page.locator("[data-score]")).to_contain_text("6.7%")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    trainer = page_for("zh-CN")
    login(trainer, base, "T001", password)
    trainer.goto(f"{base}/training/sandbox/{scenario.pk}/results/")
    expect(trainer.locator('[data-mistake="S1"]')).to_be_visible()
    expect(trainer.locator(".kp-chart canvas")).to_have_count(1)
    assert not errors

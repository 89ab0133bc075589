"""Main assessment journeys in a real browser: an account manager drills down from their
scorecard to the records behind a line; a supervisor calibrates a grade with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_account_manager_drills_down_from_scorecard_to_the_visits_counted(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any
) -> None:
    page = page_for("en-US")
    login(page, live_server.url, "A001", password)
    page.click("text=My scorecards")
    page.click("text=2026Q1")
    page.wait_for_load_state()
    body = page.content()
    assert "105.11" in body and "Provisional" in body.title() or "provisional" in body
    page.click("a[href$='/lines/visit_count/']")
    page.wait_for_load_state()
    rows = page.locator("text=V-A001-")
    assert rows.count() == 8


def test_supervisor_calibrates_a_grade_with_a_reason(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any
) -> None:
    page = page_for("zh-CN")
    login(page, live_server.url, "S001", password)
    page.goto(f"{live_server.url}{scored_cycle.url(scored_cycle.personas.alice)}")
    form = page.locator("form[action$='/calibrate/']")
    form.locator("select[name=to_grade]").select_option("A")
    form.locator("textarea[name=reason]").fill("季度内突破两家战略客户")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "季度内突破两家战略客户" in page.content()
    assert scored_cycle.card(scored_cycle.personas.alice).grade == "A"

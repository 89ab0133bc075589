"""A unit's targets roll up against its strategic target, with a warning when they fall
short: HR sets a branch target, sets the people's targets, is warned, reads the roll-up and
exports it."""

from __future__ import annotations

from typing import Any

import pytest

from kaopei.assessment.models import UnitTarget
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_hr_sets_a_branch_target_and_is_warned_when_peoples_targets_fall_short(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any
) -> None:
    page = page_for("en-US")
    login(page, live_server.url, "HR001", password)
    page.goto(f"{live_server.url}/assessment/unit-targets/new/")
    page.select_option("select[name=unit]", "SH")
    page.select_option("select[name=cycle]", "2026Q1")
    page.select_option("select[name=metric]", "sales_amount")
    page.fill("input[name=value]", "500000")
    page.fill("input[name=note]", "上海分行季度计划")
    page.click("form.kp-form button[type=submit]")
    page.wait_for_load_state()
    assert UnitTarget.objects.get().value == 500000
    # People's targets for the branch: 2 × 100,000 against 500,000 — a warning, saved anyway.
    page.goto(f"{live_server.url}/assessment/cycles/2026Q1/targets/bulk/")
    page.select_option("select[name=scope]", "unit:SH")
    page.select_option("select[name=metric]", "sales_amount")
    page.fill("input[name=value]", "100000")
    page.click('button:has-text("Preview")')
    page.wait_for_load_state()
    page.on("dialog", lambda dialog: dialog.accept())  # "Save these targets?"
    page.click("text=Save the targets")
    page.wait_for_load_state()
    assert "60.0 % short of the unit target 500,000.00" in page.content()
    page.goto(f"{live_server.url}/assessment/target-rollup/?cycle=2026Q1")
    body = page.content()
    assert "short of the unit target" in body and "-60.0 %" in body
    with page.expect_download() as download:
        page.click("text=Export Excel")
    assert download.value.suggested_filename.startswith("target-rollup-2026q1-")

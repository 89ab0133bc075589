"""HR admins and executives open the organisation dashboard from their home, in Chinese and
English, on a 1280 px screen and a 390 px phone: the charts mount, every chart has its table,
a branch opens its unit page, and nothing runs off the side of the phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("login_name", ["HR001", "EX001"])
def test_hr_and_executive_read_the_organisation_dashboard(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any, login_name: str
) -> None:
    for locale, width in (("zh-CN", 1280), ("en", 1280), ("zh-CN", 390), ("en", 390)):
        page = page_for(locale)
        page.set_viewport_size({"width": width, "height": 900})
        login(page, live_server.url, login_name, password)
        page.goto(f"{live_server.url}/home/")
        with page.expect_navigation():
            page.click('[data-card="org-summary"] a.kp-btn')
        assert "/dashboards/org/" in page.url
        page.wait_for_selector("[data-chart][data-mounted]", timeout=10_000)
        body = page.content()
        assert "北京分行" in body and "上海分行" in body
        if locale == "en":
            assert "Organisation dashboard" in body
        for section in ("grades", "attainment", "trend", "freshness"):
            assert page.locator(f'[data-section="{section}"] table').count() >= 1
        if width == 390:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0
        else:
            with page.expect_navigation():
                page.click('[data-table="grades"] a:has-text("北京分行")')
            assert "/dashboards/org/units/BJ/" in page.url
            assert "北京一组" in page.content()
        page.context.close()

"""The people dashboards in a browser: AM0001's and the team lead's homes draw their charts
(ECharts canvases) with the numbers in tables under them, in Chinese and English, on a
390 px phone (nothing runs off the side) and on a 1280 px screen; the lead drills into a
team member's dashboard from the heatmap's table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _charts_drawn(page: Any) -> int:
    page.wait_for_function(
        "document.querySelectorAll('[data-chart][data-mounted] canvas').length > 0"
    )
    return int(page.evaluate("document.querySelectorAll('[data-chart][data-mounted]').length"))


def test_people_dashboards_draw_charts_and_tables_on_a_phone_and_a_desktop(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any
) -> None:
    p = scored_cycle.personas
    for locale, heading in (("zh-CN", "我的考核表"), ("en", "My scorecard")):
        for width in (390, 1280):
            page = page_for(locale)
            page.set_viewport_size({"width": width, "height": 900})
            login(page, live_server.url, p.alice.employee_no, password)
            page.goto(f"{live_server.url}/home/")
            assert heading in page.content()
            gauges = page.locator("[data-card=gauges]")
            assert gauges.locator(".kp-chart").count() == 4  # one gauge per line
            assert gauges.locator("table.kp-table tbody tr").count() == 4
            assert _charts_drawn(page) >= 5  # four gauges and the trend
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (locale, width, "account manager")

            lead = page_for(locale)
            lead.set_viewport_size({"width": width, "height": 900})
            login(lead, live_server.url, p.sup.employee_no, password)
            lead.goto(f"{live_server.url}/home/")
            assert lead.locator("[data-card=heatmap] [data-chart]").count() == 1
            assert _charts_drawn(lead) >= 2  # the heatmap and the grades against the guideline
            overflow = lead.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (locale, width, "supervisor")
    # The drill into a person, from the heatmap's table.
    lead.locator("[data-card=heatmap] summary").click()
    with lead.expect_navigation():
        lead.locator(f"[data-card=heatmap] table a:has-text('{p.alice.name}')").click()
    assert p.alice.name in lead.content()
    assert _charts_drawn(lead) >= 4

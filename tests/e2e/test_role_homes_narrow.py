"""The role homes on a 390 px wide phone, in Chinese: nothing runs off the side."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("login_name", "heading"),
    [("A001", "我的考核表"), ("S001", "待处理的申诉"), ("EX001", "各分行等级分布")],
)
def test_each_role_home_fits_a_390_px_screen(
    live_server: Any,
    scored_cycle: Scored,
    password: str,
    page_for: Any,
    login_name: str,
    heading: str,
) -> None:
    page = page_for("zh-CN")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, login_name, password)
    page.goto(f"{live_server.url}/home/")
    page.wait_for_load_state()
    assert heading in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

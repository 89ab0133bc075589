"""A phone-sized browser (390 px): the top bar counts the unread notifications, the list fits
the screen, and opening one marks it read and leads to its page."""

from __future__ import annotations

from typing import Any

import pytest

from kaopei.core.models import Notification
from tests.conftest import Personas
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_an_account_manager_opens_a_notification_on_a_phone(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    for i in range(2):
        Notification.objects.create(
            user=personas.alice.user,
            text_zh=f"您的 2026Q1 考核结果已定稿，请查阅并签字确认。{i}",
            text_en=f"Your 2026Q1 scorecard is final. Please read and acknowledge it. {i}",
            url="/accounts/me/",
        )
    page = page_for("zh-CN")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "A001", password)
    assert page.locator(".kp-unread-count").inner_text() == "2"
    page.goto(f"{live_server.url}/accounts/notifications/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        page.locator(".kp-note .kp-textlink").first.click()
    assert page.url.endswith("/accounts/me/")
    assert page.locator(".kp-unread-count").inner_text() == "1"

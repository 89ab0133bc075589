from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas

pytestmark = pytest.mark.e2e


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_account_manager_signs_in_in_chinese_and_sees_their_home(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    page = page_for("zh-CN")
    _login(page, live_server.url, "A001", password)
    assert page.locator("h1").inner_text() == f"欢迎，{personas.alice.name}"
    assert "我的档案" in page.content()


def test_account_manager_signs_in_in_english_and_switches_to_chinese(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    page = page_for("en-US")
    _login(page, live_server.url, "A001", password)
    assert page.locator("h1").inner_text() == f"Welcome, {personas.alice.name}"
    with page.expect_navigation():
        page.select_option("#kp-language", "zh-hans")
    assert page.locator("h1").inner_text() == f"欢迎，{personas.alice.name}"


def test_wrong_password_keeps_the_visitor_on_the_login_page(
    live_server: Any, personas: Personas, page_for: Any
) -> None:
    page = page_for("en-US")
    _login(page, live_server.url, "A001", "not-the-password")
    assert "correct employee number and password" in page.content()

"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import chromium_path, require

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """Browser tests run against a live server, so their database is flushed between tests;
    put back what the data migrations created (role groups, metric library)."""
    from kaopei.assessment.library import sync_library
    from kaopei.assessment.models import GradeBand, GradePolicy, Metric
    from kaopei.core.roles import ensure_role_groups

    ensure_role_groups()
    sync_library(Metric, GradePolicy, GradeBand)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    require(path is not None, "Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page_for(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(locale: str = "zh-CN") -> Any:
        ctx = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")

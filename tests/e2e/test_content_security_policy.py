"""Pages work under the Content-Security-Policy: no violation on the pages with the most
script (charts, htmx lists, the API docs), and their scripts still do their work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _watch(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_the_executive_overview_draws_its_charts_without_a_policy_violation(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    page = page_for("en-US")
    violations = _watch(page)
    login(page, live_server.url, personas.exec.user.username, password)
    page.wait_for_selector(".kp-chart canvas", timeout=10_000)
    page.goto(f"{live_server.url}/org/people/")
    page.fill("input[name=q]", personas.alice.name)
    page.wait_for_timeout(1200)  # the list refreshes through htmx
    assert violations == []


def test_the_api_docs_render_under_the_policy(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    page = page_for("en-US")
    violations = _watch(page)
    login(page, live_server.url, personas.hr.user.username, password)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert violations == []

"""Issue 14's report card in a real browser: an account manager opens her scorecard, clicks
"PDF" and gets her report card, whose text shows her Chinese name, total and grade."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_account_manager_downloads_her_report_card(
    live_server: Any, scored_cycle: Scored, password: str, page_for: Any, tmp_path: Path
) -> None:
    page = page_for("zh-CN")
    login(page, live_server.url, "A001", password)
    page.goto(f"{live_server.url}{scored_cycle.url(scored_cycle.personas.alice)}")
    with page.expect_download() as info:
        page.click("a[href$='/pdf/']")
    download = info.value
    assert download.suggested_filename == "A001-2026Q1.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    card = scored_cycle.card(scored_cycle.personas.alice)
    assert "安丽" in text and f"{card.total:.2f}" in text and card.grade in text
    assert "绩效报告卡" in text or "Performance report card" in text

"""The library in a Chinese browser: an account manager searches the case library, opens a
case and reads its discussion questions; then finds a script template in the toolkit and
downloads its latest version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kaopei.training.models import ToolkitVersion
from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.training.library_factories import make_case, make_item

pytestmark = pytest.mark.e2e


def test_an_account_manager_reads_a_case_and_downloads_a_script(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    make_case("CASE-FABE", questions=["客户说“他行更便宜”时，你的第一句话是什么？"])
    make_case(
        "CASE-OTHER",
        title="供应链金融",
        title_en="Supply-chain finance",
        lessons="链上获客",
        lessons_en="",
        situation="核心企业账期长",
        situation_en="Long terms",
    )
    item = make_item("TK-SPIN", versions=1)
    ToolkitVersion.objects.create(item=item, number=2, body="开场：说明来意。", note="补充开场")
    base = live_server.url
    page = page_for()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, base, "A001", password)

    page.goto(f"{base}/training/cases/")
    page.fill("input[name=q]", "FABE")
    page.click("form.kp-filters button[type=submit]")
    rows = page.locator("tr[data-case]")
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    assert "他行更便宜" in page.locator("[data-section=questions]").inner_text()

    page.goto(f"{base}/training/toolkit/?q=SPIN")
    with page.expect_navigation():
        page.locator("tr[data-item=TK-SPIN] a").first.click()
    with page.expect_download() as download_info:
        page.click("[data-action=download-latest]")
    download = download_info.value
    assert download.suggested_filename == "tk-spin-v2.txt"
    assert "开场：说明来意。" in Path(download.path()).read_text(encoding="utf-8")
    assert errors == []

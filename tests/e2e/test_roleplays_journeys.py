"""Role-plays in the browser: two experts score the same performance on their own (the
second sees nothing of the first's scores until submitting), the trainer sees where they
disagree and the agreement coefficient, and the account manager downloads the script
template attached to her feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from kaopei.training.models import AssessorScore
from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.training.roleplays_factories import (
    performance_of,
    roleplay_with_rubric,
    submit,
    toolkit_version,
)

pytestmark = pytest.mark.e2e


def score(page: Any, base: str, pk: int, values: list[str], attach: bool = False) -> None:
    page.goto(f"{base}/training/roleplays/to-score/")
    page.click(f"tr[data-performance='{pk}'] a.kp-btn")
    for block, value in zip(page.locator("fieldset[data-criterion]").all(), values, strict=True):
        block.locator("input[type=number]").fill(value)
        block.locator("textarea").fill("需要更多证据 — more evidence needed")
    if attach:
        page.locator("input[name=toolkit_versions]").first.check()
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_two_experts_score_and_the_trainer_sees_their_agreement(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    p = personas
    base = live_server.url
    rp = roleplay_with_rubric()
    # Two earlier performances already scored by both (the coefficient needs three).
    for day, (a, b) in ((1, ([5, 5], [5, 4])), (2, ([2, 2], [2, 1]))):
        earlier = performance_of(rp, p.bob, [p.trainer, p.hr], dt.date(2026, 9, day))
        submit(earlier, p.trainer, a)
        submit(earlier, p.hr, b)
    performance = performance_of(rp, p.alice, [p.trainer, p.hr], dt.date(2026, 10, 1))
    template = toolkit_version()

    trainer = page_for()
    login(trainer, base, "T001", password)
    score(trainer, base, performance.pk, ["5", "4"], attach=True)

    hr = page_for()
    login(hr, base, "HR001", password)
    hr.goto(f"{base}/training/roleplays/performances/{performance.pk}/")
    expect(hr.locator("[data-independence]")).to_be_visible()
    expect(hr.locator("[data-result]")).to_have_count(0)
    score(hr, base, performance.pk, ["2", "4"])
    assert AssessorScore.objects.filter(performance=performance).count() == 2

    trainer.goto(f"{base}/training/roleplays/performances/{performance.pk}/")
    expect(trainer.locator("tr[data-flagged]")).to_have_count(1)
    expect(trainer.locator("tr[data-flagged]")).to_contain_text("标准1")
    trainer.goto(f"{base}/training/roleplays/{rp.pk}/")
    expect(trainer.locator("[data-icc^='0.']")).to_be_visible()
    expect(trainer.locator("[data-help=icc]")).to_contain_text("ICC(1)")

    alice = page_for()
    login(alice, base, "A001", password)
    alice.goto(f"{base}/training/roleplays/performances/")
    alice.click(f"tr[data-performance='{performance.pk}'] a")
    expect(alice.locator("[data-scores]")).to_be_visible()
    expect(alice.locator("main")).not_to_contain_text(p.trainer.name)
    with alice.expect_download() as download:
        alice.click(f"[data-toolkit] a[href*='/versions/{template.pk}/download/']")
    assert download.value.suggested_filename.endswith(".txt")

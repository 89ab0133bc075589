"""Issue 9's loop in a Chinese browser: an account manager appeals a line, her supervisor
voids the wrong record behind it and accepts, the re-score job changes the card, and both
are told so in the app and by e-mail.

The story: a survey answer from 白云物流 (a customer of 白波's, in Shanghai) was recorded
under 安丽's name. It is a detractor (1 of 10), so her NPS reads 0 instead of 33.33 and
the line scores 83.33 points instead of 111.11 (band from −100 to the target 20).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from kaopei.facts.models import Customer, SurveyResponse
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

WRONG = "R-CB1-07"
APPEAL_REASON = "净推荐值里有一份白云物流的问卷，那不是我的客户，请核实。"
VOID_REASON = "白云物流是白波的客户，这份问卷误记在安丽名下。"
ANSWER = "已核实：该问卷属于白波的客户，已作废并重新计算。"


def cells(row: Any) -> list[str]:
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


@pytest.fixture
def misfiled(scored_cycle: Scored) -> Scored:  # noqa: F811 - the fixture above
    """The scored cycle with the wrong survey answer counted in Alice's NPS, and e-mail
    addresses for Alice and her supervisor."""
    p = scored_cycle.personas
    SurveyResponse.objects.create(
        response_id=WRONG,
        employee=p.alice,
        customer=Customer.objects.get(customer_no="CB1"),
        responded_on=date(2026, 3, 12),
        nps=1,
        csat=2,
    )
    scored_cycle.rescore()
    for who, email in ((p.alice, "anli@kaopei.test"), (p.sup, "sunpei@kaopei.test")):
        who.user.email = email
        who.user.save(update_fields=["email"])
    line = scored_cycle.card(p.alice).lines.get(metric__code="nps")
    assert (line.actual, round(line.points, 2)) == (0, Decimal("83.33"))
    return scored_cycle


def open_first_notification(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/notifications/")
    with page.expect_navigation():
        page.locator(".kp-note.unread .kp-textlink").first.click()


def test_an_appeal_corrected_by_the_supervisor_changes_the_card_and_tells_both(
    live_server: Any, misfiled: Scored, password: str, page_for: Any
) -> None:
    base = live_server.url
    card_url = base + misfiled.url(misfiled.personas.alice)

    # 1. 安丽 appeals her NPS line from her scorecard.
    alice = page_for("zh-CN")
    login(alice, base, "A001", password)
    alice.goto(card_url)
    nps_row = alice.locator("tbody tr", has_text="净推荐值")
    nps_row.locator("summary", has_text="对此行申诉").click()
    nps_row.locator("textarea[name=reason]").fill(APPEAL_REASON)
    with alice.expect_navigation():
        nps_row.get_by_role("button", name="提交申诉").click()
    assert "/assessment/appeals/" in alice.url
    assert "您对“净推荐值”的申诉已提交" in alice.content()
    assert APPEAL_REASON in alice.content() and "等待上级或考核管理员答复" in alice.content()

    # 2. 孙培 sees the notification in the top bar, opens the appeal from it, voids the
    # wrong answer (confirming the dialog) and accepts with an answer.
    sup = page_for("zh-CN")
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    sup.on("dialog", accept)
    login(sup, base, "S001", password)
    assert sup.locator(".kp-unread-count").inner_text() == "1"
    sup.goto(f"{base}/accounts/notifications/")
    assert "安丽对其 2026Q1 考核表的“净推荐值”一项提出了申诉。" in sup.content()
    open_first_notification(sup, base)
    assert re.search(r"/assessment/appeals/\d+/$", sup.url)
    assert APPEAL_REASON in sup.content()
    assert sup.locator(".kp-unread-count").count() == 0
    wrong_row = sup.locator("tr", has_text=WRONG)
    wrong_row.locator("input[name=reason]").fill(VOID_REASON)
    with sup.expect_navigation():
        wrong_row.get_by_role("button", name="作废").click()
    assert dialogs and "作废" in dialogs[0]
    assert "它已不再计入" in sup.content()
    voided = sup.locator("tr.kp-voided", has_text=WRONG)
    assert voided.count() == 1 and VOID_REASON in voided.inner_text()
    sup.check("input[name=decision][value=accept]")
    sup.fill("textarea[name=answer]", ANSWER)
    with sup.expect_navigation():
        sup.get_by_role("button", name="发送答复").click()
    assert "申诉已接受" in sup.content()

    # 3. The re-score runs as a job: reload until the appeal shows the line after it.
    after = sup.locator("#before-after + .kp-table-wrap tbody tr", has_text="更正后")
    for _ in range(40):
        if after.count():
            break
        sup.wait_for_timeout(250)
        sup.reload()
    assert after.count() == 1, "the re-score job did not record the line after"

    # 4. 安丽, now on her phone, opens the notification of the answer: the appeal shows the
    # line before and after and the voided answer struck through with its reason.
    alice.set_viewport_size({"width": 390, "height": 844})
    alice.goto(f"{base}/home/")
    assert alice.locator(".kp-unread-count").inner_text() == "1"
    alice.goto(f"{base}/accounts/notifications/")
    assert "您对“净推荐值”（2026Q1）的申诉已被接受。" in alice.content()
    open_first_notification(alice, base)
    assert re.search(r"/assessment/appeals/\d+/$", alice.url)
    table = alice.locator("#before-after + .kp-table-wrap tbody")
    before_row = cells(table.locator("tr", has_text="更正前"))
    after_row = cells(table.locator("tr", has_text="更正后"))
    # actual, attainment (%), points, total, grade
    assert before_row[1:] == ["0", "83.3", "83.33", "102.33", "B"]
    assert after_row[1:] == ["33.33", "111.1", "111.11", "105.11", "B"]
    assert ANSWER in alice.content()
    struck = alice.locator("tr.kp-voided", has_text=WRONG)
    assert struck.locator("del", has_text=WRONG).count() == 1
    assert VOID_REASON in struck.inner_text() and "孙培" in struck.inner_text()
    assert "已作废的记录（不计入）" in alice.content()
    assert alice.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    # ... and her card counts the line without it.
    alice.goto(card_url)
    line = cells(alice.locator("tbody tr", has_text="净推荐值"))
    assert line[1] == "33.33" and line[4] == "111.11"
    assert "105.11" in alice.locator("tfoot").inner_text()

    # 5. Both were e-mailed, in Chinese.
    to_sup = [m for m in mail.outbox if m.to == ["sunpei@kaopei.test"]]
    to_alice = [m for m in mail.outbox if m.to == ["anli@kaopei.test"]]
    assert any(
        m.subject == "考培：安丽对其 2026Q1 考核表的“净推荐值”一项提出了申诉。" for m in to_sup
    )
    answered = [m for m in to_alice if "申诉已被接受" in m.subject]
    assert len(answered) == 1
    assert answered[0].subject == "考培：您对“净推荐值”（2026Q1）的申诉已被接受。"
    assert "在考培中打开：http://kaopei.test/assessment/appeals/" in answered[0].body

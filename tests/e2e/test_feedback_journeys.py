"""The feedback section in a Chinese browser: answering a 360 invitation, customers'
links, an anonymous 360 report, the suggestion box, and every page on a 390 px phone —
all under the Content-Security-Policy without a console error."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from kaopei.assessment.models import ScoreLine
from kaopei.assessment.services.scoring import cycle_score
from kaopei.facts.models import SurveyResponse
from kaopei.feedback.models import Invitation
from kaopei.feedback.services.answering import LINK_UNUSABLE
from kaopei.feedback.services.surveys import SurveyLinkUnusable
from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.e2e.feedback_data import (
    REPORT_CYCLE,
    WITHHELD_COMMENT,
    WITHHELD_MEAN,
    closed_report_round,
    open_round,
    survey_link,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SUGGESTION = "希望季度考核的数据导入能提前一周开放，方便各组核对客户名单。"
REPLY = "已与数据组确认：下季度起导入提前一周开放。"


def zh(message: str, context: str | None = None) -> str:
    """A message as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return pgettext(context, message) if context else gettext(message)


def watch(page: Any) -> list[str]:
    """Console errors and uncaught exceptions of a page (a policy violation is one)."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def refusals_only(errors: list[str], status: int) -> list[str]:
    """The errors other than the browser's note that the page itself came with ``status``
    (a spent link answers 410 on purpose)."""
    return [e for e in errors if f"status of {status}" not in e]


def page_overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_an_account_manager_answers_a_peer_invitation_from_her_tasks(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    data = open_round(personas)
    talk1, talk2, team1 = data.survey.items
    page = page_for("zh-CN")
    errors = watch(page)
    login(page, live_server.url, "A001", password)

    # Feedback → My 360 tasks → the task about 白波.
    page.get_by_role("navigation", name=zh("Main navigation")).get_by_role(
        "link", name=zh("Feedback"), exact=True
    ).click()
    page.get_by_role("link", name=zh("My 360 tasks"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("My 360 tasks"))
    task = page.locator("tbody tr", has_text=personas.bob.name)
    expect(task).to_contain_text(zh("Peer", "360 relationship"))
    task.get_by_role("link", name=zh("Answer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(personas.bob.name)

    # Half filled: refused, naming the two statements still to answer; the first stays ticked.
    page.check(f"input[name=item-{talk1.pk}][value='4']")
    page.get_by_role("button", name=zh("Send my answers")).click()
    error = page.locator(".kp-messages li.error")
    with translation.override("zh-hans"):
        label = gettext("item %(n)d (“%(text)s”)")
        missing = "; ".join(
            label % {"n": n, "text": item.text} for n, item in ((2, talk2), (3, team1))
        )
        expected = gettext(
            "Every item needs a score; nothing was saved. Still to answer: %(items)s."
        ) % {"items": missing}
    expect(error).to_have_text(expected)
    expect(page.locator(f"input[name=item-{talk1.pk}][value='4']")).to_be_checked()
    assert Invitation.objects.get(pk=data.peer_task.pk).status == Invitation.Status.INVITED

    # Everything answered, one comment: thanked, and the task is done.
    page.check(f"input[name=item-{talk2.pk}][value='5']")
    page.check(f"input[name=item-{team1.pk}][value='3']")
    page.fill(f"textarea[name=comment-{data.survey.talk.pk}]", "沟通清楚，回复及时。")
    page.get_by_role("button", name=zh("Send my answers")).click()
    expect(page.locator(".kp-messages li.success")).to_have_text(
        zh("Thank you: your answers are saved.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("My 360 tasks"))
    expect(page.get_by_text(zh("Nothing to answer right now."))).to_be_visible()
    done = page.locator("tbody tr", has_text=personas.bob.name)
    expect(done.locator(".kp-badge")).to_have_text(zh("Done"))
    expect(done.get_by_role("link")).to_have_count(0)
    assert Invitation.objects.get(pk=data.peer_task.pk).status == Invitation.Status.COMPLETED
    assert errors == []


def test_a_customer_answers_by_link_once_and_the_link_is_then_spent(
    live_server: Any, personas: Personas, page_for: Any
) -> None:
    data = open_round(personas)
    page = page_for("zh-CN")
    errors = watch(page)
    url = live_server.url + data.customer_link

    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.get_by_text(personas.bob.name)).to_be_visible()
    for item, score in zip(data.survey.items, (5, 4, 4), strict=True):
        page.check(f"input[name=item-{item.pk}][value='{score}']")
    page.get_by_role("button", name=zh("Send my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Thank you"))
    assert errors == []

    again = page.goto(url)
    assert again is not None and again.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Link not usable"))
    with translation.override("zh-hans"):
        expect(page.locator("main")).to_contain_text(str(LINK_UNUSABLE))
    assert refusals_only(errors, 410) == []


def test_a_survey_answer_by_link_counts_in_the_persons_nps(
    live_server: Any, personas: Personas, page_for: Any
) -> None:
    path, cycle = survey_link(personas)
    today = timezone.localdate()

    def nps() -> Decimal | None:
        cycle_score(code=cycle, user=personas.hr.user, today=today)
        line = ScoreLine.objects.get(
            scorecard__cycle__code=cycle, scorecard__employee=personas.alice, metric__code="nps"
        )
        return line.actual

    assert nps() == Decimal(-100)  # the imported detractor alone

    page = page_for("zh-CN")
    errors = watch(page)
    page.goto(live_server.url + path)
    expect(page.get_by_text(personas.alice.name)).to_be_visible()
    page.check("input[name=nps][value='9']")
    page.check("input[name=csat][value='5']")
    page.get_by_role("button", name=zh("Send my answer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Thank you"))
    assert errors == []

    again = page.goto(live_server.url + path)
    assert again is not None and again.status == 410
    with translation.override("zh-hans"):
        expect(page.locator("main")).to_contain_text(str(SurveyLinkUnusable().message))
    expect(page.locator("input[name=nps]")).to_have_count(0)
    assert refusals_only(errors, 410) == []

    answer = SurveyResponse.objects.get(employee=personas.alice, source=SurveyResponse.Source.LINK)
    assert (answer.nps, answer.csat) == (9, 5)
    assert nps() == Decimal(0)  # one promoter and one detractor


def test_a_report_pools_one_small_group_and_withholds_the_other(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    closed_report_round(personas)
    page = page_for("zh-CN")
    errors = watch(page)
    login(page, live_server.url, "A001", password)
    page.goto(f"{live_server.url}/feedback/cycles/{REPORT_CYCLE}/reports/A001/")

    expect(page.locator(".kp-note")).to_have_text(
        zh("Some answers are not shown because fewer than 3 people in a group answered.")
    )
    by_group = page.locator("h2", has_text=zh("By group")).locator("+ .kp-table-wrap tbody tr")
    expect(by_group.first).to_be_visible()
    rows: dict[str, list[list[str]]] = {}
    for row in by_group.all():
        name, *figures = [c.strip() for c in row.locator("td").all_inner_texts()][:4]
        if name:
            competency = name
        rows.setdefault(competency, []).append(figures)

    def group(name: str) -> str:
        return zh(name, "360 group")

    assert rows == {
        # The 2 subordinates and the customer pooled as other raters.
        "沟通": [
            [group("Supervisor"), "1", "3.00"],
            [group("Peers"), "3", "4.67"],
            [group("Other raters"), "3", "3.00"],
            [group("All raters"), "7", "3.71"],
        ],
        # The 2 peers are nowhere.
        "协作": [
            [group("Supervisor"), "1", "4.00"],
            [group("Customers"), "3", "3.67"],
            [group("All raters"), "4", "3.75"],
        ],
    }
    text = page.locator("body").inner_text()
    figure = re.compile(rf"(?<![\d.]){re.escape(WITHHELD_MEAN)}|(?<![\d.])1\.5(?![\d])")
    assert not figure.search(text) and not figure.search(page.content())
    assert WITHHELD_COMMENT not in page.content()
    assert "下属说2" in text and "同事说4" in text  # comments of the groups shown
    page.wait_for_selector(".kp-chart canvas")
    assert errors == []


def test_a_suggestion_goes_to_hr_and_the_reply_comes_back_by_receipt_code(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    base = live_server.url
    bob = page_for("zh-CN")
    errors = watch(bob)
    login(bob, base, "B001", password)
    bob.goto(f"{base}/feedback/")
    bob.get_by_role("link", name=zh("Post a suggestion")).click()
    bob.check("input[name=about][value=process]")
    bob.fill("textarea[name=text]", SUGGESTION)
    bob.get_by_role("button", name=zh("Post anonymously")).click()
    expect(bob.get_by_role("heading", level=1)).to_have_text(
        zh("Thank you: your suggestion was posted")
    )
    code = bob.locator("p.kp-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code), code

    hr = page_for("zh-CN")
    hr_errors = watch(hr)
    login(hr, base, "HR001", password)
    hr.goto(f"{base}/feedback/")
    hr.get_by_role("link", name=zh("Triage suggestions")).click()
    row = hr.locator("#kp-suggestions tbody tr", has_text=SUGGESTION[:20])
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    hr.fill("textarea[name=reply]", REPLY)
    hr.get_by_role("button", name=zh("Save the reply")).click()
    expect(hr.locator(".kp-messages li.success")).to_have_text(
        zh("Your reply was saved. The poster reads it with their code.")
    )

    bob.get_by_role("link", name=zh("Read my suggestion")).click()
    bob.fill("input[name=code]", code)
    bob.get_by_role("button", name=zh("Read"), exact=True).click()
    card = bob.locator("dl.kp-dl")
    expect(card).to_contain_text(SUGGESTION)
    expect(card).to_contain_text(REPLY)
    assert errors == [] and hr_errors == []


def test_the_feedback_pages_fit_a_390_px_phone(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    data = open_round(personas)
    closed_report_round(personas)
    survey_path, _cycle = survey_link(personas)
    base = live_server.url

    alice = page_for("zh-CN")
    errors = watch(alice)
    alice.set_viewport_size(PHONE)
    login(alice, base, "A001", password)
    for path in (
        "/feedback/",
        "/feedback/tasks/",
        f"/feedback/tasks/{data.peer_task.pk}/",
        f"/feedback/cycles/{REPORT_CYCLE}/reports/A001/",
    ):
        alice.goto(base + path)
        alice.wait_for_load_state()
        assert page_overflow(alice) <= 0, path
        # The sections fold into the menu button, which opens them one per line.
        nav = alice.locator("nav.kp-nav")
        menu = alice.get_by_role("button", name=zh("Menu"))
        expect(nav).to_be_hidden()
        expect(menu).to_have_attribute("aria-expanded", "false")
        menu.click()
        expect(nav.get_by_role("link", name=zh("Feedback"), exact=True)).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "true")
        assert page_overflow(alice) <= 0, path
    # The report's wide tables scroll inside their wrapper, not the page.
    assert alice.locator("table.kp-table:not(.kp-table-wrap table)").count() == 0
    assert errors == []

    customer = page_for("zh-CN")
    customer_errors = watch(customer)
    customer.set_viewport_size(PHONE)
    for path in (data.customer_link, survey_path):
        customer.goto(base + path)
        expect(customer.locator("form.kp-form")).to_be_visible()
        assert page_overflow(customer) <= 0, path
        expect(customer.get_by_role("button", name=zh("Menu"))).to_have_count(0)
    assert customer_errors == []

"""Training in the browser: an account manager takes the pre-test, the trainer takes
attendance, she rates the session, passes the post-test and downloads a certificate whose
code anyone can verify; the trainer reads the item analysis and the comment; HR reads a
course's Kirkpatrick page in English; the learner's pages fit a 390 px phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from kaopei.training.models import Certificate, Enrolment, Question, QuizAttempt
from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.training.effect_factories import build_effect_world
from tests.training.factories import (
    CourseFactory,
    EnrolmentFactory,
    QuestionFactory,
    QuizFactory,
    SessionFactory,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
COMMENT = "可疑交易识别的案例很实用。"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def watch(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def aml_course(p: Personas) -> dict[str, Any]:
    """AML-101 with a two-question bank, a pre-test and a post-test, and a session that
    started an hour ago, run by the trainer, with Alice enrolled."""
    course = CourseFactory(code="AML-101", title="反洗钱与客户尽职调查", title_en="AML and CDD")
    course.trainers.add(p.trainer)
    questions = [
        QuestionFactory(
            course=course,
            code=f"AML-Q{n}",
            text=text,
            options=[("正确答案", True), ("错误答案一", False), ("错误答案二", False)],
        )
        for n, text in ((1, "大额现金交易的报告标准是？"), (2, "客户身份识别应在何时进行？"))
    ]
    pre = QuizFactory(course=course, kind="pre", title="反洗钱前测", questions=questions)
    post = QuizFactory(
        course=course, kind="post", title="反洗钱后测", pass_mark=60, questions=questions
    )
    start = timezone.now() - dt.timedelta(hours=1)
    session = SessionFactory(
        course=course, trainer=p.trainer, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    enrolment = EnrolmentFactory(session=session, employee=p.alice)
    return {"course": course, "pre": pre, "post": post, "session": session, "enrolment": enrolment}


def answer_all(page: Any, right: bool) -> None:
    """Answer every question of the attempt page (the right option, or a wrong one)."""
    label = "正确答案" if right else "错误答案一"
    for block in page.locator("fieldset[data-question]").all():
        block.locator("label").filter(has_text=label).locator("input").check()
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Submit")).click()


def take_quiz(page: Any, title: str, right: bool) -> None:
    page.get_by_role("link", name=title).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Start")).click()
    answer_all(page, right)


def test_a_learner_goes_from_pre_test_to_a_verified_certificate(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    p = personas
    data = aml_course(p)
    base = live_server.url
    alice = page_for("zh-CN")
    errors = watch(alice)
    login(alice, base, "A001", password)

    # Training → My learning: the pre-test is to do.
    alice.get_by_role("navigation", name=zh("Main navigation")).get_by_role(
        "link", name=zh("Training"), exact=True
    ).click()
    alice.get_by_role("link", name=zh("My learning"), exact=True).click()
    todo = alice.locator("#to-do")
    expect(todo.locator(f"[data-quiz='{data['pre'].pk}']")).to_be_visible()
    take_quiz(alice, "反洗钱前测", right=False)
    pre_attempt = QuizAttempt.objects.get(quiz=data["pre"], employee=p.alice)
    assert pre_attempt.score == Decimal("0")
    assert Enrolment.objects.get(pk=data["enrolment"].pk).pre_score == Decimal("0")

    # The trainer marks her present and the course completed.
    trainer = page_for("zh-CN")
    trainer_errors = watch(trainer)
    login(trainer, base, "T001", password)
    trainer.goto(f"{base}/training/workspace/")
    trainer.locator(f"#to-mark [data-session='{data['session'].pk}']").get_by_role(
        "link", name=zh("Attendance sheet")
    ).click()
    row = trainer.locator(f"tr[data-enrolment='{data['enrolment'].pk}']")
    row.locator("input[name^=attended]").check()
    row.locator("input[name^=completed]").check()
    with trainer.expect_navigation():
        trainer.get_by_role("button", name=zh("Save attendance")).click()
    enrolment = Enrolment.objects.get(pk=data["enrolment"].pk)
    assert enrolment.attended and enrolment.completed

    # She rates the session and passes the post-test.
    alice.goto(f"{base}/training/me/")
    alice.locator(f"[data-react='{enrolment.pk}'] a").click()
    alice.locator("input[name=reaction][value='5']").check()
    alice.locator("textarea[name=comment]").fill(COMMENT)
    with alice.expect_navigation():
        alice.get_by_role("button", name=zh("Save my rating")).click()
    assert Enrolment.objects.get(pk=enrolment.pk).reaction == 5
    alice.goto(f"{base}/training/me/")
    take_quiz(alice, "反洗钱后测", right=True)
    expect(alice.locator("[data-passed='1']")).to_be_visible()
    expect(alice.locator("[data-right-answer]").first).to_be_visible()

    # Her certificate: a PDF, and its code verifies on the public page.
    alice.goto(f"{base}/training/me/")
    with alice.expect_download() as download:
        alice.locator(f"[data-certificate='{enrolment.pk}'] a").click()
    assert download.value.suggested_filename.endswith(".pdf")
    code = Certificate.objects.get(enrolment=enrolment).code
    visitor = page_for("zh-CN")
    visitor.goto(f"{base}/training/certificates/verify/{code}/")
    expect(visitor.locator("main")).to_contain_text(p.alice.name)
    expect(visitor.locator("main")).to_contain_text("反洗钱与客户尽职调查")
    expect(visitor.locator("main")).not_to_contain_text(p.alice.employee_no)

    # The trainer reads the item analysis and the comment (without a name).
    trainer.goto(f"{base}/training/workspace/")
    expect(trainer.locator("#reactions")).to_contain_text(COMMENT)
    expect(trainer.locator("#reactions")).not_to_contain_text(p.alice.name)
    trainer.locator(f"#quizzes [data-quiz='{data['pre'].pk}']").get_by_role(
        "link", name=zh("Item analysis")
    ).click()
    for question in Question.objects.filter(course=data["course"]):
        expect(trainer.locator("main")).to_contain_text(question.text)
    assert errors == [] and trainer_errors == []


def test_hr_reads_a_courses_kirkpatrick_figures_in_english(
    live_server: Any, personas: Personas, password: str, page_for: Any
) -> None:
    build_effect_world()
    page = page_for("en-GB")
    errors = watch(page)
    login(page, live_server.url, "HR001", password)
    page.goto(f"{live_server.url}/training/effect/?cycle=2026Q2")
    expect(page.locator("main")).to_contain_text("SPIN-101")
    page.goto(f"{live_server.url}/training/effect/2026Q2/SPIN-101/")
    main = page.locator("main")
    for level in ("L1", "L2", "L3", "L4"):
        expect(main.locator(f"tr[data-level='{level}']").first).to_be_visible()
    expect(main.locator("table").first).to_be_visible()
    assert errors == []


def test_the_learners_pages_fit_a_phone(
    live_server: Any, personas: Personas, password: str, browser: Any
) -> None:
    data = aml_course(personas)
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    errors = watch(page)
    login(page, live_server.url, "A001", password)
    for path in (
        "/training/",
        "/training/me/",
        "/training/courses/",
        "/training/courses/AML-101/",
        f"/training/sessions/{data['session'].pk}/",
        "/training/sessions/calendar/",
        f"/training/quizzes/{data['pre'].pk}/",
    ):
        page.goto(live_server.url + path)
        assert overflow(page) <= 1, path
    ctx.close()
    assert errors == []

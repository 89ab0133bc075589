"""The quizzes demo step over sample banks and held sessions of the current quarter."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from kaopei.core.demo import DemoContext
from kaopei.training.demo_quizzes import quizzes
from kaopei.training.models import Enrolment, Quiz, QuizAttempt, Session
from tests.factories import EmployeeFactory
from tests.training.factories import (
    CourseFactory,
    EnrolmentFactory,
    QuestionFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


def test_the_demo_writes_quizzes_and_believable_attempts(db: object) -> None:
    persona = EmployeeFactory()
    for code in ("AML-101", "SPIN-101"):
        course = CourseFactory(code=code)
        for i in range(12):
            QuestionFactory(course=course, code=f"{code}-{i}")
        start = timezone.make_aware(dt.datetime(2026, 11, 18, 9, 0))
        session = SessionFactory(course=course, starts_at=start, status=Session.Status.COMPLETED)
        for who in [persona] + [EmployeeFactory() for _ in range(15)]:
            EnrolmentFactory(
                course=course, session=session, employee=who, session_on=dt.date(2026, 11, 18)
            )
    CourseFactory(code="EMPTY-1")  # no bank: no quiz
    ctx = DemoContext(rng=random.Random(7), today=TODAY, log=lambda _m: None)
    ctx.data["persona_am"] = persona
    quizzes(ctx)
    assert Quiz.objects.filter(published=True).count() == 4
    assert not Quiz.objects.filter(course__code="EMPTY-1").exists()
    for quiz in Quiz.objects.all():
        assert 60 <= quiz.pass_mark <= 80 and 2 <= quiz.max_attempts <= 3
        assert 10 <= (quiz.time_limit_minutes or 0) <= 20
    session_on = dt.date(2026, 11, 18)
    for a in QuizAttempt.objects.select_related("quiz"):
        day = timezone.localdate(a.submitted_at)
        assert day < session_on if a.quiz.kind == "pre" else day >= session_on
        assert a.number <= a.quiz.max_attempts and a.answers.count() == len(a.layout)
    # The persona's AML-101 tests are untaken; SPIN-101 has them.
    assert not QuizAttempt.objects.filter(employee=persona, quiz__course__code="AML-101").exists()
    assert QuizAttempt.objects.filter(employee=persona, quiz__course__code="SPIN-101").exists()
    scored = Enrolment.objects.filter(pre_score__isnull=False, post_score__isnull=False)
    assert scored.count() == 31
    higher = sum(1 for e in scored if e.post_score > e.pre_score)  # type: ignore[operator]
    assert higher > scored.count() * 0.7
    assert QuizAttempt.objects.filter(quiz__kind="post", number=2).exists()  # some retakes
    assert all(Decimal(0) <= e.post_score <= 100 for e in scored)  # type: ignore[operator]

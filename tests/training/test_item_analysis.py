"""Item analysis on a hand example: % correct, discrimination (upper and lower 27 %), the
wrong option chosen most, most-missed first; and the results summary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.training.models import Option, Question
from kaopei.training.selectors.quizzes import item_analysis, results_summary
from kaopei.training.services.quizzes import attempt_start, attempt_submit
from tests.factories import EmployeeFactory
from tests.training.factories import CourseFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def test_item_analysis_on_a_hand_example(db: object) -> None:
    course = CourseFactory()
    easy = QuestionFactory(course=course, code="EASY")
    hard = QuestionFactory(course=course, code="HARD")
    quiz = QuizFactory(course=course, questions=[easy, hard], pass_mark=50, shuffle_questions=False)
    opt = {(q.code, o.text): o.pk for q in (easy, hard) for o in Option.objects.filter(question=q)}
    # Four people: right on EASY except the last; HARD right only for the first.
    plans = [
        {easy.pk: {opt["EASY", "A"]}, hard.pk: {opt["HARD", "A"]}},  # 100
        {easy.pk: {opt["EASY", "A"]}, hard.pk: {opt["HARD", "B"]}},  # 50
        {easy.pk: {opt["EASY", "A"]}, hard.pk: {opt["HARD", "B"]}},  # 50
        {easy.pk: {opt["EASY", "C"]}, hard.pk: {opt["HARD", "C"]}},  # 0
    ]
    for plan in plans:
        who = EmployeeFactory()
        attempt, _ = attempt_start(quiz=quiz, employee=who)
        attempt_submit(attempt=attempt, employee=who, answers=plan)
    with CaptureQueriesContext(connection) as ctx:
        rows = item_analysis(quiz=quiz)
    assert len(ctx.captured_queries) == 3  # answers, wrong options, the quiz's questions
    assert [r.question.code for r in rows] == ["HARD", "EASY"]  # most missed first
    hard_row, easy_row = rows
    assert (hard_row.attempts, hard_row.correct, hard_row.difficulty) == (4, 1, Decimal("25.00"))
    assert (easy_row.correct, easy_row.difficulty) == (3, Decimal("75.00"))
    # 27 % of 4 attempts → groups of 1: the best (100) and the worst (0).
    assert hard_row.discrimination == Decimal("1.00")
    assert easy_row.discrimination == Decimal("1.00")
    assert hard_row.top_wrong is not None and hard_row.top_wrong.text == "B"
    assert hard_row.top_wrong_count == 2
    summary = results_summary(quiz=quiz)
    assert summary.people == 4 and summary.pass_rate == Decimal("75.00")
    assert summary.mean_best == Decimal("50.00")
    assert Question.objects.count() == 2

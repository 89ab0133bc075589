"""quiz_score (DESIGN.md §5 ⚑) through a real scoring run: the mean of each person's best
score per quiz taken in the period, imported post-test scores keyed as the course's
post-test, and a fixed number of queries whatever the headcount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.metrics import MetricValue, compute_metrics
from kaopei.assessment.models import ScoreLine
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.periods import parse_period
from kaopei.training.models import Enrolment, Quiz, QuizAttempt
from kaopei.training.services.quizzes import attempt_start, attempt_submit
from tests.conftest import Personas
from tests.factories import EmployeeFactory
from tests.training.factories import CourseFactory, EnrolmentFactory
from tests.training.quizzes_factories import answers_with, clock, quiz_with_questions

pytestmark = pytest.mark.django_db
Q3 = parse_period("2026Q3")
IN_Q3 = dt.datetime(2026, 8, 3, 2, 0, tzinfo=dt.UTC)


def _take(quiz: Quiz, who: object, right: int, at: dt.datetime) -> QuizAttempt:
    with clock(at):
        attempt, _ = attempt_start(quiz=quiz, employee=who)  # type: ignore[arg-type]
        return attempt_submit(attempt=attempt, employee=who, answers=answers_with(attempt, right))  # type: ignore[arg-type]


def test_the_mean_of_best_scores_with_imported_post_tests(personas: Personas) -> None:
    aml = CourseFactory(code="AML-101")
    post = quiz_with_questions(course=aml, n=4, kind=Quiz.Kind.POST)
    practice = quiz_with_questions(course=aml, n=4, kind=Quiz.Kind.PRACTICE)
    _take(post, personas.alice, 1, IN_Q3)  # 25
    _take(post, personas.alice, 3, IN_Q3)  # 75: her best on the post-test
    _take(practice, personas.alice, 2, IN_Q3)  # 50
    # An imported post-test score of 80 on the same course: the best of both counts once.
    EnrolmentFactory(
        course=aml,
        employee=personas.alice,
        session_on=dt.date(2026, 7, 20),
        source=Enrolment.Source.IMPORT,
        post_score=Decimal("80"),
    )
    # A course without a post-test quiz still counts as one quiz.
    EnrolmentFactory(
        course=CourseFactory(code="PRIV-101"),
        employee=personas.alice,
        session_on=dt.date(2026, 9, 1),
        source=Enrolment.Source.IMPORT,
        post_score=Decimal("59"),
    )
    # Outside the period: ignored (30 Sept 16:30 UTC is 1 October in Shanghai).
    _take(practice, personas.bob, 4, dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.UTC))
    values = compute_metrics(["quiz_score"], period=Q3)["quiz_score"]
    assert values[personas.alice.pk] == MetricValue((Decimal(80) + 50 + 59) / 3, True)
    assert personas.bob.pk not in values  # no data


def test_a_scoring_run_puts_quiz_score_on_the_card(personas: Personas) -> None:
    post = quiz_with_questions(n=4, kind=Quiz.Kind.POST)
    _take(post, personas.alice, 3, IN_Q3)
    template_create_version(
        code="t",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("quiz_score", Decimal(100))],
    )
    cycle_score(code="2026Q3", today=dt.date(2026, 10, 10))
    line = ScoreLine.objects.get(scorecard__employee=personas.alice, metric__code="quiz_score")
    assert line.actual == Decimal("75.00")


def test_the_query_count_does_not_grow_with_people(personas: Personas) -> None:
    post = quiz_with_questions(n=2, kind=Quiz.Kind.POST)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compute_metrics(["quiz_score"], period=Q3)
        return len(ctx.captured_queries)

    _take(post, personas.alice, 1, IN_Q3)
    few = count()
    for _ in range(5):
        who = EmployeeFactory()
        _take(post, who, 2, IN_Q3)
        EnrolmentFactory(
            course=post.course,
            employee=who,
            session_on=dt.date(2026, 8, 1),
            source=Enrolment.Source.IMPORT,
            post_score=Decimal("70"),
        )
    assert count() == few == 3

"""Taking quizzes: limits, resume, the time limit, refusals that write nothing, the right
answers only after the last attempt, and the enrolment scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.training.models import AttemptAnswer, Enrolment, Option, Quiz, QuizAttempt
from kaopei.training.selectors.quizzes import answers_revealed
from kaopei.training.services.quizzes import (
    OptionData,
    TimeIsUp,
    attempt_start,
    attempt_submit,
    question_remove,
    question_save,
    quiz_publish,
    quiz_save,
)
from tests.conftest import Personas
from tests.training.factories import CourseFactory, EnrolmentFactory, QuestionFactory
from tests.training.quizzes_factories import answers_with, clock, quiz_with_questions, right_answers

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def test_an_attempt_draws_and_keeps_its_layout_and_deadline(personas: Personas) -> None:
    quiz = quiz_with_questions(n=6, question_count=4, time_limit_minutes=15)
    with clock(T0):
        attempt, resumed = attempt_start(quiz=quiz, employee=personas.alice)
    assert not resumed and attempt.number == 1
    assert len(attempt.layout) == 4
    assert all(len(options) == 4 for _q, options in attempt.layout)
    assert attempt.deadline_at == T0 + dt.timedelta(minutes=15)


def test_an_open_attempt_is_resumed_instead_of_a_second_one(personas: Personas) -> None:
    quiz = quiz_with_questions()
    first, _ = attempt_start(quiz=quiz, employee=personas.alice)
    again, resumed = attempt_start(quiz=quiz, employee=personas.alice)
    assert resumed and again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_no_attempt_beyond_the_limit(personas: Personas) -> None:
    quiz = quiz_with_questions(max_attempts=2, pass_mark=100)
    for _ in range(2):
        attempt, _r = attempt_start(quiz=quiz, employee=personas.alice)
        attempt_submit(attempt=attempt, employee=personas.alice, answers={})
    with pytest.raises(ConflictError):
        attempt_start(quiz=quiz, employee=personas.alice)
    assert QuizAttempt.objects.count() == 2


def test_grading_stores_every_answer_with_unanswered_ones_wrong(personas: Personas) -> None:
    quiz = quiz_with_questions(n=4, pass_mark=70)
    attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
    answers = answers_with(attempt, right=3)
    del answers[int(attempt.layout[3][0])]
    done = attempt_submit(attempt=attempt, employee=personas.alice, answers=answers)
    assert done.score == Decimal("75.00") and done.passed
    assert AttemptAnswer.objects.filter(attempt=done).count() == 4
    assert AttemptAnswer.objects.filter(attempt=done, correct=False, chosen=[]).count() == 1


def test_a_late_submission_closes_the_attempt_unscored_and_stores_nothing(
    personas: Personas,
) -> None:
    quiz = quiz_with_questions(time_limit_minutes=10)
    with clock(T0) as now:
        attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
        now.return_value = T0 + dt.timedelta(minutes=10, seconds=29)
        in_time = attempt_start(quiz=quiz, employee=personas.alice)[0]
        assert in_time.pk == attempt.pk  # still open within the grace
        now.return_value = T0 + dt.timedelta(minutes=10, seconds=31)
        with pytest.raises(TimeIsUp):
            attempt_submit(attempt=attempt, employee=personas.alice, answers=right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score is None
    assert not AttemptAnswer.objects.exists()


def test_submitting_within_the_grace_is_scored(personas: Personas) -> None:
    quiz = quiz_with_questions(time_limit_minutes=10)
    with clock(T0) as now:
        attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
        now.return_value = T0 + dt.timedelta(minutes=10, seconds=30)
        done = attempt_submit(
            attempt=attempt, employee=personas.alice, answers=right_answers(attempt)
        )
    assert done.score == Decimal("100.00")


def test_a_foreign_option_or_question_is_refused_and_nothing_stored(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    other = QuestionFactory()
    attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
    q1, q2 = (int(q) for q, _o in attempt.layout)
    foreign_option = Option.objects.filter(question_id=q2).first()
    assert foreign_option is not None
    with pytest.raises(ApplicationError):
        attempt_submit(attempt=attempt, employee=personas.alice, answers={q1: {foreign_option.pk}})
    with pytest.raises(ApplicationError):
        attempt_submit(
            attempt=attempt,
            employee=personas.alice,
            answers={other.pk: {other.options.first().pk}},  # type: ignore[union-attr]
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not AttemptAnswer.objects.exists()


def test_only_the_owner_submits_and_only_once(personas: Personas) -> None:
    quiz = quiz_with_questions()
    attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
    with pytest.raises(PermissionDenied):
        attempt_submit(attempt=attempt, employee=personas.bob, answers={})
    attempt_submit(attempt=attempt, employee=personas.alice, answers={})
    with pytest.raises(ConflictError):
        attempt_submit(attempt=attempt, employee=personas.alice, answers=right_answers(attempt))
    assert AttemptAnswer.objects.filter(correct=True).count() == 0


def test_right_answers_show_only_after_the_last_attempt_or_a_pass(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2, max_attempts=2, pass_mark=100)
    first, _ = attempt_start(quiz=quiz, employee=personas.alice)
    attempt_submit(attempt=first, employee=personas.alice, answers={})
    assert not answers_revealed(attempt=first)
    second, _ = attempt_start(quiz=quiz, employee=personas.alice)
    attempt_submit(attempt=second, employee=personas.alice, answers={})
    assert answers_revealed(attempt=first) and answers_revealed(attempt=second)
    passer, _ = attempt_start(quiz=quiz, employee=personas.bob)
    attempt_submit(attempt=passer, employee=personas.bob, answers=right_answers(passer))
    assert answers_revealed(attempt=passer)


def test_scores_go_on_the_kaopei_enrolment_by_the_contract(personas: Personas) -> None:
    course = CourseFactory()
    pre = quiz_with_questions(course=course, kind=Quiz.Kind.PRE, n=4)
    post = quiz_with_questions(course=course, kind=Quiz.Kind.POST, n=4)
    session_day = dt.date(2026, 11, 12)
    earlier = EnrolmentFactory(
        course=course, employee=personas.alice, session_on=dt.date(2026, 9, 1)
    )
    enrolment = EnrolmentFactory(course=course, employee=personas.alice, session_on=session_day)
    imported = EnrolmentFactory(
        course=course,
        employee=personas.alice,
        session_on=dt.date(2026, 11, 11),
        source=Enrolment.Source.IMPORT,
        post_score=Decimal("10"),
    )
    with clock(T0) as now:  # 2026-11-10: before the session
        a, _ = attempt_start(quiz=pre, employee=personas.alice)
        attempt_submit(attempt=a, employee=personas.alice, answers=answers_with(a, 1))
        b, _ = attempt_start(quiz=pre, employee=personas.alice)
        attempt_submit(attempt=b, employee=personas.alice, answers=answers_with(b, 4))
        now.return_value = T0 + dt.timedelta(days=3)  # 2026-11-13: after it
        c, _ = attempt_start(quiz=post, employee=personas.alice)
        attempt_submit(attempt=c, employee=personas.alice, answers=answers_with(c, 3))
        d, _ = attempt_start(quiz=post, employee=personas.alice)
        attempt_submit(attempt=d, employee=personas.alice, answers=answers_with(d, 2))
    enrolment.refresh_from_db()
    earlier.refresh_from_db()
    imported.refresh_from_db()
    assert enrolment.pre_score == Decimal("25.00")  # the first scored pre-test attempt
    assert enrolment.post_score == Decimal("75.00")  # the best post-test attempt so far
    assert earlier.pre_score is None and earlier.post_score is None
    assert imported.post_score == Decimal("10.00")  # imported: never overwritten


def test_one_pre_and_one_post_test_per_course_with_a_clear_refusal(personas: Personas) -> None:
    course = CourseFactory()
    q = QuestionFactory(course=course)
    common = {
        "course": course,
        "quiz": None,
        "title": "前测",
        "pass_mark": 60,
        "max_attempts": 2,
        "time_limit_minutes": None,
        "question_count": None,
        "shuffle_questions": True,
        "shuffle_options": True,
        "questions": [q],
    }
    quiz_save(kind=Quiz.Kind.PRE, **common)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError):
        quiz_save(kind=Quiz.Kind.PRE, **common)  # type: ignore[arg-type]
    quiz_save(kind=Quiz.Kind.PRACTICE, **common)  # type: ignore[arg-type]
    quiz_save(kind=Quiz.Kind.PRACTICE, **common)  # type: ignore[arg-type]
    assert Quiz.objects.filter(course=course).count() == 3


def test_publishing_needs_an_active_question_with_a_correct_option(personas: Personas) -> None:
    quiz = quiz_with_questions(n=1, published=False)
    quiz.questions.update(active=False)
    with pytest.raises(ApplicationError):
        quiz_publish(quiz=quiz, published=True)
    quiz.questions.update(active=True)
    Option.objects.update(correct=False)
    with pytest.raises(ApplicationError):
        quiz_publish(quiz=quiz, published=True)
    Option.objects.filter(position=1).update(correct=True)
    assert quiz_publish(quiz=quiz, published=True).published


def test_an_attempt_left_past_its_time_closes_when_the_next_one_starts(
    personas: Personas,
) -> None:
    quiz = quiz_with_questions(time_limit_minutes=5)
    with clock(T0) as now:
        first, _ = attempt_start(quiz=quiz, employee=personas.alice)
        now.return_value = T0 + dt.timedelta(hours=1)
        second, resumed = attempt_start(quiz=quiz, employee=personas.alice)
    first.refresh_from_db()
    assert not resumed and second.number == 2
    assert first.submitted_at is not None and first.score is None
    assert timezone.is_aware(second.started_at)


def test_a_question_in_an_open_attempt_is_deactivated_not_deleted(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    attempt, _ = attempt_start(quiz=quiz, employee=personas.alice)
    question = quiz.questions.first()
    assert question is not None

    assert question_remove(question=question) is False
    question.refresh_from_db()
    assert not question.active
    done = attempt_submit(attempt=attempt, employee=personas.alice, answers=right_answers(attempt))
    assert done.score == Decimal("100.00")


def test_options_of_a_question_in_an_open_attempt_cannot_change(personas: Personas) -> None:
    quiz = quiz_with_questions(n=1)
    attempt_start(quiz=quiz, employee=personas.alice)
    question = quiz.questions.get()
    before = list(question.options.values_list("pk", flat=True))

    with pytest.raises(ApplicationError):
        question_save(
            course=quiz.course,
            question=question,
            code=question.code,
            kind=question.kind,
            text=question.text,
            options=[OptionData("新 A", "New A", True), OptionData("新 B", "New B", False)],
        )
    assert list(question.options.values_list("pk", flat=True)) == before


def test_a_pre_tests_answers_wait_for_the_post_test_they_share_questions_with(
    personas: Personas,
) -> None:
    post = quiz_with_questions(n=2, max_attempts=1, pass_mark=100)
    pre = quiz_with_questions(n=0, kind=Quiz.Kind.PRE, course=post.course, max_attempts=1)
    pre.questions.set(post.questions.all())
    tried, _ = attempt_start(quiz=pre, employee=personas.alice)
    attempt_submit(attempt=tried, employee=personas.alice, answers={})

    assert not answers_revealed(attempt=tried)
    final, _ = attempt_start(quiz=post, employee=personas.alice)
    attempt_submit(attempt=final, employee=personas.alice, answers={})
    assert answers_revealed(attempt=tried) and answers_revealed(attempt=final)

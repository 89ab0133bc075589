"""Two tabs at once (PostgreSQL only: SQLite serialises writers): submitting the same
attempt scores it once; starting the same quiz never makes two open attempts nor goes
beyond the limit."""

from __future__ import annotations

from decimal import Decimal

from kaopei.core.errors import ConflictError
from kaopei.training.models import AttemptAnswer, QuizAttempt
from kaopei.training.services.quizzes import attempt_start, attempt_submit
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.quizzes_factories import answers_with, quiz_with_questions, right_answers

pytestmark = CONCURRENT_WRITERS


def test_two_tabs_submitting_one_attempt_score_it_once() -> None:
    p = build_personas()
    quiz = quiz_with_questions(n=4)
    attempt, _ = attempt_start(quiz=quiz, employee=p.alice)
    good, half = right_answers(attempt), answers_with(attempt, 2)
    results = at_once(
        lambda: attempt_submit(attempt=attempt, employee=p.alice, answers=good),
        lambda: attempt_submit(attempt=attempt, employee=p.alice, answers=half),
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ConflictError)
    winner = next(r for r in results if not isinstance(r, Exception))
    attempt.refresh_from_db()
    assert attempt.score == winner.score and attempt.score in {Decimal(100), Decimal(50)}
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_two_tabs_starting_at_once_make_one_open_attempt() -> None:
    p = build_personas()
    quiz = quiz_with_questions(n=2, max_attempts=1)
    results = at_once(
        lambda: attempt_start(quiz=quiz, employee=p.alice),
        lambda: attempt_start(quiz=quiz, employee=p.alice),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert results[0][0].pk == results[1][0].pk
    assert QuizAttempt.objects.filter(quiz=quiz, employee=p.alice).count() == 1


def test_starting_at_once_at_the_last_attempt_never_exceeds_the_limit() -> None:
    p = build_personas()
    quiz = quiz_with_questions(n=2, max_attempts=2, pass_mark=100)
    first, _ = attempt_start(quiz=quiz, employee=p.alice)
    attempt_submit(attempt=first, employee=p.alice, answers={})
    at_once(
        lambda: attempt_start(quiz=quiz, employee=p.alice),
        lambda: attempt_start(quiz=quiz, employee=p.alice),
        lambda: attempt_start(quiz=quiz, employee=p.alice),
    )
    assert QuizAttempt.objects.filter(quiz=quiz, employee=p.alice).count() == 2

"""Quizzes with a few sample questions, and a clock the tests move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from kaopei.training.models import Option, Question, Quiz, QuizAttempt
from tests.training.factories import CourseFactory, QuestionFactory, QuizFactory


def quiz_with_questions(
    *, n: int = 4, kind: str = Quiz.Kind.POST, course: Any = None, **quiz: Any
) -> Quiz:
    """A published quiz over ``n`` single-choice questions (option A right)."""
    course = course or CourseFactory()
    questions = [
        QuestionFactory(course=course, code=f"{course.code}-{kind}-Q{i}") for i in range(n)
    ]
    return QuizFactory(course=course, kind=kind, questions=questions, **quiz)


def right_answers(attempt: QuizAttempt) -> dict[int, set[int]]:
    """Every question of the attempt answered right."""
    qids = [int(q) for q, _o in attempt.layout]
    out: dict[int, set[int]] = {q: set() for q in qids}
    for qid, oid in Option.objects.filter(question_id__in=qids, correct=True).values_list(
        "question_id", "pk"
    ):
        out[qid].add(oid)
    return out


def answers_with(attempt: QuizAttempt, right: int) -> dict[int, set[int]]:
    """The first ``right`` questions of the layout right, the rest a wrong option."""
    good = right_answers(attempt)
    out = {}
    for i, (qid, _opts) in enumerate(attempt.layout):
        qid = int(qid)
        if i < right:
            out[qid] = good[qid]
        else:
            wrong = Option.objects.filter(question_id=qid, correct=False).order_by("position")[0]
            out[qid] = {wrong.pk}
    return out


@contextmanager
def clock(at: dt.datetime) -> Iterator[Any]:
    """``django.utils.timezone.now`` fixed at ``at`` (move it with ``.return_value``)."""
    with mock.patch("django.utils.timezone.now", return_value=at) as now:
        yield now


def sample_question(course: Any, code: str, kind: str = Question.Kind.SINGLE) -> Question:
    return QuestionFactory(course=course, code=code, kind=kind)

"""Quizzes: managers (trainers, HR) edit question banks and quizzes; anyone employed reads a
published quiz and starts it; an attempt is its owner's alone (404 to anyone else);
results and the item analysis are for trainers and HR."""

from __future__ import annotations

from typing import Any

from kaopei.training.models import Quiz
from kaopei.training.services.quizzes import attempt_start, attempt_submit
from tests.access import JSON, OK, answer, one
from tests.training.factories import CourseFactory
from tests.training.quizzes_factories import quiz_with_questions

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
MANAGERS_READ = answer(403, trainer=200, hr=200)
ALICE_ONLY = answer(404, alice=200)
CODE = "MX-QZ"


def build(world: Any) -> dict[str, object]:
    course = CourseFactory(code=CODE)
    quiz = quiz_with_questions(course=course, n=2, kind=Quiz.Kind.POST)
    practice = quiz_with_questions(course=course, n=2, kind=Quiz.Kind.PRACTICE)
    attempt_open, _ = attempt_start(quiz=quiz, employee=world.p.alice)
    done, _ = attempt_start(quiz=practice, employee=world.p.alice)
    attempt_submit(attempt=done, employee=world.p.alice, answers={})
    return {
        "quiz": quiz,
        "question": quiz.questions.order_by("code").first(),
        "attempt_open": attempt_open,
        "attempt_done": done,
    }


PAGES = {
    "training:question_bank": one(MANAGERS, post=answer(405), code=CODE),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:question_add": one(MANAGERS, code=CODE),
    "training:question_edit": one(MANAGERS, pk="@question"),
    "training:question_remove": one(MANAGERS, post=MANAGERS_ACT, pk="@question"),
    "training:quiz_create": one(MANAGERS, code=CODE),
    "training:quiz_edit": one(MANAGERS, pk="@quiz"),
    "training:quiz_publish": one(answer(405), post=MANAGERS_ACT, pk="@quiz"),
    "training:quiz_detail": one(OK, post=answer(405), pk="@quiz"),
    # Alice resumes her open attempt; anyone else starts one.
    "training:quiz_start": one(answer(405), post=answer(302), pk="@quiz"),
    # Alice's open attempt: she submits it (nothing chosen: scored 0) and is sent to the result.
    "training:attempt_take": one(ALICE_ONLY, post=answer(404, alice=302), pk="@attempt_open"),
    "training:attempt_result": one(ALICE_ONLY, post=answer(405), pk="@attempt_done"),
    "training:quiz_results": one(MANAGERS_READ, post=answer(405), pk="@quiz"),
    "training:item_analysis": one(MANAGERS_READ, post=answer(405), pk="@quiz"),
}


API = {
    "GET /api/v1/training/quizzes/{quiz_id}": one(answer(200, anon=401), quiz_id="@quiz"),
    "POST /api/v1/training/quizzes/{quiz_id}/attempts": one(
        answer(201, anon=401, alice=200), quiz_id="@quiz"
    ),
    "GET /api/v1/training/attempts/{attempt_id}": one(
        answer(404, anon=401, alice=200), attempt_id="@attempt_open"
    ),
    "POST /api/v1/training/attempts/{attempt_id}/submit": one(
        answer(404, anon=401, alice=200),
        data={JSON: '{"answers": {}}'},
        attempt_id="@attempt_open",
    ),
    "GET /api/v1/training/quizzes/{quiz_id}/results": one(
        answer(403, anon=401, trainer=200, hr=200), quiz_id="@quiz"
    ),
}

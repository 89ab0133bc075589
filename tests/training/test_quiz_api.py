"""The quizzes API: start (201, 200 to resume, 409 beyond the limit), read one's attempt
without the right answers while open, submit (400 late or invalid, nothing stored), results."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kaopei.training.models import AttemptAnswer, QuizAttempt
from tests.conftest import Personas
from tests.training.quizzes_factories import clock, quiz_with_questions, right_answers

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)
API = "/api/v1/training"


def _post(client: object, url: str, body: object = None) -> object:
    return client.post(url, json.dumps(body or {}), content_type="application/json")  # type: ignore[attr-defined]


def test_start_read_and_submit_an_attempt(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2, max_attempts=1)
    client = personas.client(personas.alice)
    info = client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert info["questions"] == 2 and info["status"]["attempts_left"] == 1
    started = _post(client, f"{API}/quizzes/{quiz.pk}/attempts")
    assert started.status_code == 201  # type: ignore[attr-defined]
    body = started.json()  # type: ignore[attr-defined]
    assert body["open"] and all(
        o["correct"] is None for q in body["questions"] for o in q["options"]
    )
    assert _post(client, f"{API}/quizzes/{quiz.pk}/attempts").status_code == 200  # type: ignore[attr-defined]
    attempt = QuizAttempt.objects.get()
    answers = {str(q): sorted(o) for q, o in right_answers(attempt).items()}
    done = _post(client, f"{API}/attempts/{attempt.pk}/submit", {"answers": answers})
    assert done.status_code == 200 and done.json()["score"] == 100  # type: ignore[attr-defined]
    assert done.json()["answers_revealed"]  # type: ignore[attr-defined]
    again = _post(client, f"{API}/attempts/{attempt.pk}/submit", {"answers": answers})
    assert again.status_code == 409  # type: ignore[attr-defined]
    beyond = _post(client, f"{API}/quizzes/{quiz.pk}/attempts")
    assert beyond.status_code == 409  # type: ignore[attr-defined]


def test_invalid_and_late_submissions_are_400_and_store_nothing(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2, time_limit_minutes=5)
    client = personas.client(personas.alice)
    with clock(T0) as now:
        _post(client, f"{API}/quizzes/{quiz.pk}/attempts")
        attempt = QuizAttempt.objects.get()
        bad = _post(client, f"{API}/attempts/{attempt.pk}/submit", {"answers": {"999999": [1]}})
        assert bad.status_code == 400 and bad.json()["detail"]  # type: ignore[attr-defined]
        now.return_value = T0 + dt.timedelta(minutes=6)
        answers = {str(q): sorted(o) for q, o in right_answers(attempt).items()}
        late = _post(client, f"{API}/attempts/{attempt.pk}/submit", {"answers": answers})
    assert late.status_code == 400  # type: ignore[attr-defined]
    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.score is None and attempt.submitted_at is not None


def test_results_are_for_trainers_and_hr(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    _post(personas.client(personas.alice), f"{API}/quizzes/{quiz.pk}/attempts")
    assert (
        personas.client(personas.alice).get(f"{API}/quizzes/{quiz.pk}/results").status_code == 403
    )
    results = personas.client(personas.hr).get(f"{API}/quizzes/{quiz.pk}/results").json()
    assert results["attempts"] == 1 and results["rows"][0]["employee_no"] == "A001"

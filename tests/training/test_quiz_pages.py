"""The quizzes pages: a learner starts, takes and submits a quiz and sees the result;
managers create a quiz (one post-test per course) and read results and exports; the
course page's quizzes panel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kaopei.training.models import Quiz, QuizAttempt
from kaopei.training.panels import course_panels
from tests.conftest import Personas
from tests.training.quizzes_factories import clock, quiz_with_questions, right_answers

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)


def test_a_learner_starts_takes_and_submits_a_quiz(personas: Personas) -> None:
    quiz = quiz_with_questions(n=3, time_limit_minutes=10, max_attempts=2)
    client = personas.client(personas.alice)
    detail = client.get(f"/training/quizzes/{quiz.pk}/")
    assert b'data-used="0"' in detail.content and b'data-left="2"' in detail.content
    started = client.post(f"/training/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    assert started.status_code == 302 and started.url == f"/training/attempts/{attempt.pk}/"
    page = client.get(started.url)
    assert page.status_code == 200 and page.content.count(b"data-question=") == 3
    assert b"data-remaining=" in page.content
    answers = right_answers(attempt)
    data = {f"q{qid}": [str(o) for o in opts] for qid, opts in answers.items()}
    done = client.post(started.url, data)
    assert done.status_code == 302 and done.url == f"/training/attempts/{attempt.pk}/result/"
    result = client.get(done.url)
    assert b'data-score="100.00"' in result.content and b'data-passed="1"' in result.content
    assert b"data-right-answer" in result.content  # passed: the answers show
    assert personas.client(personas.bob).get(done.url).status_code == 404


def test_a_late_submission_on_the_page_stores_no_answer(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2, time_limit_minutes=5)
    client = personas.client(personas.alice)
    with clock(T0) as now:
        client.post(f"/training/quizzes/{quiz.pk}/start/")
        attempt = QuizAttempt.objects.get()
        now.return_value = T0 + dt.timedelta(minutes=6)
        data = {f"q{q}": [str(o) for o in opts] for q, opts in right_answers(attempt).items()}
        late = client.post(f"/training/attempts/{attempt.pk}/", data)
    assert late.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score is None and not attempt.answers.exists()


def test_a_wrong_first_attempt_hides_the_answers_until_the_last(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2, max_attempts=2)
    client = personas.client(personas.alice)
    client.post(f"/training/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    client.post(f"/training/attempts/{attempt.pk}/", {})
    result = client.get(f"/training/attempts/{attempt.pk}/result/")
    assert b'data-revealed="0"' in result.content and b"data-right-answer" not in result.content


def test_a_manager_creates_a_quiz_and_a_second_post_test_is_refused(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    client = personas.client(personas.trainer)
    url = f"/training/courses/{quiz.course.code}/quizzes/add/"
    form = {
        "kind": "post",
        "title": "后测",
        "pass_mark": "70",
        "max_attempts": "2",
        "questions": [str(q.pk) for q in quiz.questions.all()],
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and Quiz.objects.count() == 1
    made = client.post(url, {**form, "kind": "practice"})
    assert made.status_code == 302 and Quiz.objects.filter(kind="practice").count() == 1


def test_results_page_and_exports_for_trainers(personas: Personas) -> None:
    quiz = quiz_with_questions(n=2)
    client = personas.client(personas.alice)
    client.post(f"/training/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    client.post(f"/training/attempts/{attempt.pk}/", {})
    trainer = personas.client(personas.trainer)
    page = trainer.get(f"/training/quizzes/{quiz.pk}/results/")
    assert page.status_code == 200 and b'data-pass-rate="0.00"' in page.content
    csv = trainer.get(f"/training/quizzes/{quiz.pk}/results/", {"export": "csv"})
    assert "A001" in csv.content.decode("utf-8-sig")
    xlsx = trainer.get(f"/training/quizzes/{quiz.pk}/results/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "A001" and rows[1][3] == 0
    items = trainer.get(f"/training/quizzes/{quiz.pk}/items/")
    assert items.status_code == 200 and items.content.count(b'data-difficulty="0.00"') == 2


def test_the_course_page_panel_shows_the_readers_status(personas: Personas, rf: object) -> None:
    quiz = quiz_with_questions(n=2, kind=Quiz.Kind.PRE)
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = personas.alice.user
    panels = dict(course_panels(request, quiz.course))
    panel = panels["training/quizzes/panel.html"]["rows"]
    assert [r["quiz"].pk for r in panel] == [quiz.pk] and panel[0]["status"].state == "new"

"""Training API: quizzes and attempts, with the visibility of the pages: anyone employed
reads a published quiz and starts and submits their own attempts; trainers and HR read
the results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS
from kaopei.training.selectors import quizzes as sel
from kaopei.training.services import quizzes as services

router = Router(tags=["training"])


class StatusOut(Schema):
    attempts_used: int
    attempts_left: int
    best_score: float | None
    passed: bool
    open_attempt_id: int | None


class QuizOut(Schema):
    id: int
    course: str
    kind: str
    title: str
    published: bool
    pass_mark: int
    max_attempts: int
    time_limit_minutes: int | None
    questions: int
    status: StatusOut | None


class OptionOut(Schema):
    id: int
    text: str
    correct: bool | None = Field(None, description="Shown once the answers are revealed.")


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    options: list[OptionOut]
    chosen: list[int] = []
    answered_right: bool | None = None
    explanation: str | None = None


class AttemptOut(Schema):
    id: int
    quiz_id: int
    number: int
    started_at: datetime
    deadline_at: datetime | None
    submitted_at: datetime | None
    open: bool
    score: float | None
    passed: bool | None
    answers_revealed: bool
    questions: list[QuestionOut]


class SubmitIn(Schema):
    answers: dict[str, list[int]] = Field(
        description="Question id → the ids of the options chosen (unanswered: leave out)."
    )


class ResultRowOut(Schema):
    attempt_id: int
    employee_no: str
    name: str
    number: int
    score: float | None
    passed: bool | None
    submitted_at: datetime | None


class ResultsOut(Schema):
    people: int
    attempts: int
    pass_rate: float | None
    mean_best_score: float | None
    rows: list[ResultRowOut]


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _quiz_out(request: HttpRequest, quiz: Any) -> QuizOut:
    employee = sel.reader_employee(request.user)
    status = None
    if employee is not None:
        s = sel.learner_status(quiz=quiz, employee=employee)
        status = StatusOut(
            attempts_used=s.used,
            attempts_left=s.left,
            best_score=_f(s.best),
            passed=s.passed,
            open_attempt_id=s.open_attempt.pk if s.open_attempt else None,
        )
    active = sel.quiz_overview(quiz=quiz)["active_questions"]
    return QuizOut(
        id=quiz.pk,
        course=quiz.course.code,
        kind=quiz.kind,
        title=quiz.local_title,
        published=quiz.published,
        pass_mark=quiz.pass_mark,
        max_attempts=quiz.max_attempts,
        time_limit_minutes=quiz.time_limit_minutes,
        questions=min(quiz.question_count or active, active),
        status=status,
    )


def _attempt_out(attempt: Any) -> AttemptOut:
    is_open = services.attempt_is_open(attempt)
    revealed = not is_open and sel.answers_revealed(attempt=attempt)
    questions = []
    for item in sel.attempt_questions(attempt=attempt):
        q = item["question"]
        questions.append(
            QuestionOut(
                id=q.pk,
                kind=q.kind,
                text=q.local_text,
                options=[
                    OptionOut(
                        id=o["option"].pk,
                        text=o["option"].local_text,
                        correct=o["option"].correct if revealed else None,
                    )
                    for o in item["options"]
                ],
                chosen=[o["option"].pk for o in item["options"] if o["chosen"]],
                answered_right=None if is_open else item["correct"],
                explanation=q.local_explanation if revealed else None,
            )
        )
    return AttemptOut(
        id=attempt.pk,
        quiz_id=attempt.quiz_id,
        number=attempt.number,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        submitted_at=attempt.submitted_at,
        open=is_open,
        score=_f(attempt.score),
        passed=attempt.passed,
        answers_revealed=revealed,
        questions=questions,
    )


@router.get("/training/quizzes/{quiz_id}", response={200: QuizOut, **ERRORS})
def quiz_get(request: HttpRequest, quiz_id: int) -> Any:
    """A quiz and, for the caller, attempts used and left, best score and open attempt."""
    return _quiz_out(request, sel.quiz_for_reader(user=request.user, pk=quiz_id))


@router.post(
    "/training/quizzes/{quiz_id}/attempts", response={200: AttemptOut, 201: AttemptOut, **ERRORS}
)
def attempt_start(request: HttpRequest, quiz_id: int) -> Any:
    """Start an attempt (201), or get the one still open (200); 409 when every allowed
    attempt is used."""
    quiz = sel.quiz_for_reader(user=request.user, pk=quiz_id)
    employee = sel.reader_employee(request.user)
    if employee is None:
        raise PermissionDenied
    attempt, resumed = services.attempt_start(quiz=quiz, employee=employee)
    return Status(200 if resumed else 201, _attempt_out(attempt))


@router.get("/training/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS})
def attempt_get(request: HttpRequest, attempt_id: int) -> Any:
    """One's own attempt: its questions in order (no right answers while open)."""
    return _attempt_out(sel.attempt_for_owner(user=request.user, pk=attempt_id))


@router.post("/training/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS})
def attempt_submit(request: HttpRequest, attempt_id: int, payload: SubmitIn) -> Any:
    """Submit the answers; 400 when late (the attempt closes unscored) or when an answer
    names a question not in the attempt or an option not of its question; 409 when
    already submitted."""
    attempt = sel.attempt_for_owner(user=request.user, pk=attempt_id)
    answers = services.parse_answers(payload.answers)
    services.attempt_submit(attempt=attempt, employee=attempt.employee, answers=answers)
    attempt.refresh_from_db()
    return _attempt_out(attempt)


@router.get("/training/quizzes/{quiz_id}/results", response={200: ResultsOut, **ERRORS})
def quiz_results(request: HttpRequest, quiz_id: int) -> Any:
    """Every attempt at the quiz, the pass rate and the mean best score (trainers, HR)."""
    quiz = sel.quiz_for_results(user=request.user, pk=quiz_id)
    summary = sel.results_summary(quiz=quiz)
    return ResultsOut(
        people=summary.people,
        attempts=summary.attempts,
        pass_rate=_f(summary.pass_rate),
        mean_best_score=_f(summary.mean_best),
        rows=[
            ResultRowOut(
                attempt_id=a.pk,
                employee_no=a.employee.employee_no,
                name=a.employee.name,
                number=a.number,
                score=_f(a.score),
                passed=a.passed,
                submitted_at=a.submitted_at,
            )
            for a in sel.results_rows(quiz=quiz)
        ],
    )

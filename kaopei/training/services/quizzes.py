"""Quizzes: the question bank, quizzes, and taking them (DESIGN.md §3 training, §8 L2).

Every function is keyword-only, atomic, and refuses bad input with an ``ApplicationError``
whose message says what is wrong, having written nothing. The rules of drawing, shuffling
and grading live in the pure ``kaopei.training.grading``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Competency, Employee
from kaopei.training import grading
from kaopei.training.models import (
    AttemptAnswer,
    Course,
    Enrolment,
    Option,
    Question,
    Quiz,
    QuizAttempt,
)

# A submission arriving this long after the deadline still counts (network, a slow click).
GRACE = timedelta(seconds=30)
TRUE_FALSE = (("正确", "True"), ("错误", "False"))


def _audit(obj: Any, user: Any, reason: str) -> None:
    obj._history_user = user if getattr(user, "pk", None) else None
    obj._change_reason = reason


# --- The question bank ---------------------------------------------------------------------


@dataclass(frozen=True)
class OptionData:
    text: str
    text_en: str
    correct: bool


def _check_options(kind: str, options: list[OptionData]) -> None:
    correct = sum(1 for o in options if o.correct)
    if any(not o.text.strip() for o in options):
        raise ApplicationError(_("Every option needs its text."))
    if correct == 0:
        raise ApplicationError(_("Mark the correct option: a question needs one."))
    if kind == Question.Kind.SINGLE:
        if len(options) < 2:
            raise ApplicationError(_("A single-choice question needs at least two options."))
        if correct != 1:
            raise ApplicationError(_("A single-choice question has exactly one correct option."))
    elif kind == Question.Kind.MULTIPLE:
        if len(options) < 2:
            raise ApplicationError(_("A multiple-choice question needs at least two options."))
    elif kind == Question.Kind.TRUE_FALSE:
        if len(options) != 2 or correct != 1:
            raise ApplicationError(
                _("A true/false question has the two options True and False, one of them correct.")
            )
    else:
        raise ApplicationError(_("Choose the kind of question."))


@transaction.atomic
def question_save(
    *,
    course: Course,
    question: Question | None,
    code: str,
    kind: str,
    text: str,
    text_en: str = "",
    explanation: str = "",
    explanation_en: str = "",
    competency: Competency | None = None,
    options: list[OptionData],
    user: Any = None,
) -> Question:
    """Add (``question`` None) or change a question with its options. A true/false
    question's options are always 正确/错误 (True/False), in that order."""
    code = code.strip()
    if not code or not text.strip():
        raise ApplicationError(_("A question needs a code and its text."))
    if kind == Question.Kind.TRUE_FALSE and len(options) == 2:
        options = [
            OptionData(text=zh, text_en=en, correct=o.correct)
            for (zh, en), o in zip(TRUE_FALSE, options, strict=True)
        ]
    _check_options(kind, options)
    taken = Question.objects.filter(course=course, code=code)
    if question is not None:
        taken = taken.exclude(pk=question.pk)
        if _options_changed(question, options):
            if question.answers.exists():
                raise ApplicationError(
                    _("This question already has answers: its options cannot change any more.")
                )
            if _in_open_attempts(question):
                raise ApplicationError(
                    _(
                        "Someone is taking a quiz with this question right now: change its "
                        "options once they have submitted."
                    )
                )
    if taken.exists():
        raise ApplicationError(_("The course already has a question with this code."))
    q = question or Question(course=course)
    q.code, q.kind, q.text, q.text_en = code, kind, text.strip(), text_en.strip()
    q.explanation, q.explanation_en = explanation.strip(), explanation_en.strip()
    q.competency = competency
    _audit(q, user, "question saved")
    q.save()
    if question is None or _options_changed(q, options):
        q.options.all().delete()
        Option.objects.bulk_create(
            Option(
                question=q,
                position=i,
                text=o.text.strip(),
                text_en=o.text_en.strip(),
                correct=o.correct,
            )
            for i, o in enumerate(options, start=1)
        )
    return q


def _in_open_attempts(question: Question) -> bool:
    """Whether an attempt not yet submitted, of a quiz that draws this question, may hold
    it in its layout (the layout was fixed when the attempt started)."""
    return QuizAttempt.objects.filter(quiz__questions=question, submitted_at__isnull=True).exists()


def _options_changed(question: Question, options: list[OptionData]) -> bool:
    now = [(o.text.strip(), o.text_en.strip(), o.correct) for o in options]
    before = list(question.options.order_by("position").values_list("text", "text_en", "correct"))
    return now != before


@transaction.atomic
def question_remove(*, question: Question, user: Any = None) -> bool:
    """Delete a question nobody answered; deactivate one with answers (they stay for the
    results) or in an attempt still open (its layout names it). True when it was deleted."""
    if question.answers.exists() or _in_open_attempts(question):
        question.active = False
        _audit(question, user, "question deactivated")
        question.save(update_fields=["active", "updated_at"])
        return False
    question.quizzes.clear()
    question.delete()
    return True


@transaction.atomic
def question_set_active(*, question: Question, active: bool, user: Any = None) -> Question:
    question.active = active
    _audit(question, user, "question activated" if active else "question deactivated")
    question.save(update_fields=["active", "updated_at"])
    return question


# --- Quizzes -------------------------------------------------------------------------------


@transaction.atomic
def quiz_save(
    *,
    course: Course,
    quiz: Quiz | None,
    kind: str,
    title: str,
    title_en: str = "",
    pass_mark: int,
    max_attempts: int,
    time_limit_minutes: int | None,
    question_count: int | None,
    shuffle_questions: bool,
    shuffle_options: bool,
    questions: list[Question],
    user: Any = None,
) -> Quiz:
    """Create or change a quiz of ``course``: one pre-test and one post-test per course."""
    if kind not in Quiz.Kind.values:
        raise ApplicationError(_("Choose the kind of quiz."))
    if not title.strip():
        raise ApplicationError(_("A quiz needs a title."))
    if not 0 <= pass_mark <= 100:
        raise ApplicationError(_("The pass mark is between 0 and 100."))
    if max_attempts < 1:
        raise ApplicationError(_("Allow at least one attempt."))
    if time_limit_minutes is not None and time_limit_minutes < 1:
        raise ApplicationError(_("The time limit is at least one minute (or none)."))
    if question_count is not None and question_count < 1:
        raise ApplicationError(_("Draw at least one question (or leave it empty for all)."))
    if any(q.course_id != course.pk for q in questions):
        raise ApplicationError(_("A quiz uses questions of its own course only."))
    if kind in (Quiz.Kind.PRE, Quiz.Kind.POST):
        others = Quiz.objects.select_for_update().filter(course=course, kind=kind)
        if quiz is not None:
            others = others.exclude(pk=quiz.pk)
        if others.exists():
            raise ApplicationError(
                _("This course already has a pre-test.")
                if kind == Quiz.Kind.PRE
                else _("This course already has a post-test.")
            )
    if quiz is not None and quiz.kind != kind and quiz.attempts.exists():
        raise ApplicationError(_("People have taken this quiz: its kind cannot change."))
    q = quiz or Quiz(course=course)
    q.kind, q.title, q.title_en = kind, title.strip(), title_en.strip()
    q.pass_mark, q.max_attempts = pass_mark, max_attempts
    q.time_limit_minutes, q.question_count = time_limit_minutes, question_count
    q.shuffle_questions, q.shuffle_options = shuffle_questions, shuffle_options
    _audit(q, user, "quiz saved")
    try:
        with transaction.atomic():
            q.save()
    except IntegrityError:
        raise ApplicationError(_("This course already has a quiz of this kind.")) from None
    q.questions.set(questions)
    if q.published:
        _check_publishable(q)
    return q


def _check_publishable(quiz: Quiz) -> None:
    pool = list(quiz.questions.filter(active=True).prefetch_related("options"))
    if not pool:
        raise ApplicationError(_("A published quiz needs at least one active question."))
    missing = [q.code for q in pool if not any(o.correct for o in q.options.all())]
    if missing:
        raise ApplicationError(
            _("These questions have no correct option: %(codes)s.") % {"codes": ", ".join(missing)}
        )


@transaction.atomic
def quiz_publish(*, quiz: Quiz, published: bool, user: Any = None) -> Quiz:
    """Publish (people may take it) or withdraw a quiz."""
    if published:
        _check_publishable(quiz)
    quiz.published = published
    _audit(quiz, user, "quiz published" if published else "quiz withdrawn")
    quiz.save(update_fields=["published", "updated_at"])
    return quiz


# --- Taking a quiz -------------------------------------------------------------------------


def attempt_is_open(attempt: QuizAttempt, now: Any = None) -> bool:
    """Not submitted, and its deadline (with the grace) not past."""
    now = now or timezone.now()
    if attempt.submitted_at is not None:
        return False
    return attempt.deadline_at is None or now <= attempt.deadline_at + GRACE


def _seed(quiz_id: int, employee_id: int, number: int) -> int:
    raw = f"{settings.SECRET_KEY}:{quiz_id}:{employee_id}:{number}".encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big")


@transaction.atomic
def attempt_start(*, quiz: Quiz, employee: Employee) -> tuple[QuizAttempt, bool]:
    """Start an attempt, or hand back the one still open (``True`` then: resumed).
    Refused (409) once every allowed attempt is used."""
    if not quiz.published:
        raise ApplicationError(_("This quiz is not open."), status=404)
    # One start at a time per person: two tabs never make two attempts.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    now = timezone.now()
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, employee=employee).order_by("number"))
    for a in attempts:
        if a.submitted_at is None and attempt_is_open(a, now):
            return a, True
    # An attempt left past its time closes unscored.
    expired = [a.pk for a in attempts if a.submitted_at is None]
    if expired:
        QuizAttempt.objects.filter(pk__in=expired).update(submitted_at=now)
    if len(attempts) >= quiz.max_attempts:
        raise ConflictError(_("You have used every attempt at this quiz."))
    pool = {
        q.pk: [o.pk for o in q.options.all()]
        for q in quiz.questions.filter(active=True).prefetch_related("options")
    }
    if not pool:
        raise ApplicationError(_("This quiz has no questions yet."))
    number = len(attempts) + 1
    layout = grading.attempt_layout(
        questions=pool,
        seed=_seed(quiz.pk, employee.pk, number),
        draw=quiz.question_count,
        shuffle_questions=quiz.shuffle_questions,
        shuffle_options=quiz.shuffle_options,
    )
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = QuizAttempt.objects.create(
        quiz=quiz,
        employee=employee,
        number=number,
        started_at=now,
        deadline_at=deadline,
        layout=layout,
    )
    return attempt, False


class TimeIsUp(ApplicationError):
    """Submitted after the deadline and its grace: the attempt closed unscored."""


def parse_answers(raw: Any) -> dict[int, set[int]]:
    """``{question_id: [option ids]}`` (keys may be text) as ints; refuses anything else."""
    if not isinstance(raw, dict):
        raise ApplicationError(_("The answers are not readable."))
    out: dict[int, set[int]] = {}
    try:
        for key, value in raw.items():
            ids = value if isinstance(value, list) else [value]
            if any(isinstance(v, bool) for v in ids):
                raise ValueError
            out[int(key)] = {int(v) for v in ids}
    except (TypeError, ValueError):
        raise ApplicationError(_("The answers are not readable.")) from None
    return out


def attempt_submit(
    *, attempt: QuizAttempt, employee: Employee, answers: dict[int, set[int]]
) -> QuizAttempt:
    """Grade and store the answers. Refused when not the owner's, already submitted, late
    (then the attempt closes unscored and no answer is kept) or naming a question not in
    the layout or an option not of its question (nothing stored)."""
    late = False
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.employee_id != employee.pk:
            raise PermissionDenied
        if locked.submitted_at is not None:
            raise ConflictError(_("This attempt has already been submitted."))
        now = timezone.now()
        if locked.deadline_at is not None and now > locked.deadline_at + GRACE:
            locked.submitted_at = now
            locked.save(update_fields=["submitted_at", "updated_at"])
            late = True
        else:
            _grade_and_store(locked, answers, now)
    if late:
        raise TimeIsUp(_("Time is up: the attempt closed without a score."))
    attempt.refresh_from_db()
    return attempt


def _grade_and_store(attempt: QuizAttempt, answers: dict[int, set[int]], now: Any) -> None:
    layout = {int(qid): {int(o) for o in opts} for qid, opts in attempt.layout}
    for qid, chosen in answers.items():
        if qid not in layout:
            raise ApplicationError(_("An answer names a question that is not in this attempt."))
        if not chosen <= layout[qid]:
            raise ApplicationError(_("An answer names an option that is not of its question."))
    correct_options: dict[int, set[int]] = {qid: set() for qid in layout}
    for qid, oid in Option.objects.filter(question_id__in=layout, correct=True).values_list(
        "question_id", "pk"
    ):
        correct_options[qid].add(oid)
    quiz = attempt.quiz
    graded = grading.grade(
        question_ids=list(layout),
        correct_options=correct_options,
        answers=answers,
        pass_mark=quiz.pass_mark,
    )
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(
            attempt=attempt,
            question_id=qid,
            chosen=sorted(answers.get(qid, set())),
            correct=graded.correct[qid],
        )
        for qid in layout
    )
    attempt.submitted_at = now
    attempt.score = graded.score
    attempt.passed = graded.passed
    attempt.save(update_fields=["submitted_at", "score", "passed", "updated_at"])
    _record_on_enrolment(attempt, now)


def _record_on_enrolment(attempt: QuizAttempt, now: Any) -> None:
    """The cross-area contract: a pre-test's first score → ``pre_score``, a post-test's
    best so far → ``post_score`` on the person's Kaopei enrolment in the course."""
    quiz = attempt.quiz
    if quiz.kind not in (Quiz.Kind.PRE, Quiz.Kind.POST):
        return
    on = timezone.localdate(now)
    mine = Enrolment.objects.filter(
        course_id=quiz.course_id, employee_id=attempt.employee_id, source=Enrolment.Source.KAOPEI
    ).exclude(status=Enrolment.Status.CANCELLED)
    scored = QuizAttempt.objects.filter(
        quiz=quiz, employee_id=attempt.employee_id, score__isnull=False
    )
    if quiz.kind == Quiz.Kind.POST:
        target = mine.filter(session_on__lte=on).order_by("-session_on").first()
        if target is not None:
            target.post_score = scored.aggregate(best=Max("score"))["best"]
            target._change_reason = "post-test scored"  # type: ignore[attr-defined]
            target.save(update_fields=["post_score", "updated_at"])
        return
    if scored.exclude(pk=attempt.pk).exists():
        return  # only the first scored pre-test attempt counts
    target = (
        mine.filter(session_on__gte=on).order_by("session_on").first()
        or mine.filter(session_on__lt=on).order_by("-session_on").first()
    )
    if target is not None:
        target.pre_score = attempt.score
        target._change_reason = "pre-test scored"  # type: ignore[attr-defined]
        target.save(update_fields=["pre_score", "updated_at"])

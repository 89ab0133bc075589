"""Reading quizzes: who may see which quiz, attempt and results; a learner's status; the
results list and the item analysis (one grouped query, not one per question)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user
from kaopei.training import grading
from kaopei.training.models import AttemptAnswer, Course, Option, Question, Quiz, QuizAttempt
from kaopei.training.rules import can_manage_catalogue, can_see_quiz_results, can_take_quizzes
from kaopei.training.services.quizzes import attempt_is_open

# The share of attempts in each of the upper and lower groups of the discrimination index.
GROUP_SHARE = Decimal("0.27")


def course_for_bank(*, user: Any, code: str) -> Course:
    if not can_manage_catalogue(user):
        raise PermissionDenied
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404
    return course


def question_for_manager(*, user: Any, pk: int) -> Question:
    if not can_manage_catalogue(user):
        raise PermissionDenied
    question = Question.objects.select_related("course").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def question_list(
    *,
    course: Course,
    q: str = "",
    kind: str = "",
    competency_id: int | None = None,
    active: str = "",
) -> QuerySet[Question]:
    rows = (
        Question.objects.filter(course=course)
        .select_related("competency")
        .annotate(answer_count=Count("answers"), option_count=Count("options", distinct=True))
        .order_by("code")
    )
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(text__icontains=q) | Q(text_en__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if competency_id:
        rows = rows.filter(competency_id=competency_id)
    if active in ("1", "0"):
        rows = rows.filter(active=active == "1")
    return rows


def reader_employee(user: Any) -> Employee | None:
    return employee_for_user(user) if getattr(user, "is_authenticated", False) else None


def quiz_for_reader(*, user: Any, pk: int) -> Quiz:
    """A published quiz for anyone who takes quizzes; unpublished ones for managers only."""
    if not can_take_quizzes(user) and not can_manage_catalogue(user):
        raise PermissionDenied
    quiz = Quiz.objects.select_related("course").filter(pk=pk).first()
    if quiz is None or (not quiz.published and not can_manage_catalogue(user)):
        raise Http404
    return quiz


def quiz_for_manager(*, user: Any, pk: int) -> Quiz:
    if not can_manage_catalogue(user):
        raise PermissionDenied
    quiz = Quiz.objects.select_related("course").filter(pk=pk).first()
    if quiz is None:
        raise Http404
    return quiz


def quiz_for_results(*, user: Any, pk: int) -> Quiz:
    if not can_see_quiz_results(user):
        raise PermissionDenied
    quiz = Quiz.objects.select_related("course").filter(pk=pk).first()
    if quiz is None:
        raise Http404
    return quiz


def attempt_for_owner(*, user: Any, pk: int) -> QuizAttempt:
    """One's own attempt; anyone else's is a 404 (attempts are private)."""
    employee = reader_employee(user)
    attempt = (
        QuizAttempt.objects.select_related("quiz", "quiz__course").filter(pk=pk).first()
        if employee is not None
        else None
    )
    if attempt is None or attempt.employee_id != employee.pk:  # type: ignore[union-attr]
        raise Http404
    return attempt


@dataclass
class LearnerStatus:
    used: int = 0
    left: int = 0
    best: Decimal | None = None
    passed: bool = False
    open_attempt: QuizAttempt | None = None
    last_attempt: QuizAttempt | None = None
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.open_attempt is not None:
            return "open"
        if self.passed:
            return "passed"
        if self.used and not self.left:
            return "done"
        if self.used:
            return "tried"
        return "new"


def learner_status(*, quiz: Quiz, employee: Employee | None) -> LearnerStatus:
    if employee is None:
        return LearnerStatus(left=quiz.max_attempts)
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, employee=employee).order_by("number"))
    scores = [a.score for a in attempts if a.score is not None]
    open_attempt = next((a for a in attempts if attempt_is_open(a)), None)
    return LearnerStatus(
        used=len(attempts),
        left=max(0, quiz.max_attempts - len(attempts)),
        best=grading.best_of(scores),
        passed=any(a.passed for a in attempts),
        open_attempt=open_attempt,
        last_attempt=attempts[-1] if attempts else None,
        attempts=attempts,
    )


def _finished(quiz: Quiz, employee_id: int) -> bool:
    """The person passed ``quiz`` or used every attempt (none left open)."""
    mine = QuizAttempt.objects.filter(quiz=quiz, employee_id=employee_id)
    if mine.filter(passed=True).exists():
        return True
    return mine.count() >= quiz.max_attempts and not mine.filter(submitted_at__isnull=True).exists()


def answers_revealed(*, attempt: QuizAttempt) -> bool:
    """Right answers and explanations show once the person passed or used every attempt —
    and, for any other quiz of a course with a published post-test, only once the post-test
    is finished too (quizzes share the course's bank: a pre-test's answers would otherwise
    give away the post-test's)."""
    quiz = attempt.quiz
    if not _finished(quiz, attempt.employee_id):
        return False
    if quiz.kind == Quiz.Kind.POST:
        return True
    post = Quiz.objects.filter(
        course_id=quiz.course_id, kind=Quiz.Kind.POST, published=True
    ).first()
    return post is None or _finished(post, attempt.employee_id)


def attempt_questions(*, attempt: QuizAttempt) -> list[dict[str, Any]]:
    """The attempt's questions in layout order, each with its options in layout order
    and, once submitted, what was chosen and whether it was right."""
    qids = [int(qid) for qid, _opts in attempt.layout]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=qids)}
    options = {o.pk: o for o in Option.objects.filter(question_id__in=qids)}
    answers = {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
    out = []
    for n, (qid, opts) in enumerate(attempt.layout, start=1):
        q = questions.get(int(qid))
        if q is None:
            continue
        answer = answers.get(q.pk)
        chosen = set(answer.chosen) if answer else set()
        out.append(
            {
                "number": n,
                "question": q,
                "options": [
                    {"option": options[o], "chosen": o in chosen} for o in opts if o in options
                ],
                "answered": answer is not None and bool(answer.chosen),
                "correct": answer.correct if answer else None,
            }
        )
    return out


# --- Results for trainers and HR -----------------------------------------------------------


def results_rows(
    *, quiz: Quiz, q: str = "", passed: str = "", scored: str = ""
) -> QuerySet[QuizAttempt]:
    rows = (
        QuizAttempt.objects.filter(quiz=quiz)
        .select_related("employee", "employee__org_unit")
        .order_by("employee__employee_no", "number")
    )
    if q:
        rows = rows.filter(Q(employee__name__icontains=q) | Q(employee__employee_no__icontains=q))
    if passed in ("1", "0"):
        rows = rows.filter(passed=passed == "1")
    if scored == "1":
        rows = rows.filter(score__isnull=False)
    elif scored == "0":
        rows = rows.filter(score__isnull=True)
    return rows


@dataclass(frozen=True)
class ResultsSummary:
    people: int
    attempts: int
    pass_rate: Decimal | None  # % of the people who took it that passed
    mean_best: Decimal | None


def results_summary(*, quiz: Quiz) -> ResultsSummary:
    best = list(
        QuizAttempt.objects.filter(quiz=quiz, score__isnull=False)
        .values("employee_id")
        .annotate(best=Max("score"), passed=Count("pk", filter=Q(passed=True)))
    )
    attempts = QuizAttempt.objects.filter(quiz=quiz).count()
    people = len(best)
    if not people:
        return ResultsSummary(0, attempts, None, None)
    passed = sum(1 for b in best if b["passed"])
    return ResultsSummary(
        people=people,
        attempts=attempts,
        pass_rate=grading.round_score(Decimal(passed) * 100 / people),
        mean_best=grading.round_score(grading.mean([b["best"] for b in best])),
    )


@dataclass
class ItemRow:
    question: Question
    attempts: int
    answered: int
    correct: int
    difficulty: Decimal | None  # % correct
    discrimination: Decimal | None  # upper-group minus lower-group share correct (−1…1)
    top_wrong: Option | None
    top_wrong_count: int


def item_analysis(*, quiz: Quiz) -> list[ItemRow]:
    """Per question of the quiz's scored attempts: how many met it, % correct, the
    discrimination index (share correct among the best 27 % of attempts by score minus
    among the worst 27 %) and the wrong option chosen most; most-missed first."""
    rows = list(
        AttemptAnswer.objects.filter(attempt__quiz=quiz, attempt__score__isnull=False).values_list(
            "question_id", "attempt_id", "attempt__score", "chosen", "correct"
        )
    )
    scores = {aid: score for _q, aid, score, _c, _ok in rows}
    ranked = sorted(scores, key=lambda aid: (scores[aid], aid))
    n = len(ranked)
    size = int((GROUP_SHARE * n).to_integral_value()) if n else 0
    size = max(1, size) if n >= 2 else 0
    lower, upper = set(ranked[:size]), set(ranked[n - size :]) if size else set()
    per: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"n": 0, "answered": 0, "ok": 0, "up": [0, 0], "low": [0, 0], "wrong": Counter()}
    )
    for qid, aid, _score, chosen, ok in rows:
        s = per[qid]
        s["n"] += 1
        s["answered"] += 1 if chosen else 0
        s["ok"] += 1 if ok else 0
        for group, key in ((upper, "up"), (lower, "low")):
            if aid in group:
                s[key][0] += 1 if ok else 0
                s[key][1] += 1
        if not ok:
            s["wrong"].update(chosen)
    wrong_ids: set[int] = set()
    for stats in per.values():
        wrong_ids.update(stats["wrong"])
    options = Option.objects.filter(pk__in=wrong_ids, correct=False).in_bulk()
    out = []
    for question in quiz.questions.all().order_by("code"):
        found = per.get(question.pk)
        if found is None:
            out.append(ItemRow(question, 0, 0, 0, None, None, None, 0))
            continue
        s = found
        top = [(c, oid) for oid, c in s["wrong"].items() if oid in options]
        top_count, top_id = max(top, key=lambda t: (t[0], -t[1])) if top else (0, None)
        disc = None
        if s["up"][1] and s["low"][1]:
            disc = (Decimal(s["up"][0]) / s["up"][1] - Decimal(s["low"][0]) / s["low"][1]).quantize(
                grading.CENT
            )
        out.append(
            ItemRow(
                question=question,
                attempts=s["n"],
                answered=s["answered"],
                correct=s["ok"],
                difficulty=grading.round_score(Decimal(s["ok"]) * 100 / s["n"]),
                discrimination=disc,
                top_wrong=options.get(top_id) if top_id else None,
                top_wrong_count=top_count,
            )
        )
    out.sort(key=lambda r: (r.difficulty is None, r.difficulty or 0, r.question.code))
    return out


def course_quizzes(*, course: Course, user: Any) -> list[Quiz]:
    quizzes = Quiz.objects.filter(course=course).order_by("kind", "pk")
    if not can_manage_catalogue(user):
        quizzes = quizzes.filter(published=True)
    return list(quizzes)


def quiz_overview(*, quiz: Quiz) -> dict[str, Any]:
    agg = quiz.questions.aggregate(active=Count("pk", filter=Q(active=True)), total=Count("pk"))
    return {"active_questions": agg["active"], "total_questions": agg["total"]}

"""Demo data of the quizzes area: a published pre-test and post-test for every course
whose question bank has active questions (the banks are the questions area's, order 27),
and attempts for the current quarter's Kaopei enrolments of held sessions — the pre-test a
few days before the session, the post-test after it, post-test scores mostly higher, some
first attempts failed and retaken. The account-manager persona keeps the AML-101 pre-test
and post-test untaken for the demo journey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.periods import QUARTERLY, period_containing
from kaopei.training import grading
from kaopei.training.models import (
    AttemptAnswer,
    Course,
    Enrolment,
    Option,
    Quiz,
    QuizAttempt,
    Session,
)
from kaopei.training.services.quizzes import _seed

JOURNEY_COURSE = "AML-101"
MAX_DRAWN = 10


def _quiz(ctx: DemoContext, course: Course, kind: str, question_ids: list[int]) -> Quiz:
    rng = ctx.rng
    zh, en = ("课前测验", "Pre-test") if kind == Quiz.Kind.PRE else ("课后测验", "Post-test")
    quiz, _ = Quiz.objects.get_or_create(
        course=course,
        kind=kind,
        defaults={
            "title": f"{course.title} · {zh}",
            "title_en": f"{course.title_en or course.code} · {en}",
            "pass_mark": rng.choice((60, 70, 75, 80)),
            "max_attempts": rng.choice((2, 3)),
            "time_limit_minutes": rng.choice((10, 15, 20)),
            "question_count": min(MAX_DRAWN, len(question_ids)),
            "shuffle_questions": True,
            "shuffle_options": True,
            "published": True,
        },
    )
    quiz.questions.set(question_ids)
    return quiz


def _at(ctx: DemoContext, day: dt.date) -> dt.datetime:
    tz = timezone.get_default_timezone()
    clock = dt.time(ctx.rng.randint(9, 20), ctx.rng.randint(0, 59))
    return timezone.make_aware(dt.datetime.combine(day, clock), tz)


class _Writer:
    """Attempts and answers collected for one bulk write."""

    def __init__(self, ctx: DemoContext, options: dict[int, list[tuple[int, bool]]]) -> None:
        self.ctx = ctx
        self.options = options
        self.attempts: list[QuizAttempt] = []
        self.answers: list[tuple[QuizAttempt, list[AttemptAnswer]]] = []
        self.quiz_questions: dict[int, list[int]] = {}

    def take(self, quiz: Quiz, employee_id: int, number: int, day: dt.date, skill: float) -> Any:
        """One attempt answered with a chance ``skill`` per question of being right."""
        rng = self.ctx.rng
        pool = {qid: [o for o, _ok in self.options[qid]] for qid in self.quiz_questions[quiz.pk]}
        layout = grading.attempt_layout(
            questions=pool,
            seed=_seed(quiz.pk, employee_id, number),
            draw=quiz.question_count,
            shuffle_questions=True,
            shuffle_options=True,
        )
        correct = {qid: {o for o, ok in self.options[qid] if ok} for qid in pool}
        chosen: dict[int, set[int]] = {}
        for qid, opts in layout:
            qid = int(qid)  # type: ignore[call-overload]
            if rng.random() < skill:
                chosen[qid] = correct[qid]
            else:
                wrong = [o for o in opts if o not in correct[qid]]  # type: ignore[attr-defined]
                chosen[qid] = {rng.choice(wrong)} if wrong else set()
        graded = grading.grade(
            question_ids=[int(q) for q, _o in layout],  # type: ignore[call-overload]
            correct_options=correct,
            answers=chosen,
            pass_mark=quiz.pass_mark,
        )
        started = _at(self.ctx, day)
        attempt = QuizAttempt(
            quiz=quiz,
            employee_id=employee_id,
            number=number,
            started_at=started,
            deadline_at=started + dt.timedelta(minutes=quiz.time_limit_minutes or 15),
            submitted_at=started + dt.timedelta(minutes=rng.randint(4, 9)),
            score=graded.score,
            passed=graded.passed,
            layout=layout,
        )
        self.attempts.append(attempt)
        self.answers.append(
            (
                attempt,
                [
                    AttemptAnswer(
                        question_id=qid,
                        chosen=sorted(chosen.get(qid, set())),
                        correct=graded.correct[qid],
                    )
                    for qid in graded.correct
                ],
            )
        )
        return attempt

    def save(self) -> None:
        QuizAttempt.objects.bulk_create(self.attempts)
        rows = []
        for attempt, answers in self.answers:
            for a in answers:
                a.attempt = attempt
                rows.append(a)
        AttemptAnswer.objects.bulk_create(rows, batch_size=2000)


@demo_step(28)
def quizzes(ctx: DemoContext) -> None:
    rng = ctx.rng
    persona = ctx.data.get("persona_am")
    courses = list(
        Course.objects.annotate(n=Count("questions", filter=Q(questions__active=True)))
        .filter(n__gt=0)
        .order_by("code")
    )
    if not courses:
        ctx.log("quizzes: no question bank yet, no quiz written")
        return
    quarter = period_containing(ctx.today, QUARTERLY)
    options: dict[int, list[tuple[int, bool]]] = {}
    by_course: dict[int, set[int]] = {}
    for course_id, qid, oid, ok in (
        Option.objects.filter(question__course__in=courses, question__active=True)
        .order_by("question_id", "position")
        .values_list("question__course_id", "question_id", "pk", "correct")
    ):
        options.setdefault(qid, []).append((oid, ok))
        by_course.setdefault(course_id, set()).add(qid)
    writer = _Writer(ctx, options)
    touched: list[tuple[Enrolment, QuizAttempt | None, list[QuizAttempt]]] = []
    quiz_count = 0
    for course in courses:
        qids = sorted(by_course.get(course.pk, set()))
        pre = _quiz(ctx, course, Quiz.Kind.PRE, qids)
        post = _quiz(ctx, course, Quiz.Kind.POST, qids)
        quiz_count += 2
        writer.quiz_questions[pre.pk] = writer.quiz_questions[post.pk] = qids
        enrolments = Enrolment.objects.filter(
            course=course,
            source=Enrolment.Source.KAOPEI,
            status=Enrolment.Status.ENROLLED,
            session__status=Session.Status.COMPLETED,
            session_on__range=(quarter.start, min(quarter.end, ctx.today)),
        ).order_by("session_on", "employee_id")
        for enrolment in enrolments:
            journey = persona is not None and enrolment.employee_id == persona.pk
            if journey and course.code == JOURNEY_COURSE:
                continue  # the persona's journey: both tests still to take
            skill = min(0.92, max(0.25, rng.gauss(0.55, 0.15)))
            pre_day = enrolment.session_on - dt.timedelta(days=rng.randint(1, 5))
            first_pre = writer.take(pre, enrolment.employee_id, 1, pre_day, skill)
            posts: list[QuizAttempt] = []
            post_skill = min(0.97, skill + rng.uniform(0.1, 0.3))
            day = enrolment.session_on + dt.timedelta(days=rng.randint(0, 3))
            for number in range(1, post.max_attempts + 1):
                if day > ctx.today:
                    break
                attempt = writer.take(post, enrolment.employee_id, number, day, post_skill)
                posts.append(attempt)
                if attempt.passed or rng.random() < 0.3:
                    break
                post_skill = min(0.98, post_skill + 0.1)
                day += dt.timedelta(days=rng.randint(1, 2))
            touched.append((enrolment, first_pre, posts))
    writer.save()
    for enrolment, first_pre, posts in touched:
        enrolment.pre_score = first_pre.score if first_pre is not None else None
        enrolment.post_score = max((a.score for a in posts if a.score is not None), default=None)
    Enrolment.objects.bulk_update([t[0] for t in touched], ["pre_score", "post_score"])
    ctx.log(
        f"quizzes: {quiz_count} quizzes, {len(writer.attempts)} attempts "
        f"for {len(touched)} enrolments"
    )

"""The learner's page and the trainer's workspace: what a person has to learn, is booked
on, has done and earned; what a trainer has to run, mark and read. Reads only, in a fixed
number of queries whatever the size of the history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user
from kaopei.training import mandatory, rules
from kaopei.training.models import Course, Enrolment, Module, Quiz, QuizAttempt, Session
from kaopei.training.selectors.certificates import eligibility_of
from kaopei.training.selectors.mandatory import Duty, duties_for
from kaopei.training.selectors.sessions import record_scope

HISTORY_LIMIT = 20
# A post-test is offered as a to-do for this many days after the session.
POST_TEST_DAYS = 30
RECENT_REACTIONS = 20
WORKSPACE_DAYS = 30


# --- whose learning a reader may open --------------------------------------------------------
def learner_get_for_user(*, user: Any, pk: int) -> Employee:
    """One person whose learning ``user`` may read, or 404 (existence outside one's scope
    does not leak)."""
    ids = record_scope(user)
    if ids is not None and pk not in ids:
        raise Http404
    person = Employee.objects.select_related("org_unit", "level").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


# --- the learner's page ----------------------------------------------------------------------
@dataclass(frozen=True)
class DutyRow:
    course: Course
    duty: Duty
    booked: Enrolment | None  # an upcoming place in that course, if any

    @property
    def overdue(self) -> bool:
        return self.duty.status == mandatory.OVERDUE

    @property
    def done(self) -> bool:
        return self.duty.status == mandatory.DONE


@dataclass(frozen=True)
class QuizToTake:
    quiz: Quiz
    enrolment: Enrolment
    attempts_used: int


@dataclass(frozen=True)
class Upcoming:
    enrolment: Enrolment
    waitlist_position: int | None  # 1 = next to get a place


@dataclass
class Learning:
    person: Employee
    today: date
    duties: list[DutyRow]
    upcoming: list[Upcoming]
    to_rate: list[Enrolment]
    quizzes: list[QuizToTake]
    history: list[Enrolment]
    history_total: int
    hours_this_year: Decimal
    hours_by_module: list[tuple[str, Decimal]]

    @property
    def overdue_count(self) -> int:
        return sum(1 for d in self.duties if d.overdue)


def _enrolments(person: Employee) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(employee=person).select_related(
        "course", "session", "session__trainer"
    )


def learning_for(*, person: Employee, today: date | None = None) -> Learning:
    """Everything of ``person``'s learning page (the caller has authorised the reader)."""
    today = today or timezone.localdate()
    now = timezone.now()
    mine = list(_enrolments(person).exclude(status=Enrolment.Status.CANCELLED))
    open_places = [e for e in mine if not e.completed]
    upcoming = sorted(
        (e for e in open_places if e.session_on >= today),
        key=lambda e: (e.session_on, e.session.starts_at if e.session else now, e.pk),
    )
    booked_by_course: dict[int, Enrolment] = {}
    for e in upcoming:
        booked_by_course.setdefault(e.course_id, e)

    duties = duties_for(employees=[person], today=today)
    courses = Course.objects.in_bulk({d.course_id for d in duties})
    duty_rows = [
        DutyRow(courses[d.course_id], d, booked_by_course.get(d.course_id)) for d in duties
    ]
    order = {mandatory.OVERDUE: 0, mandatory.DUE: 1, mandatory.DONE: 2}
    duty_rows.sort(key=lambda r: (order[r.duty.status], r.duty.due_on, r.course.code))

    # Sessions that started and that the person attended but has not rated yet.
    to_rate = [
        e
        for e in mine
        if e.session is not None
        and e.source == Enrolment.Source.KAOPEI
        and e.attended
        and e.reaction is None
        and e.session.starts_at <= now
        and (today - e.session_on).days <= 30
    ]

    # Pre-tests before the session, post-tests once it has started (not yet passed).
    relevant = {
        e.course_id: e
        for e in sorted(open_places + [e for e in mine if e.completed], key=lambda e: e.session_on)
    }
    quizzes = list(
        Quiz.objects.filter(
            course_id__in=relevant, published=True, kind__in=[Quiz.Kind.PRE, Quiz.Kind.POST]
        ).select_related("course")
    )
    attempts: dict[int, list[QuizAttempt]] = defaultdict(list)
    for a in QuizAttempt.objects.filter(employee=person, quiz__in=quizzes):
        attempts[a.quiz_id].append(a)
    to_take = []
    for quiz in quizzes:
        enrolment = relevant[quiz.course_id]
        tries = attempts.get(quiz.pk, [])
        scored = [a for a in tries if a.score is not None]
        if len(tries) >= quiz.max_attempts and not any(a.submitted_at is None for a in tries):
            continue
        started = enrolment.session_on <= today
        # A pre-test until the course is completed (trainers often run it at the start).
        pre_due = quiz.kind == Quiz.Kind.PRE and not scored
        imported_pass = enrolment.post_score is not None and enrolment.post_score >= quiz.pass_mark
        post_due = (
            quiz.kind == Quiz.Kind.POST
            and started
            and (enrolment.attended or enrolment.completed)
            and (today - enrolment.session_on).days <= POST_TEST_DAYS
            and not imported_pass
            and not any(a.passed for a in scored)
        )
        if (pre_due and not enrolment.completed) or post_due:
            to_take.append(QuizToTake(quiz, enrolment, len(tries)))

    done = _enrolments(person).filter(completed=True).order_by("-session_on", "-pk")
    year = done.filter(session_on__year=today.year)
    hours = year.aggregate(h=Sum("hours"))["h"] or Decimal(0)
    by_module = [
        (str(Module(row["course__module"]).label), row["h"])
        for row in year.values("course__module").annotate(h=Sum("hours")).order_by("-h")
    ]
    positions = waitlist_positions([e for e in upcoming if e.status == Enrolment.Status.WAITLISTED])
    return Learning(
        person=person,
        today=today,
        duties=duty_rows,
        upcoming=[Upcoming(e, positions.get(e.pk)) for e in upcoming],
        to_rate=to_rate,
        quizzes=to_take,
        history=list(done[:HISTORY_LIMIT]),
        history_total=done.count(),
        hours_this_year=hours,
        hours_by_module=by_module,
    )


def waitlist_positions(enrolments: list[Enrolment]) -> dict[int, int]:
    """Each waitlisted enrolment's place in its session's queue (1 = next), one query."""
    sessions = {e.session_id for e in enrolments if e.session_id}
    if not sessions:
        return {}
    queue: dict[int, list[int]] = defaultdict(list)
    for pk, session_id in (
        Enrolment.objects.filter(session_id__in=sessions, status=Enrolment.Status.WAITLISTED)
        .order_by("session_id", "waitlisted_at", "pk")
        .values_list("pk", "session_id")
    ):
        queue[session_id].append(pk)
    return {
        e.pk: queue[e.session_id].index(e.pk) + 1
        for e in enrolments
        if e.session_id and e.pk in queue[e.session_id]
    }


def certificates_for(*, person: Employee) -> list[Enrolment]:
    """``person``'s completed enrolments that earned a certificate (issued or not yet
    downloaded), latest first — the rule is the certificates area's ``eligibility_of``."""
    done = list(
        Enrolment.objects.filter(employee=person, completed=True)
        .select_related("course")
        .order_by("-session_on", "-pk")
    )
    earned = eligibility_of(done)
    return [e for e in done if earned[e.pk].earned]


# --- the trainer's workspace -----------------------------------------------------------------
@dataclass(frozen=True)
class QuizSummary:
    quiz: Quiz
    people: int
    attempts: int
    pass_rate: Decimal | None  # share of people with a passed attempt, 0–100


@dataclass(frozen=True)
class Reaction:
    course: Course
    session_day: date
    rating: int
    comment: str


@dataclass
class Workspace:
    everyone: bool  # an HR admin sees every course and session
    courses: list[Course]
    upcoming: Sequence[Session]
    to_mark: Sequence[Session]
    quizzes: list[QuizSummary]
    reactions: list[Reaction]
    reaction_means: dict[int, tuple[Decimal, int]]  # course id → (mean 1–5, ratings)

    @property
    def course_rows(self) -> list[tuple[Course, tuple[Decimal, int] | None]]:
        """Each course with its mean reaction and number of ratings (None: no rating)."""
        return [(c, self.reaction_means.get(c.pk)) for c in self.courses]


def workspace_for(*, user: Any, now: datetime | None = None) -> Workspace:
    """The trainer's courses (those they teach or run sessions of; every course for an HR
    admin), their sessions of the next 30 days, sessions held and not yet marked, their
    courses' quizzes with results, and recent reaction comments (never with a name)."""
    now = now or timezone.now()
    everyone = bool(rules.is_hr_admin(user))  # type: ignore[attr-defined]
    me = employee_for_user(user)
    courses_qs = Course.objects.filter(active=True)
    sessions_qs = Session.objects.select_related("course", "trainer")
    if not everyone:
        if me is None:
            courses_qs = courses_qs.none()
            sessions_qs = sessions_qs.none()
        else:
            courses_qs = courses_qs.filter(Q(trainers=me) | Q(sessions__trainer=me)).distinct()
            sessions_qs = sessions_qs.filter(Q(trainer=me) | Q(course__trainers=me)).distinct()
    courses = list(courses_qs.order_by("module", "code"))
    course_ids = [c.pk for c in courses]
    counted = sessions_qs.exclude(status=Session.Status.CANCELLED).annotate(
        confirmed=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED), distinct=True
        ),
        waiting=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED), distinct=True
        ),
    )
    upcoming = list(
        counted.filter(
            starts_at__gte=now, starts_at__lte=now + timedelta(days=WORKSPACE_DAYS)
        ).order_by("starts_at")
    )
    to_mark = list(
        counted.filter(starts_at__lt=now, status=Session.Status.SCHEDULED).order_by("starts_at")
    )
    quizzes = list(Quiz.objects.filter(course_id__in=course_ids).select_related("course"))
    stats = {
        row["quiz_id"]: row
        for row in QuizAttempt.objects.filter(quiz__in=quizzes, score__isnull=False)
        .values("quiz_id")
        .annotate(
            people=Count("employee_id", distinct=True),
            attempts=Count("pk"),
            passers=Count("employee_id", filter=Q(passed=True), distinct=True),
        )
        .order_by()
    }
    summaries = []
    for quiz in quizzes:
        row = stats.get(quiz.pk) or {"people": 0, "attempts": 0, "passers": 0}
        people = row["people"]
        rate = (Decimal(row["passers"]) * 100 / people).quantize(Decimal("0.1")) if people else None
        summaries.append(QuizSummary(quiz, people, row["attempts"], rate))
    rated = Enrolment.objects.filter(course_id__in=course_ids, reaction__isnull=False)
    if not everyone and me is not None:
        rated = rated.filter(
            Q(session__trainer=me) | Q(course__trainers=me) | Q(session__isnull=True)
        )
    means = {
        row["course_id"]: (Decimal(str(row["m"])).quantize(Decimal("0.01")), row["n"])
        for row in rated.values("course_id").annotate(m=Avg("reaction"), n=Count("pk")).order_by()
    }
    by_id = {c.pk: c for c in courses}
    reactions = [
        Reaction(by_id[course_id], day, rating or 0, comment)
        for course_id, day, rating, comment in rated.exclude(reaction_comment="")
        .order_by("-session_on", "-pk")
        .values_list("course_id", "session_on", "reaction", "reaction_comment")[:RECENT_REACTIONS]
    ]
    return Workspace(everyone, courses, upcoming, to_mark, summaries, reactions, means)

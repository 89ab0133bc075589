"""The learner's page and the trainer's workspace, read from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from kaopei.training import mandatory
from kaopei.training.models import Enrolment, Module, QuizAttempt
from kaopei.training.selectors.learning import (
    learner_get_for_user,
    learning_for,
    workspace_for,
)
from tests.training.factories import (
    CourseFactory,
    EnrolmentFactory,
    MandatoryRuleFactory,
    QuizFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_an_unfinished_yearly_course_past_its_due_date_is_overdue(personas: Any) -> None:
    aml = CourseFactory(code="AML-101", module=Module.COMPLIANCE)
    MandatoryRuleFactory(course=aml, level=personas.alice.level, due_on=dt.date(2025, 12, 31))

    learning = learning_for(person=personas.alice, today=TODAY)

    assert [(r.course.code, r.duty.status) for r in learning.duties] == [
        ("AML-101", mandatory.OVERDUE)
    ]
    assert learning.overdue_count == 1


def test_a_completion_this_year_makes_the_yearly_duty_done(personas: Any) -> None:
    aml = CourseFactory(code="AML-101")
    MandatoryRuleFactory(course=aml, level=personas.alice.level, due_on=dt.date(2025, 12, 31))
    EnrolmentFactory(
        course=aml, employee=personas.alice, session_on=dt.date(2026, 3, 2), completed=True
    )

    (row,) = learning_for(person=personas.alice, today=TODAY).duties

    assert row.duty.status == mandatory.DONE
    assert row.duty.completed_on == dt.date(2026, 3, 2)


def test_hours_this_year_count_completed_courses_of_this_year_only(personas: Any) -> None:
    spin = CourseFactory(code="SPIN-101", module=Module.NEEDS_DISCOVERY, hours=Decimal("6"))
    fabe = CourseFactory(code="FABE-201", module=Module.VALUE_COMMUNICATION, hours=Decimal("4"))
    EnrolmentFactory(
        course=spin, employee=personas.alice, session_on=dt.date(2026, 4, 1), completed=True
    )
    EnrolmentFactory(
        course=fabe, employee=personas.alice, session_on=dt.date(2026, 7, 1), completed=True
    )
    EnrolmentFactory(
        course=fabe, employee=personas.alice, session_on=dt.date(2025, 7, 1), completed=True
    )
    EnrolmentFactory(course=spin, employee=personas.alice, session_on=dt.date(2026, 12, 20))

    learning = learning_for(person=personas.alice, today=TODAY)

    assert learning.hours_this_year == Decimal("10")
    assert [h for _m, h in learning.hours_by_module] == [Decimal("6"), Decimal("4")]
    assert learning.history_total == 3
    assert [e.session_on for e in learning.history][0] == dt.date(2026, 7, 1)


def test_the_waitlist_position_counts_who_joined_first(personas: Any) -> None:
    session = SessionFactory(starts_at=at(TODAY + dt.timedelta(days=3)), capacity=1)
    EnrolmentFactory(session=session, employee=personas.bob)
    first = timezone.now()
    EnrolmentFactory(
        session=session,
        employee=personas.sup,
        status=Enrolment.Status.WAITLISTED,
        waitlisted_at=first,
    )
    EnrolmentFactory(
        session=session,
        employee=personas.alice,
        status=Enrolment.Status.WAITLISTED,
        waitlisted_at=first + dt.timedelta(minutes=1),
    )

    (row,) = learning_for(person=personas.alice, today=TODAY).upcoming

    assert row.waitlist_position == 2


def test_a_pre_test_is_due_until_taken_and_a_post_test_once_attended(personas: Any) -> None:
    course = CourseFactory(code="AML-101")
    pre = QuizFactory(course=course, kind="pre")
    post = QuizFactory(course=course, kind="post")
    soon = SessionFactory(course=course, starts_at=at(TODAY + dt.timedelta(days=2)))
    EnrolmentFactory(session=soon, employee=personas.alice)

    before = learning_for(person=personas.alice, today=TODAY)
    after = learning_for(person=personas.alice, today=TODAY + dt.timedelta(days=3))

    assert [q.quiz.pk for q in before.quizzes] == [pre.pk]
    # Not attended yet: the post-test waits for the attendance sheet.
    assert [q.quiz.pk for q in after.quizzes] == [pre.pk]
    Enrolment.objects.filter(employee=personas.alice).update(attended=True)
    QuizAttempt.objects.create(
        quiz=pre,
        employee=personas.alice,
        number=1,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=Decimal("40"),
        passed=False,
    )
    after = learning_for(person=personas.alice, today=TODAY + dt.timedelta(days=3))
    assert [q.quiz.pk for q in after.quizzes] == [post.pk]


def test_a_passed_post_test_is_no_longer_to_take(personas: Any) -> None:
    course = CourseFactory(code="AML-101")
    post = QuizFactory(course=course, kind="post")
    held = SessionFactory(course=course, starts_at=at(TODAY - dt.timedelta(days=1)))
    EnrolmentFactory(session=held, employee=personas.alice, attended=True)
    QuizAttempt.objects.create(
        quiz=post,
        employee=personas.alice,
        number=1,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=Decimal("80"),
        passed=True,
    )

    assert learning_for(person=personas.alice, today=TODAY).quizzes == []


def test_an_attended_session_not_yet_rated_is_to_rate(personas: Any) -> None:
    held = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=3))
    mine = EnrolmentFactory(session=held, employee=personas.alice, attended=True)

    learning = learning_for(person=personas.alice)

    assert [e.pk for e in learning.to_rate] == [mine.pk]


def test_a_supervisor_opens_the_learning_of_their_chain_only(personas: Any) -> None:
    p = personas
    assert learner_get_for_user(user=p.sup.user, pk=p.alice.pk) == p.alice
    with pytest.raises(Http404):
        learner_get_for_user(user=p.sup.user, pk=p.bob.pk)
    with pytest.raises(Http404):
        learner_get_for_user(user=p.alice.user, pk=p.bob.pk)
    assert learner_get_for_user(user=p.trainer.user, pk=p.bob.pk) == p.bob
    assert learner_get_for_user(user=p.hr.user, pk=p.bob.pk) == p.bob


def test_the_workspace_shows_the_trainers_own_courses_and_sessions_to_mark(personas: Any) -> None:
    mine = CourseFactory(code="FABE-201")
    mine.trainers.add(personas.trainer)
    CourseFactory(code="NEG-202")
    held = SessionFactory(
        course=mine, trainer=personas.trainer, starts_at=timezone.now() - dt.timedelta(days=1)
    )
    EnrolmentFactory(
        session=held,
        employee=personas.alice,
        attended=True,
        reaction=5,
        reaction_comment="案例很实用",
    )

    w = workspace_for(user=personas.trainer.user)

    assert [c.code for c in w.courses] == ["FABE-201"]
    assert [s.pk for s in w.to_mark] == [held.pk]
    assert [(r.rating, r.comment) for r in w.reactions] == [(5, "案例很实用")]
    assert w.reaction_means[mine.pk] == (Decimal("5.00"), 1)
    assert not hasattr(w.reactions[0], "employee")


def test_an_hr_admins_workspace_holds_every_course(personas: Any) -> None:
    CourseFactory(code="FABE-201")
    CourseFactory(code="NEG-202")

    assert {c.code for c in workspace_for(user=personas.hr.user).courses} == {"FABE-201", "NEG-202"}


def test_the_workspace_gives_each_quiz_its_pass_rate(personas: Any) -> None:
    course = CourseFactory(code="AML-101")
    course.trainers.add(personas.trainer)
    quiz = QuizFactory(course=course, kind="post")
    now = timezone.now()
    for person, number, score, passed in (
        (personas.alice, 1, 40, False),
        (personas.alice, 2, 80, True),
        (personas.bob, 1, 50, False),
    ):
        QuizAttempt.objects.create(
            quiz=quiz,
            employee=person,
            number=number,
            started_at=now,
            submitted_at=now,
            score=Decimal(score),
            passed=passed,
        )

    (summary,) = workspace_for(user=personas.trainer.user).quizzes

    assert (summary.people, summary.attempts, summary.pass_rate) == (2, 3, Decimal("50.0"))


def _history(person: Any, courses: int) -> None:
    for n in range(courses):
        course = CourseFactory(code=f"H-{n}")
        MandatoryRuleFactory(course=course, level=person.level, due_on=dt.date(2026, 12, 31))
        QuizFactory(course=course, kind="pre")
        EnrolmentFactory(
            course=course, employee=person, session_on=dt.date(2026, 3, 1), completed=True
        )
        EnrolmentFactory(
            session=SessionFactory(course=course, starts_at=at(TODAY + dt.timedelta(days=n + 1))),
            employee=person,
            status=Enrolment.Status.WAITLISTED,
            waitlisted_at=timezone.now(),
        )


@pytest.mark.parametrize("courses", [1, 6])
def test_the_learning_page_takes_the_same_queries_whatever_the_history(
    personas: Any, django_assert_num_queries: Any, courses: int
) -> None:
    _history(personas.alice, courses)
    with django_assert_num_queries(11):
        learning = learning_for(person=personas.alice, today=TODAY)
    assert len(learning.upcoming) == courses
    assert len(learning.quizzes) == courses


@pytest.mark.parametrize("courses", [1, 6])
def test_the_workspace_takes_the_same_queries_whatever_the_programme(
    personas: Any, django_assert_num_queries: Any, courses: int
) -> None:
    _history(personas.alice, courses)
    with django_assert_num_queries(8):
        workspace = workspace_for(user=personas.hr.user)
    assert len(workspace.courses) == courses


def test_an_imported_passing_post_score_or_an_old_course_asks_for_no_post_test(
    personas: Any,
) -> None:
    passed = CourseFactory(code="SPIN-101")
    QuizFactory(course=passed, kind="post", pass_mark=60)
    EnrolmentFactory(
        course=passed,
        employee=personas.alice,
        session_on=TODAY - dt.timedelta(days=3),
        completed=True,
        attended=True,
        post_score=Decimal("77"),
        source=Enrolment.Source.IMPORT,
    )
    old = CourseFactory(code="CRM-101")
    QuizFactory(course=old, kind="post")
    EnrolmentFactory(
        course=old,
        employee=personas.alice,
        session_on=TODAY - dt.timedelta(days=90),
        completed=True,
        attended=True,
    )

    assert learning_for(person=personas.alice, today=TODAY).quizzes == []

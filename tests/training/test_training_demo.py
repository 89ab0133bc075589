"""The whole demo, built for 6 December 2026, holds the training story the README tells:
the account manager's journey is ready to walk, the trainer has attendance to take, the
effect of last quarters' courses has believable figures with group sizes, and the training
metrics score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kaopei.assessment.models import Cycle, ScoreLine
from kaopei.core.demo import DemoContext
from kaopei.core.periods import parse_period
from kaopei.org.models import Employee
from kaopei.training import mandatory
from kaopei.training.models import Enrolment, Quiz, QuizAttempt, Session
from kaopei.training.selectors.effect import cycle_effect_rows
from kaopei.training.selectors.learning import certificates_for, learning_for, workspace_for
from kaopei.training.selectors.mandatory import duties_for
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)
FLAGSHIP = ("SPIN-101", "FABE-201", "AML-101")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    """The demo, built once for this module in a transaction rolled back at the end."""
    yield from demo_for_module(django_db_blocker, TODAY)


def test_the_account_manager_can_walk_the_whole_journey(demo: DemoContext, db: None) -> None:
    persona = demo.data["persona_am"]
    today = Enrolment.objects.get(employee=persona, course__code="AML-101", session_on=TODAY)
    assert today.session is not None and today.session.trainer.employee_no == "TR001"
    assert not today.attended and not today.completed
    tests = Quiz.objects.filter(course__code="AML-101", published=True)
    assert {q.kind for q in tests} == {Quiz.Kind.PRE, Quiz.Kind.POST}
    assert not QuizAttempt.objects.filter(employee=persona, quiz__in=tests).exists()
    learning = learning_for(person=persona, today=TODAY)
    assert [q.quiz.kind for q in learning.quizzes if q.quiz.course.code == "AML-101"] == ["pre"]
    assert learning.hours_this_year > 0
    assert learning.overdue_count == 2  # AML-101 and PRIV-101, until today's session
    assert certificates_for(person=persona)


def test_the_trainer_has_attendance_to_take_and_a_full_session(demo: DemoContext, db: None) -> None:
    trainer = Employee.objects.get(employee_no="TR001")
    workspace = workspace_for(user=trainer.user)
    todays = Session.objects.get(course__code="AML-101", starts_at__date=TODAY)
    assert todays.trainer == trainer
    assert todays in [*workspace.to_mark, *workspace.upcoming]
    assert any(s.waiting for s in workspace.upcoming)
    assert workspace.reactions


def test_some_people_are_overdue_on_mandatory_compliance(demo: DemoContext, db: None) -> None:
    people = Employee.objects.filter(level__code__in=["AM1", "AM2", "AM3"])
    statuses = {d.status for d in duties_for(employees=people, today=TODAY)}
    assert {mandatory.OVERDUE, mandatory.DONE} <= statuses


def test_the_flagship_courses_have_every_kirkpatrick_figure(demo: DemoContext, db: None) -> None:
    rows = cycle_effect_rows(parse_period("2026Q2"))
    for code in FLAGSHIP:
        mine = [r for r in rows if r.course == code]
        assert {r.level for r in mine} >= {"L1", "L2", "L3", "L4"}, code
        for r in mine:
            assert r.trained >= 3, (code, r)
            assert r.value is not None, (code, r)
            if r.level in ("L3", "L4"):
                assert r.comparison is not None and r.comparison >= 3


def test_the_training_metrics_score_with_data(demo: DemoContext, db: None) -> None:
    cycle = Cycle.objects.get(code="2026Q2")
    for code in ("training_hours", "quiz_score"):
        assert ScoreLine.objects.filter(
            scorecard__cycle=cycle, metric__code=code, has_data=True
        ).exists(), code

"""Factories of the training app's records, shared by its tests (factory_boy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from kaopei.training.models import (
    Course,
    Enrolment,
    Format,
    MandatoryRule,
    Module,
    Option,
    Question,
    Quiz,
    Session,
)
from tests.factories import EmployeeFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"课程{n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    module = Module.NEEDS_DISCOVERY
    format = Format.LECTURE
    hours = Decimal("4")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=4))
    place = "总行培训中心 301"
    capacity = 20
    hours = factory.LazyAttribute(lambda s: s.course.hours)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment in a course on a date; with ``session`` its date and hours follow it."""

    class Meta:
        model = Enrolment

    session = None
    course = factory.LazyAttribute(
        lambda e: e.session.course if e.session is not None else CourseFactory()
    )
    employee = factory.SubFactory(EmployeeFactory)
    session_on = factory.LazyAttribute(
        lambda e: (
            timezone.localdate(e.session.starts_at)
            if e.session is not None
            else timezone.localdate()
        )
    )
    hours = factory.LazyAttribute(lambda e: e.course.hours)
    status = Enrolment.Status.ENROLLED


class MandatoryRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandatoryRule

    course = factory.SubFactory(CourseFactory)
    level = factory.LazyAttribute(lambda r: EmployeeFactory().level)
    due_on = dt.date(2026, 12, 31)
    renew_months = 12


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question with options A–D, ``A`` correct (``options=[(text, correct),
    …]`` and ``kind`` to change that)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: f"Q{n:03d}")
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"题目{n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")

    @factory.post_generation
    def options(self, create: bool, extracted: list[tuple[str, bool]] | None, **kw: Any) -> None:
        if not create:
            return
        choices = extracted or [("A", True), ("B", False), ("C", False), ("D", False)]
        Option.objects.bulk_create(
            Option(question=self, position=i, text=text, text_en=text, correct=ok)
            for i, (text, ok) in enumerate(choices, start=1)
        )


class QuizFactory(factory.django.DjangoModelFactory):
    """A published quiz of a course (``questions=[…]`` to attach questions)."""

    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    kind = Quiz.Kind.POST
    title = factory.LazyAttribute(lambda q: f"{q.course.code} 测验")
    title_en = factory.LazyAttribute(lambda q: f"{q.course.code} quiz")
    pass_mark = 60
    max_attempts = 3
    published = True

    @factory.post_generation
    def questions(self, create: bool, extracted: list[Question] | None, **kw: Any) -> None:
        if create and extracted:
            self.questions.set(extracted)

"""The ``training_hours`` metric (DESIGN.md §5 ⚑): Σ hours of completed enrolments with the
session date in the period, in Kaopei or imported; 0 with data for nobody's records; one
grouped query whatever the number of people, through a real scoring run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.metrics import ZERO_VALUE, Context, compute_metrics, value_for
from kaopei.assessment.models import Metric, Scorecard
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.assessment.sources import PENDING, metric_available
from kaopei.core.periods import parse_period
from kaopei.training.metrics import training_hours
from kaopei.training.models import Enrolment
from tests.conftest import Personas
from tests.factories import EmployeeFactory
from tests.training.factories import CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db
Q1 = "2026Q1"


def test_training_hours_is_available_and_no_longer_pending() -> None:
    assert "training_hours" not in PENDING
    assert metric_available(code="training_hours", source="computed")


def test_it_sums_completed_enrolments_in_the_period_from_kaopei_and_imports(
    personas: Personas,
) -> None:
    a, b = personas.alice, personas.bob
    course, other = CourseFactory(), CourseFactory()
    EnrolmentFactory(
        employee=a, course=course, session_on=date(2026, 1, 5), hours=D("3"), completed=True
    )
    EnrolmentFactory(employee=a, course=other, session_on=date(2026, 3, 31), hours=D("1.5"),
                     completed=True, source=Enrolment.Source.IMPORT)  # fmt: skip
    # Not counted: not completed, outside the period, waitlisted.
    EnrolmentFactory(employee=a, course=course, session_on=date(2026, 2, 5), hours=D("9"))
    EnrolmentFactory(
        employee=a, course=course, session_on=date(2026, 4, 1), hours=D("9"), completed=True
    )
    EnrolmentFactory(employee=b, course=course, session_on=date(2026, 2, 5), hours=D("9"),
                     status=Enrolment.Status.WAITLISTED)  # fmt: skip
    values = training_hours(Context(period=parse_period(Q1)))
    assert values == {a.pk: (D("4.5"), True)}
    # Bob has no completed training: 0 hours, with data (a sum over no records).
    assert value_for("training_hours", values, b.pk) == ZERO_VALUE


def _people(n: int, personas: Personas) -> None:
    course = CourseFactory()
    for _ in range(n):
        e = EmployeeFactory(level=personas.am1, org_unit=personas.bj_t1)
        EnrolmentFactory(employee=e, course=course, session_on=date(2026, 2, 2), completed=True)


def test_the_metric_is_one_query_whatever_the_number_of_people(personas: Personas) -> None:
    period = parse_period(Q1)
    counts = []
    for n in (2, 12):
        _people(n, personas)
        with CaptureQueriesContext(connection) as q:
            compute_metrics(["training_hours"], period=period)
        counts.append(len(q.captured_queries))
    assert counts[0] == counts[1] == 1


def test_a_scoring_run_puts_training_hours_on_the_scorecards(personas: Personas) -> None:
    template_create_version(
        code="Q-AM1",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec(metric="training_hours", weight=D(100))],
    )
    EnrolmentFactory(employee=personas.alice, session_on=date(2026, 2, 2), hours=D("6"),
                     completed=True)  # fmt: skip
    other = EmployeeFactory(level=personas.am1, org_unit=personas.bj_t1)
    metric = Metric.objects.get(code="training_hours").pk
    targets_set(
        cycle=cycle_get_or_create(code=Q1),
        values={(personas.alice.pk, metric): D(8), (other.pk, metric): D(8)},
    )
    cycle_score(code=Q1, user=personas.hr.user, today=date(2026, 4, 10))
    line = Scorecard.objects.get(cycle__code=Q1, employee=personas.alice).lines.get()
    assert (line.actual, line.has_data) == (D("6"), True)
    none = Scorecard.objects.get(cycle__code=Q1, employee=other).lines.get()
    assert (none.actual, none.has_data) == (D("0"), True)


def test_scoring_with_training_hours_adds_no_query_per_person(personas: Personas) -> None:
    template_create_version(
        code="Q-AM1",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec(metric="training_hours", weight=D(100))],
    )
    counts = []
    for n in (3, 13):
        _people(n, personas)
        Scorecard.objects.all().delete()
        with CaptureQueriesContext(connection) as q:
            cycle_score(code=Q1, user=personas.hr.user, today=date(2026, 4, 10))
        counts.append(sum("training_enrolment" in x["sql"] for x in q.captured_queries))
    assert counts[0] == counts[1] == 1

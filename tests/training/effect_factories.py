"""A small world for the training effect (DESIGN.md §8): SPIN-101 completed in 2026Q2 by
three people, a comparison group of three, scorecards of 2026Q1 and 2026Q3 and closed 360
rounds of both quarters. Shared by the effect tests and the browser journey."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kaopei.assessment.models import Metric, Scorecard, ScoreLine, Template
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.org.models import Competency
from tests.factories import EmployeeFactory
from tests.feedback.reports_factories import a_round, answer
from tests.training.factories import CourseFactory, EnrolmentFactory

WIN = "opportunity_win_rate"


def _card(code: str, emp: Any, attainment: str | None) -> None:
    cycle = cycle_get_or_create(code=code)
    template = Template.objects.get_or_create(
        code=f"T-{emp.level.code}",
        version=1,
        defaults={"level": emp.level, "cycle_kind": "quarterly"},
    )[0]
    card = Scorecard.objects.create(
        cycle=cycle,
        employee=emp,
        template=template,
        org_unit=emp.org_unit,
        level=emp.level,
        total=Decimal("100"),
        computed_grade="B",
        grade="B",
        inputs_hash="x",
    )
    if attainment is not None:
        ScoreLine.objects.create(
            scorecard=card,
            metric=Metric.objects.get(code=WIN),
            actual=Decimal("1"),
            target=Decimal("1"),
            attainment=Decimal(attainment),
            points=Decimal("100"),
            weight=Decimal("50"),
            cap=Decimal("1.5"),
            has_data=True,
        )


def _peers(rnd: Any, subject: Any, competency: Competency, scores: tuple[int, int, int]) -> None:
    for s in scores:
        answer(rnd, subject, "peer", {competency: s})


def build_effect_world() -> dict[str, Any]:
    """Trained 1–3 in SPIN in 2026Q2, comparison 4–6; people 7 trained in Q3 (out of U)."""
    people = [EmployeeFactory(employee_no=f"E{i:03d}") for i in range(1, 8)]
    cycle_get_or_create(code="2026Q2")
    nd, _new = Competency.objects.get_or_create(
        code="needs_discovery", defaults={"name": "需求挖掘", "category": "sales"}
    )
    course = CourseFactory(code="SPIN-101")
    course.competencies.add(nd)
    course.metrics.add(Metric.objects.get(code=WIN))
    other = CourseFactory(code="=CALC")  # a code a spreadsheet would run
    for p, react, pre, post in ((0, 5, 50, 80), (1, 4, 60, 70), (2, None, None, None)):
        EnrolmentFactory(
            course=course,
            employee=people[p],
            session_on=dt.date(2026, 5, 12),
            completed=True,
            reaction=react,
            pre_score=pre,
            post_score=post,
        )
    EnrolmentFactory(
        course=other, employee=people[0], session_on=dt.date(2026, 4, 2), completed=True, reaction=3
    )
    EnrolmentFactory(
        course=course, employee=people[6], session_on=dt.date(2026, 8, 1), completed=True
    )
    # not completed: not trained
    EnrolmentFactory(course=course, employee=people[5], session_on=dt.date(2026, 5, 12))
    before_att = ["0.8", "0.8", "0.8", "0.8", "0.8", "0.8", "0.8"]
    after_att = ["1.0", "1.6", "0.9", "0.8", "0.9", "0.7", "2.0"]
    for i, person in enumerate(people):
        _card("2026Q1", person, before_att[i])
        _card("2026Q3", person, after_att[i])
    q1 = a_round("2026Q1")
    q3 = a_round("2026Q3")
    for i, person in enumerate(people[:6]):
        _peers(q1, person, nd, (3, 3, 3))
        _peers(
            q3, person, nd, [(4, 4, 3), (4, 3, 3), (3, 3, 4), (3, 3, 3), (3, 3, 3), (3, 3, 3)][i]
        )
    return {"people": people, "course": course}

"""The scoring benchmark with training on a tiny scale: its floor computes the product's
training metrics, and the cycle scores with them in every template (PostgreSQL: the script
generates with PostgreSQL SQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from benchmarks.bench_scoring import TRAINING, check_floor, floor
from benchmarks.scale_data import generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL"),
]


def test_the_floor_with_training_computes_the_products_values() -> None:
    from kaopei.assessment.models import Scorecard, TemplateItem
    from kaopei.assessment.services.scoring import cycle_score
    from kaopei.core.periods import parse_period
    from kaopei.org.models import Employee
    from kaopei.training.models import Quiz, QuizAttempt

    sizes = generate(0.002, training=True)
    assert sizes["enrolments"] and sizes["attempts"]
    # Submitted on the last and the first evening of the quarter in UTC: 1 April and
    # 1 January in Shanghai — the first is outside 2026Q1, the second inside.
    person, quiz = Employee.objects.first(), Quiz.objects.first()
    for number, moment, score in (
        (90, datetime(2026, 3, 31, 17, tzinfo=UTC), 100),
        (91, datetime(2025, 12, 31, 17, tzinfo=UTC), 0),
    ):
        QuizAttempt.objects.create(
            quiz=quiz,
            employee=person,
            number=number,
            started_at=moment,
            submitted_at=moment,
            score=Decimal(score),
        )
    codes = sorted(set(TemplateItem.objects.values_list("metric__code", flat=True)))
    assert set(TRAINING) <= set(codes)
    period = parse_period("2026Q1")
    check_floor(codes, period)  # exits when a value differs
    assert floor(codes, period.start, period.end) > 0
    summary = cycle_score(code="2026Q1")
    assert summary.scored == Employee.objects.count()
    lines = Scorecard.objects.filter(cycle__code="2026Q1").values_list(
        "lines__metric__code", flat=True
    )
    assert set(TRAINING) <= set(lines)

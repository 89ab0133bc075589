"""Honest metrics (issue 9, DESIGN.md §5): a metric whose source does not exist yet says so
and cannot be put in a template; an unknown code raises; grades never come from a built-in
policy."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kaopei.assessment.metrics import compute_metrics
from kaopei.assessment.models import Cycle, GradePolicy, Metric, Scorecard, Template, TemplateItem
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score, policy_for
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.assessment.sources import (
    UnknownMetricError,
    _formulas,
    metric_available,
    metric_source_register,
)
from kaopei.core.errors import ApplicationError
from kaopei.core.periods import parse_period
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
Q1 = parse_period("2026Q1")


@pytest.fixture(autouse=True)
def training_hours_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use ``training_hours`` as the example of a metric whose capability is not
    built: the training app registers its source, so take it away here."""
    from kaopei.assessment import sources

    monkeypatch.delitem(sources._formulas, "training_hours", raising=False)
    monkeypatch.setitem(sources.PENDING, "training_hours", "training")


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("code", "capability"),
    [
        ("training_hours", "training"),
    ],
)
def test_a_metric_without_a_source_cannot_be_put_in_a_template(
    personas: Personas, code: str, capability: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        template_create_version(
            code="t",
            level=personas.am1,
            cycle_kind="quarterly",
            items=[ItemSpec("visit_count", Decimal(50)), ItemSpec(code, Decimal(50))],
        )
    assert f"arrives with {capability}" in str(refused.value.message)
    assert "cannot be put in a template" in str(refused.value.message)
    assert not Template.objects.exists()


def test_manual_and_fact_metrics_are_available_and_pending_ones_are_not(db: Any) -> None:
    assert metric_available(code="visit_count", source="computed")
    assert metric_available(code="branch_culture", source="manual")
    assert not metric_available(code="training_hours", source="computed")


def test_an_app_that_registers_a_source_makes_the_metric_available(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(_formulas, "training_hours", lambda context: {})
    template_create_version(
        code="t",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("training_hours", Decimal(100))],
    )
    assert compute_metrics(["training_hours"], period=Q1) == {"training_hours": {}}


def test_a_source_is_registered_once(db: Any) -> None:
    with pytest.raises(ValueError, match="already has a source"):
        metric_source_register(code="visit_count", formula=lambda context: {})


def test_an_unknown_metric_code_raises_instead_of_meaning_no_data(db: Any) -> None:
    with pytest.raises(UnknownMetricError, match="no_such_metric"):
        compute_metrics(["no_such_metric"], period=Q1)
    with pytest.raises(UnknownMetricError, match="arrives with training"):
        compute_metrics(["training_hours"], period=Q1)


def test_the_library_page_says_which_metrics_are_not_yet_available(personas: Personas) -> None:
    client = personas.client(personas.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    body = html.unescape(client.get("/assessment/metrics/").content.decode())
    row = body[body.index('id="metric-training_hours"') :]
    row = row[: row.index("</tr>")]
    assert "Not yet available" in row and "arrives with training" in row
    feedback = body[body.index('id="metric-competency_360"') :]
    assert "Not yet available" not in feedback[: feedback.index("</tr>")]
    visits = body[body.index('id="metric-visit_count"') :]
    assert "Not yet available" not in visits[: visits.index("</tr>")]


def test_scoring_refuses_a_template_that_holds_a_metric_without_a_source(
    personas: Personas,
) -> None:
    template = template_create_version(
        code="t",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(100))],
    )
    # Written before sources were checked: the template still holds one.
    TemplateItem.objects.create(
        template=template, metric=Metric.objects.get(code="training_hours"), weight=Decimal(10)
    )
    with pytest.raises(ApplicationError, match="arrives with training"):
        cycle_score(code="2026Q1", today=date(2026, 5, 1))
    assert not Scorecard.objects.exists()


def test_a_cycle_without_a_policy_and_no_default_policy_is_not_graded(db: Any) -> None:
    GradePolicy.objects.update(is_default=False)
    cycle = cycle_get_or_create(code="2026Q1")
    with pytest.raises(ApplicationError, match="no grade policy"):
        policy_for(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(grade_policy=GradePolicy.objects.first())
    cycle.refresh_from_db()
    assert [band.code for band in policy_for(cycle).bands] == ["A", "B", "C"]

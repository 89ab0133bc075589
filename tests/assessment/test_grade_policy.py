"""Grades come from the cycle's GradePolicy, never from a list in the code (issue 9): an
administrator's policy with other codes works everywhere a grade shows or moves."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kaopei.assessment.grades import DEFAULT_CAP, GradeScale
from kaopei.assessment.models import GradeBand, GradePolicy, TemplateItem
from kaopei.assessment.services.calibration import scorecard_calibrate
from kaopei.assessment.services.scoring import cycle_score
from kaopei.core.errors import ApplicationError
from tests.assessment.conftest import SCORED_ON, Scored

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).parents[2] / "kaopei" / "assessment" / "templates" / "assessment"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def stars(scored_cycle: Scored) -> Scored:
    """2026Q1 graded by a policy of three stars: 3★ ≥ 105, 2★ ≥ 50, 1★ below."""
    policy = GradePolicy.objects.create(code="stars", name="Stars")
    for order, (code, minimum) in enumerate((("3S", 105), ("2S", 50), ("1S", None))):
        GradeBand.objects.create(
            policy=policy,
            grade=code,
            min_total=minimum,
            label_zh=code,
            label_en=code,
            order=order,
        )
    scored_cycle.cycle.grade_policy = policy
    scored_cycle.cycle.save()
    cycle_score(code="2026Q1", user=scored_cycle.personas.hr.user, today=SCORED_ON)
    return scored_cycle


def test_cards_are_graded_by_the_cycles_own_policy(stars: Scored) -> None:
    p = stars.personas
    assert stars.card(p.alice).grade == "3S"  # 105.11
    assert stars.card(p.bob).grade == "1S"  # 10.00


def test_calibration_offers_and_accepts_the_policys_grades_only(stars: Scored) -> None:
    p = stars.personas
    body = text(stars.client(p.hr).get(stars.url(p.bob)))
    assert '<option value="2S">' in body and '<option value="B">' not in body
    with pytest.raises(ApplicationError, match="3S, 2S, 1S"):
        scorecard_calibrate(
            scorecard=stars.card(p.bob), to_grade="A", reason="Old codes", user=p.sup2.user
        )
    scorecard_calibrate(
        scorecard=stars.card(p.bob), to_grade="2S", reason="Recovery", user=p.sup2.user
    )
    assert stars.card(p.bob).grade == "2S"


def test_the_board_and_the_list_count_the_policys_grades(stars: Scored) -> None:
    p = stars.personas
    board = text(stars.client(p.hr).get("/assessment/cycles/2026Q1/calibration/"))
    assert "Share of 3S" in board
    listing = text(stars.client(p.hr).get("/assessment/cycles/2026Q1/scorecards/?grade=1S"))
    assert p.bob.name in listing and p.alice.name not in listing


def test_the_scale_names_the_top_and_the_passing_grade() -> None:
    default = GradeScale.of([("A", Decimal(120)), ("B", Decimal(100)), ("C", None)])
    assert (default.top, default.passing) == ("A", "B")
    assert default.below_passing("C") and not default.below_passing("B")
    assert default.codes == ("A", "B", "C", "UNQUALIFIED", "INSUFFICIENT")
    assert (default.tone("A"), default.tone("C"), default.tone("UNQUALIFIED")) == (
        "ok",
        "warn",
        "bad",
    )


def test_one_default_cap_and_one_grade_partial() -> None:
    assert TemplateItem._meta.get_field("cap").default == DEFAULT_CAP
    partials = sorted(p.name for p in TEMPLATES.glob("_*grade*.html"))
    assert partials == ["_grade.html"]

"""Cards of people no longer eligible: kept and marked by re-scoring, removed only by HR
after a confirmation that lists what goes with them (issue 9)."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest

from kaopei.assessment.models import Appeal, Calibration, Scorecard
from kaopei.assessment.selectors import grade_distribution
from kaopei.assessment.services.calibration import appeal_create, scorecard_calibrate
from kaopei.org.models import Employee
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def alice_left(scored_cycle: Scored) -> Scored:
    """Alice's card has a calibration and an appeal; then she turns out to have left before
    the cycle, and the cycle is scored again."""
    p = scored_cycle.personas
    scorecard_calibrate(
        scorecard=scored_cycle.card(p.alice), to_grade="A", reason="Key account", user=p.sup.user
    )
    appeal_create(
        scorecard=scored_cycle.card(p.alice),
        metric_code="visit_count",
        reason="Two visits are missing",
        user=p.alice.user,
    )
    Employee.objects.filter(pk=p.alice.pk).update(left_on=date(2025, 12, 1))
    scored_cycle.rescore()
    return scored_cycle


def test_the_kept_card_is_marked_on_the_card_and_in_the_list(alice_left: Scored) -> None:
    p = alice_left.personas
    body = text(alice_left.client(p.hr).get(alice_left.url(p.alice)))
    assert "No longer eligible" in body and "not employed during the cycle" in body
    assert "Remove this scorecard" in body
    listing = text(alice_left.client(p.hr).get("/assessment/cycles/2026Q1/scorecards/"))
    assert "No longer eligible" in listing
    # The supervisor sees the mark but not the removal.
    assert "Remove this scorecard" not in text(
        alice_left.client(p.sup).get(alice_left.url(p.alice))
    )


def test_a_kept_card_is_not_counted_nor_calibrated(alice_left: Scored) -> None:
    p = alice_left.personas
    assert grade_distribution(cycle=alice_left.cycle) == {"C": 1}  # Bob's only
    response = alice_left.client(p.hr).post(
        alice_left.url(p.alice, "calibrate/"), {"to_grade": "B", "reason": "Back to B"}, follow=True
    )
    assert "no longer eligible" in text(response)
    assert alice_left.card(p.alice).grade == "A"


def test_the_confirmation_lists_what_goes_with_the_card(alice_left: Scored) -> None:
    p = alice_left.personas
    body = text(alice_left.client(p.hr).get(alice_left.url(p.alice, "remove/")))
    assert "1 calibration" in body and "Key account" in body
    assert "1 appeal" in body and "Two visits are missing" in body
    assert "not acknowledged" in body
    assert Scorecard.objects.filter(employee=p.alice).exists()  # a GET removes nothing


def test_hr_removes_the_card_with_its_calibrations_and_appeals_audited(alice_left: Scored) -> None:
    p = alice_left.personas
    card = alice_left.card(p.alice)
    response = alice_left.client(p.hr).post(alice_left.url(p.alice, "remove/"), follow=True)
    assert "was removed, with 1 calibration(s) and 1 appeal(s)" in text(response)
    assert not Scorecard.objects.filter(pk=card.pk).exists()
    assert not Calibration.objects.exists() and not Appeal.objects.filter(scorecard=card).exists()
    for model in (Scorecard, Calibration, Appeal):
        gone = model.history.filter(history_type="-").get()  # type: ignore[attr-defined]
        assert gone.history_user == p.hr.user


def test_an_eligible_card_cannot_be_removed(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.hr).post(scored_cycle.url(p.bob, "remove/"), follow=True)
    assert "Only the scorecard of someone no longer eligible can be removed" in text(response)
    assert Scorecard.objects.filter(employee=p.bob).exists()


def test_only_hr_opens_the_removal_page(alice_left: Scored) -> None:
    p = alice_left.personas
    for who in (p.sup, p.alice, p.exec):
        assert alice_left.client(who).get(alice_left.url(p.alice, "remove/")).status_code == 403
        assert alice_left.client(who).post(alice_left.url(p.alice, "remove/")).status_code == 403
    assert Scorecard.objects.filter(employee=p.alice).exists()


def test_calibrations_keep_a_history(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    moved = scorecard_calibrate(
        scorecard=scored_cycle.card(p.alice), to_grade="A", reason="Key account", user=p.sup.user
    )
    entry = moved.history.get()  # type: ignore[attr-defined]
    assert (entry.history_type, entry.to_grade, entry.history_user) == ("+", "A", p.sup.user)

"""The calibration board, moving a grade with its reason, and finalising a cycle."""

from __future__ import annotations

import html
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kaopei.assessment.models import Appeal, Calibration, Cycle, Metric, Target
from kaopei.assessment.services.calibration import appeal_create
from kaopei.assessment.services.cycles import cycle_set_status, cycle_update_settings
from kaopei.assessment.services.targets import targets_set
from kaopei.core.errors import ConflictError
from kaopei.core.models import Notification
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db
BOARD = "/assessment/cycles/2026Q1/calibration/"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def calibrate(s: Scored, who: Any, whose: Any, to: str, reason: str, **extra: str) -> Any:
    return s.client(who).post(
        s.url(whose, "calibrate/"), {"to_grade": to, "reason": reason, **extra}, follow=True
    )


# --- The board -------------------------------------------------------------------------------


def test_hr_sees_the_distribution_chart_and_every_card(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.hr).get(BOARD)
    body = text(response)
    assert response.status_code == 200
    assert "at most 20% of the scorecards in grade A" in body
    assert 'data-chart="kp-calibration-chart"' in body and "echarts.min.js" in body
    chart = response.context["chart"]
    assert [s["name"] for s in chart["series"]] == [
        "A",
        "B",
        "C",
        "Unqualified",
        "Insufficient data",
    ]
    json.dumps(chart)  # the spec is plain JSON
    assert response.context["totals"] == [0, 1, 1, 0, 0]
    assert p.alice.name in body and p.bob.name in body
    assert "Start calibration" in body


def test_the_board_narrows_to_a_unit_and_its_sub_units(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.hr).get(BOARD + "?unit=BJ")
    assert response.context["totals"] == [0, 1, 0, 0, 0]
    assert p.bob.name not in text(response)


def test_supervisor_sees_only_units_and_cards_in_scope(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.sup).get(BOARD)
    body = text(response)
    assert response.status_code == 200
    assert p.alice.name in body and p.bob.name not in body
    units = {u.code for u in response.context["form"].fields["unit"].queryset}
    assert units == {"BJ-T1"}
    assert "Finalise the cycle" not in body and "Start calibration" not in body
    # Choosing a unit outside the scope never widens it.
    assert scored_cycle.client(p.sup).get(BOARD + "?unit=SH-T1").context["totals"] == [
        0,
        1,
        0,
        0,
        0,
    ]


def test_executives_read_the_distribution_only(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.exec).get(BOARD)
    body = text(response)
    assert response.status_code == 200
    assert response.context["totals"] == [0, 1, 1, 0, 0]
    assert "Read-only" in body and p.alice.name not in body and "Move the grade" not in body
    assert scored_cycle.client(p.exec).post(BOARD, {"action": "start"}).status_code == 403


@pytest.mark.parametrize("who", ["alice", "trainer"])
def test_account_managers_and_trainers_cannot_open_the_board(
    scored_cycle: Scored, who: str
) -> None:
    response = scored_cycle.client(getattr(scored_cycle.personas, who)).get(BOARD)
    assert response.status_code == 403


def test_the_board_needs_a_login(scored_cycle: Scored) -> None:
    assert scored_cycle.client(None).get(BOARD).status_code == 302


def test_the_board_warns_when_a_exceeds_the_guideline(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    calibrate(scored_cycle, p.hr, p.alice, "A", "Led the biggest deal of the branch")
    body = text(scored_cycle.client(p.hr).get(BOARD))
    assert "Grade A is 50% of these scorecards, above the guideline of 20%" in body


# --- Moving a grade --------------------------------------------------------------------------


def test_supervisor_calibrates_with_a_reason_and_it_shows_on_the_card(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = calibrate(
        scored_cycle, p.sup, p.alice, "A", "Won the key account in March", next=BOARD
    )
    assert response.redirect_chain[-1][0] == BOARD
    assert "grade moved from B to A" in text(response)
    card = scored_cycle.card(p.alice)
    assert (card.grade, card.computed_grade) == ("A", "B")
    scored_cycle.cycle.refresh_from_db()
    assert scored_cycle.cycle.status == Cycle.Status.CALIBRATING
    body = text(scored_cycle.client(p.alice).get(scored_cycle.url(p.alice)))
    assert "Won the key account in March" in body and p.sup.name in body
    assert "Computed grade B, calibrated to A" in body


def test_a_calibration_without_a_reason_is_refused(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = calibrate(scored_cycle, p.hr, p.alice, "A", "")
    assert response.status_code == 200 and "Reason: This field is required." in text(response)
    response = calibrate(scored_cycle, p.hr, p.alice, "A", "ok")
    assert "at least 5 characters" in text(response)
    assert scored_cycle.card(p.alice).grade == "B" and not Calibration.objects.exists()


def test_a_vetoed_card_cannot_be_calibrated(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    scored_cycle.veto(p.bob)
    response = calibrate(scored_cycle, p.hr, p.bob, "B", "Incident was a misunderstanding")
    assert "cannot be calibrated: the veto and missing data decide it" in text(response)
    assert scored_cycle.card(p.bob).grade == "UNQUALIFIED"
    assert "Decided by the compliance veto" in text(scored_cycle.client(p.hr).get(BOARD))


def test_only_hr_and_supervisors_in_scope_calibrate(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert calibrate(scored_cycle, p.alice, p.alice, "A", "I deserve it").status_code == 403
    assert calibrate(scored_cycle, p.sup, p.bob, "A", "Not my team at all").status_code == 404
    assert calibrate(scored_cycle, p.exec, p.alice, "A", "Executive wish").status_code == 403
    assert not Calibration.objects.exists()
    assert scored_cycle.client(p.hr).get(scored_cycle.url(p.alice, "calibrate/")).status_code == 405


def test_a_final_cycle_cannot_be_calibrated(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    client = scored_cycle.client(p.hr)
    client.post(BOARD, {"action": "start"})
    client.post(BOARD, {"action": "finalise"})
    response = calibrate(scored_cycle, p.hr, p.alice, "A", "Too late for this")
    assert "is final" in text(response)
    assert scored_cycle.card(p.alice).grade == "B"


# --- Finalising ------------------------------------------------------------------------------


def test_hr_finalises_and_everyone_scored_is_notified(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    client = scored_cycle.client(p.hr)
    assert "Calibration of 2026Q1 has started." in text(
        client.post(BOARD, {"action": "start"}, follow=True)
    )
    body = text(client.get(BOARD))
    assert "Finalise the cycle" in body and "data-confirm" in body
    response = client.post(BOARD, {"action": "finalise"}, follow=True)
    assert "Cycle 2026Q1 is now final" in text(response)
    scored_cycle.cycle.refresh_from_db()
    assert scored_cycle.cycle.status == Cycle.Status.FINAL
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {p.alice.user_id, p.bob.user_id}


def test_finalising_waits_for_open_appeals(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal_create(
        scorecard=scored_cycle.card(p.alice),
        metric_code="visit_count",
        reason="Two visits are missing",
        user=p.alice.user,
    )
    client = scored_cycle.client(p.hr)
    client.post(BOARD, {"action": "start"})
    assert "1 appeal is still open" in text(client.get(BOARD))
    response = client.post(BOARD, {"action": "finalise"}, follow=True)
    assert "Resolve the open appeals before finalising" in text(response)
    scored_cycle.cycle.refresh_from_db()
    assert scored_cycle.cycle.status == Cycle.Status.CALIBRATING
    assert Appeal.objects.count() == 1
    assert not Notification.objects.filter(kind="cycle_final").exists()  # only the appeal's


def test_only_hr_changes_the_cycle_and_bad_actions_are_refused(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert scored_cycle.client(p.sup).post(BOARD, {"action": "finalise"}).status_code == 403
    response = scored_cycle.client(p.hr).post(BOARD, {"action": "finalise"}, follow=True)
    assert "cannot go from" in text(response)  # scored → final skips calibration
    assert "Unknown action." in text(
        scored_cycle.client(p.hr).post(BOARD, {"action": "explode"}, follow=True)
    )
    scored_cycle.cycle.refresh_from_db()
    assert scored_cycle.cycle.status == Cycle.Status.SCORED


# --- Each change of a cycle works on the cycle as it is now (issue 8, finding 1) -------------
# The races themselves are in test_concurrency.py (PostgreSQL); these are the single-request
# halves: the services read the cycle afresh under its lock and save only their own fields.


def test_settings_from_a_copy_read_before_finalising_are_refused(scored_cycle: Scored) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    stale = Cycle.objects.get(pk=s.cycle.pk)  # an HR page opened before the cycle was final
    cycle = cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=hr)
    cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL, user=hr)

    with translation.override("en"), pytest.raises(ConflictError, match="is final"):
        cycle_update_settings(cycle=stale, user=hr, appeal_deadline=date(2026, 6, 1))

    fresh = Cycle.objects.get(pk=s.cycle.pk)
    assert fresh.status == Cycle.Status.FINAL and fresh.appeal_deadline is None


def test_changing_settings_saves_the_settings_only(scored_cycle: Scored) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    stale = Cycle.objects.get(pk=s.cycle.pk)
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=hr)

    cycle_update_settings(cycle=stale, user=hr, appeal_deadline=date(2026, 6, 1))

    fresh = Cycle.objects.get(pk=s.cycle.pk)
    assert fresh.status == Cycle.Status.CALIBRATING  # not the copy's "scored"
    assert fresh.appeal_deadline == date(2026, 6, 1)
    latest = fresh.history.latest("history_id")  # type: ignore[attr-defined]
    assert latest.history_user == hr and latest.status == Cycle.Status.CALIBRATING


def test_a_scoring_run_records_the_cycle_once_with_its_scorer(scored_cycle: Scored) -> None:
    s = scored_cycle
    before = s.cycle.history.count()  # type: ignore[attr-defined]
    s.rescore()
    latest = s.cycle.history.latest("history_id")  # type: ignore[attr-defined]
    assert s.cycle.history.count() == before + 1  # type: ignore[attr-defined]
    assert latest.history_user == s.personas.hr.user and latest.scored_at == s.cycle.scored_at
    assert latest.status == Cycle.Status.SCORED


def test_the_first_calibration_moves_the_cycle_to_calibrating_in_its_history(
    scored_cycle: Scored,
) -> None:
    s = scored_cycle
    p = s.personas
    calibrate(s, p.sup, p.alice, "A", "Opened three new key accounts")
    s.cycle.refresh_from_db()
    assert s.cycle.status == Cycle.Status.CALIBRATING
    latest = s.cycle.history.latest("history_id")  # type: ignore[attr-defined]
    assert latest.status == Cycle.Status.CALIBRATING and latest.history_user == p.sup.user


def test_targets_from_a_copy_read_before_finalising_are_refused(scored_cycle: Scored) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    stale = Cycle.objects.get(pk=s.cycle.pk)
    cycle = cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=hr)
    cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL, user=hr)
    visits = Metric.objects.get(code="visit_count")
    with pytest.raises(ConflictError):
        targets_set(cycle=stale, values={(s.personas.alice.pk, visits.pk): Decimal(5)})
    assert Target.objects.get(cycle=stale, employee=s.personas.alice, metric=visits).value == 10


def test_the_board_is_computed_by_a_selector_returning_its_figures(scored_cycle: Scored) -> None:
    from kaopei.assessment.selectors import CalibrationBoard, calibration_board

    p = scored_cycle.personas
    board = calibration_board(user=p.hr.user, cycle=scored_cycle.cycle)
    assert isinstance(board, CalibrationBoard)
    assert board.grades[:3] == ("A", "B", "C") and board.n_all == 2
    assert dict(zip(board.grades, board.totals, strict=True))["B"] == 1
    assert board.top_share == 0 and not board.over

"""competency_360 and team_collaboration count displayed scores only (DESIGN.md §5, §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaopei.assessment.metrics import compute_metrics
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.periods import parse_period
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.services.responses import Score, response_store
from kaopei.org.models import Competency
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_360_metrics_use_displayed_scores_only(personas: Personas) -> None:
    cycle = cycle_get_or_create(code="2026Q1")
    rnd = FeedbackRound.objects.create(cycle=cycle)
    talk = Competency.objects.create(code="talk", name="沟通", category="soft")
    team = Competency.objects.create(code="team", name="协作", category="collaboration")
    alice = personas.alice

    def answer(relationship: str, talk_score: int, team_score: int, rater: int | None = None):  # type: ignore[no-untyped-def]
        response_store(
            feedback_round=rnd,
            subject_id=alice.pk,
            relationship=relationship,
            rater_id=rater,
            scores={talk.pk: Score(talk_score), team.pk: Score(team_score)},
        )

    answer("self", 5, 5, rater=alice.pk)  # self never counts
    answer("supervisor", 3, 4, rater=personas.sup.pk)
    for s in (4, 4, 5):
        answer("customer", s, 2)
    answer("peer", 1, 1)  # alone: withheld (pool of 1)
    codes = ["competency_360", "team_collaboration"]
    # While the round is open nothing counts: one more answer would move the value.
    assert compute_metrics(codes, period=parse_period("2026Q1"), cycle_id=cycle.pk) == {
        "competency_360": {},
        "team_collaboration": {},
    }
    rnd.status = FeedbackRound.Status.CLOSED
    rnd.save()
    values = compute_metrics(
        ["competency_360", "team_collaboration"], period=parse_period("2026Q1"), cycle_id=cycle.pk
    )
    # talk: 3, 4, 4, 5; team: 4, 2, 2, 2 — the peer's 1s are withheld.
    assert values["competency_360"][alice.pk].actual == Decimal(26) / 8
    assert values["team_collaboration"][alice.pk].actual == Decimal(10) / 4
    assert personas.bob.pk not in values["competency_360"]


def test_one_scoring_run_reads_the_rounds_rows_once_for_both_metrics(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaopei.feedback.selectors import reports

    cycle = cycle_get_or_create(code="2026Q1")
    FeedbackRound.objects.create(cycle=cycle, status=FeedbackRound.Status.CLOSED)
    calls: list[int] = []
    real = reports.round_report_rows

    def counting(round_id: int, subject_ids: object = None) -> object:
        calls.append(round_id)
        return real(round_id)

    monkeypatch.setattr(reports, "round_report_rows", counting)
    codes = ["competency_360", "team_collaboration"]
    compute_metrics(codes, period=parse_period("2026Q1"), cycle_id=cycle.pk)
    assert len(calls) == 1
    compute_metrics(codes, period=parse_period("2026Q1"), cycle_id=cycle.pk)
    assert len(calls) == 2  # a new run reads them afresh

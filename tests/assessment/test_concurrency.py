"""Two requests at once on one cycle (issue 8, findings 1–3).

Each request runs in a thread of its own, so with its own database connection and
transaction; a barrier (or an event) starts them together. They need PostgreSQL, where
writers really run side by side (SQLite serialises them with ``BEGIN IMMEDIATE``): on
SQLite they skip, and ``run.py`` runs them in its PostgreSQL pass. The single-request
behaviour behind each defence is tested in the files of its service, on both databases.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kaopei.assessment.models import Appeal, Cycle, Scorecard, ScoreLine
from kaopei.assessment.services import scoring as scoring_service
from kaopei.assessment.services.calibration import appeal_create, appeal_resolve
from kaopei.assessment.services.cycles import cycle_set_status
from kaopei.assessment.services.scoring import cycle_score
from kaopei.core.errors import ConflictError
from kaopei.core.models import Job
from tests.assessment.conftest import SCORED_ON, Scored
from tests.concurrency import CONCURRENT_WRITERS, at_once

pytestmark = CONCURRENT_WRITERS


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


PAUSE = 0.5  # seconds a request holds still so that the other one can collide with it


def errors(results: list[Any]) -> list[Exception]:
    return [r for r in results if isinstance(r, Exception)]


def pause_scoring_midway(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make each scoring run wait a moment after reading the cycle and its cards, before it
    writes anything; the event is set when the first one gets there."""
    reached = threading.Event()
    compute = scoring_service.compute_metrics

    def slow_compute(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        time.sleep(PAUSE)
        return compute(*args, **kwargs)

    monkeypatch.setattr(scoring_service, "compute_metrics", slow_compute)
    return reached


def calibrating(s: Scored) -> Cycle:
    return cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING)


# --- finding 1: a final cycle stays final ---------------------------------------------------


def test_finalising_during_a_scoring_run_leaves_the_cycle_final(
    scored_cycle: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    cycle = calibrating(s)
    reached = pause_scoring_midway(monkeypatch)

    def finalise_once_scoring_runs() -> Cycle:
        assert reached.wait(timeout=10)
        return cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL, user=hr)

    results = at_once(
        lambda: cycle_score(code=cycle.code, user=hr, today=SCORED_ON), finalise_once_scoring_runs
    )

    assert errors(results) == []  # the finalisation waited for the scoring run, then won
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.FINAL and cycle.finalised_at is not None
    latest = cycle.history.order_by("-history_date", "-history_id").first()  # type: ignore[attr-defined]
    assert latest.status == Cycle.Status.FINAL and latest.finalised_at is not None


def test_a_scoring_run_that_finds_the_cycle_final_stops_and_writes_nothing(
    scored_cycle: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    cycle = calibrating(s)
    scored_at = Cycle.objects.get(pk=cycle.pk).scored_at
    card_history = Scorecard.history.count()  # type: ignore[attr-defined]
    from kaopei.assessment.services import notifications

    locked = threading.Event()
    notify = notifications.notify_cycle_final

    def slow_notify(**kwargs: Any) -> Any:  # runs inside the finalising transaction
        locked.set()
        time.sleep(PAUSE)
        return notify(**kwargs)

    monkeypatch.setattr(notifications, "notify_cycle_final", slow_notify)

    def score_while_finalising() -> Any:
        assert locked.wait(timeout=10)
        return cycle_score(code=cycle.code, user=hr, today=SCORED_ON)

    finalised, scoring = at_once(
        lambda: cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL, user=hr),
        score_while_finalising,
    )

    assert isinstance(finalised, Cycle)
    assert isinstance(scoring, ConflictError) and "is final" in str(scoring.message)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.FINAL and cycle.scored_at == scored_at
    assert Scorecard.history.count() == card_history  # type: ignore[attr-defined]


# --- finding 2: one open appeal per line ----------------------------------------------------


def test_four_simultaneous_appeals_of_one_line_open_one(scored_cycle: Scored) -> None:
    s = scored_cycle
    alice = s.personas.alice
    card = s.card(alice)

    def appeal() -> Appeal:
        return appeal_create(
            scorecard=card,
            metric_code="visit_count",
            reason="Two visits on 3 March are missing",
            user=alice.user,
        )

    results = at_once(appeal, appeal, appeal, appeal)

    assert Appeal.objects.filter(scorecard=card, status=Appeal.Status.OPEN).count() == 1
    assert sum(isinstance(r, Appeal) for r in results) == 1
    refused = errors(results)
    assert len(refused) == 3
    assert all(
        isinstance(e, ConflictError) and "already an open appeal on this line" in str(e.message)
        for e in refused
    )


def test_two_supervisors_answering_one_appeal_at_once_answer_it_once(
    scored_cycle: Scored,
) -> None:
    s = scored_cycle
    p = s.personas
    item = appeal_create(
        scorecard=s.card(p.alice),
        metric_code="visit_count",
        reason="Two visits on 3 March are missing",
        user=p.alice.user,
    )

    results = at_once(
        lambda: appeal_resolve(appeal=item, accept=False, answer="Not in CRM", user=p.sup.user),
        lambda: appeal_resolve(
            appeal=item,
            accept=True,
            answer="Two visits in the branch log",
            override=Decimal(10),  # accepting needs a correction or an override
            user=p.hr.user,
            rescore=False,
        ),
    )

    assert sum(isinstance(r, Appeal) for r in results) == 1
    (refused,) = errors(results)
    assert isinstance(refused, ConflictError) and "already been answered" in str(refused.message)
    item.refresh_from_db()
    assert item.status != Appeal.Status.OPEN
    assert item.history.filter(status=item.status).count() == 1  # type: ignore[attr-defined]


# --- finding 3: one scoring job per cycle ---------------------------------------------------


def test_simultaneous_score_requests_get_the_same_job(
    scored_cycle: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaopei.core import jobs

    monkeypatch.setattr(jobs, "job_run", lambda *, job_id: None)  # the jobs stay queued
    hr = scored_cycle.personas.hr

    def post() -> Any:
        client = scored_cycle.personas.client(hr)
        response = client.post("/api/v1/cycles/2026Q1/score")
        return response.status_code, response.json()["id"]

    results = at_once(post, post, post, post)

    assert errors(results) == []
    assert {status for status, _ in results} == {202}
    assert len({job_id for _, job_id in results}) == 1
    assert Job.objects.filter(kind="score").count() == 1


def test_overlapping_scoring_runs_both_succeed_one_after_the_other(
    scored_cycle: Scored, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scored_cycle
    hr = s.personas.hr.user
    Scorecard.objects.filter(cycle=s.cycle).delete()  # both runs would create every card
    before = Scorecard.history.latest("history_id").history_id  # type: ignore[attr-defined]
    pause_scoring_midway(monkeypatch)

    def score() -> Any:
        return cycle_score(code=s.cycle.code, user=hr, today=SCORED_ON)

    first, second = at_once(score, score)

    assert errors([first, second]) == []
    assert first.as_dict() == second.as_dict()
    cards = Scorecard.objects.filter(cycle=s.cycle)
    assert sorted(cards.values_list("employee__employee_no", flat=True)) == ["A001", "B001"]
    assert dict(cards.values_list("employee__employee_no", "total")) == {
        "A001": Decimal("105.11"),
        "B001": Decimal("10.00"),
    }
    lines = Counter(ScoreLine.objects.filter(scorecard__cycle=s.cycle).values_list("scorecard_id"))
    assert sorted(lines.values()) == [4, 4]  # one set of lines per card, not two
    kinds = Counter(
        Scorecard.history.filter(history_id__gt=before).values_list("history_type", flat=True)  # type: ignore[attr-defined]
    )
    assert kinds["+"] == 2 and kinds["~"] == 2  # created by the first run, changed by the second

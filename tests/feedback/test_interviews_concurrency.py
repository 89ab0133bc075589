"""Two people acting on one interview, or one action, at the same moment.

Each call runs in a thread of its own, so with its own database connection and transaction;
a barrier starts them together. They need PostgreSQL, where writers really run side by side
(SQLite serialises them): on SQLite they skip.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ConflictError
from kaopei.feedback.models import ActionItem, Interview
from kaopei.feedback.services import meetings as svc
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas

pytestmark = CONCURRENT_WRITERS

DAY = date(2026, 3, 20)
PAUSE = 0.5  # seconds the first call holds its lock so that the other one collides with it


@pytest.fixture
def held(personas: Personas) -> Interview:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SCORED)
    cycle.refresh_from_db()
    interview = svc.interview_plan(
        employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.sup.user
    )
    return svc.interview_record(
        interview=interview, scheduled_on=DAY, feedback="Good", held=True, user=personas.sup.user
    )


def slow_notify(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service notifies while it still holds the row: make that last a moment."""
    real = svc.notify

    def notify(**kwargs: Any) -> int:
        time.sleep(PAUSE)
        return real(**kwargs)

    monkeypatch.setattr(svc, "notify", notify)


def later(call: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        time.sleep(PAUSE / 5)
        return call()

    return run


def test_both_parties_acknowledging_at_once_both_succeed(
    personas: Personas, held: Interview
) -> None:
    results = at_once(
        lambda: svc.interview_acknowledge(interview=held, user=personas.alice.user, comment="OK"),
        lambda: svc.interview_acknowledge(interview=held, user=personas.sup.user),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    held.refresh_from_db()
    assert held.status == Interview.Status.ACKNOWLEDGED
    assert held.employee_acknowledged_at and held.interviewer_acknowledged_at
    assert held.employee_comment == "OK"


def test_the_same_person_acknowledging_twice_at_once_counts_once(
    personas: Personas, held: Interview
) -> None:
    results = at_once(
        lambda: svc.interview_acknowledge(interview=held, user=personas.alice.user),
        lambda: svc.interview_acknowledge(interview=held, user=personas.alice.user),
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ConflictError), results
    assert "already acknowledged" in str(refused[0].message)


def test_an_edit_racing_an_acknowledgement_is_refused_cleanly(
    personas: Personas, held: Interview, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_notify(monkeypatch)
    results = at_once(
        lambda: svc.interview_acknowledge(interview=held, user=personas.alice.user),
        later(
            lambda: svc.interview_record(
                interview=held,
                scheduled_on=DAY,
                feedback="Rewritten after the fact",
                held=True,
                user=personas.sup.user,
            )
        ),
    )
    assert isinstance(results[0], Interview), results
    assert isinstance(results[1], ConflictError), results
    assert "already been acknowledged" in str(results[1].message)
    held.refresh_from_db()
    assert held.supervisor_feedback == "Good"


def test_done_and_dropped_at_once_one_wins_and_the_other_is_told(
    personas: Personas, held: Interview, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = ActionItem.objects.create(
        interview=held, text="Call lapsed customers", owner=personas.alice, due_on=DAY
    )
    results = at_once(
        lambda: svc.action_item_set_status(action=action, status="done", user=personas.alice.user),
        lambda: svc.action_item_set_status(action=action, status="dropped", user=personas.sup.user),
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ConflictError), results
    action.refresh_from_db()
    assert action.status in (ActionItem.Status.DONE, ActionItem.Status.DROPPED)

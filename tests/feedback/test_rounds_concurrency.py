"""Two people acting on one 360 round at once (PostgreSQL only: SQLite serialises writers).

Every change of a round locks its row first, so the second one waits and then sees what
the first one did."""

from __future__ import annotations

from typing import Any

import pytest

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ConflictError
from kaopei.feedback.models import FeedbackRound, Invitation, RoundSubject
from kaopei.feedback.services import rounds as svc
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.matrix.feedback_rounds import make_round, published_questionnaire

pytestmark = CONCURRENT_WRITERS


@pytest.fixture
def prepared() -> tuple[Any, FeedbackRound]:
    p = build_personas()
    r = make_round(
        cycle_get_or_create(code="2026Q1"),
        questionnaire=published_questionnaire(),
        user=p.hr.user,
        units=[],
    )
    RoundSubject.objects.create(round=r, employee=p.alice)
    svc.feedback_round_propose_raters(feedback_round=r)
    return p, r


def test_two_opens_at_once_invite_once(prepared: tuple[Any, FeedbackRound]) -> None:
    p, r = prepared
    results = at_once(
        lambda: svc.feedback_round_open(feedback_round=r, user=p.hr.user),
        lambda: svc.feedback_round_open(feedback_round=r, user=p.hr.user),
    )
    refused = [x for x in results if isinstance(x, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ConflictError)
    assert FeedbackRound.objects.get(pk=r.pk).status == FeedbackRound.Status.OPEN
    from kaopei.core.models import Notification

    assert Notification.objects.filter(kind="feedback_invitation", user=p.alice.user).count() == 1


def test_closing_while_a_rater_is_added_never_leaves_a_live_link(
    prepared: tuple[Any, FeedbackRound],
) -> None:
    from datetime import date

    from kaopei.facts.models import Customer

    p, r = prepared
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    customer = Customer.objects.create(
        customer_no="CX", name="甲", owner=p.alice, acquired_on=date(2025, 1, 1)
    )
    results = at_once(
        lambda: svc.feedback_round_close(feedback_round=r, user=p.hr.user),
        lambda: svc.invitation_add(
            feedback_round=r,
            subject=p.alice,
            user=p.sup.user,
            customer=customer,
            customer_email="buyer@example.com",
        ),
    )
    assert not isinstance(results[0], Exception)
    # Either the customer was added before the close (and its link died with it) or the
    # add came second and was refused: no working link survives a closed round.
    assert not Invitation.objects.filter(round=r).exclude(token_hash="").exists()
    if isinstance(results[1], Exception):
        assert isinstance(results[1], ConflictError)
        assert not Invitation.objects.filter(round=r, customer=customer).exists()

"""Two submissions of one survey link at once store one answer (PostgreSQL: each request
in its own thread and connection; SQLite serialises writers, so these skip there)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from kaopei.facts.models import Customer, SurveyResponse
from kaopei.feedback.models import SurveyInvitation
from kaopei.feedback.services import surveys as services
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas

pytestmark = CONCURRENT_WRITERS

PAUSE = 0.5


def test_two_submissions_of_one_link_at_once_store_one_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = build_personas()
    customer = Customer.objects.create(
        customer_no="C001", name="甲公司", owner=p.alice, acquired_on=date(2025, 1, 1)
    )
    sent = services.survey_invitations_send(
        employee=p.alice,
        customer_ids=[customer.pk],
        emails={customer.pk: "buyer@example.com"},
        user=p.sup.user,
    )
    token = sent[0].url.rstrip("/").rsplit("/", 1)[1]
    make_id = services._response_id

    def slow_id() -> str:  # runs while the invitation row is locked
        time.sleep(PAUSE)
        return make_id()

    monkeypatch.setattr(services, "_response_id", slow_id)
    results = at_once(
        lambda: services.survey_answer(raw_token=token, nps=10, csat=5),
        lambda: services.survey_answer(raw_token=token, nps=0, csat=1),
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], services.SurveyLinkUnusable)
    assert SurveyResponse.objects.count() == 1
    invitation = SurveyInvitation.objects.get()
    assert invitation.status == SurveyInvitation.Status.ANSWERED
    assert invitation.response == SurveyResponse.objects.get()

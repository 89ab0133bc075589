"""Two submissions of one invitation at once store one response (PostgreSQL: each runs in
a thread with its own connection; SQLite serialises writers, so these skip there)."""

from __future__ import annotations

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import Answer, Invitation, Response
from kaopei.feedback.services.answering import (
    LinkUnusable,
    invitation_answer,
    invitation_answer_by_token,
)
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas
from tests.feedback.answering_factories import invite, invite_customer, make_round, make_survey

pytestmark = CONCURRENT_WRITERS


def test_two_submissions_of_one_invitation_at_once_store_one_response(
    personas: Personas,
) -> None:
    survey = make_survey()
    rnd = make_round(survey)
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    answers = {item.pk: 4 for item in survey.items}

    def submit() -> None:
        invitation_answer(
            invitation=invitation, rater_id=personas.alice.pk, answers=answers, comments={}
        )

    for _attempt in range(3):
        Response.objects.all().delete()
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.INVITED)
        results = at_once(submit, submit)
        refused = [r for r in results if isinstance(r, ApplicationError)]
        assert len(refused) == 1 and isinstance(refused[0], ConflictError), results
        assert "already answered" in str(refused[0].message)
        assert Response.objects.count() == 1
        assert Answer.objects.count() == 2


def test_two_submissions_of_one_customer_link_at_once_store_one_response(
    personas: Personas,
) -> None:
    survey = make_survey()
    rnd = make_round(survey)
    answers = {item.pk: 5 for item in survey.items}
    for attempt in range(3):
        raw = f"concurrent-link-{attempt}"
        invite_customer(rnd, personas.alice, raw, customer_no=f"CC{attempt}")

        def submit(raw: str = raw) -> None:
            invitation_answer_by_token(raw=raw, answers=answers, comments={})

        results = at_once(submit, submit)
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(refused) == 1 and isinstance(refused[0], LinkUnusable), results
        assert Response.objects.filter(relationship="customer").count() == attempt + 1

"""A person's anonymous 360 answers come from Kaopei or from an import, never both: known
answers imported into a group could otherwise be subtracted from its mean (DESIGN §7)."""

from __future__ import annotations

import pytest
from django.utils import translation

from kaopei.core.errors import ConflictError
from kaopei.feedback.models import Invitation, Response
from kaopei.feedback.services.answering import invitation_answer
from kaopei.feedback.services.responses import Score, response_store
from tests.conftest import Personas
from tests.feedback.answering_factories import invite, make_round, make_survey

pytestmark = pytest.mark.django_db


def test_a_peer_cannot_answer_in_kaopei_about_someone_whose_answers_were_imported(
    personas: Personas,
) -> None:
    survey = make_survey()
    rnd = make_round(survey)
    response_store(
        feedback_round=rnd,
        subject_id=personas.alice.pk,
        relationship="peer",
        rater_id=None,
        scores={survey.talk.pk: Score(2)},
        source=Response.Source.IMPORT,
    )
    invitation = invite(rnd, personas.alice, "peer", personas.bob)
    answers = {item.pk: 4 for item in survey.items}
    with translation.override("en"), pytest.raises(ConflictError, match="imported"):
        invitation_answer(
            invitation=invitation, rater_id=personas.bob.pk, answers=answers, comments={}
        )
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED
    # Her self-assessment is attributed: it may still be given in Kaopei.
    own = invite(rnd, personas.alice, "self", personas.alice)
    invitation_answer(invitation=own, rater_id=personas.alice.pk, answers=answers, comments={})
    assert Response.objects.filter(relationship="self").count() == 1

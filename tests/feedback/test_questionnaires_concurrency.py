"""Two HR admins editing one questionnaire at once (PostgreSQL; SQLite serialises writers):
the questionnaire's row is locked, so they cannot pass the item limit together, nor add an
item to a version while it is being published."""

from __future__ import annotations

from typing import Any

from kaopei.core.errors import ApplicationError
from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from kaopei.feedback.models.rounds import MAX_ITEMS
from kaopei.feedback.services import questionnaires as services
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas
from tests.feedback.answering_factories import make_competency

pytestmark = CONCURRENT_WRITERS


def test_two_editors_cannot_pass_the_item_limit_together(personas: Personas) -> None:
    talk = make_competency("talk", "沟通", "Communication")
    q = Questionnaire.objects.create(code="Q", name="问卷")
    for n in range(MAX_ITEMS - 1):
        QuestionnaireItem.objects.create(questionnaire=q, competency=talk, text=f"s{n}")

    def add() -> Any:
        return services.questionnaire_item_add(
            questionnaire=q, competency=talk, text="one more", user=personas.hr.user
        )

    results = at_once(add, add)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ApplicationError), results
    assert QuestionnaireItem.objects.filter(questionnaire=q).count() == MAX_ITEMS


def test_an_item_is_not_added_to_a_version_published_meanwhile(personas: Personas) -> None:
    talk = make_competency("talk", "沟通", "Communication")
    q = Questionnaire.objects.create(code="Q", name="问卷")
    QuestionnaireItem.objects.create(questionnaire=q, competency=talk, text="s")

    def add() -> Any:
        return services.questionnaire_item_add(
            questionnaire=q, competency=talk, text="late", user=personas.hr.user
        )

    def publish() -> Any:
        return services.questionnaire_publish(questionnaire=q, user=personas.hr.user)

    results = at_once(add, publish)
    q.refresh_from_db()
    assert q.status == "published"
    items = QuestionnaireItem.objects.filter(questionnaire=q).count()
    # Either the item came first and was published with it, or it was refused.
    assert (items == 2 and not isinstance(results[0], Exception)) or (
        items == 1 and isinstance(results[0], ApplicationError)
    )

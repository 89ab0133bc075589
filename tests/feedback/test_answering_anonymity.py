"""What answering stores, and what it never stores (DESIGN.md §7 ⚑): a peer's or a
customer's answer holds no rater, no time, no link to the invitation; the invitation only
says that it was completed; no audit history is written; the rater's ids appear in no
written row of the response tables."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaopei.feedback.models import Answer, FeedbackRound, Invitation, Response
from tests.conftest import Personas
from tests.factories import EmployeeFactory, UserFactory
from tests.feedback.answering_factories import (
    Survey,
    full_answers,
    invite,
    invite_customer,
    make_round,
    make_survey,
    sha,
)

pytestmark = pytest.mark.django_db

# Ids no other value of the written rows can take by chance (a score, a count, a small id).
RATER_USER_ID = 876_543
RATER_EMPLOYEE_ID = 987_654


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey()


@pytest.fixture
def rnd(survey: Survey) -> FeedbackRound:
    return make_round(survey)


@pytest.fixture
def peer(personas: Personas) -> Any:
    user = UserFactory(id=RATER_USER_ID, username="P777", roles=["account_manager"])
    return EmployeeFactory(
        pk=RATER_EMPLOYEE_ID,
        employee_no="P777",
        name="裴同",
        org_unit=personas.bj_t1,
        level=personas.am1,
        supervisor=personas.sup,
        user=user,
    )


def writes(queries: list[dict[str, Any]]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_peers_answer_is_stored_with_no_rater_no_time_and_no_history(
    personas: Personas, survey: Survey, rnd: FeedbackRound, peer: Any
) -> None:
    invitation = invite(rnd, personas.alice, "peer", peer)
    before = Invitation.objects.filter(pk=invitation.pk).values().get()
    client = personas.client(peer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("feedback:answer", args=[invitation.pk]), full_answers(survey)
        )
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.rater_id is None and stored.relationship == "peer"
    # A response has no time at all and a random key.
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "round",
        "subject",
        "relationship",
        "rater",
        "source",
        "import_batch",
    }
    # The invitation changed its status and nothing else: no field says when.
    after = Invitation.objects.filter(pk=invitation.pk).values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"status"} and after["status"] == "completed"
    sql = writes(ctx.captured_queries)
    assert not [s for s in sql if "historical" in s.lower()], "an audit row was written"
    assert not [s for s in sql if "core_notification" in s.lower()], "someone was notified"
    # The rater's ids appear in no written row of the response tables.
    answer_rows = [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        and ('"feedback_response"' in q["sql"] or '"feedback_answer"' in q["sql"])
    ]
    assert answer_rows
    for q in answer_rows:
        assert str(RATER_EMPLOYEE_ID) not in q["sql"] and str(RATER_USER_ID) not in q["sql"]
    rows = list(Response.objects.values_list()) + list(Answer.objects.values_list())
    for row in rows:
        assert RATER_EMPLOYEE_ID not in row and RATER_USER_ID not in row
        assert str(RATER_EMPLOYEE_ID) not in map(str, row)


def test_the_responses_have_no_history_tables_at_all() -> None:
    for model in (Response, Answer, Invitation):
        assert not hasattr(model, "history"), model.__name__


def test_a_customers_answer_keeps_neither_the_token_nor_the_customer(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    raw = "anonymity-raw-token-0123456789"
    invitation = invite_customer(rnd, personas.alice, raw)
    with CaptureQueriesContext(connection) as ctx:
        personas.client(None).post(
            reverse("feedback:answer_by_token", args=[raw]), full_answers(survey)
        )
    stored = Response.objects.get()
    assert (stored.relationship, stored.rater_id) == ("customer", None)
    text = " ".join(
        f"{q['sql']}"
        for q in ctx.captured_queries
        if '"feedback_response"' in q["sql"] or '"feedback_answer"' in q["sql"]
    )
    assert sha(raw) not in text and raw not in text
    assert not [s for s in writes(ctx.captured_queries) if "historical" in s.lower()]
    invitation.refresh_from_db()
    assert invitation.status == "completed" and invitation.token_hash == ""


def test_the_answers_never_reach_the_log(
    personas: Personas, survey: Survey, rnd: FeedbackRound, caplog: Any
) -> None:
    invitation = invite(rnd, personas.alice, "peer", personas.bob)
    data = {**full_answers(survey), f"comment-{survey.talk.pk}": "secret remark about alice"}
    with caplog.at_level(logging.DEBUG):
        personas.client(personas.bob).post(reverse("feedback:answer", args=[invitation.pk]), data)
    assert "secret remark" not in caplog.text

"""The answering API keeps the pages' rules and messages, in JSON, and never answers 500."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from kaopei.core.services import api_token_create
from kaopei.feedback.models import Answer, FeedbackRound, Invitation, Response
from tests.conftest import Personas
from tests.feedback.answering_factories import (
    Survey,
    invite,
    invite_customer,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/feedback"
RAW = "api-raw-link-token-0123456789"


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey()


@pytest.fixture
def rnd(survey: Survey) -> FeedbackRound:
    return make_round(survey)


def client_for(who: Any) -> Client:
    _token, raw = api_token_create(user=who.user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def body(survey: Survey, scores: tuple[Any, ...] = (4, 5, 3), **extra: Any) -> dict[str, Any]:
    return {
        "answers": [
            {"item_id": item.pk, "score": s} for item, s in zip(survey.items, scores, strict=False)
        ],
        **extra,
    }


def send(client: Client, path: str, data: Any) -> Any:
    return client.post(path, data, content_type="application/json")


def test_my_invitations_are_listed_and_others_are_not(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    invite(rnd, personas.alice, "supervisor", personas.sup)
    listed = client_for(personas.alice).get(f"{BASE}/invitations").json()
    assert [(i["id"], i["subject"], i["relationship"], i["answered"]) for i in listed] == [
        (mine.pk, personas.bob.name, "peer", False)
    ]
    assert listed[0]["cycle"] == "2025Q4"


def test_one_of_my_invitations_comes_with_its_questionnaire_and_anchors(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    data = client_for(personas.alice).get(f"{BASE}/invitations/{mine.pk}").json()
    assert data["accepts_answers"] is True
    talk = data["competencies"][0]
    assert talk["competency"] == survey.talk.code
    assert [a["level"] for a in talk["anchors"]] == [1, 2, 3, 4, 5]
    assert [i["item_id"] for i in talk["items"]] == [survey.items[0].pk, survey.items[1].pk]


def test_another_persons_invitation_is_a_404(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    bob = client_for(personas.bob)
    assert bob.get(f"{BASE}/invitations/{mine.pk}").status_code == 404
    assert send(bob, f"{BASE}/invitations/{mine.pk}/answers", body(survey)).status_code == 404
    assert bob.get(f"{BASE}/invitations/99999999999999999999").status_code in (404, 422)
    assert not Response.objects.exists()


def test_answering_stores_the_mean_of_items_and_a_second_answer_is_a_409(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.bob, "subordinate", personas.alice)
    alice = client_for(personas.alice)
    path = f"{BASE}/invitations/{mine.pk}/answers"
    comments = [{"competency": survey.team.code, "text": "Shares leads"}]
    first = send(alice, path, body(survey, comments=comments))
    assert first.status_code == 201, first.content
    assert "4" not in first.json()["detail"] and "5" not in first.json()["detail"]
    response = Response.objects.get()
    assert (response.relationship, response.rater_id) == ("subordinate", None)
    assert Answer.objects.get(competency=survey.talk).score == 4.5
    assert Answer.objects.get(competency=survey.team).comment == "Shares leads"
    again = send(alice, path, body(survey))
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ("half", 400, "Every item needs a score"),
        ("zero", 400, "whole number from 1 to 5"),
        ("six", 400, "whole number from 1 to 5"),
        ("huge", 400, "whole number from 1 to 5"),
        ("twice", 400, "more than once"),
        ("stranger item", 400, "not on this questionnaire"),
        ("stranger comment", 400, "not on this questionnaire"),
        ("text score", 422, "Invalid request"),
        ("no answers", 422, "Invalid request"),
        ("not json", 400, ""),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message_and_nothing_stored(
    personas: Personas, survey: Survey, rnd: FeedbackRound, payload: str, status: int, words: str
) -> None:
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    items = survey.items
    data: Any = {
        "half": body(survey, (4, 5)),
        "zero": body(survey, (0, 5, 3)),
        "six": body(survey, (6, 5, 3)),
        "huge": body(survey, (10**30, 5, 3)),
        "twice": {"answers": [{"item_id": items[0].pk, "score": 3}] * 2},
        "stranger item": body(survey, (1, 2, 3))
        | {"answers": [*body(survey)["answers"], {"item_id": 987654, "score": 3}]},
        "stranger comment": body(survey, comments=[{"competency": "nope", "text": "x"}]),
        "text score": {"answers": [{"item_id": items[0].pk, "score": "many"}]},
        "no answers": {},
        "not json": "{not json",
    }[payload]
    response = send(client_for(personas.alice), f"{BASE}/invitations/{mine.pk}/answers", data)
    assert response.status_code in ((400, 422) if payload == "not json" else (status,))
    assert words in response.json()["detail"]
    assert not Response.objects.exists()
    mine.refresh_from_db()
    assert mine.status == Invitation.Status.INVITED


def test_a_closed_round_is_a_409(personas: Personas, survey: Survey) -> None:
    rnd = make_round(survey, status=FeedbackRound.Status.CLOSED)
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    response = send(
        client_for(personas.alice), f"{BASE}/invitations/{mine.pk}/answers", body(survey)
    )
    assert response.status_code == 409
    assert "not taking answers" in response.json()["detail"]


def test_the_customer_link_works_without_signing_in_and_once(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invite_customer(rnd, personas.alice, RAW)
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    shown = anon.get(f"{BASE}/answer/{RAW}").json()
    assert set(shown) == {"account_manager", "deadline", "competencies"}
    assert shown["account_manager"] == personas.alice.name
    half = send(anon, f"{BASE}/answer/{RAW}", body(survey, (3,)))
    assert half.status_code == 400 and not Response.objects.exists()
    done = send(anon, f"{BASE}/answer/{RAW}", body(survey))
    assert done.status_code == 201
    assert Response.objects.get().relationship == "customer"
    for response in (
        anon.get(f"{BASE}/answer/{RAW}"),
        send(anon, f"{BASE}/answer/{RAW}", body(survey)),
    ):
        assert response.status_code == 410
        assert "This link cannot be used" in response.json()["detail"]
    assert Response.objects.count() == 1


def test_an_unknown_link_is_the_same_410(personas: Personas, survey: Survey) -> None:
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    for token in ("nope", "y" * 400):
        response = anon.get(f"{BASE}/answer/{token}")
        assert response.status_code == 410
        assert "This link cannot be used" in response.json()["detail"]


def test_no_refusal_on_a_link_writes_its_token_to_the_log(
    personas: Personas, survey: Survey, rnd: FeedbackRound, caplog: Any
) -> None:
    invite_customer(rnd, personas.alice, RAW)
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    with caplog.at_level(logging.DEBUG):
        anon.get(f"{BASE}/answer/never-logged-token")
        send(anon, f"{BASE}/answer/never-logged-token", body(survey))
        send(anon, f"{BASE}/answer/{RAW}", {"answers": "bad"})  # 422 on a live link
        send(anon, f"{BASE}/answer/{RAW}", body(survey, (1,)))  # 400 on a live link
        anon.put(f"/feedback/answer/{RAW}/")  # 405 on the page
    assert "never-logged-token" not in caplog.text
    assert RAW not in caplog.text


def test_an_endless_list_of_answers_is_refused_before_any_work(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.bob, "peer", personas.alice)
    data = {"answers": [{"item_id": n, "score": 3} for n in range(1001)]}
    response = send(client_for(personas.alice), f"{BASE}/invitations/{mine.pk}/answers", data)
    assert response.status_code == 422
    assert not Response.objects.exists()

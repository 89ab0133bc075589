"""Customers answer on a public page by the single-use, expiring token of their link; the
page tells them only the product, their account manager's name and the deadline, and
every link that cannot be used looks the same (410)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaopei.feedback.models import Answer, FeedbackRound, Invitation, Response
from tests.conftest import Personas
from tests.feedback.answering_factories import (
    Survey,
    full_answers,
    invite,
    invite_customer,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.django_db

RAW = "k3Qp-raw-link-token-0123456789abcdef"


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey()


@pytest.fixture
def rnd(survey: Survey) -> FeedbackRound:
    return make_round(survey)


def link(raw: str = RAW) -> str:
    return reverse("feedback:answer_by_token", args=[raw])


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_link_opens_the_questionnaire_without_signing_in(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invite_customer(rnd, personas.alice, RAW)
    response = english().get(link())
    text = response.content.decode()
    assert response.status_code == 200
    assert "Account manager: 安丽" in text
    assert rnd.deadline is not None and rnd.deadline.isoformat() in text
    for item in survey.items:
        assert f'name="item-{item.pk}"' in text
    assert "Communication behaviour 3" in text


def test_the_page_says_nothing_else_about_anyone(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invite_customer(rnd, personas.alice, RAW)
    invite(rnd, personas.alice, "peer", personas.bob)
    invite(rnd, personas.alice, "supervisor", personas.sup)
    text = english().get(link()).content.decode()
    for secret in ("A001", "B001", "白波", "孙培", "S001", "BJ-T1", "北京一组", "甲公司", "C-360"):
        assert secret not in text, secret


def test_the_page_is_bilingual_and_the_language_switch_works_without_signing_in(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invite_customer(rnd, personas.alice, RAW)
    client = Client()
    assert "沟通行为3" in client.get(link()).content.decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": link()})
    assert switched.status_code == 302 and switched["Location"] == link()
    text = client.get(link()).content.decode()
    assert "Communication behaviour 3" in text and "Account manager" in text
    assert 'name="viewport"' in text  # laid out for a 390 px phone like every page


def test_answering_stores_an_anonymous_customer_response_and_spends_the_link(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite_customer(rnd, personas.alice, RAW)
    data = {**full_answers(survey, (5, 4, 2)), f"comment-{survey.team.pk}": "Quick replies"}
    response = english().post(link(), data)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    stored = Response.objects.get()
    assert (stored.subject_id, stored.relationship, stored.rater_id) == (
        personas.alice.pk,
        "customer",
        None,
    )
    talk = Answer.objects.get(response=stored, competency=survey.talk)
    assert (talk.total, talk.items) == (9, 2)
    assert Answer.objects.get(response=stored, competency=survey.team).comment == "Quick replies"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED
    assert invitation.token_hash == ""
    # The same link again: spent.
    again = english().post(link(), data)
    assert again.status_code == 410
    assert english().get(link()).status_code == 410
    assert Response.objects.count() == 1


def _unusable_page(client: Client, raw: str = RAW) -> tuple[int, str]:
    response = client.get(link(raw))
    return response.status_code, response.content.decode()


def test_every_unusable_link_gets_the_same_page(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    expired = make_round(survey, cycle="2025Q3")
    closed = make_round(survey, cycle="2025Q2", status=FeedbackRound.Status.CLOSED)
    late = make_round(survey, cycle="2025Q1", deadline=timezone.localdate() - timedelta(days=1))
    invite_customer(expired, personas.alice, "expired", customer_no="C1", expires_in=-timedelta(1))
    invite_customer(closed, personas.alice, "closed", customer_no="C2")
    invite_customer(late, personas.alice, "late", customer_no="C3")
    used = invite_customer(rnd, personas.alice, "used", customer_no="C4")
    Invitation.objects.filter(pk=used.pk).update(status=Invitation.Status.COMPLETED, token_hash="")
    pages = {
        raw: _unusable_page(english(), raw)
        for raw in ("unknown", "expired", "closed", "late", "used", "x" * 300)
    }
    statuses = {status for status, _text in pages.values()}
    assert statuses == {410}
    bodies = {text for _status, text in pages.values()}
    # The page's content is identical (the header differs only by the form's keys).
    assert len({b.split("<main>")[1] for b in bodies}) == 1
    text = pages["expired"][1]
    assert "This link cannot be used" in text
    assert "安丽" not in text and "A001" not in text
    for raw in pages:
        assert english().post(link(raw), full_answers(survey)).status_code == 410
    assert not Response.objects.exists()


def test_a_half_filled_or_off_scale_answer_is_refused_and_the_link_still_works(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite_customer(rnd, personas.alice, RAW)
    half = full_answers(survey)
    del half[f"item-{survey.items[0].pk}"]
    text = english().post(link(), half).content.decode()
    assert "Every item needs a score; nothing was saved" in text and "item 1 (“Listens”)" in text
    off = {**full_answers(survey), f"item-{survey.items[0].pk}": "7"}
    assert "whole number from 1 to 5" in english().post(link(), off).content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED and invitation.token_hash
    assert english().post(link(), full_answers(survey)).status_code == 200
    assert Response.objects.count() == 1


def test_a_refused_link_writes_no_log_line_with_the_token(
    personas: Personas, survey: Survey, rnd: FeedbackRound, caplog: Any
) -> None:
    with caplog.at_level(logging.DEBUG):
        english().get(link("secret-token-never-logged"))
        english().post(link("secret-token-never-logged"), {})
    assert "secret-token-never-logged" not in caplog.text

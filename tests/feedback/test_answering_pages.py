"""Employees answer their 360 invitations in Kaopei: every item required on the 1–5 scale,
once, while the round takes answers; another person's invitation does not exist for them."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kaopei.feedback.models import Answer, FeedbackRound, Invitation, Response
from tests.conftest import Personas
from tests.feedback.answering_factories import Survey, full_answers, invite, make_round, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey()


@pytest.fixture
def rnd(survey: Survey) -> FeedbackRound:
    return make_round(survey)


def url(invitation: Invitation) -> str:
    return reverse("feedback:answer", args=[invitation.pk])


def post(personas: Personas, who: Any, invitation: Invitation, data: dict[str, str]) -> Any:
    with translation.override("en"):
        return personas.client(who).post(
            url(invitation), data, HTTP_ACCEPT_LANGUAGE="en", follow=True
        )


def page_text(response: Any) -> str:
    return response.content.decode()


def test_my_tasks_lists_whom_i_am_asked_about_and_what_i_have_answered(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    todo = invite(rnd, personas.bob, "peer", personas.alice)
    done = invite(rnd, personas.alice, "self", personas.alice)
    Invitation.objects.filter(pk=done.pk).update(status=Invitation.Status.COMPLETED)
    invite(rnd, personas.alice, "supervisor", personas.sup)  # not Alice's task
    response = personas.client(personas.alice).get(reverse("feedback:my_tasks"))
    text = page_text(response)
    assert response.status_code == 200
    assert url(todo) in text and personas.bob.name in text
    assert url(done) not in text  # answered: listed as done, no link to edit
    assert personas.alice.name in text
    assert "孙培" not in text


def test_my_tasks_leave_out_rounds_that_take_no_answers(personas: Personas, survey: Survey) -> None:
    closed = make_round(survey, status=FeedbackRound.Status.CLOSED)
    invite(closed, personas.bob, "peer", personas.alice)
    text = page_text(personas.client(personas.alice).get(reverse("feedback:my_tasks")))
    assert personas.bob.name not in text


def test_the_form_shows_every_item_with_the_competencys_anchors(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    text = page_text(personas.client(personas.alice).get(url(invitation)))
    for item in survey.items:
        assert f'name="item-{item.pk}"' in text
    assert "沟通行为5" in text and "协作行为1" in text
    assert f'name="comment-{survey.talk.pk}"' in text
    assert 'type="radio"' in text and "aria-describedby" in text


def test_a_peer_answer_is_stored_as_the_mean_of_each_competencys_items(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    data = {**full_answers(survey, (4, 5, 3)), f"comment-{survey.talk.pk}": " Listens well "}
    response = post(personas, personas.alice, invitation, data)
    assert response.redirect_chain[-1][0] == reverse("feedback:my_tasks")
    assert "your answers are saved" in page_text(response)
    stored = Response.objects.get()
    assert (stored.subject_id, stored.relationship, stored.rater_id) == (
        personas.bob.pk,
        "peer",
        None,
    )
    talk = Answer.objects.get(response=stored, competency=survey.talk)
    team = Answer.objects.get(response=stored, competency=survey.team)
    assert (talk.total, talk.items, talk.score, talk.comment) == (
        9,
        2,
        Fraction(9, 2),
        "Listens well",
    )
    assert (team.total, team.items, team.comment) == (3, 1, "")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED


def test_the_success_message_repeats_no_score(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    response = post(personas, personas.alice, invitation, full_answers(survey, (2, 2, 2)))
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Thank you: your answers are saved."]


def test_a_self_answer_names_the_subject_and_a_supervisor_answer_the_supervisor(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    mine = invite(rnd, personas.alice, "self", personas.alice)
    boss = invite(rnd, personas.alice, "supervisor", personas.sup)
    post(personas, personas.alice, mine, full_answers(survey))
    post(personas, personas.sup, boss, full_answers(survey))
    raters = dict(Response.objects.values_list("relationship", "rater_id"))
    assert raters == {"self": personas.alice.pk, "supervisor": personas.sup.pk}


def test_a_half_filled_questionnaire_is_refused_naming_the_missing_items(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    data = full_answers(survey)
    del data[f"item-{survey.items[1].pk}"]
    del data[f"item-{survey.items[2].pk}"]
    response = post(personas, personas.alice, invitation, data)
    text = page_text(response)
    assert response.status_code == 200
    assert "Every item needs a score; nothing was saved" in text
    assert "item 2 (“Explains clearly”)" in text and "item 3 (“Helps the team”)" in text
    assert "item 1 " not in text
    # The chosen score comes back so nothing has to be typed again.
    assert f'name="item-{survey.items[0].pk}" value="4" required checked' in text
    assert not Response.objects.exists() and not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED


@pytest.mark.parametrize("bad", ["0", "6", "-1", "3.5", "x", "99999999999999999999"])
def test_a_score_off_the_1_to_5_scale_is_refused(
    personas: Personas, survey: Survey, rnd: FeedbackRound, bad: str
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    data = {**full_answers(survey), f"item-{survey.items[2].pk}": bad}
    response = post(personas, personas.alice, invitation, data)
    assert "Every score is a whole number from 1 to 5" in page_text(response)
    assert not Response.objects.exists()


def test_another_persons_invitation_is_not_found_and_nothing_is_stored(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    for who in (personas.bob, personas.sup, personas.hr):
        client = personas.client(who)
        assert client.get(url(invitation)).status_code == 404
        assert client.post(url(invitation), full_answers(survey)).status_code == 404
    assert not Response.objects.exists()


def test_a_proposed_invitation_is_not_found_even_by_its_rater(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.PROPOSED)
    assert personas.client(personas.alice).get(url(invitation)).status_code == 404


def test_answering_twice_is_refused_and_stores_nothing_more(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    post(personas, personas.alice, invitation, full_answers(survey))
    response = post(personas, personas.alice, invitation, full_answers(survey, (1, 1, 1)))
    assert "You have already answered this questionnaire" in page_text(response)
    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("total", flat=True)) == {9, 3}


@pytest.mark.parametrize("state", ["draft", "closed", "past deadline"])
def test_a_round_that_takes_no_answers_refuses_them(
    personas: Personas, survey: Survey, state: str
) -> None:
    if state == "past deadline":
        rnd = make_round(survey, deadline=timezone.localdate() - timedelta(days=1))
    else:
        rnd = make_round(survey, status=state)
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    response = post(personas, personas.alice, invitation, full_answers(survey))
    assert "This 360 round is not taking answers" in page_text(response)
    assert not Response.objects.exists()
    with translation.override("en"):
        page = personas.client(personas.alice).get(url(invitation), HTTP_ACCEPT_LANGUAGE="en")
    assert "This 360 round is not taking answers" in page_text(page)
    assert 'type="radio"' not in page_text(page)


def test_the_deadline_day_itself_still_takes_answers(personas: Personas, survey: Survey) -> None:
    rnd = make_round(survey, deadline=timezone.localdate())
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    post(personas, personas.alice, invitation, full_answers(survey))
    assert Response.objects.count() == 1


def test_the_pages_are_refused_to_a_signed_in_user_without_a_role(
    personas: Personas, django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user("nobody", password="x")
    client = personas.client(None)
    client.force_login(user)
    assert client.get(reverse("feedback:my_tasks")).status_code == 403


def test_a_comment_with_a_nul_character_is_stored_without_it(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    data = {**full_answers(survey), f"comment-{survey.talk.pk}": "good\x00 listener"}
    post(personas, personas.alice, invitation, data)
    assert Answer.objects.get(competency=survey.talk).comment == "good listener"


def test_an_over_long_comment_is_refused(
    personas: Personas, survey: Survey, rnd: FeedbackRound
) -> None:
    invitation = invite(rnd, personas.bob, "peer", personas.alice)
    data = {**full_answers(survey), f"comment-{survey.team.pk}": "x" * 2001}
    response = post(personas, personas.alice, invitation, data)
    assert "at most 2000 characters" in page_text(response)
    assert not Response.objects.exists()

"""Questionnaires (HR admins only) and answering: each employee their own invitations
(another's is a 404), the customer's link without signing in (a bad link is a 410 for
everyone). Refused POSTs only, where a success would spend what other personas try: a
half-filled body or a bad link."""

from __future__ import annotations

from typing import Any

from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from tests.access import HR_ACTS, HR_ONLY, JSON, OK, POST_ONLY, answer, case, one, row
from tests.feedback.answering_factories import invite, invite_customer, make_round, make_survey

VALID_LINK = "matrix-valid-link-token-0123456789"
BAD_LINK = "matrix-unknown-link-token"

GET_ONLY_ALL = answer(405)
HR_FORM = answer(403, hr=200)  # a POST without data: the form again with the reason
ALICES_TASK = answer(404, alice=200)
LINK_OK = answer(200, anon=200)
LINK_GONE = answer(410, anon=410)


def build(world: Any) -> dict[str, Any]:
    survey = make_survey(code="MX-360", prefix="mx-")
    draft = Questionnaire.objects.create(code="MX-DRAFT", name="草稿问卷")
    draft_item = QuestionnaireItem.objects.create(
        questionnaire=draft, competency=survey.talk, text="倾听"
    )
    rnd = make_round(survey, cycle="2024Q3")
    task_alice = invite(rnd, world.p.bob, "peer", world.p.alice)
    invite_customer(rnd, world.p.alice, VALID_LINK, customer_no="MX-360-C")
    return {
        "q_published": survey.questionnaire,
        "q_draft": draft,
        "q_draft_item": draft_item,
        "task_alice": task_alice,
    }


PAGES = {
    "feedback:questionnaire_list": one(HR_ONLY, post=GET_ONLY_ALL),
    "feedback:questionnaire_create": one(HR_ONLY, post=HR_FORM),
    "feedback:questionnaire_detail": row(
        case("draft", HR_ONLY, post=GET_ONLY_ALL, pk="@q_draft"),
        case("published", HR_ONLY, post=GET_ONLY_ALL, pk="@q_published"),
    ),
    "feedback:questionnaire_edit": one(HR_ONLY, post=HR_FORM, pk="@q_draft"),
    "feedback:questionnaire_preview": one(HR_ONLY, post=GET_ONLY_ALL, pk="@q_published"),
    "feedback:questionnaire_publish": one(HR_ONLY, post=HR_ACTS, pk="@q_draft"),
    "feedback:questionnaire_new_version": one(POST_ONLY, post=HR_ACTS, pk="@q_published"),
    "feedback:questionnaire_retire": one(HR_ONLY, post=HR_ACTS, pk="@q_published"),
    "feedback:questionnaire_item_create": one(HR_ONLY, post=HR_FORM, pk="@q_draft"),
    "feedback:questionnaire_item_edit": one(
        HR_ONLY, post=HR_FORM, pk="@q_draft", item="@q_draft_item"
    ),
    "feedback:questionnaire_item_delete": one(
        HR_ONLY, post=HR_ACTS, pk="@q_draft", item="@q_draft_item"
    ),
    "feedback:my_tasks": one(OK, post=GET_ONLY_ALL),
    # A POST without answers: the form again, naming every missing item; nothing stored.
    "feedback:answer": one(ALICES_TASK, pk="@task_alice"),
    "feedback:answer_by_token": row(
        case("valid link", LINK_OK, token=VALID_LINK),
        case("bad link", LINK_GONE, token=BAD_LINK),
    ),
}

API_SIGNED_IN = answer(200, anon=401)
API = {
    "GET /api/v1/feedback/invitations": one(API_SIGNED_IN),
    "GET /api/v1/feedback/invitations/{invitation_id}": one(
        answer(404, anon=401, alice=200), invitation_id="@task_alice"
    ),
    # A body that is not the JSON of answers: refused before anything is looked up.
    # A well-formed but empty answer: Alice is told what is missing (nothing stored);
    # anyone else does not find her invitation.
    "POST /api/v1/feedback/invitations/{invitation_id}/answers": one(
        answer(404, anon=401, alice=400),
        data={JSON: '{"answers": [], "comments": []}'},
        invitation_id="@task_alice",
    ),
    "GET /api/v1/feedback/answer/{token}": row(
        case("valid link", LINK_OK, token=VALID_LINK),
        case("bad link", LINK_GONE, token=BAD_LINK),
    ),
    "POST /api/v1/feedback/answer/{token}": row(
        case("valid link", answer(400, anon=400), token=VALID_LINK),
        case("bad link", answer(400, anon=400), token=BAD_LINK),
    ),
}

"""360 rounds (kaopei/feedback/views/rounds.py, api/rounds.py): HR admins run every round;
supervisors see the rounds about people of their chain and adjust those people's raters
(another chain's person is a 404); anyone may nominate peers for a round about themself.

The objects: the 2026Q1 round, open, about Alice and Bob (a peer invitation on each); the
2026Q2 round, being prepared, about Alice only, with a nomination of hers awaiting Sun Pei.
``round_world`` is also used by the rounds tests.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kaopei.assessment.models import Cycle
from kaopei.feedback.models import (
    FeedbackRound,
    Invitation,
    Questionnaire,
    QuestionnaireItem,
    RoundSubject,
)
from kaopei.feedback.services.rounds import (
    feedback_round_add_subjects,
    feedback_round_create,
    feedback_round_open,
    feedback_round_propose_raters,
    invitation_add,
    invitation_nominate,
)
from kaopei.org.models import Competency
from tests.access import HR_ACTS, HR_ONLY, POST_ONLY, REFUSED, answer, case, one, row

# --- Shared set-up (the matrix and tests/feedback/test_rounds_*.py) ---------------------------


def published_questionnaire(competency: Competency | None = None) -> Questionnaire:
    competency = competency or Competency.objects.create(
        code="R360-C", name="团队协作", name_en="Teamwork", category="collaboration"
    )
    q = Questionnaire.objects.create(
        code="Q360",
        name="客户经理360问卷",
        name_en="Account manager 360",
        status=Questionnaire.Status.PUBLISHED,
    )
    QuestionnaireItem.objects.create(
        questionnaire=q, competency=competency, text="主动分享客户信息", text_en="Shares leads"
    )
    return q


def make_round(
    cycle: Cycle, *, questionnaire: Questionnaire, user: Any, units: list[Any]
) -> FeedbackRound:
    r = feedback_round_create(
        cycle=cycle,
        questionnaire=questionnaire,
        deadline=timezone.localdate() + timedelta(days=10),
        user=user,
    )
    for unit in units:
        feedback_round_add_subjects(feedback_round=r, unit=unit, user=user)
    return r


def build(world: Any) -> dict[str, Any]:
    p = world.p
    q = published_questionnaire()
    q1 = make_round(world.cycle, questionnaire=q, user=p.hr.user, units=[])
    # Alice and Bob only (not their supervisors): each team's account managers.
    for person in (p.alice, p.bob):
        RoundSubject.objects.create(round=q1, employee=person)
    feedback_round_propose_raters(feedback_round=q1)
    feedback_round_open(feedback_round=q1, user=p.hr.user)
    inv_alice, _link = invitation_add(
        feedback_round=q1, subject=p.alice, user=p.hr.user, rater=p.bob
    )
    inv_bob, _link = invitation_add(feedback_round=q1, subject=p.bob, user=p.hr.user, rater=p.alice)
    q2 = make_round(world.draft, questionnaire=q, user=p.hr.user, units=[])
    RoundSubject.objects.create(round=q2, employee=p.alice)
    feedback_round_propose_raters(feedback_round=q2)
    nomination = invitation_nominate(feedback_round=q2, subject=p.alice, peer=p.bob)
    assert Invitation.objects.filter(round=q2, status=Invitation.Status.NOMINATED).count() == 1
    return {"inv_alice": inv_alice, "inv_bob": inv_bob, "nomination_alice": nomination}


# --- Rows -----------------------------------------------------------------------------------

ROUND_READERS = answer(403, sup=200, sup2=200, hr=200)
Q1 = {"cycle": "2026Q1"}
Q2 = {"cycle": "2026Q2"}
# Adjusting a subject's raters: HR and the subject's supervisor chain; other supervisors 404.
ALICES_RATERS = answer(403, sup=302, sup2=404, hr=302)
BOBS_RATERS = answer(403, sup=404, sup2=302, hr=302)
API_READERS = answer(403, anon=401, sup=200, sup2=200, hr=200)

PAGES = {
    "feedback:rounds": one(ROUND_READERS, post=answer(405)),
    "feedback:round_create": one(HR_ONLY),  # POST without data: the form again
    "feedback:my_360": one(answer(200), post=answer(405)),
    "feedback:round_detail": row(
        case("open, alice and bob", ROUND_READERS, post=answer(405), **Q1),
        case("draft, alice only", answer(403, sup=200, sup2=404, hr=200), post=answer(405), **Q2),
    ),
    # POST without data: the form is refused with a message, nothing written.
    "feedback:round_settings": one(POST_ONLY, post=answer(403, hr=REFUSED), **Q2),
    "feedback:round_subjects_add": one(POST_ONLY, post=answer(403, hr=REFUSED), **Q2),
    "feedback:round_open": row(
        case("draft", POST_ONLY, post=HR_ACTS, **Q2),  # opens; customer links go by e-mail only
        case("already open", POST_ONLY, post=answer(403, hr=REFUSED), **Q1),
    ),
    "feedback:round_remind": row(
        case("open", POST_ONLY, post=HR_ACTS, **Q1),
        case("draft", POST_ONLY, post=answer(403, hr=REFUSED), **Q2),
    ),
    "feedback:round_close": row(
        case("open", POST_ONLY, post=HR_ACTS, **Q1),
        case("draft", POST_ONLY, post=answer(403, hr=REFUSED), **Q2),
    ),
    # Only a subject of the round may nominate: Alice in 2026Q2; the others are not in it.
    "feedback:round_nominate": one(
        POST_ONLY, post=answer(404, alice=302), data={"employee_no": "T001"}, **Q2
    ),
    "feedback:round_subject": row(
        case(
            "alice's",
            answer(403, sup=200, sup2=404, hr=200),
            post=answer(405),
            employee_no="A001",
            **Q1,
        ),
        case(
            "bob's",
            answer(403, sup=404, sup2=200, hr=200),
            post=answer(405),
            employee_no="B001",
            **Q1,
        ),
    ),
    "feedback:round_subject_remove": one(POST_ONLY, post=HR_ACTS, employee_no="A001", **Q2),
    "feedback:round_rater_add": row(
        case(
            "alice's",
            POST_ONLY,
            post=ALICES_RATERS,
            data={"employee_no": "T001"},
            employee_no="A001",
            **Q1,
        ),
        case(
            "bob's",
            POST_ONLY,
            post=BOBS_RATERS,
            data={"employee_no": "T001"},
            employee_no="B001",
            **Q1,
        ),
    ),
    "feedback:round_subject_propose": one(
        POST_ONLY, post=answer(403, sup=302, sup2=404, hr=302), employee_no="A001", **Q2
    ),
    "feedback:round_subject_approve": row(
        case("alice's", POST_ONLY, post=ALICES_RATERS, employee_no="A001", **Q1),
        case("bob's", POST_ONLY, post=BOBS_RATERS, employee_no="B001", **Q1),
    ),
    "feedback:round_rater_remove": row(
        case("alice's", POST_ONLY, post=ALICES_RATERS, pk="@inv_alice", **Q1),
        case("bob's", POST_ONLY, post=BOBS_RATERS, pk="@inv_bob", **Q1),
    ),
    "feedback:round_nomination_decide": one(
        POST_ONLY,
        post=answer(403, sup=302, sup2=404, hr=302),
        data={"decision": "approve"},
        pk="@nomination_alice",
        **Q2,
    ),
}

API = {
    "GET /api/v1/feedback/rounds": one(API_READERS),
    "GET /api/v1/feedback/rounds/{cycle}": row(
        case("open, alice and bob", API_READERS, **Q1),
        case("draft, alice only", answer(403, anon=401, sup=200, sup2=404, hr=200), **Q2),
    ),
    "POST /api/v1/feedback/rounds/{cycle}/close": row(
        case("open", answer(403, anon=401, hr=200), **Q1),
        case("draft", answer(403, anon=401, hr=409), **Q2),
    ),
}

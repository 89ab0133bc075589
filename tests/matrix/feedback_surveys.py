"""Customer surveys by link and customer interviews: HR admins for everyone, a supervisor
for the people below them; the customer's page opens to anyone holding a live link (the
same 410 page for any other token); interviews are read by HR, the chain and the person."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kaopei.feedback.models import CustomerInterview, SurveyInvitation
from kaopei.feedback.tokens import hash_token as token_hash
from tests.access import OK, answer, case, one, row

MANAGERS = answer(403, sup=200, sup2=200, hr=200)
ALICE_TOKEN = "matrix-alice-survey-token"


def build(world: Any) -> dict[str, object]:
    p = world.p
    customer_alice = world.sale_alice.customer
    customer_bob = world.visit_bob.customer
    soon = timezone.now() + timedelta(days=10)

    def invitation(employee: Any, customer: Any, raw: str, by: Any) -> SurveyInvitation:
        return SurveyInvitation.objects.create(
            employee=employee,
            customer=customer,
            token_hash=token_hash(raw),
            expires_at=soon,
            sent_by=by.user,
        )

    def interview(employee: Any, customer: Any, by: Any) -> CustomerInterview:
        return CustomerInterview.objects.create(
            employee=employee,
            customer=customer,
            held_on=date(2026, 3, 2),
            satisfaction=4,
            notes="Happy with the follow-up",
            interviewer=by.user,
        )

    return {
        "survey_alice": invitation(p.alice, customer_alice, ALICE_TOKEN, p.sup),
        "survey_bob": invitation(p.bob, customer_bob, "matrix-bob-survey-token", p.sup2),
        "customer_interview_alice": interview(p.alice, customer_alice, p.sup),
        "customer_interview_bob": interview(p.bob, customer_bob, p.sup2),
    }


PAGES = {
    "feedback:survey_list": one(MANAGERS, post=answer(405)),
    # Without a person: the list to choose from (a POST without data shows it again).
    "feedback:survey_send": one(MANAGERS),
    "feedback:survey_cancel": row(
        case(
            "alice's",
            answer(403, sup=200, sup2=404, hr=200),
            post=answer(403, sup=302, sup2=404, hr=302),
            pk="@survey_alice",
        ),
        case(
            "bob's",
            answer(403, sup=404, sup2=200, hr=200),
            post=answer(403, sup=404, sup2=302, hr=302),
            pk="@survey_bob",
        ),
    ),
    # The customer's page: no sign-in. A POST without an answer shows the form's errors.
    "feedback:survey_answer": row(
        case("a live link", answer(200, anon=200), token=ALICE_TOKEN),
        case("an unknown link", answer(410, anon=410), token="no-such-token"),
    ),
    "feedback:customer_interview_list": one(OK, post=answer(405)),
    "feedback:customer_interview_create": one(MANAGERS),
    "feedback:customer_interview_detail": row(
        case(
            "alice's",
            answer(404, alice=200, sup=200, hr=200),
            post=answer(405),
            pk="@customer_interview_alice",
        ),
        case(
            "bob's",
            answer(404, bob=200, sup2=200, hr=200),
            post=answer(405),
            pk="@customer_interview_bob",
        ),
    ),
    # The author (sup for Alice's, sup2 for Bob's) or HR; the person reads but may not edit.
    "feedback:customer_interview_edit": row(
        case("alice's", answer(404, alice=403, sup=200, hr=200), pk="@customer_interview_alice"),
        case("bob's", answer(404, bob=403, sup2=200, hr=200), pk="@customer_interview_bob"),
    ),
}

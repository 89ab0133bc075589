"""Performance interviews, review meetings and their actions.

Objects: Alice's 2026Q1 interview with Sun Pei (held, awaiting both acknowledgements) and an
action she owns; Bob's with Shen Er (planned) and an action he owns; the review meeting of
BJ-T1 (chaired by Sun Pei, Alice taking part) and an action of Alice's from it.

An interview is seen by the person, their supervisor chain and HR (404 for everyone else,
executives included); the supervisors above the person write it (HR plans but does not
write: 403); only the person and the interviewer acknowledge (HR: 403). A team's meeting is
seen by HR, the team's supervisors and its members; its supervisors and HR change it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from tests.access import (
    GET_ONLY,
    OK,
    POST_ONLY,
    REFUSED,
    answer,
    case,
    one,
    row,
)

ALICES_INTERVIEW = answer(404, alice=200, sup=200, hr=200)
BOBS_INTERVIEW = answer(404, bob=200, sup2=200, hr=200)
PLANNERS = answer(403, sup=200, sup2=200, hr=200)
ACTION = {"text": "Visit three key accounts", "owner": "A001", "due_on": "2026-06-30"}
ACTION_BOB = {"text": "Visit three key accounts", "owner": "B001", "due_on": "2026-06-30"}
RECORD = {"scheduled_on": "2026-03-20", "supervisor_feedback": "Steady quarter", "held": "on"}
SUMMARY = {"self_summary": "I met most targets."}


def build(world: Any) -> dict[str, Any]:
    p = world.p
    cycle = world.cycle
    interview_alice = Interview.objects.create(
        cycle=cycle,
        employee=p.alice,
        interviewer=p.sup,
        scheduled_on=date(2026, 3, 20),
        status=Interview.Status.HELD,
        supervisor_feedback="Good pipeline, follow-ups late.",
    )
    interview_bob = Interview.objects.create(
        cycle=cycle, employee=p.bob, interviewer=p.sup2, scheduled_on=date(2026, 3, 25)
    )
    meeting = ReviewMeeting.objects.create(
        cycle=cycle,
        org_unit=p.bj_t1,
        held_on=date(2026, 4, 8),
        chair=p.sup,
        findings="Customer follow-ups are not tracked.",
        created_by=p.sup.user,
    )
    meeting.participants.set([p.sup, p.alice])
    return {
        "interview_alice": interview_alice,
        "interview_bob": interview_bob,
        "meeting_bj": meeting,
        "action_alice": ActionItem.objects.create(
            interview=interview_alice,
            text="Weekly pipeline review",
            owner=p.alice,
            due_on=date(2026, 5, 31),
        ),
        "action_bob": ActionItem.objects.create(
            interview=interview_bob,
            text="Call lapsed customers",
            owner=p.bob,
            due_on=date(2026, 5, 31),
        ),
        "meeting_action": ActionItem.objects.create(
            meeting=meeting, text="Log every follow-up", owner=p.alice, due_on=date(2026, 5, 31)
        ),
    }


PAGES = {
    "feedback:interview_list": one(OK, post=GET_ONLY),
    # Without data the form comes back with its reasons (200) and nothing is written.
    "feedback:interview_plan": one(PLANNERS),
    "feedback:interview_detail": row(
        case("alice's", ALICES_INTERVIEW, post=GET_ONLY, pk="@interview_alice"),
        case("bob's", BOBS_INTERVIEW, post=GET_ONLY, pk="@interview_bob"),
    ),
    # Alice's is held: her self-summary can no longer change (refused); Bob's is planned.
    "feedback:interview_summary": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=REFUSED, sup=403, hr=403),
            data=SUMMARY,
            pk="@interview_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=302, sup2=403, hr=403),
            data=SUMMARY,
            pk="@interview_bob",
        ),
    ),
    "feedback:interview_record": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=403),
            data=RECORD,
            pk="@interview_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=403, sup2=302, hr=403),
            data=RECORD,
            pk="@interview_bob",
        ),
    ),
    "feedback:interview_action_add": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=403),
            data=ACTION,
            pk="@interview_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=403, sup2=302, hr=403),
            data=ACTION_BOB,
            pk="@interview_bob",
        ),
    ),
    "feedback:interview_action_remove": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=403),
            pk="@interview_alice",
            action="@action_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=403, sup2=302, hr=403),
            pk="@interview_bob",
            action="@action_bob",
        ),
    ),
    # Alice's is held: she and Sun Pei acknowledge; Bob's is only planned: refused.
    "feedback:interview_acknowledge": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=302, sup=302, hr=403),
            pk="@interview_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=REFUSED, sup2=REFUSED, hr=403),
            pk="@interview_bob",
        ),
    ),
    "feedback:action_list": one(OK, post=GET_ONLY),
    "feedback:action_status": row(
        case(
            "alice's",
            POST_ONLY,
            post=answer(404, alice=302, sup=302, hr=302),
            data={"status": "done"},
            pk="@action_alice",
        ),
        case(
            "bob's",
            POST_ONLY,
            post=answer(404, bob=302, sup2=302, hr=302),
            data={"status": "done"},
            pk="@action_bob",
        ),
        # Only its supervisors drop an action: the owner sees it and is refused.
        case(
            "meeting's, dropped",
            POST_ONLY,
            post=answer(404, alice=403, sup=302, hr=302),
            data={"status": "dropped"},
            pk="@meeting_action",
        ),
    ),
    "feedback:meeting_list": one(OK, post=GET_ONLY),
    "feedback:meeting_create": one(PLANNERS),
    "feedback:meeting_detail": one(
        answer(404, alice=200, sup=200, hr=200), post=GET_ONLY, pk="@meeting_bj"
    ),
    "feedback:meeting_edit": one(answer(404, alice=403, sup=200, hr=200), pk="@meeting_bj"),
    "feedback:meeting_action_add": one(
        POST_ONLY, post=answer(404, alice=403, sup=302, hr=302), data=ACTION, pk="@meeting_bj"
    ),
}

API_ALL = answer(200, anon=401)
API = {
    "GET /api/v1/feedback/interviews": one(API_ALL),
    "GET /api/v1/feedback/interviews/{interview_id}": row(
        case(
            "alice's",
            answer(404, anon=401, alice=200, sup=200, hr=200),
            interview_id="@interview_alice",
        ),
        case(
            "bob's", answer(404, anon=401, bob=200, sup2=200, hr=200), interview_id="@interview_bob"
        ),
    ),
    "POST /api/v1/feedback/interviews/{interview_id}/acknowledge": row(
        case(
            "alice's",
            answer(404, anon=401, alice=200, sup=200, hr=403),
            interview_id="@interview_alice",
        ),
        case(
            "bob's, only planned",
            answer(404, anon=401, bob=409, sup2=409, hr=403),
            interview_id="@interview_bob",
        ),
    ),
    "GET /api/v1/feedback/review-meetings": one(API_ALL),
    "GET /api/v1/feedback/review-meetings/{meeting_id}": one(
        answer(404, anon=401, alice=200, sup=200, hr=200), meeting_id="@meeting_bj"
    ),
    "GET /api/v1/feedback/actions": one(API_ALL),
}

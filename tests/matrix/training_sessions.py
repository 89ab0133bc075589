"""Sessions and enrolment: everyone employed sees the sessions and enrols themself;
supervisors, trainers and HR admins enrol others (supervisors only their chain); trainers
and HR admins schedule sessions and take attendance; a training record is seen by its
owner, their supervisors, trainers and HR admins; only the person rates their session; HR
admins alone edit mandatory rules; supervisors, trainers and HR see who is overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kaopei.training.models import Course, Enrolment, MandatoryRule, Session
from tests.access import GET_ONLY, HR_ACTS, HR_ONLY, JSON, OK, POST_ONLY, answer, one

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
ENROLLERS = answer(403, sup=200, sup2=200, trainer=200, hr=200)
ALICES_RECORD = answer(404, alice=200, sup=200, trainer=200, hr=200)
ALICES_RECORD_ACT = answer(404, alice=302, sup=302, trainer=302, hr=302)
OVERDUE_READERS = answer(403, sup=200, sup2=200, trainer=200, hr=200)


def build(world: Any) -> dict[str, object]:
    p = world.p
    now = timezone.now()
    course = Course.objects.create(
        code="MX-TR1", title="矩阵课程", module="compliance", format="lecture", hours=Decimal(3)
    )
    up = Session.objects.create(
        course=course,
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=3),
        place="301",
        capacity=5,
        hours=Decimal(3),
        trainer=p.trainer,
    )
    held = Session.objects.create(
        course=course,
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2) + dt.timedelta(hours=3),
        place="302",
        capacity=5,
        hours=Decimal(3),
        trainer=p.trainer,
    )
    alice_up = Enrolment.objects.create(
        course=course,
        session=up,
        employee=p.alice,
        session_on=timezone.localdate(up.starts_at),
        hours=Decimal(3),
    )
    Enrolment.objects.create(
        course=course,
        session=up,
        employee=p.bob,
        session_on=timezone.localdate(up.starts_at),
        hours=Decimal(3),
    )
    alice_held = Enrolment.objects.create(
        course=course,
        session=held,
        employee=p.alice,
        session_on=timezone.localdate(held.starts_at),
        hours=Decimal(3),
        attended=True,
    )
    rule = MandatoryRule.objects.create(
        course=course, level=p.alice.level, due_on=dt.date(2026, 12, 31), renew_months=12
    )
    return {
        "session_up": up,
        "session_held": held,
        "enrolment_alice_up": alice_up,
        "enrolment_alice_held": alice_held,
        "mandatory_rule": rule,
    }


PAGES = {
    "training:session_list": one(OK, post=GET_ONLY),
    "training:calendar": one(OK, post=GET_ONLY),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:session_create": one(MANAGERS),
    "training:session_detail": one(OK, post=GET_ONLY, pk="@session_up"),
    "training:session_edit": one(MANAGERS, pk="@session_up"),
    "training:session_cancel": one(MANAGERS, post=MANAGERS_ACT, pk="@session_up"),
    # Enrolling others: a POST without data shows the form again (nobody chosen).
    "training:session_enrol": one(ENROLLERS, pk="@session_up"),
    "training:session_attendance": one(MANAGERS, post=MANAGERS_ACT, pk="@session_held"),
    "training:enrolment_list": one(OK, post=GET_ONLY),
    "training:enrolment_cancel": one(
        ALICES_RECORD, post=ALICES_RECORD_ACT, pk="@enrolment_alice_up"
    ),
    # Only the person who attended rates; an empty form is shown again.
    "training:enrolment_react": one(answer(404, alice=200), pk="@enrolment_alice_held"),
    "training:mandatory_list": one(OK, post=GET_ONLY),
    "training:mandatory_create": one(HR_ONLY),
    "training:mandatory_edit": one(HR_ONLY, pk="@mandatory_rule"),
    "training:mandatory_delete": one(HR_ONLY, post=HR_ACTS, pk="@mandatory_rule"),
    "training:overdue": one(OVERDUE_READERS, post=GET_ONLY),
}

API = {
    "GET /api/v1/training/sessions": one(answer(200, anon=401)),
    "GET /api/v1/training/sessions/{session_id}": one(
        answer(200, anon=401), session_id="@session_up"
    ),
    # Without a JSON body: 400 (the request cannot be read); nothing is stored.
    "POST /api/v1/training/sessions/{session_id}/enrolments": one(
        answer(400, anon=401), session_id="@session_up"
    ),
    "POST /api/v1/training/sessions/{session_id}/attendance": one(
        answer(400, anon=401), session_id="@session_held"
    ),
    "GET /api/v1/training/enrolments": one(answer(200, anon=401)),
    "GET /api/v1/training/enrolments/{enrolment_id}": one(
        answer(404, anon=401, alice=200, sup=200, trainer=200, hr=200),
        enrolment_id="@enrolment_alice_up",
    ),
    "POST /api/v1/training/enrolments/{enrolment_id}/cancel": one(
        answer(404, anon=401, alice=200, sup=200, trainer=200, hr=200),
        enrolment_id="@enrolment_alice_up",
    ),
    "POST /api/v1/training/enrolments/{enrolment_id}/reaction": one(
        answer(404, anon=401, alice=200),
        data={JSON: '{"reaction": 4, "comment": "实用"}'},
        enrolment_id="@enrolment_alice_held",
    ),
}

__all__ = ["API", "PAGES", "POST_ONLY", "build"]

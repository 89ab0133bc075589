"""Training effect (kaopei/training/views/effect.py, api/effect.py): trainers, HR admins and
executives read every course's Kirkpatrick figures; nobody else. Every page only reads.

``build`` gives the course EFF-101 a completed enrolment of Alice's in 2026Q2 (the world's
draft cycle; B = 2026Q1 is the world's scored cycle)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.access import GET_ONLY, answer, one
from tests.training.factories import CourseFactory, EnrolmentFactory

READERS = answer(403, trainer=200, exec=200, hr=200)
API_READERS = answer(403, anon=401, trainer=200, exec=200, hr=200)


def build(world: Any) -> dict[str, Any]:
    course = CourseFactory(code="EFF-101")
    EnrolmentFactory(
        course=course,
        employee=world.p.alice,
        session_on=dt.date(2026, 5, 12),
        completed=True,
        reaction=5,
        pre_score=60,
        post_score=80,
    )
    return {"course": course}


PAGES = {
    "training:effect_index": one(READERS, post=GET_ONLY),
    "training:effect_course": one(READERS, post=GET_ONLY, cycle="2026Q2", code="EFF-101"),
}

API = {
    "GET /api/v1/training/effect/{cycle}": one(API_READERS, cycle="2026Q2"),
    "GET /api/v1/training/effect/{cycle}/{course}": one(
        API_READERS, cycle="2026Q2", course="EFF-101"
    ),
}

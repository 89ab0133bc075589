"""Role-plays: anyone employed browses the library and their own queue and list; trainers
and HR write role-plays, record and close performances and read the agreement; a
performance is read by trainers, HR, its assessors, the performer and their supervisor
chain (404 for the rest); only its assessors score it (403 for other readers)."""

from __future__ import annotations

from typing import Any

from tests.access import JSON, OK, answer, one
from tests.training.roleplays_factories import performance_of, roleplay_with_rubric, submit

MANAGERS = answer(403, trainer=200, hr=200)
# A POST without data: the form again with its errors (400), nothing stored.
MANAGERS_FORM = answer(403, trainer=400, hr=400)
READERS = answer(404, alice=200, sup=200, trainer=200, hr=200)


def build(world: Any) -> dict[str, object]:
    roleplay = roleplay_with_rubric(code="MX-RP")
    # Alice performs; the trainer has scored, her supervisor still has to.
    performance = performance_of(roleplay, world.p.alice, [world.p.trainer, world.p.sup])
    submit(performance, world.p.trainer, [4, 3])
    return {"roleplay": roleplay, "performance": performance}


PAGES = {
    "training:roleplay_list": one(OK, post=answer(405)),
    "training:roleplay_create": one(MANAGERS, post=MANAGERS_FORM),
    "training:roleplay_queue": one(OK, post=answer(405)),
    "training:performance_list": one(OK, post=answer(405)),
    "training:roleplay_detail": one(OK, post=answer(405), pk="@roleplay"),
    "training:roleplay_edit": one(MANAGERS, post=MANAGERS_FORM, pk="@roleplay"),
    "training:performance_create": one(MANAGERS, post=MANAGERS_FORM, pk="@roleplay"),
    "training:performance_detail": one(READERS, post=answer(405), pk="@performance"),
    # The supervisor still has to score (empty POST: the form with its errors); the trainer
    # has submitted (sent back to the performance page); other readers are no assessors.
    "training:performance_score": one(
        answer(404, alice=403, sup=200, trainer=302, hr=403),
        post=answer(404, alice=403, sup=400, trainer=302, hr=403),
        pk="@performance",
    ),
    "training:performance_close": one(
        MANAGERS, post=answer(403, trainer=302, hr=302), pk="@performance"
    ),
}

API = {
    "GET /api/v1/training/roleplays": one(answer(200, anon=401)),
    "GET /api/v1/training/roleplays/{roleplay_id}": one(
        answer(200, anon=401), roleplay_id="@roleplay"
    ),
    "GET /api/v1/training/roleplays/{roleplay_id}/agreement": one(
        answer(403, anon=401, trainer=200, hr=200), roleplay_id="@roleplay"
    ),
    "GET /api/v1/training/performances": one(answer(200, anon=401)),
    "GET /api/v1/training/performances/{performance_id}": one(
        answer(404, anon=401, alice=200, sup=200, trainer=200, hr=200),
        performance_id="@performance",
    ),
    # Empty scores: 400 for the assessor who has to score, 409 for the one who has.
    "POST /api/v1/training/performances/{performance_id}/scores": one(
        answer(404, anon=401, alice=403, sup=400, trainer=409, hr=403),
        data={JSON: '{"scores": {}}'},
        performance_id="@performance",
    ),
}

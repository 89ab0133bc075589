"""The learner's page (one's own; a person's for their supervisor chain, trainers and HR
admins) and the trainer's workspace (trainers and HR admins). All read only."""

from __future__ import annotations

from typing import Any

from tests.access import OK, answer, one

NOT_ALLOWED = answer(405)


def build(world: Any) -> dict[str, object]:
    return {"learner_alice": world.p.alice}


PAGES = {
    # Every persona is an employee: each opens their own page.
    "training:my_learning": one(OK, post=NOT_ALLOWED),
    # Alice's page: herself, her supervisor, trainers and HR; anyone else gets 404 (her
    # existence outside their scope does not leak).
    "training:person_learning": one(
        answer(404, alice=200, sup=200, trainer=200, hr=200),
        post=NOT_ALLOWED,
        pk="@learner_alice",
    ),
    "training:trainer_workspace": one(answer(403, trainer=200, hr=200), post=NOT_ALLOWED),
}

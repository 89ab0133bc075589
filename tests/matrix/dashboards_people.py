"""People dashboards: a person's dashboard is for them, their supervisor chain, executives
and HR admins (404 for anyone else); the API gives the signed-in person's figures and, to
supervisors only, their team's."""

from __future__ import annotations

from typing import Any

from tests.access import ALICES, BOBS, HR_ACTS, HR_ONLY, answer, case, one, row


def build(world: Any) -> dict[str, object]:
    return {"person_alice": world.p.alice, "person_bob": world.p.bob, "person_sup": world.p.sup}


PAGES = {
    "dashboards:person": row(
        case("alice", ALICES, post=answer(405), pk="@person_alice"),
        case("bob", BOBS, post=answer(405), pk="@person_bob"),
        # A supervisor's own dashboard: themself, HR and executives; not their peer.
        case(
            "sup",
            answer(404, sup=200, exec=200, hr=200),
            post=answer(405),
            pk="@person_sup",
        ),
    ),
    # HR's leaderboard setting (the improvement board), with its history.
    "org:leaderboard_setting": one(HR_ONLY, post=HR_ACTS),
}

API = {
    "GET /api/v1/dashboards/me": row(case("", answer(200, anon=401))),
    "GET /api/v1/dashboards/team": row(case("", answer(403, anon=401, sup=200, sup2=200))),
}

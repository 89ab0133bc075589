"""Decision sandbox: managers (trainers, HR) edit scenarios; anyone employed reads a
published scenario and starts a run; a run is for its members (who play), trainers, HR
and the supervisors of a member (who watch), 404 for anyone else; results are for
trainers, HR and supervisors (their chain's runs)."""

from __future__ import annotations

from typing import Any

from kaopei.training.services import sandbox as services
from tests.access import JSON, OK, answer, one
from tests.training.sandbox_factories import choice_id, scenario_build, step

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
RESULTS = answer(403, sup=200, sup2=200, trainer=200, hr=200)
ALICES_RUN = answer(404, alice=200, sup=200, trainer=200, hr=200)
ALICE_PLAYS = answer(404, alice=302, sup=403, trainer=403, hr=403)
ALICE_OPENS = answer(404, alice=200, sup=403, trainer=403, hr=403)


def build(world: Any) -> dict[str, object]:
    published = scenario_build("MX-SBX")
    draft = scenario_build("MX-SBX-D", publish=False)
    done, _ = services.run_start(scenario=published, employee=world.p.alice)
    for key in ("S1", "S2"):
        services.run_choose(
            run=done,
            employee=world.p.alice,
            step_id=step(published, key).pk,
            choice_id=choice_id(published, key, 1),
        )
    other = scenario_build("MX-SBX-2")
    open_run, _ = services.run_start(scenario=other, employee=world.p.alice)
    return {
        "sbx": published,
        "sbx_draft": draft,
        "sbx_step": step(draft, "S3"),
        "sbx_choice": step(draft, "S3").choices.first(),
        "sbx_run_done": done,
        "sbx_run_open": open_run,
    }


PAGES = {
    "training:sandbox_list": one(OK, post=answer(405)),
    "training:sandbox_my_runs": one(OK, post=answer(405)),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:sandbox_create": one(MANAGERS),
    "training:sandbox_detail": one(OK, post=answer(405), pk="@sbx"),
    "training:sandbox_edit": one(MANAGERS, pk="@sbx_draft"),
    "training:sandbox_publish": one(answer(405), post=MANAGERS_ACT, pk="@sbx_draft"),
    "training:sandbox_retire": one(MANAGERS, post=MANAGERS_ACT, pk="@sbx"),
    "training:sandbox_delete": one(MANAGERS, post=MANAGERS_ACT, pk="@sbx_draft"),
    "training:sandbox_step_add": one(MANAGERS, pk="@sbx_draft"),
    "training:sandbox_step_edit": one(MANAGERS, pk="@sbx_step"),
    "training:sandbox_step_delete": one(MANAGERS, post=MANAGERS_ACT, pk="@sbx_step"),
    "training:sandbox_choice_add": one(MANAGERS, pk="@sbx_step"),
    "training:sandbox_choice_edit": one(MANAGERS, pk="@sbx_choice"),
    "training:sandbox_choice_delete": one(MANAGERS, post=MANAGERS_ACT, pk="@sbx_choice"),
    # Anyone employed starts a solo run (then is sent to it).
    "training:sandbox_start": one(answer(405), post=answer(302), pk="@sbx"),
    "training:sandbox_results": one(RESULTS, post=answer(405), pk="@sbx"),
    # Alice's open run: she plays (a POST without a choice is sent back), others watch.
    "training:sandbox_run": one(ALICES_RUN, post=ALICE_PLAYS, pk="@sbx_run_open"),
    "training:sandbox_run_result": one(ALICES_RUN, post=answer(405), pk="@sbx_run_done"),
    "training:sandbox_abandon": one(ALICE_OPENS, post=ALICE_PLAYS, pk="@sbx_run_open"),
}

API = {
    "GET /api/v1/training/sandbox/scenarios": one(answer(200, anon=401)),
    "GET /api/v1/training/sandbox/scenarios/{scenario_id}": one(
        answer(200, anon=401), scenario_id="@sbx"
    ),
    "POST /api/v1/training/sandbox/scenarios/{scenario_id}/runs": one(
        answer(201, anon=401), data={JSON: "{}"}, scenario_id="@sbx"
    ),
    "GET /api/v1/training/sandbox/runs/{run_id}": one(
        answer(404, anon=401, alice=200, sup=200, trainer=200, hr=200), run_id="@sbx_run_open"
    ),
    "POST /api/v1/training/sandbox/runs/{run_id}/choices": one(
        # Alice plays in it: a step that is not where the run stands is refused (400).
        answer(404, anon=401, alice=400, sup=403, trainer=403, hr=403),
        data={JSON: '{"step_id": 0, "choice_id": 0}'},
        run_id="@sbx_run_open",
    ),
    "GET /api/v1/training/sandbox/scenarios/{scenario_id}/results": one(
        answer(403, anon=401, sup=200, sup2=200, trainer=200, hr=200), scenario_id="@sbx"
    ),
}

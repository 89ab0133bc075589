"""360 reports (kaopei/feedback/views/reports.py, api/reports.py): a subject's report is
read by the subject, their supervisor chain and HR admins (404 for anyone else); the unit
heatmap by HR admins and executives; rater bias by HR admins; the 9-box by HR admins and
supervisors (executives: counts only). Every page only reads.

``build`` closes a 360 round of 2025Q3 with answers about Alice and Bob."""

from __future__ import annotations

from typing import Any

from tests.access import GET_ONLY, HR_ONLY, answer, case, one, row
from tests.feedback.reports_factories import alice_and_bob

CODE = "2025Q3"
READERS = answer(403, alice=200, bob=200, sup=200, sup2=200, hr=200)
ALICES_REPORT = answer(404, alice=200, sup=200, hr=200)
BOBS_REPORT = answer(404, bob=200, sup2=200, hr=200)
HEATMAP = answer(403, exec=200, hr=200)

PAGES = {
    "feedback:reports_index": one(
        answer(403, alice=200, bob=200, sup=200, sup2=200, exec=200, hr=200), post=GET_ONLY
    ),
    "feedback:cycle_reports": one(READERS, post=GET_ONLY, code=CODE),
    "feedback:report_detail": row(
        case("alice", ALICES_REPORT, post=GET_ONLY, code=CODE, employee_no="A001"),
        case("bob", BOBS_REPORT, post=GET_ONLY, code=CODE, employee_no="B001"),
    ),
    "feedback:heatmap": one(HEATMAP, post=GET_ONLY, code=CODE),
    "feedback:heatmap_export": row(
        case("csv", HEATMAP, post=GET_ONLY, code=CODE, fmt="csv"),
        case("xlsx", HEATMAP, post=GET_ONLY, code=CODE, fmt="xlsx"),
    ),
    "feedback:rater_bias": one(HR_ONLY, post=GET_ONLY, code=CODE),
    # On the scored cycle of the world (its scorecards), like the calibration board.
    "feedback:nine_box": one(
        answer(403, sup=200, sup2=200, exec=200, hr=200), post=GET_ONLY, code="2026Q1"
    ),
}

API = {
    "GET /api/v1/feedback/reports/{code}": one(
        answer(403, anon=401, alice=200, bob=200, sup=200, sup2=200, hr=200), code=CODE
    ),
    "GET /api/v1/feedback/reports/{code}/{employee_no}": row(
        case(
            "alice",
            answer(404, anon=401, alice=200, sup=200, hr=200),
            code=CODE,
            employee_no="A001",
        ),
        case(
            "bob", answer(404, anon=401, bob=200, sup2=200, hr=200), code=CODE, employee_no="B001"
        ),
    ),
    "GET /api/v1/feedback/heatmap/{code}": one(answer(403, anon=401, exec=200, hr=200), code=CODE),
}


def build(world: Any) -> dict[str, Any]:
    data = alice_and_bob(world.p, CODE)
    return {"reports_round": data["round"]}

"""The assessment API (DESIGN.md §4.3 ⚑): session and bearer-token access, the same scope as
the pages, JSON errors, numbers as numbers, and the evidence behind every line."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_set_status
from kaopei.assessment.tasks import SCORE_HANDLER
from kaopei.core.models import Job
from kaopei.core.services import api_token_create
from kaopei.facts.models import Activity
from tests.assessment.factories_config import TZ, build_hand_example, customer, english
from tests.conftest import Personas

API = "/api/v1"


def bearer(personas: Personas, who: str, **options: bool) -> Client:
    _token, raw = api_token_create(user=getattr(personas, who).user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"}, **options)


def session(personas: Personas, who: str) -> Client:
    return english(personas.client(getattr(personas, who)))


@pytest.fixture
def scored(personas: Personas) -> Cycle:
    return build_hand_example(personas)


# --- GET /cycles ----------------------------------------------------------------------------


def test_hr_admin_lists_every_cycle_with_a_token(personas: Personas, scored: Cycle) -> None:
    cycle_get_or_create(code="2026Q2")
    response = bearer(personas, "hr").get(f"{API}/cycles")
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == ["2026Q2", "2026Q1"]
    assert body[1]["status"] == "scored" and body[1]["days"] == 90
    assert body[1]["max_a_share"] == 0.2


def test_others_list_published_cycles_only(personas: Personas, scored: Cycle) -> None:
    cycle_get_or_create(code="2026Q2")
    assert [c["code"] for c in session(personas, "alice").get(f"{API}/cycles").json()] == ["2026Q1"]


def test_cycles_need_credentials(db: None) -> None:
    response = Client().get(f"{API}/cycles")
    assert response.status_code == 401 and response.json()["detail"]
    bad = Client(headers={"authorization": "Bearer kp_nope"}).get(f"{API}/cycles")
    assert bad.status_code == 401


# --- POST /cycles/{code}/score ------------------------------------------------------------


def test_hr_admin_starts_scoring_and_follows_the_job(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    build_hand_example(personas, score=False)
    client = bearer(personas, "hr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/cycles/2026q1/score")
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == "score" and job["status"] == "queued" and job["total"] == 4
    done = client.get(f"{API}/jobs/{job['id']}")
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "succeeded" and body["percent"] == 100 and body["error"] == ""
    assert body["result"]["scored"] == 4
    assert body["result"]["grades"] == {"C": 1, "UNQUALIFIED": 1, "INSUFFICIENT": 2}
    assert {s["employee_no"] for s in body["result"]["skipped"]} == {"HR001", "EX001", "T001"}


def test_scoring_a_final_cycle_is_a_409(personas: Personas, scored: Cycle) -> None:
    cycle = cycle_set_status(cycle=scored, status=Cycle.Status.CALIBRATING)
    cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL)
    response = session(personas, "hr").post(f"{API}/cycles/2026Q1/score")
    assert response.status_code == 409
    assert "final" in response.json()["detail"] and response.json()["errors"] == []
    assert not Job.objects.exists()


@pytest.mark.parametrize("code", ["2026Q5", "26Q1", "nope", "1899"])
def test_scoring_a_bad_code_is_a_400(personas: Personas, code: str) -> None:
    response = session(personas, "hr").post(f"{API}/cycles/{code}/score")
    assert response.status_code == 400
    assert "not a cycle code" in response.json()["detail"]
    assert not Cycle.objects.exists()


def test_only_hr_admins_start_scoring(personas: Personas, scored: Cycle) -> None:
    for who in ("sup", "alice", "exec"):
        response = bearer(personas, who).post(f"{API}/cycles/2026Q1/score")
        assert response.status_code == 403 and response.json()["detail"]
    assert not Job.objects.exists()


def test_a_running_scoring_job_is_returned_instead_of_a_second_one(personas: Personas) -> None:
    running = Job.objects.create(
        kind="score",
        handler=SCORE_HANDLER,
        params={"code": "2026Q1"},
        status=Job.Status.RUNNING,
        created_by=personas.hr.user,
    )
    response = session(personas, "hr").post(f"{API}/cycles/2026Q1/score")
    assert response.status_code == 202 and response.json()["id"] == running.pk
    assert Job.objects.count() == 1


# --- GET /jobs/{id} -------------------------------------------------------------------------


def test_a_job_is_visible_to_its_creator_and_hr_admins_only(personas: Personas) -> None:
    job = Job.objects.create(
        kind="score",
        handler=SCORE_HANDLER,
        params={"code": "2026Q1"},
        created_by=personas.sup.user,
        status=Job.Status.FAILED,
        result={"detail": "Cycle 2026Q1 is final.", "errors": []},
        error="Traceback (most recent call last): …",
    )
    mine = bearer(personas, "sup").get(f"{API}/jobs/{job.pk}")
    assert mine.status_code == 200 and mine.json()["error"] == "Cycle 2026Q1 is final."
    assert session(personas, "hr").get(f"{API}/jobs/{job.pk}").status_code == 200
    assert bearer(personas, "alice").get(f"{API}/jobs/{job.pk}").status_code == 404
    assert session(personas, "hr").get(f"{API}/jobs/999999").status_code == 404


# --- GET /cycles/{code}/scorecards --------------------------------------------------------


def test_hr_admin_pages_through_every_scorecard(personas: Personas, scored: Cycle) -> None:
    client = bearer(personas, "hr")
    page = client.get(f"{API}/cycles/2026Q1/scorecards", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 4
    assert [c["employee_no"] for c in page["items"]] == ["B001", "S001"]
    bob = page["items"][0]
    assert bob["total"] == 75.0 and bob["grade"] == "UNQUALIFIED"
    assert bob["veto_reason"] == "INC-7 aml" and bob["final"] is False
    filtered = client.get(f"{API}/cycles/2026Q1/scorecards", {"grade": "insufficient"}).json()
    assert [c["employee_no"] for c in filtered["items"]] == ["S001", "S002"]
    assert filtered["items"][1]["total"] is None
    by_unit = client.get(f"{API}/cycles/2026Q1/scorecards", {"unit": "SH-T1"}).json()
    assert by_unit["count"] == 2


def test_scorecards_are_scoped_like_the_pages(personas: Personas, scored: Cycle) -> None:
    def nos(who: str) -> list[str]:
        body = session(personas, who).get(f"{API}/cycles/2026Q1/scorecards").json()
        return [c["employee_no"] for c in body["items"]]

    assert nos("sup") == ["A001", "S001"]
    assert nos("alice") == ["A001"]
    assert nos("bob") == ["B001"]
    assert nos("exec") == [] and nos("trainer") == []


def test_a_draft_cycles_scorecards_are_hidden_from_others(personas: Personas) -> None:
    cycle_get_or_create(code="2026Q3")
    assert session(personas, "alice").get(f"{API}/cycles/2026Q3/scorecards").status_code == 404
    assert session(personas, "hr").get(f"{API}/cycles/2026Q3/scorecards").status_code == 200


# --- GET /cycles/{code}/scorecards/{employee_no} ------------------------------------------


def test_an_account_manager_reads_their_scorecard_with_the_evidence(
    personas: Personas, scored: Cycle
) -> None:
    response = bearer(personas, "alice").get(f"{API}/cycles/2026Q1/scorecards/A001")
    assert response.status_code == 200
    card = response.json()
    assert card["total"] == 99.94 and card["grade"] == "C" and card["renormalised"] is True
    assert (card["weight_with_data"], card["weight_total"]) == (70.0, 100.0)
    lines = {line["metric"]: line for line in card["lines"]}
    sales = lines["sales_amount"]
    assert (
        sales["actual"],
        sales["target"],
        sales["attainment"],
        sales["points"],
        sales["weight"],
        sales["has_data"],
    ) == (223456.78, 200000.0, 1.1173, 111.73, 40.0, True)
    [group] = sales["evidence"]  # the sale signed after the cycle is not counted
    assert (group["count"], sorted(group["keys"]), group["truncated"]) == (
        2,
        ["HT-1", "HT-2"],
        False,
    )
    assert group["label"]
    hours = lines["response_hours"]
    assert hours["attainment"] == 0.8421 and hours["points"] == 84.21
    assert sorted(hours["evidence"][0]["keys"]) == ["AC-A0", "AC-A1", "AC-A2", "AC-A3"]
    win = lines["opportunity_win_rate"]
    assert win["has_data"] is False and win["points"] is None and win["warning"] == "no_data"
    assert [g["count"] for g in win["evidence"]] == [0, 0]  # neither won nor lost


def test_the_evidence_is_capped_at_500_keys_a_group(personas: Personas, scored: Cycle) -> None:
    cb = customer(personas.bob, "C-B2")
    Activity.objects.bulk_create(
        [
            Activity(
                activity_id=f"V{i:04d}",
                employee=personas.bob,
                customer=cb,
                kind=Activity.Kind.VISIT,
                occurred_on=date(2026, 3, 3),
                occurred_at=datetime(2026, 3, 3, 9, tzinfo=TZ),
            )
            for i in range(600)
        ]
    )
    card = session(personas, "hr").get(f"{API}/cycles/2026Q1/scorecards/B001").json()
    [group] = card["lines"][0]["evidence"]
    assert group["count"] == 603 and group["truncated"] is True and len(group["keys"]) == 500


def test_nobody_reads_a_scorecard_outside_their_scope(personas: Personas, scored: Cycle) -> None:
    assert session(personas, "alice").get(f"{API}/cycles/2026Q1/scorecards/B001").status_code == 404
    assert bearer(personas, "sup").get(f"{API}/cycles/2026Q1/scorecards/B001").status_code == 404
    assert (
        session(personas, "trainer").get(f"{API}/cycles/2026Q1/scorecards/A001").status_code == 404
    )
    assert session(personas, "sup").get(f"{API}/cycles/2026Q1/scorecards/A001").status_code == 200


# --- bad parameters: a JSON 4xx, never a 500 or a page (issue 8, finding 10) -------------


def refused_as_json(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["content-type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and isinstance(body["errors"], list)
    return body


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        "offset=-1",
        "offset=1000001",
        "limit=99999999999999999999",
        "limit=0",
        "limit=501",
        "unit=%00",
        "unit=" + "x" * 41,
        "grade=%00",
        "grade=" + "A" * 21,
    ],
)
def test_a_bad_scorecard_list_parameter_is_refused_with_json(
    personas: Personas, scored: Cycle, query: str
) -> None:
    client = bearer(personas, "hr", raise_request_exception=False)
    body = refused_as_json(client.get(f"{API}/cycles/2026Q1/scorecards?{query}"), 422)
    assert body["errors"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "path",
    [
        "/cycles/%00/scorecards",
        "/cycles/" + "9" * 41 + "/scorecards",
        "/cycles/2026Q1/scorecards/%00",
        "/cycles/2026Q1/scorecards/" + "x" * 41,
        "/jobs/" + "9" * 30,
        "/jobs/0",
        "/jobs/-1",
        "/jobs/ten",
    ],
)
def test_a_bad_path_is_refused_with_json(personas: Personas, scored: Cycle, path: str) -> None:
    client = bearer(personas, "hr", raise_request_exception=False)
    refused_as_json(client.get(f"{API}{path}"), 404, 422)


@pytest.mark.parametrize("code", ["%00", "9" * 41, "2026Q1%0A"])
def test_scoring_a_malformed_code_is_refused_with_json_and_starts_nothing(
    personas: Personas, code: str
) -> None:
    client = bearer(personas, "hr", raise_request_exception=False)
    refused_as_json(client.post(f"{API}/cycles/{code}/score"), 400, 422)
    assert not Job.objects.exists() and not Cycle.objects.exists()


def test_a_30_digit_job_id_is_a_404_on_every_database(personas: Personas) -> None:
    # Past the bigint range: PostgreSQL would refuse the query, SQLite find nothing.
    client = bearer(personas, "hr", raise_request_exception=False)
    assert refused_as_json(client.get(f"{API}/jobs/{'9' * 30}"), 404)["detail"] == "Not found."


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_declares_numbers_and_every_error(personas: Personas) -> None:
    schema = session(personas, "hr").get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    routes = [
        ("/api/v1/cycles", "get"),
        ("/api/v1/cycles/{code}/score", "post"),
        ("/api/v1/cycles/{code}/scorecards", "get"),
        ("/api/v1/cycles/{code}/scorecards/{employee_no}", "get"),
        ("/api/v1/jobs/{job_id}", "get"),
    ]
    for path, method in routes:
        responses = paths[path][method]["responses"]
        assert {"400", "403", "404", "409", "422"} <= set(responses), path
    line = schema["components"]["schemas"]["LineOut"]["properties"]
    assert {"type": "number"} in line["actual"]["anyOf"]
    assert line["weight"]["type"] == "number"


# --- pinned query counts ---------------------------------------------------------------------

# The token, the roles, the cycle, the count, the page of cards (with their cycle, employee,
# unit, level and template): the same for any number of cards.
LIST_QUERIES = 5


def test_the_scorecard_list_makes_the_same_queries_for_4_or_14_cards(
    personas: Personas, scored: Cycle, django_assert_num_queries: Any
) -> None:
    from kaopei.assessment.services.scoring import cycle_score
    from tests.factories import EmployeeFactory

    client = bearer(personas, "hr")
    client.get(f"{API}/cycles")  # the token's first use is recorded once
    with django_assert_num_queries(LIST_QUERIES):
        few = client.get(f"{API}/cycles/2026Q1/scorecards")
    assert few.json()["count"] == 4
    for i in range(10):
        EmployeeFactory.create(
            employee_no=f"X{i:03d}", org_unit=personas.alice.org_unit, level=personas.alice.level
        )
    cycle_score(code="2026Q1", today=date(2026, 5, 1))
    with django_assert_num_queries(LIST_QUERIES):
        many = client.get(f"{API}/cycles/2026Q1/scorecards")
    assert many.json()["count"] == 14

"""Decision sandbox pages and API: the editor's check panel and refused publishing,
playing to the result page that names where the path went wrong, group runs, results for
trainers and supervisors, and the API doing the same."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from kaopei.training.models import SandboxRun, Scenario
from kaopei.training.services import sandbox as services
from tests.training.sandbox_factories import choice_id, scenario_build, step

pytestmark = pytest.mark.django_db
API = "/api/v1/training/sandbox"


def _post_json(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_editor_lists_the_problems_and_publishing_is_refused(personas: Any) -> None:
    scenario = scenario_build(publish=False)
    services.step_save(scenario=scenario, step=None, key="D3", text="死路")
    client = personas.client(personas.trainer)
    page = client.get(
        reverse("training:sandbox_detail", args=[scenario.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = page.content.decode()
    assert "Step D3 has no choices" in body and "D3 cannot be reached" in body
    response = client.post(
        reverse("training:sandbox_publish", args=[scenario.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.DRAFT


def test_a_trainer_builds_a_scenario_through_the_forms(personas: Any) -> None:
    client = personas.client(personas.trainer)
    r = client.post(
        reverse("training:sandbox_create"),
        {"code": "NEW-1", "title": "新情景", "brief": "情况", "time_limit": "5"},
    )
    scenario = Scenario.objects.get(code="NEW-1")
    assert r.status_code == 302 and scenario.created_by == personas.trainer.user
    client.post(
        reverse("training:sandbox_step_add", args=[scenario.pk]),
        {"key": "s1", "text": "开始", "is_start": "on"},
    )
    s1 = step(scenario, "S1")
    client.post(
        reverse("training:sandbox_choice_add", args=[s1.pk]),
        {"order": "1", "text": "结束", "points": "5", "next_step": ""},
    )
    client.post(reverse("training:sandbox_publish", args=[scenario.pk]), {"action": "publish"})
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.PUBLISHED


def test_bad_choice_form_input_gets_a_message_and_writes_nothing(personas: Any) -> None:
    scenario = scenario_build(publish=False)
    s1 = step(scenario, "S1")
    client = personas.client(personas.trainer)
    r = client.post(
        reverse("training:sandbox_choice_add", args=[s1.pk]),
        {"order": "3", "text": "x", "points": "abc", "next_step": "999999"},
    )
    assert r.status_code == 200 and s1.choices.count() == 2


def test_an_account_manager_plays_and_sees_where_the_path_went_wrong(personas: Any) -> None:
    scenario = scenario_build()
    client = personas.client(personas.alice)
    r = client.post(reverse("training:sandbox_start", args=[scenario.pk]), {"group": ""})
    run = SandboxRun.objects.get(started_by=personas.alice)
    assert r.url == reverse("training:sandbox_run", args=[run.pk])
    url = reverse("training:sandbox_run", args=[run.pk])
    client.post(url, {"step": step(scenario, "S1").pk, "choice": choice_id(scenario, "S1", 2)})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "客户觉得还能再压" in page  # the consequence of the choice just made
    r = client.post(url, {"step": step(scenario, "S3").pk, "choice": choice_id(scenario, "S3", 1)})
    assert r.url == reverse("training:sandbox_run_result", args=[run.pk])
    result = client.get(r.url).content.decode()
    assert 'data-wrong-step="S1"' in result and "了解需求" in result
    assert "6.7%" in result
    assert run in client.get(reverse("training:sandbox_my_runs")).context["page_obj"]


def test_a_double_submit_records_one_choice(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    client = personas.client(personas.alice)
    url = reverse("training:sandbox_run", args=[run.pk])
    data = {"step": step(scenario, "S1").pk, "choice": choice_id(scenario, "S1", 1)}
    client.post(url, data)
    client.post(url, {**data, "choice": choice_id(scenario, "S1", 2)})
    assert run.path.count() == 1


def test_a_group_run_is_started_naming_a_team_member(personas: Any) -> None:
    scenario = scenario_build()
    client = personas.client(personas.sup)
    client.post(
        reverse("training:sandbox_start", args=[scenario.pk]),
        {"group": "on", "members": [personas.alice.pk]},
    )
    run = SandboxRun.objects.get(started_by=personas.sup)
    assert run.mode == "group" and run.members.count() == 2
    # Bob (another branch) may not be named by Alice.
    r = personas.client(personas.alice).post(
        reverse("training:sandbox_start", args=[scenario.pk]),
        {"group": "on", "members": [personas.bob.pk]},
    )
    assert (
        r.status_code == 302 and not SandboxRun.objects.filter(started_by=personas.alice).exists()
    )


def test_results_show_counts_and_a_chart_to_trainers(personas: Any) -> None:
    scenario = scenario_build()
    run, _ = services.run_start(scenario=scenario, employee=personas.alice)
    for key, order in (("S1", 2), ("S3", 1)):
        services.run_choose(
            run=run,
            employee=personas.alice,
            step_id=step(scenario, key).pk,
            choice_id=choice_id(scenario, key, order),
        )
    page = personas.client(personas.trainer).get(
        reverse("training:sandbox_results", args=[scenario.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-chart="kp-sandbox-chart"' in body and 'data-mistake="S1"' in body
    assert page.context["results"].runs == 1
    # Bob's supervisor sees no run of Alice's.
    page = personas.client(personas.sup2).get(
        reverse("training:sandbox_results", args=[scenario.pk])
    )
    assert page.context["results"].runs == 0


def test_the_course_page_lists_its_scenarios(personas: Any) -> None:
    from tests.training.factories import CourseFactory

    course = CourseFactory(code="SBX-C")
    scenario_build(courses=[course])
    page = personas.client(personas.alice).get(
        reverse("training:course_detail", args=[course.code])
    )
    assert 'data-panel="sandbox"' in page.content.decode()


def test_the_api_plays_a_run_and_refuses_bad_choices(personas: Any) -> None:
    scenario = scenario_build()
    client = personas.client(personas.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    listed = client.get(f"{API}/scenarios").json()
    assert [s["code"] for s in listed] == ["SBX-T"]
    started = _post_json(client, f"{API}/scenarios/{scenario.pk}/runs", {})
    assert started.status_code == 201
    run = started.json()
    assert run["current_step"]["key"] == "S1" and run["max_points"] == 15
    bad = _post_json(
        client,
        f"{API}/runs/{run['id']}/choices",
        {"step_id": step(scenario, "S1").pk, "choice_id": choice_id(scenario, "S2", 1)},
    )
    assert bad.status_code == 400 and "current step" in bad.json()["detail"]
    for key in ("S1", "S2"):
        r = _post_json(
            client,
            f"{API}/runs/{run['id']}/choices",
            {"step_id": step(scenario, key).pk, "choice_id": choice_id(scenario, key, 1)},
        )
        assert r.status_code == 200
    done = client.get(f"{API}/runs/{run['id']}").json()
    assert done["status"] == "finished" and done["score"] == 100.0
    assert [p["went_wrong"] for p in done["path"]] == [False, False]
    again = _post_json(
        client,
        f"{API}/runs/{run['id']}/choices",
        {"step_id": step(scenario, "S2").pk, "choice_id": choice_id(scenario, "S2", 1)},
    )
    assert again.status_code == 409
    assert personas.client(personas.bob).get(f"{API}/runs/{run['id']}").status_code == 404
    results = personas.client(personas.hr).get(f"{API}/scenarios/{scenario.pk}/results").json()
    assert results["finished"] == 1 and results["mean_score"] == 100.0


def test_the_api_refuses_a_group_member_the_caller_may_not_name(personas: Any) -> None:
    scenario = scenario_build()
    r = _post_json(
        personas.client(personas.alice),
        f"{API}/scenarios/{scenario.pk}/runs",
        {"members": [personas.bob.employee_no]},
    )
    assert r.status_code == 400 and "B001" in r.json()["detail"]
    assert not SandboxRun.objects.exists()

"""Cycle pages: list, create, detail with the HR actions (status, settings, scoring as a job
with its progress page) and the exports. Every page: an allowed and a denied test."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from kaopei.assessment.models import Cycle, GradePolicy
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_set_status
from kaopei.assessment.tasks import SCORE_HANDLER, _progress_key, score_cycle_enqueue
from kaopei.core.jobs import job_create
from kaopei.core.models import Job
from tests.assessment.factories_config import build_hand_example, english
from tests.conftest import Personas

CYCLES = "/assessment/cycles/"


def client(personas: Personas, who: str | None) -> Client:
    return english(personas.client(getattr(personas, who) if who else None))


@pytest.fixture
def scored(personas: Personas) -> Cycle:
    return build_hand_example(personas)


def finalise(cycle: Cycle) -> Cycle:
    cycle = cycle_set_status(cycle=cycle, status=Cycle.Status.CALIBRATING)
    return cycle_set_status(cycle=cycle, status=Cycle.Status.FINAL)


# --- list ---------------------------------------------------------------------------------


def test_hr_admin_lists_every_cycle_drafts_included(personas: Personas, scored: Cycle) -> None:
    cycle_get_or_create(code="2026Q2")
    response = client(personas, "hr").get(CYCLES)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026Q1" in body and "2026Q2" in body and "New cycle" in body


def test_account_manager_sees_published_cycles_but_not_drafts(
    personas: Personas, scored: Cycle
) -> None:
    cycle_get_or_create(code="2026Q2")
    body = client(personas, "alice").get(CYCLES).content.decode()
    assert "2026Q1" in body and "2026Q2" not in body and "New cycle" not in body


def test_the_cycle_list_needs_a_login(db: None) -> None:
    response = Client().get(CYCLES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_cycle_list_reads_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for q in (1, 2, 3, 4):
        cycle_get_or_create(code=f"2025Q{q}")
    c = client(personas, "hr")
    with django_assert_max_num_queries(12):
        assert c.get(CYCLES).status_code == 200


# --- create -------------------------------------------------------------------------------


def test_hr_admin_creates_a_cycle_from_its_code(personas: Personas) -> None:
    response = client(personas, "hr").post(CYCLES + "new/", {"code": " 2027q2 "})
    assert response.status_code == 302 and response["Location"] == CYCLES + "2027Q2/"
    cycle = Cycle.objects.get(code="2027Q2")
    assert (cycle.kind, cycle.start, cycle.end, cycle.status) == (
        "quarterly",
        date(2027, 4, 1),
        date(2027, 6, 30),
        "draft",
    )


def test_a_bad_cycle_code_gets_a_clear_message(personas: Personas) -> None:
    response = client(personas, "hr").post(CYCLES + "new/", {"code": "2026Q7"})
    assert response.status_code == 200
    assert "is not a cycle code" in response.content.decode()
    assert not Cycle.objects.exists()


def test_creating_an_existing_cycle_opens_it(personas: Personas) -> None:
    cycle_get_or_create(code="2026")
    response = client(personas, "hr").post(CYCLES + "new/", {"code": "2026"}, follow=True)
    assert "Cycle 2026 already exists." in response.content.decode()
    assert Cycle.objects.count() == 1


def test_a_supervisor_cannot_create_a_cycle(personas: Personas) -> None:
    c = client(personas, "sup")
    assert c.get(CYCLES + "new/").status_code == 403
    assert c.post(CYCLES + "new/", {"code": "2027"}).status_code == 403
    assert not Cycle.objects.exists()


# --- detail -------------------------------------------------------------------------------


def test_hr_admin_sees_the_cycle_with_its_actions(personas: Personas, scored: Cycle) -> None:
    response = client(personas, "hr").get(CYCLES + "2026Q1/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Scored",
        "90 days",
        "Score now",
        "Start calibration",
        "Back to open",
        "Save settings",
        "scorecards.csv",
        "score-lines.xlsx",
        "cfg-am1 v1",
        "Grade distribution",
        "Unqualified",
    ):
        assert text in body, text
    assert 'data-confirm="Score cycle 2026Q1 now?' in body


def test_an_account_manager_sees_a_published_cycle_without_hr_actions(
    personas: Personas, scored: Cycle
) -> None:
    response = client(personas, "alice").get(CYCLES + "2026Q1/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "My scorecard" in body and "/scorecards/A001/" in body
    assert "Score now" not in body and "Save settings" not in body and "Targets" not in body


def test_a_supervisor_sees_the_grade_distribution_of_their_people_only(
    personas: Personas, scored: Cycle
) -> None:
    response = client(personas, "sup").get(CYCLES + "2026Q1/")
    distribution = {g: n for g, n, _pct in response.context["distribution"]}
    assert distribution == {"C": 1, "INSUFFICIENT": 1}  # Alice and Sun Pei herself


def test_an_account_manager_cannot_open_a_draft_cycle(personas: Personas) -> None:
    cycle_get_or_create(code="2026Q3")
    assert client(personas, "alice").get(CYCLES + "2026Q3/").status_code == 404
    assert client(personas, "hr").get(CYCLES + "2026Q3/").status_code == 200


# --- status -------------------------------------------------------------------------------


def test_hr_admin_opens_a_draft_cycle(personas: Personas) -> None:
    cycle_get_or_create(code="2026Q3")
    response = client(personas, "hr").post(
        CYCLES + "2026Q3/status/", {"status": "open"}, follow=True
    )
    assert "Cycle 2026Q3 is now Open." in response.content.decode()
    cycle = Cycle.objects.get(code="2026Q3")
    assert cycle.status == "open" and cycle.opened_at is not None


def test_a_jump_the_life_cycle_forbids_is_refused_with_a_message(personas: Personas) -> None:
    cycle_get_or_create(code="2026Q3")
    response = client(personas, "hr").post(
        CYCLES + "2026Q3/status/", {"status": "final"}, follow=True
    )
    assert "cannot go from" in response.content.decode()
    assert Cycle.objects.get(code="2026Q3").status == "draft"


def test_only_hr_admins_move_a_cycle(personas: Personas, scored: Cycle) -> None:
    c = client(personas, "sup")
    assert c.post(CYCLES + "2026Q1/status/", {"status": "calibrating"}).status_code == 403
    assert client(personas, "hr").get(CYCLES + "2026Q1/status/").status_code == 405
    assert Cycle.objects.get(code="2026Q1").status == "scored"


# --- settings -----------------------------------------------------------------------------


def test_hr_admin_changes_the_cycle_settings(personas: Personas, scored: Cycle) -> None:
    policy = GradePolicy.objects.get(is_default=True)
    response = client(personas, "hr").post(
        CYCLES + "2026Q1/settings/",
        {
            "appeal_deadline": "2026-05-15",
            "grade_policy": policy.pk,
            "max_a_share": "15",
        },
    )
    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.appeal_deadline == date(2026, 5, 15)
    assert scored.max_a_share == Decimal("0.15")
    assert scored.history.first().history_user == personas.hr.user  # type: ignore[attr-defined]


def test_bad_settings_are_shown_on_the_form(personas: Personas, scored: Cycle) -> None:
    response = client(personas, "hr").post(
        CYCLES + "2026Q1/settings/", {"appeal_deadline": "soon", "max_a_share": "120"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"appeal_deadline", "max_a_share"}


def test_a_final_cycle_keeps_its_settings(personas: Personas, scored: Cycle) -> None:
    finalise(scored)
    response = client(personas, "hr").post(CYCLES + "2026Q1/settings/", {"max_a_share": "50"})
    assert "is final" in response.content.decode()
    assert Cycle.objects.get(code="2026Q1").max_a_share == Decimal("0.20")


def test_only_hr_admins_change_settings(personas: Personas, scored: Cycle) -> None:
    c = client(personas, "exec")
    assert c.get(CYCLES + "2026Q1/settings/").status_code == 403
    assert c.post(CYCLES + "2026Q1/settings/", {"max_a_share": "50"}).status_code == 403


# --- scoring as a job ---------------------------------------------------------------------


def test_score_now_runs_a_job_and_shows_its_result(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    build_hand_example(personas, score=False)
    cycle_get_or_create(code="2026Q1")
    c = client(personas, "hr")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(CYCLES + "2026Q1/score/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assessment/jobs/{job.pk}/"
    assert (job.kind, job.handler, job.params["code"]) == ("score", SCORE_HANDLER, "2026Q1")
    assert job.total == 4  # the people with a template for their level
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["scored"] == 4
    page = c.get(response["Location"])
    body = page.content.decode()
    assert "4 people scored." in body and "3 people skipped" in body and "HR001" in body
    assert "hx-trigger" not in body  # done: no more polling
    assert "4 of 4 rows" in body


def test_score_now_twice_shows_the_job_already_under_way(personas: Personas) -> None:
    build_hand_example(personas, score=False)
    c = client(personas, "hr")
    first = c.post(CYCLES + "2026Q1/score/")  # the job stays queued: nothing runs it here
    second = c.post(CYCLES + "2026Q1/score/", follow=True)
    job = Job.objects.get()
    assert first["Location"] == second.redirect_chain[-1][0] == f"/assessment/jobs/{job.pk}/"
    assert "Cycle 2026Q1 is already being scored: here is that scoring job." in (
        second.content.decode()
    )
    assert "already being scored" not in c.get(first["Location"]).content.decode()


def test_a_score_request_creates_the_cycle_and_its_job_together(personas: Personas) -> None:
    build_hand_example(personas, score=False)
    assert not Cycle.objects.filter(code="2026Q2").exists()
    first = score_cycle_enqueue(code="2026q2", user=personas.hr.user)
    again = score_cycle_enqueue(code="2026Q2", user=personas.hr.user)
    assert first.started and not again.started and again.job == first.job
    assert Cycle.objects.filter(code="2026Q2").exists() and Job.objects.count() == 1


def test_the_job_page_polls_while_running_and_shows_live_progress(personas: Personas) -> None:
    job = Job.objects.create(
        kind="score",
        handler=SCORE_HANDLER,
        params={"code": "2026Q1"},
        created_by=personas.hr.user,
        status=Job.Status.RUNNING,
        total=10,
    )
    cache.set(_progress_key(job.pk), (500, 1000))
    c = client(personas, "hr")
    body = c.get(f"/assessment/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in body and "500 of 1000 rows" in body
    partial = c.get(f"/assessment/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "<html" not in text and 'id="kp-job"' in text
    cache.delete(_progress_key(job.pk))


def test_a_job_that_fails_shows_the_reason(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    finalise(build_hand_example(personas))
    with django_capture_on_commit_callbacks(execute=True):  # as if final once it ran
        job = job_create(
            kind="score",
            handler=SCORE_HANDLER,
            params={"code": "2026Q1", "user_id": personas.hr.user.pk},
            user=personas.hr.user,
        )
    job.refresh_from_db()
    assert job.status == "failed" and "is final" in job.result["detail"]
    body = client(personas, "hr").get(f"/assessment/jobs/{job.pk}/").content.decode()
    assert "is final" in body and "Traceback" not in body


def test_score_now_refuses_a_final_cycle(personas: Personas, scored: Cycle) -> None:
    finalise(scored)
    response = client(personas, "hr").post(CYCLES + "2026Q1/score/", follow=True)
    assert "is final" in response.content.decode()
    assert not Job.objects.exists()


def test_only_hr_admins_start_scoring(personas: Personas, scored: Cycle) -> None:
    assert client(personas, "sup").post(CYCLES + "2026Q1/score/").status_code == 403
    assert client(personas, "hr").get(CYCLES + "2026Q1/score/").status_code == 405
    assert not Job.objects.exists()


def test_a_job_is_visible_to_its_creator_and_hr_only(personas: Personas) -> None:
    job = Job.objects.create(
        kind="score", handler=SCORE_HANDLER, params={"code": "2026Q1"}, created_by=personas.sup.user
    )
    assert client(personas, "sup").get(f"/assessment/jobs/{job.pk}/").status_code == 200
    assert client(personas, "hr").get(f"/assessment/jobs/{job.pk}/").status_code == 200
    assert client(personas, "alice").get(f"/assessment/jobs/{job.pk}/").status_code == 404


# --- exports ------------------------------------------------------------------------------


def test_hr_admin_downloads_the_csv_export(personas: Personas, scored: Cycle) -> None:
    response = client(personas, "hr").get(CYCLES + "2026Q1/export/score-lines.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kaopei-2026Q1-score-lines.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfemployee_no,metric,actual,target,")
    assert b"A001,sales_amount,223456.7800,200000.0000,1.1173,111.73,40.00,true" in (
        response.content
    )


def test_hr_admin_downloads_the_xlsx_export(personas: Personas, scored: Cycle) -> None:
    response = client(personas, "hr").get(CYCLES + "2026Q1/export/scorecards.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None and ws["A2"].value == "A001" and ws["G3"].value == "UNQUALIFIED"


def test_an_unknown_export_is_404(personas: Personas, scored: Cycle) -> None:
    c = client(personas, "hr")
    assert c.get(CYCLES + "2026Q1/export/people.csv").status_code == 404
    assert c.get(CYCLES + "2026Q1/export/scorecards.pdf").status_code == 404


def test_only_hr_admins_download_exports(personas: Personas, scored: Cycle) -> None:
    for who in ("sup", "alice", "exec"):
        assert client(personas, who).get(CYCLES + "2026Q1/export/scorecards.csv").status_code == 403

"""Who is told what, when: every assessment event notifies the right people only, in the app
and by e-mail in their language (kaopei/assessment/services/notifications.py)."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from kaopei.assessment.models import Appeal, Cycle
from kaopei.assessment.services.calibration import (
    appeal_create,
    appeal_resolve,
    scorecard_calibrate,
)
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_set_status
from kaopei.assessment.tasks import score_cycle_enqueue
from kaopei.core.models import Notification, UserPreferences
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def with_email(*people: Any) -> None:
    for person in people:
        person.user.email = f"{person.employee_no.lower()}@bank.example"
        person.user.save(update_fields=["email"])


def notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def mailed() -> dict[str, Any]:
    return {m.to[0]: m for m in mail.outbox}


def finalise(s: Scored) -> None:
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=s.personas.hr.user)
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.FINAL, user=s.personas.hr.user)


def test_publishing_a_cycle_tells_everyone_it_will_assess(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    with_email(p.alice, p.sup, p.hr)
    draft = cycle_get_or_create(code="2026Q2")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_status(cycle=draft, status=Cycle.Status.OPEN, user=p.hr.user)
    # AM1 and AM2 have templates; supervisors (AM3), HR, executives and trainers have none.
    assert notified("cycle_open") == {p.alice.user_id, p.bob.user_id}
    note = Notification.objects.get(user=p.alice.user)
    assert note.text_en.startswith(
        "Assessment cycle 2026Q2 (2026-04-01 to 2026-06-30) is published"
    )
    assert note.url == "/assessment/my/"
    assert set(mailed()) == {"a001@bank.example"}
    # Sent back to draft and opened again: nobody is told twice.
    cycle_set_status(cycle=draft, status=Cycle.Status.DRAFT, user=p.hr.user)
    cycle_set_status(cycle=draft, status=Cycle.Status.OPEN, user=p.hr.user)
    assert Notification.objects.filter(kind="cycle_open").count() == 2


def test_finalising_tells_each_scored_person_once_to_read_and_acknowledge(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    with_email(p.alice, p.bob, p.sup)
    UserPreferences.objects.create(user=p.bob.user, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        finalise(scored_cycle)
    assert notified("cycle_final") == {p.alice.user_id, p.bob.user_id}
    assert Notification.objects.count() == 2  # "final" and "acknowledge" are one notice
    alice = Notification.objects.get(user=p.alice.user)
    assert alice.url == "/assessment/cycles/2026Q1/scorecards/A001/"
    bob = Notification.objects.get(user=p.bob.user)
    assert bob.url == "/assessment/cycles/2026Q1/scorecards/B001/"
    sent = mailed()
    assert set(sent) == {"a001@bank.example", "b001@bank.example"}
    assert "考核结果已定稿" in sent["a001@bank.example"].subject
    assert "is final. Please read and acknowledge it." in sent["b001@bank.example"].subject
    assert (
        "http://kaopei.test/assessment/cycles/2026Q1/scorecards/B001/"
        in sent["b001@bank.example"].body
    )


def test_the_final_notice_is_listed_and_opening_it_leads_to_the_scorecard(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    finalise(scored_cycle)
    client = scored_cycle.client(p.alice)
    body = text(client.get("/accounts/notifications/"))
    assert "Your 2026Q1 scorecard is final. Please read and acknowledge it." in body
    note = Notification.objects.get(user=p.alice.user)
    assert note.read_at is None  # shown, not read
    response = client.post(f"/accounts/notifications/{note.pk}/open/")
    assert response["Location"] == "/assessment/cycles/2026Q1/scorecards/A001/"
    note.refresh_from_db()
    assert note.read_at is not None


def appeal(s: Scored) -> Appeal:
    p = s.personas
    return appeal_create(
        scorecard=s.card(p.alice),
        metric_code="visit_count",
        reason="Two visits are missing",
        user=p.alice.user,
    )


def test_an_appeal_is_announced_to_the_appellants_supervisor_only(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    with_email(p.sup, p.sup2, p.hr)
    with django_capture_on_commit_callbacks(execute=True):
        made = appeal(scored_cycle)
    assert notified("appeal_filed") == {p.sup.user_id}
    note = Notification.objects.get()
    assert note.text_en == "安丽 appealed the line “Customer visits” of their 2026Q1 scorecard."
    assert note.text_zh == "安丽对其 2026Q1 考核表的“客户拜访量”一项提出了申诉。"
    assert note.url == f"/assessment/appeals/{made.pk}/"
    assert set(mailed()) == {"s001@bank.example"}


def test_an_appeal_of_someone_without_a_supervisor_goes_to_hr(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    p.alice.supervisor = None
    p.alice.save(update_fields=["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        appeal(scored_cycle)
    assert notified("appeal_filed") == {p.hr.user_id}


@pytest.mark.parametrize(("accept", "word"), [(True, "accepted"), (False, "rejected")])
def test_an_answered_appeal_is_told_to_the_appellant(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any, accept: bool, word: str
) -> None:
    p = scored_cycle.personas
    with_email(p.alice, p.sup)
    made = appeal(scored_cycle)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_resolve(
            appeal=made,
            accept=accept,
            answer="Checked the records",
            override=Decimal(40) if accept else None,  # accepting needs a correction
            user=p.sup.user,
            rescore=False,
        )
    assert notified("appeal_answered") == {p.alice.user_id}
    note = Notification.objects.get(kind="appeal_answered")
    assert note.text_en == f"Your appeal on “Customer visits” (2026Q1) was {word}."
    assert set(mailed()) == {"a001@bank.example"}


def test_a_calibration_is_told_to_the_person_whose_grade_moved(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    with_email(p.alice, p.bob, p.hr)
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_calibrate(
            scorecard=scored_cycle.card(p.alice),
            to_grade="A",
            reason="Strong pipeline",
            user=p.hr.user,
        )
    assert notified("calibration") == {p.alice.user_id}
    note = Notification.objects.get()
    assert note.text_en == "Your 2026Q1 grade was changed in calibration from B to A."
    assert note.url == "/assessment/cycles/2026Q1/scorecards/A001/"
    assert set(mailed()) == {"a001@bank.example"}


def test_whoever_started_scoring_hears_when_it_finished(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    with_email(p.hr, p.alice)
    UserPreferences.objects.create(user=p.hr.user, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        job, _started = score_cycle_enqueue(code="2026Q1", user=p.hr.user)
    assert notified("scoring") == {p.hr.user_id}
    note = Notification.objects.get(kind="scoring")
    assert note.text_en == "Scoring of cycle 2026Q1 finished: 2 scorecards, 5 people skipped."
    assert note.url == f"/assessment/jobs/{job.pk}/"
    assert set(mailed()) == {"hr001@bank.example"}


def test_whoever_started_scoring_hears_when_it_failed(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    p = scored_cycle.personas
    from kaopei.assessment import tasks

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "cycle_score", broken)
    with django_capture_on_commit_callbacks(execute=True):
        score_cycle_enqueue(code="2026Q1", user=p.hr.user)
    note = Notification.objects.get(kind="scoring")
    assert note.user_id == p.hr.user_id
    assert note.text_en == "Scoring of cycle 2026Q1 failed. Open the job to see why."

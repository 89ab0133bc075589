"""Performance interviews: planned by a supervisor (their chain) or HR, the person's
self-summary, the supervisor's feedback and actions, both acknowledgements and the lock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.models import Notification
from kaopei.feedback.models import ActionItem, Interview
from kaopei.feedback.selectors import meetings as sel
from kaopei.feedback.services import meetings as svc
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(personas: Personas) -> Cycle:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SCORED)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def planned(personas: Personas, cycle: Cycle) -> Interview:
    return svc.interview_plan(
        employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.sup.user
    )


def held(interview: Interview, p: Personas) -> Interview:
    return svc.interview_record(
        interview=interview,
        scheduled_on=DAY,
        feedback="Strong pipeline; follow-ups are late.",
        held=True,
        user=p.sup.user,
    )


# --- Planning --------------------------------------------------------------------------------


def test_a_supervisor_plans_an_interview_for_someone_in_their_chain_and_holds_it(
    personas: Personas, planned: Interview
) -> None:
    assert planned.interviewer == personas.sup
    assert planned.status == Interview.Status.PLANNED
    note = Notification.objects.get(user=personas.alice.user, kind="interview_planned")
    assert "2026Q1" in note.text_en and note.url.endswith(f"/interviews/{planned.pk}/")


def test_hr_plans_an_interview_held_by_the_persons_direct_supervisor(
    personas: Personas, cycle: Cycle
) -> None:
    interview = svc.interview_plan(
        employee=personas.bob, cycle=cycle, scheduled_on=DAY, user=personas.hr.user
    )
    assert interview.interviewer == personas.sup2


def test_a_supervisor_cannot_plan_for_someone_outside_their_chain(
    personas: Personas, cycle: Cycle
) -> None:
    with pytest.raises(PermissionDenied):
        svc.interview_plan(
            employee=personas.bob, cycle=cycle, scheduled_on=DAY, user=personas.sup.user
        )
    assert not Interview.objects.exists()


def test_an_account_manager_cannot_plan_an_interview(personas: Personas, cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        svc.interview_plan(
            employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.alice.user
        )


def test_a_draft_cycle_cannot_have_interviews(personas: Personas) -> None:
    draft = cycle_get_or_create(code="2026Q2")
    with pytest.raises(ApplicationError, match="still a draft"):
        svc.interview_plan(
            employee=personas.alice,
            cycle=draft,
            scheduled_on=date(2026, 4, 10),
            user=personas.sup.user,
        )


@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2026, 9, 28), None])
def test_a_date_outside_the_cycle_is_refused(
    personas: Personas, cycle: Cycle, day: date | None
) -> None:
    with pytest.raises(ApplicationError, match="date"):
        svc.interview_plan(
            employee=personas.alice, cycle=cycle, scheduled_on=day, user=personas.sup.user
        )
    assert not Interview.objects.exists()


def test_a_second_interview_for_the_same_cycle_is_refused_clearly(
    personas: Personas, planned: Interview, cycle: Cycle
) -> None:
    with pytest.raises(ConflictError, match="already has an interview for cycle 2026Q1"):
        svc.interview_plan(
            employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.hr.user
        )
    assert Interview.objects.count() == 1


def test_someone_without_a_supervisor_cannot_be_planned_by_hr(
    personas: Personas, cycle: Cycle
) -> None:
    with pytest.raises(PermissionDenied):
        svc.interview_plan(
            employee=personas.trainer, cycle=cycle, scheduled_on=DAY, user=personas.hr.user
        )


def test_the_plan_page_plans_and_shows_the_reason_of_a_refusal(
    personas: Personas, cycle: Cycle
) -> None:
    client = personas.client(personas.sup)
    url = reverse("feedback:interview_plan")
    bad = client.post(url, {"employee": "A001", "cycle": "2026Q1", "scheduled_on": "2027-01-01"})
    assert bad.status_code == 200 and not Interview.objects.exists()
    outsider = client.post(
        url, {"employee": "B001", "cycle": "2026Q1", "scheduled_on": "2026-03-20"}
    )
    assert outsider.status_code == 200 and not Interview.objects.exists()
    ok = client.post(url, {"employee": "A001", "cycle": "2026Q1", "scheduled_on": "2026-03-20"})
    interview = Interview.objects.get()
    assert ok.status_code == 302 and ok["Location"].endswith(f"/interviews/{interview.pk}/")


# --- Self-summary, feedback, actions ---------------------------------------------------------


def test_the_person_writes_a_self_summary_before_the_interview_only(
    personas: Personas, planned: Interview
) -> None:
    svc.interview_self_summary_save(
        interview=planned, text="I met most targets.", user=personas.alice.user
    )
    held(planned, personas)
    with pytest.raises(ConflictError, match="has been held"):
        svc.interview_self_summary_save(
            interview=planned, text="Changed.", user=personas.alice.user
        )
    planned.refresh_from_db()
    assert planned.self_summary == "I met most targets."


def test_only_the_person_writes_the_self_summary(personas: Personas, planned: Interview) -> None:
    with pytest.raises(ApplicationError) as exc:
        svc.interview_self_summary_save(interview=planned, text="x", user=personas.sup.user)
    assert exc.value.status == 403


def test_held_needs_feedback_and_a_date_not_in_the_future(
    personas: Personas, planned: Interview
) -> None:
    with pytest.raises(ApplicationError, match="supervisor's feedback"):
        svc.interview_record(
            interview=planned, scheduled_on=DAY, feedback=" ", held=True, user=personas.sup.user
        )
    future = date.today() + timedelta(days=3)
    cycle = planned.cycle
    Cycle.objects.filter(pk=cycle.pk).update(end=future + timedelta(days=30))
    planned.refresh_from_db()
    with pytest.raises(ApplicationError, match="before its date"):
        svc.interview_record(
            interview=planned,
            scheduled_on=future,
            feedback="Good",
            held=True,
            user=personas.sup.user,
        )
    planned.refresh_from_db()
    assert planned.status == Interview.Status.PLANNED


def test_hr_plans_but_does_not_write_the_feedback(personas: Personas, planned: Interview) -> None:
    with pytest.raises(ApplicationError) as exc:
        svc.interview_record(
            interview=planned, scheduled_on=DAY, feedback="x", held=True, user=personas.hr.user
        )
    assert exc.value.status == 403


def test_holding_the_interview_asks_both_to_acknowledge(
    personas: Personas, planned: Interview
) -> None:
    held(planned, personas)
    asked = Notification.objects.filter(kind="interview_held").values_list("user_id", flat=True)
    assert set(asked) == {personas.alice.user.pk, personas.sup.user.pk}


def test_an_action_is_owned_by_the_person_or_the_chain_with_a_sensible_date(
    personas: Personas, planned: Interview
) -> None:
    action = svc.interview_action_add(
        interview=planned,
        text="Weekly pipeline review",
        owner=personas.alice,
        due_on=date(2026, 6, 30),
        user=personas.sup.user,
    )
    assert action.owner == personas.alice
    assert Notification.objects.filter(user=personas.alice.user, kind="action_assigned").exists()
    svc.interview_action_add(
        interview=planned,
        text="Coach on follow-ups",
        owner=personas.sup,
        due_on=date(2026, 6, 30),
        user=personas.sup.user,
    )
    with pytest.raises(ApplicationError, match="owner must be"):
        svc.interview_action_add(
            interview=planned,
            text="x",
            owner=personas.bob,
            due_on=date(2026, 6, 30),
            user=personas.sup.user,
        )
    with pytest.raises(ApplicationError, match="cannot be before"):
        svc.interview_action_add(
            interview=planned,
            text="x",
            owner=personas.alice,
            due_on=date(2026, 1, 1),
            user=personas.sup.user,
        )
    with pytest.raises(ApplicationError, match="two years"):
        svc.interview_action_add(
            interview=planned,
            text="x",
            owner=personas.alice,
            due_on=date(2029, 1, 1),
            user=personas.sup.user,
        )
    with pytest.raises(ApplicationError, match="write the action"):
        svc.interview_action_add(
            interview=planned,
            text="  ",
            owner=personas.alice,
            due_on=date(2026, 6, 30),
            user=personas.sup.user,
        )
    assert ActionItem.objects.count() == 2


# --- Acknowledgements and the lock -----------------------------------------------------------


def test_both_acknowledge_then_the_record_is_locked(personas: Personas, planned: Interview) -> None:
    held(planned, personas)
    svc.interview_acknowledge(
        interview=planned, user=personas.alice.user, comment="Agreed, I will improve."
    )
    planned.refresh_from_db()
    assert planned.status == Interview.Status.HELD
    assert planned.employee_comment == "Agreed, I will improve."
    svc.interview_acknowledge(interview=planned, user=personas.sup.user)
    planned.refresh_from_db()
    assert planned.status == Interview.Status.ACKNOWLEDGED
    with pytest.raises(ConflictError, match="locked"):
        svc.interview_record(
            interview=planned,
            scheduled_on=DAY,
            feedback="Changed",
            held=True,
            user=personas.sup.user,
        )
    with pytest.raises(ConflictError, match="locked"):
        svc.interview_action_add(
            interview=planned,
            text="Late",
            owner=personas.alice,
            due_on=date(2026, 6, 30),
            user=personas.sup.user,
        )
    planned.refresh_from_db()
    assert planned.supervisor_feedback == "Strong pipeline; follow-ups are late."
    told = Notification.objects.filter(kind="interview_acknowledged")
    assert told.filter(user=personas.alice.user).exists()


def test_one_acknowledgement_already_freezes_the_feedback(
    personas: Personas, planned: Interview
) -> None:
    held(planned, personas)
    svc.interview_acknowledge(interview=planned, user=personas.alice.user)
    with pytest.raises(ConflictError, match="already been acknowledged"):
        svc.interview_record(
            interview=planned,
            scheduled_on=DAY,
            feedback="Rewritten",
            held=True,
            user=personas.sup.user,
        )


def test_acknowledging_twice_is_refused(personas: Personas, planned: Interview) -> None:
    held(planned, personas)
    svc.interview_acknowledge(interview=planned, user=personas.alice.user)
    with pytest.raises(ConflictError, match="already acknowledged"):
        svc.interview_acknowledge(interview=planned, user=personas.alice.user)


def test_a_planned_interview_cannot_be_acknowledged(personas: Personas, planned: Interview) -> None:
    with pytest.raises(ConflictError, match="not been held"):
        svc.interview_acknowledge(interview=planned, user=personas.alice.user)


def test_hr_does_not_acknowledge_for_anyone(personas: Personas, planned: Interview) -> None:
    held(planned, personas)
    with pytest.raises(ApplicationError) as exc:
        svc.interview_acknowledge(interview=planned, user=personas.hr.user)
    assert exc.value.status == 403


def test_the_acknowledge_button_refuses_on_the_page_with_the_reason(
    personas: Personas, planned: Interview
) -> None:
    client = personas.client(personas.alice)
    url = reverse("feedback:interview_acknowledge", args=[planned.pk])
    response = client.post(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    planned.refresh_from_db()
    assert planned.employee_acknowledged_at is None


# --- Visibility and pages --------------------------------------------------------------------


def test_exactly_the_person_their_chain_and_hr_see_an_interview(
    personas: Personas, planned: Interview
) -> None:
    url = reverse("feedback:interview_detail", args=[planned.pk])
    for who, status in [
        (personas.alice, 200),
        (personas.sup, 200),
        (personas.hr, 200),
        (personas.bob, 404),
        (personas.sup2, 404),
        (personas.trainer, 404),
        (personas.exec, 404),
    ]:
        assert personas.client(who).get(url).status_code == status, who


def test_the_interview_page_shows_the_scorecard_summary_to_whoever_may_see_the_card(
    personas: Personas,
) -> None:
    from tests.assessment.factories_config import build_hand_example

    cycle = build_hand_example(personas)
    interview = svc.interview_plan(
        employee=personas.alice, cycle=cycle, scheduled_on=DAY, user=personas.sup.user
    )
    card = sel.interview_scorecard(user=personas.sup.user, interview=interview)
    assert card is not None and card.employee_no == "A001" and card.grade
    page = personas.client(personas.alice).get(
        reverse("feedback:interview_detail", args=[interview.pk])
    )
    assert f"/assessment/cycles/{cycle.code}/scorecards/A001/" in page.content.decode()


def test_the_history_says_who_changed_what(personas: Personas, planned: Interview) -> None:
    held(planned, personas)
    trails = sel.interview_history(interview=planned)
    changes = [c for e in trails[0].entries for c in e.changes]
    assert any(c.new == "Held" for c in changes)
    assert trails[0].entries[0].who.startswith(personas.sup.name)


def test_the_list_filters_by_status_and_name_and_shows_who_is_still_without(
    personas: Personas, planned: Interview, cycle: Cycle
) -> None:
    client = personas.client(personas.hr)
    url = reverse("feedback:interview_list")
    page = client.get(url, {"cycle": "2026Q1", "q": "A001"}).content.decode()
    assert "安丽" in page
    assert "白波" in page  # Bob has no interview yet: listed among those without
    assert "安丽" not in client.get(url, {"status": "held"}).content.decode()
    assert client.get(url, {"page": "x"}).status_code == 400


def test_a_supervisor_lists_their_chains_interviews_only(
    personas: Personas, planned: Interview, cycle: Cycle
) -> None:
    svc.interview_plan(employee=personas.bob, cycle=cycle, scheduled_on=DAY, user=personas.hr.user)
    assert [i.employee for i in sel.interviews_visible_to(user=personas.sup.user)] == [
        personas.alice
    ]
    assert [i.employee for i in sel.interviews_visible_to(user=personas.bob.user)] == [personas.bob]
    assert not sel.interviews_visible_to(user=personas.exec.user).exists()


def test_executives_see_counts_per_status_but_no_one(
    personas: Personas, planned: Interview
) -> None:
    page = personas.client(personas.exec).get(reverse("feedback:interview_list")).content.decode()
    assert 'class="kp-stat"' in page
    assert "安丽" not in page

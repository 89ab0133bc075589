"""Action items: owners see theirs and mark them done; the supervisors drop and reopen
them; ``open_actions_for`` hands the open ones to development plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from kaopei.feedback.selectors import meetings as sel
from kaopei.feedback.services import meetings as svc
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def interview(personas: Personas) -> Interview:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SCORED)
    cycle.refresh_from_db()
    return svc.interview_plan(
        employee=personas.alice,
        cycle=cycle,
        scheduled_on=date(2026, 3, 20),
        user=personas.sup.user,
    )


def add(
    p: Personas, interview: Interview, due: date, text: str = "Weekly pipeline review"
) -> ActionItem:
    return svc.interview_action_add(
        interview=interview, text=text, owner=p.alice, due_on=due, user=p.sup.user
    )


def test_the_owner_marks_an_action_done_once(personas: Personas, interview: Interview) -> None:
    action = add(personas, interview, date(2026, 6, 30))
    svc.action_item_set_status(action=action, status="done", user=personas.alice.user)
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE and action.done_on == timezone.localdate()
    with pytest.raises(ConflictError, match="already Done"):
        svc.action_item_set_status(action=action, status="done", user=personas.alice.user)


def test_only_the_supervisor_drops_or_reopens(personas: Personas, interview: Interview) -> None:
    action = add(personas, interview, date(2026, 6, 30))
    with pytest.raises(ApplicationError) as exc:
        svc.action_item_set_status(action=action, status="dropped", user=personas.alice.user)
    assert exc.value.status == 403
    svc.action_item_set_status(action=action, status="dropped", user=personas.sup.user)
    svc.action_item_set_status(action=action, status="open", user=personas.sup.user)
    svc.action_item_set_status(action=action, status="dropped", user=personas.hr.user)
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DROPPED
    with pytest.raises(ApplicationError):
        svc.action_item_set_status(action=action, status="open", user=personas.sup2.user)


def test_actions_still_move_after_the_interview_is_locked(
    personas: Personas, interview: Interview
) -> None:
    action = add(personas, interview, date(2026, 6, 30))
    svc.interview_record(
        interview=interview,
        scheduled_on=date(2026, 3, 20),
        feedback="Good",
        held=True,
        user=personas.sup.user,
    )
    svc.interview_acknowledge(interview=interview, user=personas.alice.user)
    svc.interview_acknowledge(interview=interview, user=personas.sup.user)
    svc.action_item_set_status(action=action, status="done", user=personas.alice.user)
    with pytest.raises(ConflictError, match="locked"):
        svc.interview_action_remove(action=action, user=personas.sup.user)


def test_an_action_agreed_by_mistake_is_removed_before_acknowledgement(
    personas: Personas, interview: Interview
) -> None:
    action = add(personas, interview, date(2026, 6, 30))
    svc.interview_action_remove(action=action, user=personas.sup.user)
    assert not ActionItem.objects.exists()
    assert ActionItem.history.filter(history_type="-").get().history_user == personas.sup.user  # type: ignore[attr-defined]


def test_my_actions_lists_mine_by_due_date_with_overdue_ones_marked(
    personas: Personas, interview: Interview
) -> None:
    late = add(personas, interview, date(2026, 3, 21), "Call lapsed customers")
    later = add(personas, interview, date(2026, 12, 31) + timedelta(days=400))
    page = personas.client(personas.alice).get(reverse("feedback:action_list"))
    rows = page.context["rows"]
    assert [a for a, _overdue in rows] == [late, later]
    assert [overdue for _a, overdue in rows] == [
        late.due_on < timezone.localdate(),
        later.due_on < timezone.localdate(),
    ]
    assert (
        list(personas.client(personas.bob).get(reverse("feedback:action_list")).context["rows"])
        == []
    )
    done = personas.client(personas.alice).get(reverse("feedback:action_list"), {"status": "done"})
    assert list(done.context["rows"]) == []


def test_the_owner_marks_done_from_my_actions(personas: Personas, interview: Interview) -> None:
    action = add(personas, interview, date(2026, 6, 30))
    client = personas.client(personas.alice)
    response = client.post(
        reverse("feedback:action_status", args=[action.pk]), {"status": "done", "from": "mine"}
    )
    assert response["Location"] == reverse("feedback:action_list")
    action.refresh_from_db()
    assert action.status == "done"
    bad = client.post(reverse("feedback:action_status", args=[action.pk]), {"status": "lost"})
    assert bad.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_open_actions_for_is_a_plain_list_of_the_open_ones(
    personas: Personas, interview: Interview
) -> None:
    first = add(personas, interview, date(2026, 5, 1))
    done = add(personas, interview, date(2026, 4, 1))
    svc.action_item_set_status(action=done, status="done", user=personas.alice.user)
    meeting = ReviewMeeting.objects.create(
        cycle=interview.cycle,
        org_unit=personas.bj_t1,
        held_on=date(2026, 4, 8),
        findings="x",
        chair=personas.sup,
    )
    from_meeting = svc.meeting_action_add(
        meeting=meeting,
        text="Log follow-ups",
        owner=personas.alice,
        due_on=date(2026, 6, 1),
        user=personas.sup.user,
    )
    out = sel.open_actions_for(personas.alice.pk)
    assert [(a.id, a.source_kind, a.source_id, a.status) for a in out] == [
        (first.pk, "interview", interview.pk, "open"),
        (from_meeting.pk, "meeting", meeting.pk, "open"),
    ]
    assert out[0].due_on == date(2026, 5, 1) and out[0].text == "Weekly pipeline review"
    assert sel.open_actions_for(personas.bob.pk) == []

"""Review meetings per team and cycle: who records them, who reads them, one per team and
cycle, participants and actions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import ActionItem, ReviewMeeting
from kaopei.feedback.selectors import meetings as sel
from kaopei.feedback.services import meetings as svc
from tests.conftest import Personas
from tests.factories import employee_with_login

pytestmark = pytest.mark.django_db

HELD = date(2026, 4, 8)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(personas: Personas) -> Cycle:
    cycle = cycle_get_or_create(code="2026Q1")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.FINAL)
    cycle.refresh_from_db()
    return cycle


def record(p: Personas, cycle: Cycle, **over: Any) -> ReviewMeeting:
    values: dict[str, Any] = {
        "cycle": cycle,
        "unit": p.bj_t1,
        "held_on": HELD,
        "participants": [p.sup, p.alice],
        "findings": "客户跟进流程不清晰：拜访后没有记录下一步。",
        "suggestions": "每次拜访后 24 小时内在 CRM 记录下一步。",
        "user": p.sup.user,
    }
    values.update(over)
    return svc.meeting_create(**values)


@pytest.fixture
def meeting(personas: Personas, cycle: Cycle) -> ReviewMeeting:
    return record(personas, cycle)


def test_a_supervisor_records_the_meeting_of_a_team_where_they_supervise_someone(
    personas: Personas, meeting: ReviewMeeting
) -> None:
    assert meeting.chair == personas.sup
    assert set(meeting.participants.all()) == {personas.sup, personas.alice}
    assert sel.meeting_unit_ids(personas.sup.user) == {personas.bj_t1.pk}
    assert sel.meeting_unit_ids(personas.hr.user) is None


def test_a_supervisor_cannot_record_for_another_team(personas: Personas, cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        record(personas, cycle, unit=personas.sh_t1, participants=[personas.bob])
    with pytest.raises(PermissionDenied):
        record(personas, cycle, user=personas.alice.user)
    assert not ReviewMeeting.objects.exists()


def test_hr_records_for_any_team(personas: Personas, cycle: Cycle) -> None:
    meeting = record(
        personas, cycle, unit=personas.sh_t1, participants=[personas.bob], user=personas.hr.user
    )
    assert meeting.org_unit == personas.sh_t1


def test_a_second_meeting_for_the_same_team_and_cycle_is_refused_clearly(
    personas: Personas, meeting: ReviewMeeting, cycle: Cycle
) -> None:
    with pytest.raises(ConflictError, match="already has a review meeting for cycle 2026Q1"):
        record(personas, cycle, user=personas.hr.user)
    assert ReviewMeeting.objects.count() == 1


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"held_on": date(2025, 12, 1)}, "cannot be held before"),
        ({"held_on": date(2099, 1, 1)}, "in the future"),
        ({"held_on": None}, "meeting's date"),
        ({"participants": []}, "participants"),
        ({"findings": "  "}, "findings"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    personas: Personas, cycle: Cycle, over: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ApplicationError, match=reason):
        record(personas, cycle, **over)
    assert not ReviewMeeting.objects.exists()


def test_a_stranger_cannot_be_made_a_participant(personas: Personas, cycle: Cycle) -> None:
    with pytest.raises(ApplicationError, match="白波"):
        record(personas, cycle, participants=[personas.alice, personas.bob])


def test_a_draft_cycle_has_no_review_meeting(personas: Personas) -> None:
    draft = cycle_get_or_create(code="2026Q2")
    with pytest.raises(ApplicationError, match="draft"):
        record(personas, draft)


def test_exactly_hr_the_teams_supervisors_members_and_participants_read_it(
    personas: Personas, meeting: ReviewMeeting
) -> None:
    newcomer = employee_with_login(
        "A002", "新人", personas.bj_t1, personas.am1, ["account_manager"], supervisor=personas.sup
    )
    url = reverse("feedback:meeting_detail", args=[meeting.pk])
    for who, status in [
        (personas.alice, 200),
        (newcomer, 200),  # a member of the team who did not take part
        (personas.sup, 200),
        (personas.hr, 200),
        (personas.bob, 404),
        (personas.sup2, 404),
        (personas.trainer, 404),
        (personas.exec, 404),
    ]:
        assert personas.client(who).get(url).status_code == status, who
    edit = reverse("feedback:meeting_edit", args=[meeting.pk])
    assert personas.client(personas.alice).get(edit).status_code == 403
    assert personas.client(personas.sup).get(edit).status_code == 200


def test_a_participant_from_another_team_reads_it_too(personas: Personas, cycle: Cycle) -> None:
    meeting = record(
        personas, cycle, participants=[personas.alice, personas.bob], user=personas.hr.user
    )
    assert sel.meeting_get_for_user(user=personas.bob.user, pk=meeting.pk) == meeting


def test_the_supervisor_corrects_the_record_and_the_history_says_who(
    personas: Personas, meeting: ReviewMeeting
) -> None:
    svc.meeting_update(
        meeting=meeting,
        held_on=HELD,
        participants=[personas.alice],
        findings="Follow-ups are not tracked.",
        suggestions="",
        user=personas.sup.user,
    )
    meeting.refresh_from_db()
    assert list(meeting.participants.all()) == [personas.alice]
    trail = sel.meeting_history(meeting=meeting)[0].entries
    assert trail[0].who.startswith(personas.sup.name)
    with pytest.raises(ApplicationError):
        svc.meeting_update(
            meeting=meeting,
            held_on=HELD,
            participants=[personas.alice],
            findings="x",
            suggestions="",
            user=personas.alice.user,
        )


def test_meeting_actions_are_owned_by_participants_or_team_members(
    personas: Personas, meeting: ReviewMeeting
) -> None:
    action = svc.meeting_action_add(
        meeting=meeting,
        text="Log every follow-up in the CRM",
        owner=personas.alice,
        due_on=date(2026, 5, 31),
        user=personas.sup.user,
    )
    assert action.meeting == meeting
    with pytest.raises(ApplicationError, match="participant or a member"):
        svc.meeting_action_add(
            meeting=meeting,
            text="x",
            owner=personas.bob,
            due_on=date(2026, 5, 31),
            user=personas.sup.user,
        )
    with pytest.raises(ApplicationError, match="cannot be before"):
        svc.meeting_action_add(
            meeting=meeting,
            text="x",
            owner=personas.alice,
            due_on=date(2026, 4, 1),
            user=personas.sup.user,
        )
    assert ActionItem.objects.count() == 1


def test_the_record_page_proposes_the_teams_members_and_saves(
    personas: Personas, cycle: Cycle
) -> None:
    client = personas.client(personas.sup)
    url = reverse("feedback:meeting_create")
    page = client.get(url, {"unit": "BJ-T1", "cycle": "2026Q1"})
    assert page.status_code == 200
    assert set(page.context["form"].initial["participants"]) == {"S001", "A001"}
    data = {
        "cycle": "2026Q1",
        "unit": "BJ-T1",
        "held_on": "2026-04-08",
        "participants": ["S001", "A001"],
        "findings": "Follow-ups are late.",
    }
    assert client.post(url, {**data, "unit": "SH-T1"}).status_code == 200
    assert not ReviewMeeting.objects.exists()
    done = client.post(url, data)
    assert done.status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and ReviewMeeting.objects.count() == 1


def test_the_list_shows_teams_still_without_a_meeting(
    personas: Personas, meeting: ReviewMeeting
) -> None:
    page = personas.client(personas.hr).get(reverse("feedback:meeting_list"), {"cycle": "2026Q1"})
    assert [u.code for u in page.context["missing"]] != []
    assert "BJ-T1" not in [u.code for u in page.context["missing"]]
    mine = personas.client(personas.bob).get(reverse("feedback:meeting_list"))
    assert list(mine.context["page_obj"]) == []

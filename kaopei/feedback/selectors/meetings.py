"""Reads of performance interviews, review meetings and their action items, already scoped
to what the user may see (STYLE.md item 5).

Who sees what:

- An interview: the person interviewed, their supervisor chain (every supervisor above
  them) and HR admins. Nobody else — executives and trainers included — opens one: a 404,
  so that its existence does not leak. Executives get counts per status only.
- A review meeting: HR admins, the supervisors who may record it (``meeting_unit_ids``:
  units where they supervise at least one active member), its participants and the
  team's active members (read-only for the last two).
- An action item: whoever may see its interview or meeting; its owner always.

Who may act is decided here too (``may_*``), so that views and services ask one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kaopei.assessment.models import Cycle
from kaopei.assessment.selectors import scorecard_list_visible_to
from kaopei.core.history import HistoryEntry, history_trail
from kaopei.core.rules import is_executive, is_hr_admin, is_supervisor
from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from kaopei.org.models import Employee, OrgUnit
from kaopei.org.selectors import employee_for_user, subordinate_ids

# --- Who is who ------------------------------------------------------------------------------


def chain_ids(user: Any) -> set[int]:
    """The ids of everyone below the user in the supervisor chain (empty unless a
    supervisor)."""
    if not is_supervisor(user):
        return set()
    me = employee_for_user(user)
    return subordinate_ids(me.pk) if me is not None else set()


def supervisor_chain_ids(employee: Employee) -> set[int]:
    """The ids of everyone above ``employee`` in the supervisor chain (cycle-safe)."""
    parents = dict(Employee.objects.values_list("pk", "supervisor_id"))
    out: set[int] = set()
    current = parents.get(employee.pk)
    while current is not None and current not in out and current != employee.pk:
        out.add(current)
        current = parents.get(current)
    return out


# --- Interviews ------------------------------------------------------------------------------


def interviews_visible_to(*, user: Any) -> QuerySet[Interview]:
    """Interviews the user may open: HR all; a supervisor their chain's and their own;
    anyone else their own."""
    qs = Interview.objects.select_related(
        "cycle", "employee", "employee__org_unit", "interviewer"
    ).order_by("-cycle__start", "employee__employee_no")
    if is_hr_admin(user):
        return qs
    me = employee_for_user(user)
    if me is None:
        return qs.none()
    return qs.filter(Q(employee=me) | Q(employee_id__in=chain_ids(user)))


def interview_get_for_user(*, user: Any, pk: int) -> Interview:
    """One interview, or 404 when it does not exist or the user may not see it."""
    interview = interviews_visible_to(user=user).filter(pk=pk).first()
    if interview is None:
        raise Http404
    return interview


def interview_search(
    *, user: Any, cycle: Cycle | None = None, status: str = "", q: str = ""
) -> QuerySet[Interview]:
    """The interview list: the user's scope narrowed by cycle, status and a name or
    employee number."""
    qs = interviews_visible_to(user=user)
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if status:
        qs = qs.filter(status=status)
    q = q.strip()
    if q:
        qs = qs.filter(Q(employee__name__icontains=q) | Q(employee__employee_no__icontains=q))
    return qs


def may_plan_interviews(user: Any) -> bool:
    """HR admins and supervisors plan interviews (supervisors for their chain)."""
    return bool(is_hr_admin(user) or is_supervisor(user))


def plannable_employees(*, user: Any) -> QuerySet[Employee]:
    """Active people the user may plan an interview for: HR anyone who has a supervisor (who
    holds it); a supervisor everyone in their chain."""
    qs = Employee.objects.filter(active=True).select_related("org_unit", "supervisor")
    if is_hr_admin(user):
        return qs.filter(supervisor__isnull=False).order_by("employee_no")
    return qs.filter(pk__in=chain_ids(user)).order_by("employee_no")


def may_plan_for(user: Any, employee: Employee) -> bool:
    return plannable_employees(user=user).filter(pk=employee.pk).exists()


def interview_cycles() -> QuerySet[Cycle]:
    """The cycles an interview may be planned for: any cycle that is not a draft (a draft is
    invisible to the people it will assess), newest first."""
    return Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by("-start", "code")


def may_conduct(user: Any, interview: Interview) -> bool:
    """The supervisors above the person write the feedback, agree actions and mark it held."""
    return interview.employee_id in chain_ids(user)


def is_interviewee(user: Any, interview: Interview) -> bool:
    me = employee_for_user(user)
    return me is not None and me.pk == interview.employee_id


def is_interviewer(user: Any, interview: Interview) -> bool:
    me = employee_for_user(user)
    return me is not None and me.pk == interview.interviewer_id


def is_locked(interview: Interview) -> bool:
    """Once one party has acknowledged, what they acknowledged no longer changes."""
    return bool(interview.employee_acknowledged_at or interview.interviewer_acknowledged_at)


def interview_owner_candidates(interview: Interview) -> QuerySet[Employee]:
    """Who may own an action agreed in an interview: the person, their supervisor chain,
    and the people in the interviewer's chain (active)."""
    ids = {interview.employee_id} | supervisor_chain_ids(interview.employee)
    if interview.interviewer_id is not None:
        ids |= {interview.interviewer_id} | subordinate_ids(interview.interviewer_id)
    return Employee.objects.filter(pk__in=ids, active=True).order_by("employee_no")


@dataclass
class CardSummary:
    grade: str
    total: Any
    final: bool
    cycle_code: str
    employee_no: str


def interview_scorecard(*, user: Any, interview: Interview) -> CardSummary | None:
    """The person's scorecard for the interview's cycle, as far as the user may see it (the
    scorecard's own scope: a draft or unpublished card shows to HR only)."""
    card = (
        scorecard_list_visible_to(user=user, cycle=interview.cycle)
        .filter(employee_id=interview.employee_id)
        .first()
    )
    if card is None:
        return None
    return CardSummary(
        grade=card.grade,
        total=card.total,
        final=card.cycle.status == Cycle.Status.FINAL,
        cycle_code=card.cycle.code,
        employee_no=card.employee.employee_no,
    )


def interview_actions(interview: Interview) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(interview=interview).select_related("owner")


@dataclass
class Trail:
    label: str
    entries: list[HistoryEntry]


def interview_history(*, interview: Interview) -> list[Trail]:
    """Who changed what: the interview's own record, then each action's."""
    trails = [
        Trail(
            str(Interview._meta.verbose_name),
            history_trail(interview.history, model=Interview),  # type: ignore[attr-defined]
        )
    ]
    for action in interview_actions(interview):
        trails.append(
            Trail(
                action.text[:60],
                history_trail(action.history, model=ActionItem),  # type: ignore[attr-defined]
            )
        )
    return trails


def people_without_interview(*, user: Any, cycle: Cycle) -> QuerySet[Employee]:
    """The active people the user may plan for who have no interview in ``cycle`` yet."""
    planned = Interview.objects.filter(cycle=cycle).values("employee_id")
    return plannable_employees(user=user).exclude(pk__in=planned)


def interview_status_counts(*, cycle: Cycle | None = None) -> dict[str, int]:
    """Interviews per status over the whole organisation (an aggregate: for executives)."""
    qs = Interview.objects.all()
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    counts = Counter(qs.values_list("status", flat=True))
    return {value: counts.get(value, 0) for value in Interview.Status.values}


def may_see_interview_counts(user: Any) -> bool:
    return bool(is_executive(user) or is_hr_admin(user))


# --- Review meetings -------------------------------------------------------------------------


def meeting_unit_ids(user: Any) -> set[int] | None:
    """Units the user may record review meetings for: None (all) for HR admins; for a
    supervisor the units where they supervise at least one active member."""
    if is_hr_admin(user):
        return None
    below = chain_ids(user)
    if not below:
        return set()
    return set(
        Employee.objects.filter(pk__in=below, active=True)
        .values_list("org_unit_id", flat=True)
        .distinct()
    )


def meeting_units(*, user: Any) -> QuerySet[OrgUnit]:
    """Active units with active members that the user may record a meeting for."""
    qs = OrgUnit.objects.filter(active=True, employees__active=True).distinct().order_by("code")
    ids = meeting_unit_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def may_record_meetings(user: Any) -> bool:
    ids = meeting_unit_ids(user)
    return ids is None or bool(ids)


def may_manage_meeting(user: Any, meeting: ReviewMeeting) -> bool:
    ids = meeting_unit_ids(user)
    return ids is None or meeting.org_unit_id in ids


def meetings_visible_to(*, user: Any) -> QuerySet[ReviewMeeting]:
    """Review meetings the user may read (see the module's docstring)."""
    qs = ReviewMeeting.objects.select_related("cycle", "org_unit", "chair").order_by(
        "-held_on", "-pk"
    )
    ids = meeting_unit_ids(user)
    if ids is None:
        return qs
    me = employee_for_user(user)
    if me is None:
        return qs.none()
    member = Q(org_unit_id=me.org_unit_id) if me.active else Q(pk__in=[])
    return qs.filter(Q(org_unit_id__in=ids) | Q(participants=me) | member).distinct()


def meeting_get_for_user(*, user: Any, pk: int) -> ReviewMeeting:
    meeting = meetings_visible_to(user=user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_search(
    *, user: Any, cycle: Cycle | None = None, unit: OrgUnit | None = None
) -> QuerySet[ReviewMeeting]:
    qs = meetings_visible_to(user=user)
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    return qs


def meeting_default_participants(unit: OrgUnit) -> QuerySet[Employee]:
    """The team's active members: who a meeting invites unless told otherwise."""
    return Employee.objects.filter(org_unit=unit, active=True).order_by("employee_no")


def meeting_participant_candidates(*, user: Any, unit: OrgUnit | None) -> QuerySet[Employee]:
    """Who may take part: the team's active members, the recorder and their chain's people
    (a supervisor invites a colleague from another team of theirs), anyone for HR."""
    qs = Employee.objects.filter(active=True).order_by("employee_no")
    if is_hr_admin(user):
        return qs
    me = employee_for_user(user)
    ids = chain_ids(user) | ({me.pk} if me is not None else set())
    team = Q(org_unit=unit) if unit is not None else Q(pk__in=[])
    return qs.filter(team | Q(pk__in=ids))


def meeting_owner_candidates(meeting: ReviewMeeting) -> QuerySet[Employee]:
    """Who may own a meeting's action: a participant, an active team member or the chair."""
    ids = set(meeting.participants.values_list("pk", flat=True))
    if meeting.chair_id is not None:
        ids.add(meeting.chair_id)
    return (
        Employee.objects.filter(active=True)
        .filter(Q(pk__in=ids) | Q(org_unit_id=meeting.org_unit_id))
        .order_by("employee_no")
    )


def meeting_actions(meeting: ReviewMeeting) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting=meeting).select_related("owner")


def meeting_history(*, meeting: ReviewMeeting) -> list[Trail]:
    trails = [
        Trail(
            str(ReviewMeeting._meta.verbose_name),
            history_trail(meeting.history, model=ReviewMeeting),  # type: ignore[attr-defined]
        )
    ]
    for action in meeting_actions(meeting):
        trails.append(
            Trail(
                action.text[:60],
                history_trail(action.history, model=ActionItem),  # type: ignore[attr-defined]
            )
        )
    return trails


def teams_without_meeting(*, user: Any, cycle: Cycle) -> QuerySet[OrgUnit]:
    held = ReviewMeeting.objects.filter(cycle=cycle).values("org_unit_id")
    return meeting_units(user=user).exclude(pk__in=held)


# --- Action items ----------------------------------------------------------------------------


def actions_visible_to(*, user: Any) -> QuerySet[ActionItem]:
    """Actions the user may see: those of interviews and meetings they may see, and their
    own."""
    me = employee_for_user(user)
    own = Q(owner=me) if me is not None else Q(pk__in=[])
    return (
        ActionItem.objects.filter(
            own
            | Q(interview__in=interviews_visible_to(user=user).values("pk"))
            | Q(meeting__in=meetings_visible_to(user=user).values("pk"))
        )
        .select_related("owner", "interview__cycle", "interview__employee", "meeting__cycle")
        .select_related("meeting__org_unit")
    )


def my_actions(*, user: Any, status: str = "") -> QuerySet[ActionItem]:
    """The actions the user owns, open ones first by due date."""
    me = employee_for_user(user)
    if me is None:
        return ActionItem.objects.none()
    qs = (
        ActionItem.objects.filter(owner=me)
        .select_related("owner", "interview__cycle", "interview__employee", "meeting__cycle")
        .select_related("meeting__org_unit")
        .order_by("due_on", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def action_get_for_user(*, user: Any, pk: int) -> ActionItem:
    action = actions_visible_to(user=user).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def may_steer_action(user: Any, action: ActionItem) -> bool:
    """Dropping and reopening: the supervisors who hold the interview or meeting, and HR."""
    if action.interview_id is not None:
        return bool(is_hr_admin(user)) or may_conduct(user, action.interview)  # type: ignore[arg-type]
    return may_manage_meeting(user, action.meeting)  # type: ignore[arg-type]


def is_action_owner(user: Any, action: ActionItem) -> bool:
    me = employee_for_user(user)
    return me is not None and me.pk == action.owner_id


def is_overdue(action: ActionItem, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.status == ActionItem.Status.OPEN and action.due_on < today


@dataclass(frozen=True)
class OpenAction:
    """One open action, as development plans take it in."""

    id: int
    text: str
    source_kind: str  # "interview" or "meeting"
    source_id: int
    due_on: date
    status: str


def open_actions_for(employee_id: int) -> list[OpenAction]:
    """The open actions an employee owns, by due date: THE input of development plans.

    Each item says what to do (``text``), where it was agreed (``source_kind`` "interview"
    or "meeting" and ``source_id``, the Interview's or ReviewMeeting's id), by when
    (``due_on``) and its ``status`` (always "open" here). Unscoped: the caller decides who
    may read it. One query.
    """
    rows = (
        ActionItem.objects.filter(owner_id=employee_id, status=ActionItem.Status.OPEN)
        .order_by("due_on", "pk")
        .values_list("pk", "text", "interview_id", "meeting_id", "due_on", "status")
    )
    return [
        OpenAction(
            id=pk,
            text=text,
            source_kind="interview" if interview_id is not None else "meeting",
            source_id=interview_id if interview_id is not None else meeting_id,
            due_on=due_on,
            status=status,
        )
        for pk, text, interview_id, meeting_id, due_on, status in rows
    ]

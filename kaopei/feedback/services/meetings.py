"""Writes of performance interviews, review meetings and action items.

An interview goes planned → held → acknowledged by both. The person writes a self-summary
while it is planned; the supervisors above them write the feedback, agree actions and mark
it held; then the person and the interviewer each acknowledge. From the first
acknowledgement on, what was acknowledged no longer changes (a clear refusal); actions keep
moving (done, dropped, reopened) since they are followed up after the interview.

Every state change locks the row it changes (``select_for_update``) and reads it again, so
two people acting at once see each other's change: both acknowledging at once both succeed;
an edit racing an acknowledgement is refused once the acknowledgement has landed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kaopei.assessment.models import Cycle
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.notifications import notify
from kaopei.feedback import setup_meetings as kinds
from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from kaopei.feedback.selectors import meetings as sel
from kaopei.org.models import Employee, OrgUnit
from kaopei.org.selectors import employee_for_user

TEXT_MAX = 5000
ACTION_MAX = 500
# How far after its cycle an interview may be dated, and an action be due.
INTERVIEW_AFTER_CYCLE = timedelta(days=180)
ACTION_HORIZON = timedelta(days=2 * 366)


def _text(value: str, *, label: str, required: bool, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("Please write the %(what)s.") % {"what": label})
    if len(value) > limit:
        raise ApplicationError(
            _("The %(what)s is too long: at most %(n)s characters.") % {"what": label, "n": limit}
        )
    return value


def _save(obj: Any, user: Any) -> Any:
    """Save with the author in the audit history (the services run outside requests too)."""
    obj._history_user = user if getattr(user, "pk", None) else None
    obj.save()
    return obj


def _user_of(employee: Employee | None) -> Any:
    return employee.user_id if employee is not None else None


def _check_cycle(cycle: Cycle) -> None:
    if cycle.status == Cycle.Status.DRAFT:
        raise ApplicationError(
            _("Cycle %(cycle)s is still a draft: plan the interview once it is open.")
            % {"cycle": cycle.code}
        )


def _check_interview_date(cycle: Cycle, day: date | None) -> date:
    if day is None:
        raise ApplicationError(_("Please give the interview's date."))
    latest = cycle.end + INTERVIEW_AFTER_CYCLE
    if not cycle.start <= day <= latest:
        raise ApplicationError(
            _(
                "The interview's date must fall between the start of cycle %(cycle)s "
                "(%(start)s) and %(latest)s."
            )
            % {"cycle": cycle.code, "start": cycle.start, "latest": latest}
        )
    return day


def _check_due(due_on: date | None, *, not_before: date) -> date:
    if due_on is None:
        raise ApplicationError(_("Please give the action's due date."))
    if due_on < not_before:
        raise ApplicationError(
            _("The due date cannot be before %(day)s.") % {"day": not_before.isoformat()}
        )
    if due_on > not_before + ACTION_HORIZON:
        raise ApplicationError(_("The due date is more than two years away: please check it."))
    return due_on


# --- Interviews ------------------------------------------------------------------------------


def _interview_url(interview: Interview) -> str:
    return reverse("feedback:interview_detail", args=[interview.pk])


def _lock(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update()
        .select_related("cycle", "employee")
        .get(pk=interview.pk)
    )


def _refuse_if_locked(interview: Interview) -> None:
    if interview.status == Interview.Status.ACKNOWLEDGED:
        raise ConflictError(
            _("This interview has been acknowledged by both and is locked: it cannot change.")
        )
    if sel.is_locked(interview):
        raise ConflictError(
            _(
                "This interview has already been acknowledged: what was acknowledged can no "
                "longer change."
            )
        )


@transaction.atomic
def interview_plan(
    *, employee: Employee, cycle: Cycle, scheduled_on: date | None, user: Any
) -> Interview:
    """Plan ``employee``'s interview for ``cycle`` on ``scheduled_on``.

    The interviewer is the planner when they supervise the person, else the person's direct
    supervisor. Raises PermissionDenied outside the planner's scope; ApplicationError for a
    draft cycle, a date outside the cycle (up to 180 days after its end) or a person without
    a supervisor; ConflictError when the person already has an interview for the cycle.
    """
    if not sel.may_plan_for(user, employee):
        raise PermissionDenied
    _check_cycle(cycle)
    day = _check_interview_date(cycle, scheduled_on)
    me = employee_for_user(user)
    if me is not None and employee.pk in sel.chain_ids(user):
        interviewer: Employee | None = me
    else:
        interviewer = employee.supervisor
    if interviewer is None:
        raise ApplicationError(
            _("%(name)s has no supervisor to hold the interview.") % {"name": employee.name}
        )
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    if Interview.objects.filter(cycle=cycle, employee=employee).exists():
        raise ConflictError(
            _("%(name)s already has an interview for cycle %(cycle)s.")
            % {"name": employee.name, "cycle": cycle.code}
        )
    try:
        with transaction.atomic():
            interview = _save(
                Interview(
                    cycle=cycle, employee=employee, interviewer=interviewer, scheduled_on=day
                ),
                user,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("%(name)s already has an interview for cycle %(cycle)s.")
            % {"name": employee.name, "cycle": cycle.code}
        ) from exc
    notify(
        users=[employee.user_id],
        kind=kinds.INTERVIEW_PLANNED,
        message=gettext_noop(
            "Your %(cycle)s performance interview is planned for %(day)s. "
            "Write your self-summary before it."
        ),
        params={"cycle": cycle.code, "day": day.isoformat()},
        url=_interview_url(interview),
    )
    return interview


@transaction.atomic
def interview_self_summary_save(*, interview: Interview, text: str, user: Any) -> Interview:
    """The person writes their self-summary, before the interview (while it is planned)."""
    interview = _lock(interview)
    if not sel.is_interviewee(user, interview):
        raise ApplicationError(
            _("Only the person interviewed writes the self-summary."), status=403
        )
    if interview.status != Interview.Status.PLANNED:
        raise ConflictError(
            _(
                "The interview has been held: the self-summary can no longer change. "
                "Add a comment when you acknowledge it."
            )
        )
    interview.self_summary = _text(text, label=_("self-summary"), required=True)
    _save(interview, user)
    return interview


@transaction.atomic
def interview_record(
    *,
    interview: Interview,
    scheduled_on: date | None,
    feedback: str,
    held: bool,
    user: Any,
) -> Interview:
    """A supervisor above the person sets the date and writes the feedback; with ``held``
    the interview is marked held and both parties are asked to acknowledge it.

    Refused once anyone has acknowledged it (ConflictError); a held interview needs the
    feedback and a date that is not in the future.
    """
    interview = _lock(interview)
    if not sel.may_conduct(user, interview):
        raise ApplicationError(
            _("Only a supervisor above the person records the interview."), status=403
        )
    _refuse_if_locked(interview)
    day = _check_interview_date(interview.cycle, scheduled_on)
    text = _text(feedback, label=_("supervisor's feedback"), required=held)
    becomes_held = held and interview.status == Interview.Status.PLANNED
    if interview.status == Interview.Status.HELD and not held:
        raise ConflictError(_("The interview has been held: it cannot go back to planned."))
    if (held or interview.status == Interview.Status.HELD) and day > timezone.localdate():
        raise ApplicationError(_("An interview cannot be marked held before its date."))
    interview.scheduled_on = day
    interview.supervisor_feedback = text
    if becomes_held:
        interview.status = Interview.Status.HELD
    _save(interview, user)
    if becomes_held:
        notify(
            users=[interview.employee.user_id, _user_of(interview.interviewer)],
            kind=kinds.INTERVIEW_HELD,
            message=gettext_noop(
                "The %(cycle)s performance interview of %(name)s was held. "
                "Please read and acknowledge it."
            ),
            params={"cycle": interview.cycle.code, "name": interview.employee.name},
            url=_interview_url(interview),
        )
    return interview


@transaction.atomic
def interview_acknowledge(*, interview: Interview, user: Any, comment: str = "") -> Interview:
    """The person or the interviewer acknowledges a held interview (the person may add a
    comment). When both have, it is acknowledged and locked.

    Raises ApplicationError (403) for anyone else; ConflictError when it is not held yet or
    when this party has already acknowledged.
    """
    interview = _lock(interview)
    as_person = sel.is_interviewee(user, interview)
    as_interviewer = sel.is_interviewer(user, interview)
    if not (as_person or as_interviewer):
        raise ApplicationError(
            _("Only the person interviewed and the interviewer acknowledge an interview."),
            status=403,
        )
    if interview.status == Interview.Status.PLANNED:
        raise ConflictError(
            _("The interview has not been held yet: there is nothing to acknowledge.")
        )
    now = timezone.now()
    done = False
    if as_person and interview.employee_acknowledged_at is None:
        interview.employee_acknowledged_at = now
        interview.employee_comment = _text(comment, label=_("comment"), required=False)
        done = True
    if as_interviewer and interview.interviewer_acknowledged_at is None:
        interview.interviewer_acknowledged_at = now
        done = True
    if not done:
        raise ConflictError(_("You have already acknowledged this interview."))
    both = bool(interview.employee_acknowledged_at and interview.interviewer_acknowledged_at)
    if both:
        interview.status = Interview.Status.ACKNOWLEDGED
    _save(interview, user)
    others = {interview.employee.user_id, _user_of(interview.interviewer)} - {user.pk}
    notify(
        users=others,
        kind=kinds.INTERVIEW_ACKNOWLEDGED,
        message=gettext_noop(
            "The %(cycle)s performance interview of %(name)s is acknowledged by both."
        )
        if both
        else gettext_noop("%(who)s acknowledged the %(cycle)s performance interview of %(name)s."),
        params={
            "cycle": interview.cycle.code,
            "name": interview.employee.name,
            "who": getattr(employee_for_user(user), "name", user.get_username()),
        },
        url=_interview_url(interview),
    )
    return interview


def _notify_owner(action: ActionItem, url: str) -> None:
    notify(
        users=[action.owner.user_id],
        kind=kinds.ACTION_ASSIGNED,
        message=gettext_noop("An action was agreed for you, due %(day)s: %(text)s"),
        params={"day": action.due_on.isoformat(), "text": action.text[:120]},
        url=url,
    )


@transaction.atomic
def interview_action_add(
    *, interview: Interview, text: str, owner: Employee | None, due_on: date | None, user: Any
) -> ActionItem:
    """An action agreed in the interview, owned by the person, their supervisor chain or
    someone in the interviewer's chain; refused once anyone has acknowledged."""
    interview = _lock(interview)
    if not sel.may_conduct(user, interview):
        raise ApplicationError(
            _("Only a supervisor above the person agrees actions in the interview."), status=403
        )
    _refuse_if_locked(interview)
    body = _text(text, label=_("action"), required=True, limit=ACTION_MAX)
    if owner is None or not sel.interview_owner_candidates(interview).filter(pk=owner.pk).exists():
        raise ApplicationError(
            _(
                "The action's owner must be the person, their supervisor or someone in the "
                "supervisor's team."
            )
        )
    start = interview.scheduled_on or interview.cycle.start
    due = _check_due(due_on, not_before=start)
    action = _save(ActionItem(interview=interview, text=body, owner=owner, due_on=due), user)
    _notify_owner(action, _interview_url(interview))
    return action


@transaction.atomic
def interview_action_remove(*, action: ActionItem, user: Any) -> None:
    """Take back an action agreed by mistake, before anyone acknowledged the interview."""
    if action.interview_id is None:
        raise ApplicationError(_("This action does not belong to an interview."))
    interview = _lock(action.interview)  # type: ignore[arg-type]
    if not sel.may_conduct(user, interview):
        raise ApplicationError(
            _("Only a supervisor above the person agrees actions in the interview."), status=403
        )
    _refuse_if_locked(interview)
    gone = ActionItem.objects.get(pk=action.pk)
    gone._history_user = user  # type: ignore[attr-defined]
    gone.delete()


# --- Review meetings -------------------------------------------------------------------------


def _meeting_url(meeting: ReviewMeeting) -> str:
    return reverse("feedback:meeting_detail", args=[meeting.pk])


def _check_meeting(
    *,
    cycle: Cycle,
    unit: OrgUnit,
    held_on: date | None,
    participants: Sequence[Employee],
    findings: str,
    suggestions: str,
    user: Any,
) -> tuple[date, list[Employee], str, str]:
    if cycle.status == Cycle.Status.DRAFT:
        raise ApplicationError(
            _("Cycle %(cycle)s is still a draft: review it once it is open.")
            % {"cycle": cycle.code}
        )
    if held_on is None:
        raise ApplicationError(_("Please give the meeting's date."))
    if held_on < cycle.start:
        raise ApplicationError(
            _("The meeting reviews cycle %(cycle)s: it cannot be held before %(start)s.")
            % {"cycle": cycle.code, "start": cycle.start}
        )
    if held_on > timezone.localdate():
        raise ApplicationError(
            _("Record a review meeting once it has been held: its date is in the future.")
        )
    people = list({p.pk: p for p in participants}.values())
    if not people:
        raise ApplicationError(_("Please choose the meeting's participants."))
    allowed = set(
        sel.meeting_participant_candidates(user=user, unit=unit).values_list("pk", flat=True)
    )
    strangers = [p.name for p in people if p.pk not in allowed]
    if strangers:
        raise ApplicationError(
            _("These people cannot take part in this team's meeting: %(names)s.")
            % {"names": ", ".join(strangers)}
        )
    return (
        held_on,
        people,
        _text(findings, label=_("findings"), required=True),
        _text(suggestions, label=_("improvement suggestions"), required=False),
    )


def _duplicate(cycle: Cycle, unit: OrgUnit) -> ConflictError:
    return ConflictError(
        _("%(team)s already has a review meeting for cycle %(cycle)s: open it to change it.")
        % {"team": unit.name, "cycle": cycle.code}
    )


@transaction.atomic
def meeting_create(
    *,
    cycle: Cycle,
    unit: OrgUnit,
    held_on: date | None,
    participants: Sequence[Employee],
    findings: str,
    suggestions: str,
    user: Any,
) -> ReviewMeeting:
    """Record the review meeting of ``unit`` for ``cycle`` (one per team and cycle).

    HR admins record for any team, a supervisor for the teams where they supervise at least
    one active member (PermissionDenied otherwise). The recorder chairs it.
    """
    ids = sel.meeting_unit_ids(user)
    if ids is not None and unit.pk not in ids:
        raise PermissionDenied
    day, people, found, suggested = _check_meeting(
        cycle=cycle,
        unit=unit,
        held_on=held_on,
        participants=participants,
        findings=findings,
        suggestions=suggestions,
        user=user,
    )
    if ReviewMeeting.objects.filter(cycle=cycle, org_unit=unit).exists():
        raise _duplicate(cycle, unit)
    try:
        with transaction.atomic():
            meeting = _save(
                ReviewMeeting(
                    cycle=cycle,
                    org_unit=unit,
                    held_on=day,
                    chair=employee_for_user(user),
                    findings=found,
                    suggestions=suggested,
                    created_by=user,
                ),
                user,
            )
    except IntegrityError as exc:
        raise _duplicate(cycle, unit) from exc
    meeting.participants.set(people)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: ReviewMeeting,
    held_on: date | None,
    participants: Sequence[Employee],
    findings: str,
    suggestions: str,
    user: Any,
) -> ReviewMeeting:
    """Correct a review meeting's record (its recorders and HR; the row is locked)."""
    meeting = (
        ReviewMeeting.objects.select_for_update()
        .select_related("cycle", "org_unit")
        .get(pk=meeting.pk)
    )
    if not sel.may_manage_meeting(user, meeting):
        raise ApplicationError(
            _("Only the team's supervisors and HR change its review meeting."), status=403
        )
    day, people, found, suggested = _check_meeting(
        cycle=meeting.cycle,
        unit=meeting.org_unit,
        held_on=held_on,
        participants=participants,
        findings=findings,
        suggestions=suggestions,
        user=user,
    )
    meeting.held_on = day
    meeting.findings = found
    meeting.suggestions = suggested
    _save(meeting, user)
    meeting.participants.set(people)
    return meeting


@transaction.atomic
def meeting_action_add(
    *, meeting: ReviewMeeting, text: str, owner: Employee | None, due_on: date | None, user: Any
) -> ActionItem:
    """An action agreed in the meeting, owned by a participant or a team member."""
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not sel.may_manage_meeting(user, meeting):
        raise ApplicationError(
            _("Only the team's supervisors and HR change its review meeting."), status=403
        )
    body = _text(text, label=_("action"), required=True, limit=ACTION_MAX)
    if owner is None or not sel.meeting_owner_candidates(meeting).filter(pk=owner.pk).exists():
        raise ApplicationError(
            _("The action's owner must be a participant or a member of the team.")
        )
    due = _check_due(due_on, not_before=meeting.held_on)
    action = _save(ActionItem(meeting=meeting, text=body, owner=owner, due_on=due), user)
    _notify_owner(action, _meeting_url(meeting))
    return action


# --- Action items ----------------------------------------------------------------------------

DONE = ActionItem.Status.DONE
DROPPED = ActionItem.Status.DROPPED
OPEN = ActionItem.Status.OPEN


@transaction.atomic
def action_item_set_status(*, action: ActionItem, status: str, user: Any) -> ActionItem:
    """Move an action: its owner marks it done; the supervisors who hold its interview or
    meeting (and HR) also drop it or reopen it. The row is locked; asking for the status it
    already has is a ConflictError (someone else got there first)."""
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("interview__employee", "meeting")
        .get(pk=action.pk)
    )
    if status not in ActionItem.Status.values:
        raise ApplicationError(_("Unknown status."))
    steer = sel.may_steer_action(user, action)
    owner = sel.is_action_owner(user, action)
    if status == DONE:
        if not (owner or steer):
            raise ApplicationError(
                _("Only the action's owner or their supervisor marks it done."), status=403
            )
    elif not steer:
        raise ApplicationError(
            _("Only the supervisor who agreed the action drops or reopens it."), status=403
        )
    if action.status == status:
        raise ConflictError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    if status == DONE and action.status == DROPPED:
        raise ConflictError(_("This action was dropped: it must be reopened before it is done."))
    if status == DROPPED and action.status != OPEN:
        raise ConflictError(_("Only an open action can be dropped: reopen it first."))
    action.status = status
    action.done_on = timezone.localdate() if status == DONE else None
    _save(action, user)
    return action

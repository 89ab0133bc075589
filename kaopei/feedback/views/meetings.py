"""Pages of performance interviews (绩效面谈), review meetings (复盘会议) and the actions
they agree.

Views stay thin (STYLE.md item 3): a selector fetches and scopes (404 outside the scope), a
predicate says whether this person may act on what they see (403 otherwise), one service
writes, and an ApplicationError becomes a message and a redirect, never a 500.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.rules import has_a_role, is_hr_admin
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.feedback import forms_meetings as f
from kaopei.feedback.models import ActionItem, Interview
from kaopei.feedback.selectors import meetings as sel
from kaopei.feedback.services import meetings as svc
from kaopei.org.selectors import employee_for_user

PER_PAGE = 50
MISSING_SHOWN = 100


def require(allowed: Any) -> None:
    if not allowed:
        raise PermissionDenied


def _done(request: HttpRequest, call: Any, success: str) -> bool:
    """Run one service call; its refusal becomes an error message."""
    try:
        call()
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
        return False
    messages.success(request, success)
    return True


# --- Interviews ------------------------------------------------------------------------------


INTERVIEW_COLUMNS = (
    Column("cycle", gettext_lazy("Cycle")),
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("interviewer", gettext_lazy("Interviewer's employee number")),
    Column("scheduled_on", gettext_lazy("Date"), "date"),
    Column("status", gettext_lazy("Status")),
    Column("acknowledged", gettext_lazy("Acknowledged"), "date"),
)
ACTION_COLUMNS = (
    Column("text", gettext_lazy("Action")),
    Column("owner", gettext_lazy("Owner's employee number")),
    Column("due_on", gettext_lazy("Due on"), "date"),
    Column("status", gettext_lazy("Status")),
    Column("cycle", gettext_lazy("Cycle")),
)


@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """My interviews; a supervisor's chain's; HR's all. With a cycle chosen, the people still
    without an interview in it (for those who plan). Executives see counts per status."""
    user = request.user
    require(has_a_role(user))
    form = f.InterviewFilterForm(request.GET, cycles=sel.interview_cycles())
    cycle = form.value("cycle")
    interviews = interview_search_for(request, form)
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=INTERVIEW_COLUMNS,
            rows=(
                [
                    i.cycle.code,
                    i.employee.employee_no,
                    i.employee.name,
                    i.interviewer.employee_no if i.interviewer else "",
                    i.scheduled_on,
                    i.get_status_display(),
                    i.employee_acknowledged_at,
                ]
                for i in interviews.select_related("cycle", "employee", "interviewer")
            ),
            fmt=fmt,
            name="interviews",
        )
    page = paginate(request, interviews, PER_PAGE)
    query_string, filtered = list_filters(request)
    may_plan = sel.may_plan_interviews(user)
    missing = (
        list(sel.people_without_interview(user=user, cycle=cycle)[: MISSING_SHOWN + 1])
        if may_plan and cycle is not None
        else []
    )
    return render_list(
        request,
        "feedback/meetings/interview_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query_string,
            "filtered": filtered,
            "cycle": cycle,
            "may_plan": may_plan,
            "missing": missing[:MISSING_SHOWN],
            "missing_more": len(missing) > MISSING_SHOWN,
            "counts": sel.interview_status_counts(cycle=cycle)
            if sel.may_see_interview_counts(user)
            else None,
            "statuses": Interview.Status.choices,
        },
    )


def interview_search_for(request: HttpRequest, form: f.InterviewFilterForm) -> Any:
    return sel.interview_search(
        user=request.user,
        cycle=form.value("cycle"),
        status=form.value("status", ""),
        q=form.value("q", ""),
    )


@require_http_methods(["GET", "POST"])
def interview_plan(request: HttpRequest) -> HttpResponse:
    """HR or a supervisor plans a person's interview for a cycle."""
    user = request.user
    require(sel.may_plan_interviews(user))
    people = sel.plannable_employees(user=user)
    initial = {k: request.GET[k] for k in ("employee", "cycle") if request.GET.get(k)}
    form = f.InterviewPlanForm(
        request.POST or None, initial=initial, people=people, cycles=sel.interview_cycles()
    )
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, f.first_error(form))
        else:
            data = form.cleaned_data
            try:
                interview = svc.interview_plan(
                    employee=data["employee"],
                    cycle=data["cycle"],
                    scheduled_on=data["scheduled_on"],
                    user=user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Interview planned. %(name)s is told and can write a self-summary.")
                    % {"name": interview.employee.name},
                )
                return redirect("feedback:interview_detail", pk=interview.pk)
    return render(request, "feedback/meetings/interview_plan.html", {"form": form})


@require_GET
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interview = sel.interview_get_for_user(user=user, pk=pk)
    conduct = sel.may_conduct(user, interview)
    locked = sel.is_locked(interview)
    person = sel.is_interviewee(user, interview)
    interviewer = sel.is_interviewer(user, interview)
    held = interview.status != Interview.Status.PLANNED
    may_acknowledge = (
        held
        and (person and interview.employee_acknowledged_at is None)
        or (held and interviewer and interview.interviewer_acknowledged_at is None)
    )
    candidates = sel.interview_owner_candidates(interview) if conduct and not locked else []
    return render(
        request,
        "feedback/meetings/interview_detail.html",
        {
            "interview": interview,
            "card": sel.interview_scorecard(user=user, interview=interview),
            "actions": sel.interview_actions(interview),
            "today": timezone.localdate(),
            "locked": locked,
            "may_edit": conduct and not locked,
            "may_steer": conduct or bool(is_hr_admin(user)),
            "me_id": getattr(employee_for_user(user), "pk", None),
            "may_summarise": person and interview.status == Interview.Status.PLANNED,
            "may_acknowledge": may_acknowledge,
            "is_person": person,
            "summary_form": f.SelfSummaryForm(initial={"self_summary": interview.self_summary}),
            "record_form": f.InterviewRecordForm(
                initial={
                    "scheduled_on": interview.scheduled_on,
                    "supervisor_feedback": interview.supervisor_feedback,
                    "held": held,
                }
            ),
            "action_form": f.ActionForm(candidates=candidates),
            "ack_form": f.AcknowledgeForm(),
            "history": sel.interview_history(interview=interview),
        },
    )


def _back(interview: Interview) -> str:
    return reverse("feedback:interview_detail", args=[interview.pk])


@require_POST
def interview_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The person writes their self-summary before the interview."""
    interview = sel.interview_get_for_user(user=request.user, pk=pk)
    require(sel.is_interviewee(request.user, interview))
    form = f.SelfSummaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, f.first_error(form))
    else:
        _done(
            request,
            lambda: svc.interview_self_summary_save(
                interview=interview, text=form.cleaned_data["self_summary"], user=request.user
            ),
            _("Self-summary saved."),
        )
    return redirect(_back(interview))


@require_POST
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor above the person writes the feedback and marks the interview held."""
    interview = sel.interview_get_for_user(user=request.user, pk=pk)
    require(sel.may_conduct(request.user, interview))
    form = f.InterviewRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, f.first_error(form))
    else:
        data = form.cleaned_data
        _done(
            request,
            lambda: svc.interview_record(
                interview=interview,
                scheduled_on=data["scheduled_on"],
                feedback=data["supervisor_feedback"],
                held=data["held"],
                user=request.user,
            ),
            _("Interview held: both of you are asked to acknowledge it.")
            if data["held"] and interview.status == Interview.Status.PLANNED
            else _("Interview saved."),
        )
    return redirect(_back(interview))


def _action_add(request: HttpRequest, add: Callable[..., object]) -> None:
    """Agree an action from the posted form through ``add`` (an interview's or a meeting's
    service), saying what happened."""
    form = f.ActionForm(request.POST, candidates=[])
    if not form.is_valid():
        messages.error(request, f.first_error(form))
        return
    data = form.cleaned_data
    _done(
        request,
        lambda: add(
            text=data["text"], owner=data["owner"], due_on=data["due_on"], user=request.user
        ),
        _("Action agreed; its owner is told."),
    )


@require_POST
def interview_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    interview = sel.interview_get_for_user(user=request.user, pk=pk)
    require(sel.may_conduct(request.user, interview))
    _action_add(request, functools.partial(svc.interview_action_add, interview=interview))
    return redirect(_back(interview) + "#actions")


@require_POST
def interview_action_remove(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    interview = sel.interview_get_for_user(user=request.user, pk=pk)
    require(sel.may_conduct(request.user, interview))
    item = sel.interview_actions(interview).filter(pk=action).first()
    if item is None:
        raise Http404
    _done(
        request,
        lambda: svc.interview_action_remove(action=item, user=request.user),
        _("Action removed."),
    )
    return redirect(_back(interview) + "#actions")


@require_POST
def interview_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The person or the interviewer acknowledges the held interview."""
    user = request.user
    interview = sel.interview_get_for_user(user=user, pk=pk)
    require(sel.is_interviewee(user, interview) or sel.is_interviewer(user, interview))
    form = f.AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f.first_error(form))
    else:
        _done(
            request,
            lambda: svc.interview_acknowledge(
                interview=interview, user=user, comment=form.cleaned_data["comment"]
            ),
            _("Acknowledged."),
        )
    return redirect(_back(interview))


# --- Action items ----------------------------------------------------------------------------


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    """My actions, by due date, overdue ones highlighted."""
    require(has_a_role(request.user))
    form = f.ActionFilterForm(request.GET)
    actions = sel.my_actions(user=request.user, status=form.value("status", ""))
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=ACTION_COLUMNS,
            rows=(
                [
                    a.text,
                    a.owner.employee_no,
                    a.due_on,
                    a.get_status_display(),
                    a.interview.cycle.code
                    if a.interview
                    else (a.meeting.cycle.code if a.meeting else ""),
                ]
                for a in actions
            ),
            fmt=fmt,
            name="actions",
        )
    page = paginate(request, actions, PER_PAGE)
    query_string, filtered = list_filters(request)
    today = timezone.localdate()
    return render_list(
        request,
        "feedback/meetings/action_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [(a, sel.is_overdue(a, today)) for a in page],
            "query_string": query_string,
            "filtered": filtered,
        },
    )


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an action done (its owner), drop or reopen it (its supervisors)."""
    user = request.user
    action = sel.action_get_for_user(user=user, pk=pk)
    require(sel.is_action_owner(user, action) or sel.may_steer_action(user, action))
    form = f.ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, f.first_error(form))
    else:
        status = form.cleaned_data["status"]
        _done(
            request,
            lambda: svc.action_item_set_status(action=action, status=status, user=user),
            {
                ActionItem.Status.DONE: _("Action marked done."),
                ActionItem.Status.DROPPED: _("Action dropped."),
            }.get(status, _("Action reopened.")),
        )
    return redirect(_action_back(request, action))


def _action_back(request: HttpRequest, action: ActionItem) -> str:
    if request.POST.get("from") == "mine":
        return reverse("feedback:action_list")
    if action.interview_id is not None:
        return reverse("feedback:interview_detail", args=[action.interview_id]) + "#actions"
    return reverse("feedback:meeting_detail", args=[action.meeting_id]) + "#actions"


# --- Review meetings -------------------------------------------------------------------------


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(has_a_role(user))
    units = sel.meeting_units(user=user)
    form = f.MeetingFilterForm(request.GET, cycles=sel.interview_cycles(), units=units)
    cycle = form.value("cycle")
    meetings = sel.meeting_search(user=user, cycle=cycle, unit=form.value("unit"))
    page = paginate(request, meetings, PER_PAGE)
    query_string, filtered = list_filters(request)
    may_record = sel.may_record_meetings(user)
    return render_list(
        request,
        "feedback/meetings/meeting_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query_string,
            "filtered": filtered,
            "may_record": may_record,
            "cycle": cycle,
            "missing": list(sel.teams_without_meeting(user=user, cycle=cycle))
            if may_record and cycle is not None
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Record a team's review meeting for a cycle; participants default to its members."""
    user = request.user
    require(sel.may_record_meetings(user))
    units = sel.meeting_units(user=user)
    code = request.GET.get("unit", "")
    unit = units.filter(code=code).first() if code else None
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if request.GET.get("cycle"):
        initial["cycle"] = request.GET["cycle"]
    if unit is not None:
        initial["unit"] = unit.code
        initial["participants"] = [e.employee_no for e in sel.meeting_default_participants(unit)]
    form = f.MeetingForm(
        request.POST or None,
        initial=initial,
        cycles=sel.interview_cycles(),
        units=units,
        candidates=sel.meeting_participant_candidates(user=user, unit=unit),
    )
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, f.first_error(form))
        else:
            data = form.cleaned_data
            try:
                meeting = svc.meeting_create(
                    cycle=data["cycle"],
                    unit=data["unit"],
                    held_on=data["held_on"],
                    participants=list(data["participants"]),
                    findings=data["findings"],
                    suggestions=data["suggestions"],
                    user=user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Review meeting recorded."))
                return redirect("feedback:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "feedback/meetings/meeting_form.html",
        {"form": form, "meeting": None, "units": units, "unit": unit},
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = sel.meeting_get_for_user(user=user, pk=pk)
    manage = sel.may_manage_meeting(user, meeting)
    me_id = getattr(employee_for_user(user), "pk", None)
    return render(
        request,
        "feedback/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participants": meeting.participants.order_by("employee_no"),
            "actions": sel.meeting_actions(meeting),
            "today": timezone.localdate(),
            "may_manage": manage,
            "me_id": me_id,
            "action_form": f.ActionForm(
                candidates=sel.meeting_owner_candidates(meeting) if manage else []
            ),
            "history": sel.meeting_history(meeting=meeting) if manage else [],
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = sel.meeting_get_for_user(user=user, pk=pk)
    require(sel.may_manage_meeting(user, meeting))
    form = f.MeetingForm(
        request.POST or None,
        initial={
            "held_on": meeting.held_on,
            "participants": [e.employee_no for e in meeting.participants.all()],
            "findings": meeting.findings,
            "suggestions": meeting.suggestions,
        },
        cycles=None,
        units=None,
        candidates=sel.meeting_participant_candidates(user=user, unit=meeting.org_unit),
    )
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, f.first_error(form))
        else:
            data = form.cleaned_data
            try:
                svc.meeting_update(
                    meeting=meeting,
                    held_on=data["held_on"],
                    participants=list(data["participants"]),
                    findings=data["findings"],
                    suggestions=data["suggestions"],
                    user=user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Review meeting saved."))
                return redirect("feedback:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "feedback/meetings/meeting_form.html",
        {"form": form, "meeting": meeting, "unit": meeting.org_unit},
    )


@require_POST
def meeting_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = sel.meeting_get_for_user(user=request.user, pk=pk)
    require(sel.may_manage_meeting(request.user, meeting))
    _action_add(request, functools.partial(svc.meeting_action_add, meeting=meeting))
    return redirect(reverse("feedback:meeting_detail", args=[meeting.pk]) + "#actions")


__all__ = [
    "action_list",
    "action_status",
    "interview_acknowledge",
    "interview_action_add",
    "interview_action_remove",
    "interview_detail",
    "interview_list",
    "interview_plan",
    "interview_record",
    "interview_summary",
    "meeting_action_add",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
]

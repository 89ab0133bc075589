"""Pages of sessions and enrolment: the list, a session, scheduling, the calendar, enrolling,
attendance, the reaction survey, everyone's training records, mandatory rules and who is
overdue. Thin: parse → selector (authorises) → one service → render or redirect."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.org.selectors import employee_for_user
from kaopei.training import mandatory as mandatory_rule
from kaopei.training.forms_sessions import (
    EnrolForm,
    EnrolmentFilterForm,
    MandatoryRuleForm,
    OverdueFilterForm,
    ReactionForm,
    SessionFilterForm,
    SessionForm,
)
from kaopei.training.models import Enrolment, MandatoryRule, Session
from kaopei.training.rules import (
    can_enrol_others,
    can_enrol_self,
    can_manage_mandatory,
    can_manage_sessions,
    can_see_overdue,
)
from kaopei.training.selectors import sessions as sel
from kaopei.training.services import sessions as services

PER_PAGE = 30


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _refused(request: HttpRequest, exc: ApplicationError, to: str) -> HttpResponse:
    messages.error(request, str(exc.message))
    return redirect(to)


# --- Sessions --------------------------------------------------------------------------------


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    trainer = data.get("trainer")
    qs = sel.session_list(
        user=request.user,
        when=data.get("when") or "",
        course=data.get("course") or "",
        trainer=trainer.pk if trainer else None,
        module=data.get("module") or "",
        q=data.get("q") or "",
    )
    query, filtered = list_filters(request)
    return render_list(
        request,
        "training/sessions/session_list.html",
        {
            "form": form,
            "page_obj": paginate(request, qs, PER_PAGE),
            "query": query,
            "filtered": filtered,
            "may_manage": can_manage_sessions(request.user),
        },
    )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = sel.session_get(user=request.user, pk=pk)
    mine = sel.my_enrolment(user=request.user, session=session)
    user = request.user
    show_roster = can_manage_sessions(user) or can_enrol_others(user)
    return render(
        request,
        "training/sessions/session_detail.html",
        {
            "session": session,
            "seats_left": sel.seats_left(session),
            "mine": mine,
            "roster": sel.session_roster(user=user, session=session) if show_roster else [],
            "may_manage": can_manage_sessions(user),
            "may_enrol_others": can_enrol_others(user),
            "open": session.status == Session.Status.SCHEDULED
            and session.starts_at > timezone.now(),
            "started": session.starts_at <= timezone.now(),
            "reaction_deadline": services.reaction_deadline(mine) if mine else None,
        },
    )


def _session_values(form: SessionForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "starts_at": d["starts_at"],
        "ends_at": d["ends_at"],
        "capacity": d["capacity"],
        "trainer": d.get("trainer"),
        "place": d.get("place") or "",
        "link": d.get("link") or "",
        "notes": d.get("notes") or "",
    }


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    _require(can_manage_sessions(request.user))
    form = SessionForm(request.POST or None, initial={"course": request.GET.get("course", "")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                course=form.cleaned_data["course"],
                hours=form.cleaned_data.get("hours"),
                user=request.user,
                **_session_values(form),
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/sessions/session_form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = sel.session_get_to_manage(user=request.user, pk=pk)
    tz = timezone.get_current_timezone()
    initial = {
        "course": session.course.code,
        "starts_at": session.starts_at.astimezone(tz),
        "ends_at": session.ends_at.astimezone(tz),
        "trainer": session.trainer_id,
        "place": session.place,
        "link": session.link,
        "capacity": session.capacity,
        "hours": session.hours,
        "notes": session.notes,
    }
    form = SessionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        hours = form.cleaned_data.get("hours")
        try:
            services.session_update(
                session=session,
                hours=session.course.hours if hours is None else hours,
                user=request.user,
                **_session_values(form),
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The session is saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request, "training/sessions/session_form.html", {"form": form, "session": session}
    )


@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = sel.session_get_to_manage(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.session_cancel(session=session, user=request.user)
        except ApplicationError as exc:
            return _refused(request, exc, reverse("training:session_detail", args=[pk]))
        messages.success(request, _("The session is cancelled and its people were told."))
        return redirect("training:session_detail", pk=pk)
    return render(request, "training/sessions/session_cancel.html", {"session": session})


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        month = datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = today.replace(day=1)
    if not 2000 <= month.year <= 2100:
        month = today.replace(day=1)
    weeks, mine = sel.calendar_month(user=request.user, year=month.year, month=month.month)
    prev_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "training/sessions/calendar.html",
        {
            "weeks": weeks,
            "mine": mine,
            "month": month,
            "today": today,
            "prev": prev_month.strftime("%Y-%m"),
            "next": next_month.strftime("%Y-%m"),
        },
    )


# --- Enrolment -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol oneself (``self`` in the POST) or, for those who may, chosen people or a team."""
    session = sel.session_get(user=request.user, pk=pk)
    user = request.user
    others = can_enrol_others(user)
    form = EnrolForm(
        request.POST or None, people=sel.enrollable_people(user=user) if others else None
    )
    back = reverse("training:session_detail", args=[pk])
    if request.method == "POST":
        me = employee_for_user(user)
        if request.POST.get("self"):
            if me is None or not can_enrol_self(user):
                raise PermissionDenied
            people = [me]
        else:
            _require(others)
            if not form.is_valid():
                return render(
                    request,
                    "training/sessions/session_enrol.html",
                    {"session": session, "form": form},
                )
            people = list(form.cleaned_data["people"])
            if form.cleaned_data.get("unit"):
                people += sel.team_to_enrol(user=user, unit_code=form.cleaned_data["unit"])
            people = sel.people_to_enrol(user=user, employee_nos=[p.employee_no for p in people])
        dues = {}
        for person in people:
            due = sel.mandatory_due_for(
                employee=person, course=session.course, today=timezone.localdate()
            )
            if due is not None:
                dues[person.pk] = due
        try:
            results = services.enrol(session=session, employees=people, by=me, due_dates=dues)
        except ApplicationError as exc:
            return _refused(request, exc, back)
        waiting = [r.employee.name for r in results if r.waitlisted]
        placed = len(results) - len(waiting)
        if placed:
            messages.success(request, _("Enrolled: %(n)d.") % {"n": placed})
        if waiting:
            messages.warning(
                request,
                _("The session is full: on the waitlist: %(names)s.")
                % {"names": "、".join(waiting)},
            )
        return redirect(back)
    _require(others)
    return render(
        request, "training/sessions/session_enrol.html", {"session": session, "form": form}
    )


@require_http_methods(["GET", "POST"])
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = sel.enrolment_get_to_cancel(user=request.user, pk=pk)
    back = (
        reverse("training:session_detail", args=[enrolment.session_id])
        if enrolment.session_id
        else reverse("training:enrolment_list")
    )
    if request.method == "POST":
        try:
            services.enrolment_cancel(enrolment=enrolment, user=request.user)
        except ApplicationError as exc:
            return _refused(request, exc, back)
        messages.success(request, _("The enrolment is cancelled."))
        return redirect(back)
    return render(
        request, "training/sessions/enrolment_cancel.html", {"enrolment": enrolment, "back": back}
    )


def _parse_hours(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(_("Hours must be a number.")) from None
    if not value.is_finite():
        raise ApplicationError(_("Hours must be a number."))
    return value


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = sel.session_get_to_manage(user=request.user, pk=pk)
    roster = [
        e
        for e in sel.session_roster(user=request.user, session=session)
        if e.status == Enrolment.Status.ENROLLED
    ]
    if request.method == "POST":
        try:
            rows = [
                services.AttendanceRow(
                    enrolment_id=e.pk,
                    attended=request.POST.get(f"attended-{e.pk}") == "on",
                    completed=request.POST.get(f"completed-{e.pk}") == "on",
                    hours=_parse_hours(request.POST.get(f"hours-{e.pk}", "")),
                )
                for e in roster
            ]
            services.attendance_save(
                session=session, rows=rows, held=bool(request.POST.get("held")), user=request.user
            )
        except ApplicationError as exc:
            return _refused(request, exc, reverse("training:session_attendance", args=[pk]))
        messages.success(request, _("Attendance is saved."))
        return redirect("training:session_detail", pk=pk)
    return render(
        request,
        "training/sessions/session_attendance.html",
        {"session": session, "roster": roster, "started": session.starts_at <= timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def enrolment_react(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = sel.enrolment_get_own(user=request.user, pk=pk)
    form = ReactionForm(
        request.POST or None,
        initial={"reaction": enrolment.reaction, "comment": enrolment.reaction_comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reaction_set(
                enrolment=enrolment,
                reaction=form.cleaned_data["reaction"],
                comment=form.cleaned_data.get("comment") or "",
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you: your rating is saved."))
            if enrolment.session_id:
                return redirect("training:session_detail", pk=enrolment.session_id)
            return redirect("training:enrolment_list")
    return render(
        request,
        "training/sessions/enrolment_react.html",
        {
            "enrolment": enrolment,
            "form": form,
            "deadline": services.reaction_deadline(enrolment),
        },
    )


ENROLMENT_COLUMNS = (
    Column("course", gettext_lazy("Course code")),
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("session_on", gettext_lazy("Session date"), "date"),
    Column("status", gettext_lazy("Status")),
    Column("attended", gettext_lazy("Attended"), "number"),
    Column("completed", gettext_lazy("Completed"), "number"),
    Column("hours", gettext_lazy("Hours"), "number"),
    Column("reaction", gettext_lazy("Reaction"), "number"),
    Column("pre_score", gettext_lazy("Pre-test score"), "number"),
    Column("post_score", gettext_lazy("Post-test score"), "number"),
    Column("source", gettext_lazy("Source")),
)
OVERDUE_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("org_unit", gettext_lazy("Unit code")),
    Column("course", gettext_lazy("Course code")),
    Column("due_on", gettext_lazy("Due on"), "date"),
    Column("status", gettext_lazy("Status")),
)


@require_GET
def enrolment_list(request: HttpRequest) -> HttpResponse:
    form = EnrolmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    completed = {"yes": True, "no": False}.get(data.get("completed") or "")
    qs = sel.enrolment_list(
        user=request.user,
        course=data.get("course") or "",
        person=data.get("person") or "",
        status=data.get("status") or "",
        completed=completed,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    # ?export= (every list) or ?format= (this page's own links): the filtered list, all pages
    fmt = export_format(request) or export_format(request, param="format")
    if fmt:
        return table_response(
            columns=ENROLMENT_COLUMNS,
            rows=(
                [
                    e.course.code,
                    e.employee.employee_no,
                    e.employee.name,
                    e.session_on,
                    e.get_status_display(),
                    None if e.attended is None else int(e.attended),
                    int(e.completed),
                    e.hours,
                    e.reaction,
                    e.pre_score,
                    e.post_score,
                    e.source,
                ]
                for e in qs[:100000]
            ),
            fmt=fmt,
            name="enrolments",
        )
    query, filtered = list_filters(request)
    return render_list(
        request,
        "training/sessions/enrolment_list.html",
        {
            "form": form,
            "page_obj": paginate(request, qs, PER_PAGE),
            "query": query,
            "filtered": filtered,
        },
    )


# --- Mandatory -------------------------------------------------------------------------------


@require_GET
def mandatory_list(request: HttpRequest) -> HttpResponse:
    rules = sel.mandatory_rule_list(user=request.user)
    return render(
        request,
        "training/sessions/mandatory_list.html",
        {"rules": rules, "may_manage": can_manage_mandatory(request.user)},
    )


def _rule_form_view(request: HttpRequest, rule: MandatoryRule | None) -> HttpResponse:
    _require(can_manage_mandatory(request.user))
    form = (
        MandatoryRuleForm.for_rule(rule, request.POST or None)
        if rule
        else MandatoryRuleForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.mandatory_rule_save(
                course=d["course"],
                level=d["level"],
                due_on=d["due_on"],
                renew_months=d.get("renew_months"),
                rule=rule,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The mandatory course is saved."))
            return redirect("training:mandatory_list")
    return render(request, "training/sessions/mandatory_form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
def mandatory_create(request: HttpRequest) -> HttpResponse:
    return _rule_form_view(request, None)


@require_http_methods(["GET", "POST"])
def mandatory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_manage_mandatory(request.user))
    return _rule_form_view(request, get_object_or_404(MandatoryRule, pk=pk))


@require_http_methods(["GET", "POST"])
def mandatory_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_manage_mandatory(request.user))
    rule = get_object_or_404(MandatoryRule.objects.select_related("course", "level"), pk=pk)
    if request.method == "POST":
        services.mandatory_rule_delete(rule=rule)
        messages.success(request, _("The mandatory course is removed."))
        return redirect("training:mandatory_list")
    return render(request, "training/sessions/mandatory_delete.html", {"rule": rule})


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    _require(can_see_overdue(request.user))
    form = OverdueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = sel.overdue_rows(
        user=request.user,
        today=today,
        course=data.get("course") or "",
        status=data.get("status") or "",
        unit=data.get("unit") or "",
    )
    fmt = export_format(request) or export_format(request, param="format")
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=OVERDUE_COLUMNS,
            rows=(
                [
                    r.employee.employee_no,
                    r.employee.name,
                    r.employee.org_unit.code,
                    r.course.code,
                    r.due_on,
                    r.status,
                ]
                for r in rows
            ),
            fmt=fmt,
            name="overdue",
        )
    query, filtered = list_filters(request)
    return render(
        request,
        "training/sessions/overdue.html",
        {
            "form": form,
            "page_obj": paginate(request, rows, 50),
            "query": query,
            "filtered": filtered,
            "OVERDUE": mandatory_rule.OVERDUE,
            "today": today,
        },
    )

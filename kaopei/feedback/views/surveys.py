"""Customer surveys by link (sending, the list, withdrawing, the customer's public page)
and customer interview notes (客户访谈).

Views stay thin: a selector scopes (404 outside the scope), one service writes, an
ApplicationError becomes a message, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.history import person_name
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.feedback.forms_surveys import (
    CustomerInterviewForm,
    InterviewFilterForm,
    SurveyAnswerForm,
    SurveyFilterForm,
    SurveySendForm,
)
from kaopei.feedback.rules import can_record_customer_interviews
from kaopei.feedback.selectors import surveys as sel
from kaopei.feedback.services import surveys as services

PER_PAGE = 50


# --- Sending and the list ----------------------------------------------------------------------


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys sent about people in scope (HR: all; a supervisor: their chain)."""
    qs = sel.survey_invitation_list_visible_to(user=request.user)
    form = SurveyFilterForm(request.GET)
    qs = sel.survey_invitations_filter(
        qs,
        status=form.value("status", ""),
        person=form.value("person", ""),
        sent_from=form.value("sent_from"),
        sent_to=form.value("sent_to"),
        q=form.value("q", ""),
    )
    page = paginate(request, qs, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "feedback/surveys/survey_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query_string,
            "filtered": filtered,
            "now": timezone.now(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_send(request: HttpRequest) -> HttpResponse:
    """Choose a person (``?person=`` their number), then the customers to survey. The links
    are shown once, on the page answering the POST."""
    subjects = sel.survey_subjects_for(user=request.user)
    person_no = (request.POST.get("person") or request.GET.get("person") or "").strip()
    if not person_no:
        return render(request, "feedback/surveys/survey_choose.html", {"subjects": subjects[:500]})
    employee = sel.survey_subject_get(user=request.user, employee_no=person_no[:40])
    customers = services.survey_customers_for(employee)
    form = SurveySendForm(request.POST or None, customers=customers)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.survey_invitations_send(
                employee=employee,
                customer_ids=[c.pk for c in form.cleaned_data["customers"]],
                emails=form.emails(),
                ask_csat=form.cleaned_data["ask_csat"],
                expiry_days=form.cleaned_data["expiry_days"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(
                request,
                "feedback/surveys/survey_sent.html",
                {"employee": employee, "sent": sent},
            )
    return render(
        request,
        "feedback/surveys/survey_send.html",
        {"employee": employee, "form": form, "has_customers": customers.exists()},
    )


@require_http_methods(["GET", "POST"])
def survey_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then withdraw a survey not yet answered."""
    invitation = sel.survey_invitation_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.survey_invitation_cancel(invitation=invitation, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("The survey to %(customer)s was withdrawn: its link no longer works.")
                % {"customer": invitation.customer.name},
            )
        return redirect("feedback:survey_list")
    return render(request, "feedback/surveys/survey_cancel.html", {"invitation": invitation})


# --- The customer's page (no sign-in) ----------------------------------------------------------


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "feedback/surveys/survey_unusable.html",
        {"detail": services.SurveyLinkUnusable().message},
        status=410,  # as a spent 360 customer link: the same answer for every unusable link
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public survey: the product's name and the account manager's name, the NPS
    question and, when asked, satisfaction. Any unusable link gets the same page."""
    try:
        invitation = services.survey_invitation_usable(token)
    except services.SurveyLinkUnusable:
        return _unusable(request)
    form = SurveyAnswerForm(request.POST or None, ask_csat=invitation.ask_csat)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                raw_token=token,
                nps=form.cleaned_data["nps"],
                csat=form.cleaned_data.get("csat"),
            )
        except services.SurveyLinkUnusable:
            return _unusable(request)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(request, "feedback/surveys/survey_thanks.html", {})
    return render(
        request,
        "feedback/surveys/survey_answer.html",
        {"form": form, "manager": invitation.employee.name},
    )


# --- Customer interviews -----------------------------------------------------------------------


@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """Interviews in scope: HR all; a supervisor their chain's; each person their own."""
    qs = sel.customer_interview_list_visible_to(user=request.user)
    form = InterviewFilterForm(request.GET)
    qs = sel.customer_interviews_filter(
        qs,
        person=form.value("person", ""),
        held_from=form.value("held_from"),
        held_to=form.value("held_to"),
        q=form.value("q", ""),
    )
    page = paginate(request, qs, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "feedback/surveys/interview_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query_string,
            "filtered": filtered,
            "may_record": can_record_customer_interviews(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest) -> HttpResponse:
    """Choose a person (``?person=``), then record an interview with one of their customers."""
    subjects = sel.interview_subjects_for(user=request.user)
    person_no = (request.POST.get("person") or request.GET.get("person") or "").strip()
    if not person_no:
        return render(
            request, "feedback/surveys/interview_choose.html", {"subjects": subjects[:500]}
        )
    employee = sel.interview_subject_get(user=request.user, employee_no=person_no[:40])
    customers = sel.interview_customers_for(employee)
    form = CustomerInterviewForm(
        request.POST or None,
        customers=customers,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.customer_interview_create(
                employee=employee,
                customer=form.cleaned_data["customer"],
                held_on=form.cleaned_data["held_on"],
                satisfaction=form.cleaned_data["satisfaction"],
                notes=form.cleaned_data["notes"],
                follow_up=form.cleaned_data["follow_up"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The customer interview was recorded."))
            return redirect("feedback:customer_interview_detail", pk=interview.pk)
    return render(
        request,
        "feedback/surveys/interview_form.html",
        {"employee": employee, "form": form, "interview": None},
    )


@require_GET
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = sel.customer_interview_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "feedback/surveys/interview_detail.html",
        {
            "interview": interview,
            "interviewer": person_name(interview.interviewer),
            "may_edit": sel.can_edit_customer_interview(request.user, interview),
            "history": sel.customer_interview_history(interview),
        },
    )


@require_http_methods(["GET", "POST"])
def interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Its author or HR changes the notes; the history keeps the change."""
    interview = sel.customer_interview_get_for_user(user=request.user, pk=pk)
    if not sel.can_edit_customer_interview(request.user, interview):
        raise PermissionDenied
    form = CustomerInterviewForm(
        request.POST or None,
        initial={
            "held_on": interview.held_on,
            "satisfaction": interview.satisfaction,
            "notes": interview.notes,
            "follow_up": interview.follow_up,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_interview_update(
                interview=interview,
                held_on=form.cleaned_data["held_on"],
                satisfaction=form.cleaned_data["satisfaction"],
                notes=form.cleaned_data["notes"],
                follow_up=form.cleaned_data["follow_up"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The interview notes were saved."))
            return redirect("feedback:customer_interview_detail", pk=interview.pk)
    return render(
        request,
        "feedback/surveys/interview_form.html",
        {"employee": interview.employee, "form": form, "interview": interview},
    )


__all__ = [
    "interview_create",
    "interview_detail",
    "interview_edit",
    "interview_list",
    "survey_answer",
    "survey_cancel",
    "survey_list",
    "survey_send",
]

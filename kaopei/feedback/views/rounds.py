"""360 rounds pages: the list, creating a round, a round's page (subjects with their
completion counts and HR's actions), a subject's raters (adjusted by their supervisor chain
or HR) and one's own rounds (nominating peers).

Views stay thin: a selector fetches and authorises (403 for a role that never may, 404 for
what is outside one's scope), one service acts, errors come back as messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.feedback import rules
from kaopei.feedback.forms_rounds import (
    DecideForm,
    NominateForm,
    RaterAddForm,
    RoundCreateForm,
    RoundSettingsForm,
    SubjectsAddForm,
)
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.rounds import (
    invitation_get_for_user,
    my_round_get,
    my_rounds,
    round_get_for_user,
    round_list_visible_to,
    round_progress,
    round_subject_get_for_user,
    round_subjects_visible_to,
    round_totals,
    subject_raters,
    subject_scope_ids,
)
from kaopei.feedback.services import rounds as svc

PER_PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])


def _require(predicate: Callable[[Any], bool], user: Any) -> None:
    if not predicate(user):
        raise PermissionDenied


def _round_url(r: FeedbackRound) -> str:
    return reverse("feedback:round_detail", kwargs={"cycle": r.cycle.code})


def _subject_url(r: FeedbackRound, employee_no: str) -> str:
    return reverse(
        "feedback:round_subject", kwargs={"cycle": r.cycle.code, "employee_no": employee_no}
    )


def _errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


# --- List and creation ------------------------------------------------------------------------


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    """HR admins: every round; supervisors: the rounds about people of their chain."""
    _require(rules.can_see_rounds, request.user)
    rounds = list(round_list_visible_to(user=request.user))
    scope = subject_scope_ids(request.user)
    rows = []
    for r in rounds:
        ids = (
            None
            if scope is None
            else round_subjects_visible_to(user=request.user, feedback_round=r).values_list(
                "employee_id", flat=True
            )
        )
        subjects = list(ids) if ids is not None else None
        totals = round_totals(r, subjects)
        n_subjects = len(subjects) if subjects is not None else r.subjects.count()
        rows.append({"round": r, "totals": totals, "n_subjects": n_subjects})
    page_obj = paginate(request, rows, PER_PAGE)
    query_string, _filtered = list_filters(request)
    return render(
        request,
        "feedback/rounds/round_list.html",
        {
            "page_obj": page_obj,
            "query_string": query_string,
            "can_manage": rules.can_manage_rounds(request.user),
        },
    )


@GET_POST
def round_create(request: HttpRequest) -> HttpResponse:
    """HR admins: the round of a cycle (one per cycle), its questionnaire and deadline."""
    _require(rules.can_manage_rounds, request.user)
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            r = svc.feedback_round_create(
                cycle=data["cycle"],
                questionnaire=data["questionnaire"],
                deadline=data["deadline"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("The 360 round of %(code)s is being prepared: now choose its people.")
                % {"code": r.cycle.code},
            )
            return redirect(_round_url(r))
    return render(request, "feedback/rounds/round_create.html", {"form": form})


# --- A round's page ---------------------------------------------------------------------------


@require_GET
def round_detail(request: HttpRequest, cycle: str) -> HttpResponse:
    """The round: status, deadline, overall progress and, per subject in the person's
    scope, the number of raters asked and of answers received (never who)."""
    _require(rules.can_see_rounds, request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    search = request.GET.get("q", "").strip()[:80]
    subjects = round_subjects_visible_to(user=request.user, feedback_round=r, search=search)
    page_obj = paginate(request, subjects, PER_PAGE)
    progress = round_progress(r, [s.employee_id for s in page_obj.object_list])
    scope = subject_scope_ids(request.user)
    all_ids = (
        None
        if scope is None
        else list(
            round_subjects_visible_to(user=request.user, feedback_round=r).values_list(
                "employee_id", flat=True
            )
        )
    )
    manage = rules.can_manage_rounds(request.user)
    query_string, filtered = list_filters(request)
    context: dict[str, Any] = {
        "round": r,
        "page_obj": page_obj,
        "rows": [(s, progress.get(s.employee_id)) for s in page_obj.object_list],
        "totals": round_totals(r, all_ids),
        "query_string": query_string,
        "filtered": filtered,
        "search": search,
        "can_manage": manage,
        "is_draft": r.status == FeedbackRound.Status.DRAFT,
        "is_open": r.status == FeedbackRound.Status.OPEN,
    }
    if manage and r.status != FeedbackRound.Status.CLOSED:
        context["settings_form"] = RoundSettingsForm(feedback_round=r)
        context["subjects_form"] = SubjectsAddForm()
    return render_list(request, "feedback/rounds/round_detail.html", context)


def _hr_round(request: HttpRequest, cycle: str) -> FeedbackRound:
    _require(rules.can_manage_rounds, request.user)
    return round_get_for_user(user=request.user, cycle_code=cycle)


@require_POST
def round_settings(request: HttpRequest, cycle: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    form = RoundSettingsForm(request.POST, feedback_round=r)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_round_url(r))
    try:
        svc.feedback_round_update(
            feedback_round=r,
            questionnaire=form.cleaned_data["questionnaire"],
            deadline=form.cleaned_data["deadline"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The round's settings are saved."))
    return redirect(_round_url(r))


@require_POST
def round_subjects_add(request: HttpRequest, cycle: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    form = SubjectsAddForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_round_url(r))
    try:
        n = svc.feedback_round_add_subjects(
            feedback_round=r,
            unit=form.cleaned_data["unit"],
            level=form.cleaned_data["level"],
            account_managers=form.cleaned_data["account_managers"],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if n:
            messages.success(
                request,
                _("%(n)d people added, with their raters proposed.") % {"n": n},
            )
        else:
            messages.info(request, _("Nobody new matches this choice."))
    return redirect(_round_url(r))


@require_POST
def round_subject_remove(request: HttpRequest, cycle: str, employee_no: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    rs = round_subject_get_for_user(user=request.user, feedback_round=r, employee_no=employee_no)
    try:
        svc.feedback_round_remove_subject(feedback_round=r, employee=rs.employee, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("%(name)s is no longer in this round.") % {"name": rs.employee.name}
        )
    return redirect(_round_url(r))


@require_POST
def round_open(request: HttpRequest, cycle: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    try:
        links = svc.feedback_round_open(feedback_round=r, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(_round_url(r))
    messages.success(request, _("The round is open: the raters are invited."))
    if links:
        messages.info(
            request,
            _("%(n)d customers were sent their single-use link by e-mail.") % {"n": len(links)},
        )
    waiting = r.invitations.filter(status="proposed", customer__isnull=False).count()
    if waiting:
        messages.warning(
            request,
            _(
                "%(n)d customers have no e-mail address and were not invited: add their "
                "address on the person's page to send them the link."
            )
            % {"n": waiting},
        )
    return redirect(_round_url(r))


@require_POST
def round_remind(request: HttpRequest, cycle: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    try:
        n = svc.feedback_round_remind(feedback_round=r, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if n:
            messages.success(request, _("%(n)d people reminded.") % {"n": n})
        else:
            messages.info(
                request, _("Nobody to remind: every rater answered or was reminded today.")
            )
    return redirect(_round_url(r))


@require_POST
def round_close(request: HttpRequest, cycle: str) -> HttpResponse:
    r = _hr_round(request, cycle)
    try:
        svc.feedback_round_close(feedback_round=r, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The round is closed: its reports are ready."))
    return redirect(_round_url(r))


# --- A subject's raters -----------------------------------------------------------------------


@require_GET
def round_subject(request: HttpRequest, cycle: str, employee_no: str) -> HttpResponse:
    """A subject's raters (names, and only while preparing their status), the pending
    nominations, and the counts — for the subject's supervisor chain and HR."""
    _require(rules.can_adjust_raters, request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    rs = round_subject_get_for_user(user=request.user, feedback_round=r, employee_no=employee_no)
    raters, nominations, removed = subject_raters(r, rs.employee_id)
    editable = r.status != FeedbackRound.Status.CLOSED
    return render(
        request,
        "feedback/rounds/round_subject.html",
        {
            "round": r,
            "rs": rs,
            "raters": raters,
            "nominations": nominations,
            "removed": removed if r.status == FeedbackRound.Status.DRAFT else [],
            "progress": round_progress(r, [rs.employee_id]).get(rs.employee_id),
            "editable": editable,
            "add_form": RaterAddForm(subject=rs.employee) if editable else None,
            "can_manage": rules.can_manage_rounds(request.user),
        },
    )


def _subject_action(
    request: HttpRequest, cycle: str, employee_no: str
) -> tuple[FeedbackRound, Any]:
    _require(rules.can_adjust_raters, request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    rs = round_subject_get_for_user(user=request.user, feedback_round=r, employee_no=employee_no)
    return r, rs


@require_POST
def round_rater_add(request: HttpRequest, cycle: str, employee_no: str) -> HttpResponse:
    r, rs = _subject_action(request, cycle, employee_no)
    form = RaterAddForm(request.POST, subject=rs.employee)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_subject_url(r, employee_no))
    try:
        _invitation, link = svc.invitation_add(
            feedback_round=r,
            subject=rs.employee,
            user=request.user,
            rater=form.cleaned_data.get("rater"),
            customer=form.cleaned_data.get("customer"),
            customer_email=form.cleaned_data.get("customer_email") or "",
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(_subject_url(r, employee_no))
    if link is not None:
        messages.success(request, _("The customer was sent their single-use link by e-mail."))
    else:
        messages.success(request, _("The rater is added."))
    return redirect(_subject_url(r, employee_no))


@require_POST
def round_rater_remove(request: HttpRequest, cycle: str, pk: int) -> HttpResponse:
    _require(rules.can_adjust_raters, request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    inv = invitation_get_for_user(user=request.user, feedback_round=r, pk=pk)
    try:
        svc.invitation_remove(invitation=inv, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The rater is removed from the list."))
    return redirect(_subject_url(r, inv.subject.employee_no))


@require_POST
def round_nomination_decide(request: HttpRequest, cycle: str, pk: int) -> HttpResponse:
    _require(rules.can_adjust_raters, request.user)
    r = round_get_for_user(user=request.user, cycle_code=cycle)
    inv = invitation_get_for_user(user=request.user, feedback_round=r, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_subject_url(r, inv.subject.employee_no))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        svc.invitation_decide(invitation=inv, approve=approve, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The nomination is approved.") if approve else _("The nomination is declined."),
        )
    return redirect(_subject_url(r, inv.subject.employee_no))


@require_POST
def round_subject_approve(request: HttpRequest, cycle: str, employee_no: str) -> HttpResponse:
    r, rs = _subject_action(request, cycle, employee_no)
    try:
        svc.round_subject_approve_raters(feedback_round=r, subject=rs.employee, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The list of raters is approved."))
    return redirect(_subject_url(r, employee_no))


@require_POST
def round_subject_propose(request: HttpRequest, cycle: str, employee_no: str) -> HttpResponse:
    r, rs = _subject_action(request, cycle, employee_no)
    try:
        n = svc.feedback_round_propose_raters(feedback_round=r, subject_ids=[rs.employee_id])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if n:
            messages.success(request, _("%(n)d raters proposed.") % {"n": n})
        else:
            messages.info(request, _("Nobody new to propose."))
    return redirect(_subject_url(r, employee_no))


# --- One's own rounds -------------------------------------------------------------------------


@require_GET
def my_360(request: HttpRequest) -> HttpResponse:
    """The rounds (preparing or open) one is a subject of, and the peers one nominated."""
    _require(rules.can_nominate_peers, request.user)
    return render(
        request,
        "feedback/rounds/my_360.html",
        {"mine": my_rounds(user=request.user), "form": NominateForm()},
    )


@require_POST
def round_nominate(request: HttpRequest, cycle: str) -> HttpResponse:
    _require(rules.can_nominate_peers, request.user)
    r, me = my_round_get(user=request.user, cycle_code=cycle)
    form = NominateForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("feedback:my_360")
    try:
        svc.invitation_nominate(feedback_round=r, subject=me, peer=form.cleaned_data["employee_no"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your nomination is sent to your supervisor."))
    return redirect("feedback:my_360")

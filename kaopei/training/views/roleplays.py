"""Role-play pages: the library and a role-play's page (rubric, briefs, agreement across
performances), the rubric editor, recording a performance, an assessor's queue and score
sheet, the performance page (scores under the independence rule) and closing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.org.selectors import employee_for_user
from kaopei.training.forms_roleplays import (
    PerformanceFilterForm,
    PerformanceForm,
    RolePlayForm,
    ScoreForm,
    criteria_formset,
    criteria_in,
)
from kaopei.training.rules import can_manage_roleplays
from kaopei.training.selectors import roleplays as sel
from kaopei.training.selectors.toolkit import toolkit_versions_for_picker
from kaopei.training.services import roleplays as services

PER_PAGE = 25


@require_GET
def roleplay_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    active = request.GET.get("active", "")
    rows = sel.roleplay_list_visible_to(user=request.user, query=query, active=active)
    filters, filtered = list_filters(request)
    return render_list(
        request,
        "training/roleplays/list.html",
        {
            "page_obj": paginate(request, rows, PER_PAGE),
            "q": query,
            "active": active,
            "query_string": filters,
            "filtered": filtered,
            "manager": can_manage_roleplays(request.user),
            "queue_size": sel.queue_for_user(user=request.user).count(),
        },
    )


@require_GET
def roleplay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roleplay = sel.roleplay_get_for_user(user=request.user, pk=pk)
    manager = bool(can_manage_roleplays(request.user))
    context: dict[str, Any] = {
        "roleplay": roleplay,
        "criteria": list(roleplay.criteria.all()),
        "manager": manager,
        "client_brief": sel.may_see_client_brief(user=request.user),
    }
    if manager:
        context["agreement"] = sel.agreement_for_roleplay(roleplay=roleplay)
        context["min_performances"] = sel.agreement.MIN_PERFORMANCES
        rows = sel.scored_mark(
            sel.performance_list_visible_to(user=request.user, roleplay_id=roleplay.pk)
        )
        context["page_obj"] = paginate(request, rows, PER_PAGE)
    return render(request, "training/roleplays/detail.html", context)


def _roleplay_form_page(request: HttpRequest, roleplay: Any) -> HttpResponse:
    form = RolePlayForm(request.POST or None, roleplay=roleplay)
    formset = criteria_formset(request.POST or None, roleplay=roleplay)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if roleplay is None:
                saved = services.roleplay_create(data=form.data_in(), criteria=criteria_in(formset))
            else:
                saved = services.roleplay_update(
                    roleplay=roleplay,
                    data=form.data_in(code=roleplay.code),
                    criteria=criteria_in(formset),
                )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The role-play is saved."))
            return redirect("training:roleplay_detail", pk=saved.pk)
    return render(
        request,
        "training/roleplays/form.html",
        {"form": form, "formset": formset, "roleplay": roleplay},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def roleplay_create(request: HttpRequest) -> HttpResponse:
    sel.require_manager(user=request.user)
    return _roleplay_form_page(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
def roleplay_edit(request: HttpRequest, pk: int) -> HttpResponse:
    roleplay = sel.roleplay_get_to_manage(user=request.user, pk=pk)
    return _roleplay_form_page(request, roleplay)


@never_cache
@require_http_methods(["GET", "POST"])
def performance_create(request: HttpRequest, pk: int) -> HttpResponse:
    roleplay = sel.roleplay_get_to_manage(user=request.user, pk=pk)
    form = PerformanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            performance = services.performance_create(
                roleplay=roleplay,
                performer=d["performer"],
                performed_on=d["performed_on"],
                assessors=list(d["assessors"]),
                notes=d["notes"],
                created_by=employee_for_user(request.user),
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The performance is recorded; its assessors can score it."))
            return redirect("training:performance_detail", pk=performance.pk)
    return render(
        request,
        "training/roleplays/performance_form.html",
        {"form": form, "roleplay": roleplay},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def performance_list(request: HttpRequest) -> HttpResponse:
    form = PerformanceFilterForm(request.GET or None)
    roleplay = status = query = None
    if form.is_valid():
        roleplay = form.cleaned_data["roleplay"]
        status = form.cleaned_data["status"]
        query = form.cleaned_data["q"]
    rows = sel.scored_mark(
        sel.performance_list_visible_to(
            user=request.user,
            roleplay_id=roleplay.pk if roleplay else None,
            status=status or "",
            query=query or "",
        )
    )
    filters, filtered = list_filters(request)
    return render_list(
        request,
        "training/roleplays/performance_list.html",
        {
            "form": form,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": filters,
            "filtered": filtered,
        },
    )


@require_GET
def roleplay_queue(request: HttpRequest) -> HttpResponse:
    rows = sel.queue_for_user(user=request.user)
    return render(
        request,
        "training/roleplays/queue.html",
        {"page_obj": paginate(request, rows, PER_PAGE), "query_string": ""},
    )


@require_GET
def performance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    performance = sel.performance_get_for_user(user=request.user, pk=pk)
    view = sel.performance_view(user=request.user, performance=performance)
    return render(
        request,
        "training/roleplays/performance.html",
        {
            "v": view,
            "performance": performance,
            "roleplay": performance.roleplay,
            "manager": can_manage_roleplays(request.user),
            "client_brief": sel.may_see_client_brief(user=request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def performance_score(request: HttpRequest, pk: int) -> HttpResponse:
    performance, me = sel.performance_get_to_score(user=request.user, pk=pk)
    roleplay = performance.roleplay
    view = sel.performance_view(user=request.user, performance=performance)
    if not view.awaiting_me:
        if view.my_sheet is not None:
            messages.info(request, _("You have already submitted your scores; they are final."))
        else:
            messages.error(request, _("This performance is closed: no more scores."))
        return redirect("training:performance_detail", pk=performance.pk)
    criteria = list(roleplay.criteria.order_by("order", "pk"))
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        scale=(roleplay.scale_min, roleplay.scale_max),
        versions=list(toolkit_versions_for_picker(user=request.user)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(
                performance=performance,
                assessor=me,
                values=form.values(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                toolkit_version_ids=[v.pk for v in form.cleaned_data["toolkit_versions"]],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
            for err in exc.errors:
                if "criterion" in err:
                    form.add_error(f"value_{err['criterion']}", err["message"])
        else:
            messages.success(request, _("Your scores are submitted."))
            return redirect("training:performance_detail", pk=performance.pk)
    return render(
        request,
        "training/roleplays/score.html",
        {
            "form": form,
            "performance": performance,
            "roleplay": roleplay,
            "client_brief": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def performance_close(request: HttpRequest, pk: int) -> HttpResponse:
    performance = sel.performance_get_to_manage(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.performance_close(performance=performance)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The performance is closed to scoring."))
        return redirect("training:performance_detail", pk=performance.pk)
    view = sel.performance_view(user=request.user, performance=performance)
    return render(
        request,
        "training/roleplays/performance_close.html",
        {"performance": performance, "v": view},
    )

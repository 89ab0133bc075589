"""The case library's pages: the list and a case's page for everyone employed; creating,
editing (versioned), deactivating and the history for trainers and HR admins."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.training.forms_cases import CaseFilterForm, CaseForm
from kaopei.training.models import Case
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import cases as sel
from kaopei.training.services import cases as services

PER_PAGE = 20


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The case library: full-text search, filters, pagination."""
    manager = bool(can_manage_catalogue(request.user))
    form = CaseFilterForm(request.GET or None, manager=manager)
    page = paginate(request, sel.case_search(user=request.user, **form.filters()), PER_PAGE)
    query, filtered = list_filters(request)
    return render_list(
        request,
        "training/cases/case_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query,
            "filtered": filtered,
            "may_manage": manager,
        },
    )


@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = sel.case_get_for_user(user=request.user, code=code)
    return render(
        request,
        "training/cases/case_detail.html",
        {
            "case": case,
            "key_actions": _lines(case.local_key_actions),
            "lessons": _lines(case.local_lessons),
            "may_manage": bool(can_manage_catalogue(request.user)),
        },
    )


@require_GET
def case_history(request: HttpRequest, code: str) -> HttpResponse:
    """Who changed the case, what and when (trainers and HR admins)."""
    case = sel.case_get_for_manager(user=request.user, code=code)
    return render(
        request,
        "training/cases/case_history.html",
        {"case": case, "history": sel.case_history(case)},
    )


def _apply_errors(form: Any, exc: ApplicationError, default: str | None = None) -> None:
    names = {e.get("field") for e in exc.errors if isinstance(e, dict)}
    target = next((n for n in names if n in form.fields), default)
    form.add_error(target, str(exc.message))


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.user, data=form.case_data())
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(code)s created.") % {"code": case.code})
            return redirect("training:case_detail", code=case.code)
    return render(request, "training/cases/case_form.html", {"form": form, "case": None})


def _initial(case: Case) -> dict[str, Any]:
    questions = list(case.questions.all())
    out: dict[str, Any] = {
        name: getattr(case, name)
        for name in ("code", "kind", "industry", "title", "title_en", *services.TEXT_FIELDS)
    }
    out.update(
        questions="\n".join(q.text for q in questions),
        questions_en="\n".join(q.text_en for q in questions),
        competencies=[c.code for c in case.competencies.all()],
        metrics=[m.code for m in case.metrics.all()],
        courses=[c.code for c in case.courses.all()],
        version=case.version,
    )
    return out


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, code: str) -> HttpResponse:
    case = sel.case_get_for_manager(user=request.user, code=code)
    form = CaseForm(request.POST or None, initial=_initial(case), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data=form.case_data(code=case.code),
                version=form.cleaned_data.get("version"),
            )
        except ConflictError as exc:
            # The form stays filled in with what this person typed; the page says why.
            form.add_error(None, str(exc.message))
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(code)s saved.") % {"code": case.code})
            return redirect("training:case_detail", code=case.code)
    return render(request, "training/cases/case_form.html", {"form": form, "case": case})


@require_http_methods(["GET", "POST"])
def case_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then deactivate the case (or bring a deactivated one back)."""
    case = sel.case_get_for_manager(user=request.user, code=code)
    if request.method == "POST":
        case = services.case_set_active(actor=request.user, case=case, active=not case.active)
        if case.active:
            messages.success(request, _("Case %(code)s is active again.") % {"code": code})
        else:
            messages.success(request, _("Case %(code)s deactivated.") % {"code": code})
        return redirect("training:case_detail", code=case.code)
    return render(request, "training/cases/case_confirm.html", {"case": case})

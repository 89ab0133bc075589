"""The questionnaire editor (HR admins): the list, a questionnaire with its items and its
change history, items per competency with the competency's behaviour anchors beside them,
the preview exactly as a rater sees it, and publish / new version / retire.

Thin views: a selector authorises (403 for anyone but HR admins, 404 for an unknown id),
one service writes, an ApplicationError becomes a message and a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.feedback.forms_answering import (
    ItemForm,
    QuestionnaireFilterForm,
    QuestionnaireForm,
    form_rows,
)
from kaopei.feedback.models import Questionnaire
from kaopei.feedback.models.rounds import MAX_ITEMS
from kaopei.feedback.selectors import questionnaires as sel
from kaopei.feedback.services import questionnaires as services

PER_PAGE = 25


def _detail(q: Questionnaire) -> HttpResponse:
    return redirect("feedback:questionnaire_detail", pk=q.pk)


def _first_error(form: ItemForm | QuestionnaireForm) -> str:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        return f"{field.label}: {errors[0]}" if field is not None else str(errors[0])
    return ""


@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    form = QuestionnaireFilterForm(request.GET)
    rows = sel.questionnaire_list(
        user=request.user, search=form.value("q"), status=form.value("status")
    )
    page = paginate(request, rows, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "feedback/questionnaires/list.html",
        {"form": form, "page_obj": page, "query_string": query_string, "filtered": filtered},
    )


@require_http_methods(["GET", "POST"])
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    sel.questionnaire_list(user=request.user)  # HR admins only
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            q = services.questionnaire_create(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                description=form.cleaned_data["description"],
                description_en=form.cleaned_data["description_en"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Questionnaire created as a draft. Now add its items."))
            return _detail(q)
    return render(request, "feedback/questionnaires/form.html", {"form": form, "q": None})


@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    form = QuestionnaireForm(request.POST or None, instance=q, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_update(
                questionnaire=q,
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                description=form.cleaned_data["description"],
                description_en=form.cleaned_data["description_en"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Questionnaire saved."))
        return _detail(q)
    return render(request, "feedback/questionnaires/form.html", {"form": form, "q": q})


@require_GET
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    return render(
        request,
        "feedback/questionnaires/detail.html",
        {
            "q": q,
            "groups": sel.questionnaire_groups(q),
            "history": sel.questionnaire_history(q),
            "is_draft": q.status == Questionnaire.Status.DRAFT,
            "max_items": MAX_ITEMS,
        },
    )


@require_GET
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    return render(
        request,
        "feedback/questionnaires/preview.html",
        {"q": q, "rows": form_rows(sel.questionnaire_groups(q))},
    )


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick a competency, then write the statement with its anchors in view."""
    q = sel.questionnaire_get(user=request.user, pk=pk)
    code = (request.GET.get("competency") or request.POST.get("competency") or "").strip()
    competency = sel.competency_for_item(code) if code else None
    if competency is None:
        return render(
            request,
            "feedback/questionnaires/item_pick.html",
            {
                "q": q,
                "competencies": sel.competency_choices(),
                "counts": sel.items_per_competency(q),
                "max_items": MAX_ITEMS,
                "unknown": bool(code),
            },
        )
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_item_add(
                questionnaire=q,
                competency=competency,
                text=form.cleaned_data["text"],
                text_en=form.cleaned_data["text_en"],
                position=form.cleaned_data["position"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return _detail(q)
        messages.success(request, _("Item added."))
        return _detail(q)
    return render(
        request,
        "feedback/questionnaires/item_form.html",
        {
            "q": q,
            "form": form,
            "competency": competency,
            "scale": sel.competency_anchors(competency),
        },
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    obj = sel.questionnaire_item_get(user=request.user, questionnaire=q, pk=item)
    form = ItemForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_item_update(
                item=obj,
                competency=obj.competency,
                text=form.cleaned_data["text"],
                text_en=form.cleaned_data["text_en"],
                position=form.cleaned_data["position"] or 0,
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Item saved."))
        return _detail(q)
    return render(
        request,
        "feedback/questionnaires/item_form.html",
        {
            "q": q,
            "form": form,
            "item": obj,
            "competency": obj.competency,
            "scale": sel.competency_anchors(obj.competency),
        },
    )


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    obj = sel.questionnaire_item_get(user=request.user, questionnaire=q, pk=item)
    if request.method == "POST":
        try:
            services.questionnaire_item_delete(item=obj, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Item removed."))
        return _detail(q)
    return render(
        request,
        "feedback/questionnaires/confirm.html",
        {
            "q": q,
            "title": _("Remove this item?"),
            "text": obj.local_text,
            "button": _("Remove the item"),
        },
    )


def _confirm_then(
    request: HttpRequest,
    q: Any,
    *,
    act: Callable[[], object],
    done: str,
    title: str,
    text: str,
    button: str,
) -> HttpResponse:
    """GET asks to confirm; POST does ``act`` and goes back to the questionnaire saying
    ``done`` (or why it could not)."""
    if request.method == "POST":
        try:
            act()
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, done)
        return _detail(q)
    return render(
        request,
        "feedback/questionnaires/confirm.html",
        {"q": q, "title": title, "text": text, "button": button},
    )


@require_http_methods(["GET", "POST"])
def questionnaire_publish(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    return _confirm_then(
        request,
        q,
        act=lambda: services.questionnaire_publish(questionnaire=q, user=request.user),
        done=_("Published: rounds may now use this version."),
        title=_("Publish this questionnaire?"),
        text=_("A published version never changes. To edit it later you will make a new version."),
        button=_("Publish"),
    )


@require_POST
def questionnaire_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    try:
        copy = services.questionnaire_new_version(questionnaire=q, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return _detail(q)
    messages.success(
        request, _("Version %(v)d made as a draft copy: edit it here.") % {"v": copy.version}
    )
    return _detail(copy)


@require_http_methods(["GET", "POST"])
def questionnaire_retire(request: HttpRequest, pk: int) -> HttpResponse:
    q = sel.questionnaire_get(user=request.user, pk=pk)
    return _confirm_then(
        request,
        q,
        act=lambda: services.questionnaire_retire(questionnaire=q, user=request.user),
        done=_("Retired: no new round can choose this version."),
        title=_("Retire this questionnaire?"),
        text=_("Rounds that use it keep it; no new round can choose it."),
        button=_("Retire"),
    )

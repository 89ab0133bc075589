"""The anonymous suggestion box: posting, reading one's own by receipt code, HR's triage.

Posting writes no author anywhere: the view hands the service only what the form says, logs
nothing, and shows the receipt code in the answer to the POST itself — not through the
session's messages, which would tie the code to the poster's session.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.history import person_name
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.feedback.forms_suggestions import (
    ReceiptForm,
    SuggestionFilterForm,
    SuggestionPostForm,
    SuggestionReplyForm,
    SuggestionThemeForm,
)
from kaopei.feedback.forms_surveys import first_error
from kaopei.feedback.models import Suggestion
from kaopei.feedback.rules import can_post_suggestion
from kaopei.feedback.selectors import suggestions as sel
from kaopei.feedback.services import suggestions as services

PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@never_cache
@require_http_methods(["GET", "POST"])
def suggestion_post(request: HttpRequest) -> HttpResponse:
    """Post anonymously; the receipt code is shown once, on the page answering the POST."""
    _require(can_post_suggestion(request.user))
    form = SuggestionPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _suggestion, code = services.suggestion_post(
                about=form.cleaned_data["about"],
                text=form.cleaned_data["text"],
                about_unit=form.cleaned_data.get("about_unit"),
                about_employee=form.cleaned_data.get("about_employee"),
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(request, "feedback/suggestions/suggestion_posted.html", {"code": code})
    return render(request, "feedback/suggestions/suggestion_post.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def suggestion_receipt(request: HttpRequest) -> HttpResponse:
    """Read one's own suggestion and HR's reply by typing the receipt code (a POST, so the
    code appears in no address or server log)."""
    _require(can_post_suggestion(request.user))
    form = ReceiptForm(request.POST or None)
    suggestion = None
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = sel.suggestion_read_by_receipt(
                user=request.user, code=form.cleaned_data["code"]
            )
        except sel.TooManyTries:
            form.add_error(
                None,
                _("Too many codes were tried. Try again in an hour."),
            )
        else:
            if suggestion is None:
                form.add_error(
                    "code",
                    _("No suggestion has this receipt code. Check the code and try again."),
                )
    return render(
        request,
        "feedback/suggestions/suggestion_receipt.html",
        {"form": form, "suggestion": suggestion},
    )


# --- HR's triage -------------------------------------------------------------------------------


@require_GET
def suggestion_triage(request: HttpRequest) -> HttpResponse:
    qs = sel.suggestion_list_for_triage(user=request.user)
    form = SuggestionFilterForm(request.GET, themes=sel.suggestion_themes())
    qs = sel.suggestions_filter(
        qs,
        status=form.value("status", ""),
        about=form.value("about", ""),
        theme=form.value("theme", ""),
        q=form.value("q", ""),
    )
    page = paginate(request, qs, PER_PAGE)
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "feedback/suggestions/suggestion_triage.html",
        {"form": form, "page_obj": page, "query_string": query_string, "filtered": filtered},
    )


@require_GET
def suggestion_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    suggestion = sel.suggestion_get_for_triage(user=request.user, pk=pk)
    return _detail(request, suggestion, SuggestionReplyForm(initial=_reply_initial(suggestion)))


def _reply_initial(suggestion: Suggestion) -> dict[str, str]:
    return {"reply": suggestion.reply, "theme": suggestion.theme, "seen_reply": suggestion.reply}


def _detail(
    request: HttpRequest, suggestion: Suggestion, form: SuggestionReplyForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "feedback/suggestions/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "form": form,
            "theme_form": SuggestionThemeForm(initial={"theme": suggestion.theme}),
            "handled_by": person_name(suggestion.handled_by) if suggestion.handled_by_id else "",
            "themes": sel.suggestion_themes(),
        },
        status=status,
    )


@require_POST
def suggestion_reply(request: HttpRequest, pk: UUID) -> HttpResponse:
    suggestion = sel.suggestion_get_for_triage(user=request.user, pk=pk)
    form = SuggestionReplyForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_reply(
                suggestion=suggestion,
                reply=form.cleaned_data["reply"],
                seen_reply=form.cleaned_data["seen_reply"],
                theme=form.cleaned_data["theme"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("feedback:suggestion_detail", pk=suggestion.pk)
        messages.success(request, _("Your reply was saved. The poster reads it with their code."))
        return redirect("feedback:suggestion_detail", pk=suggestion.pk)
    return _detail(request, suggestion, form)


@require_POST
def suggestion_review(request: HttpRequest, pk: UUID) -> HttpResponse:
    suggestion = sel.suggestion_get_for_triage(user=request.user, pk=pk)
    try:
        services.suggestion_review(suggestion=suggestion, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The suggestion is now in review."))
    return redirect("feedback:suggestion_detail", pk=suggestion.pk)


@require_POST
def suggestion_theme(request: HttpRequest, pk: UUID) -> HttpResponse:
    suggestion = sel.suggestion_get_for_triage(user=request.user, pk=pk)
    form = SuggestionThemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("feedback:suggestion_detail", pk=suggestion.pk)
    try:
        services.suggestion_set_theme(
            suggestion=suggestion, theme=form.cleaned_data["theme"], user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The theme was saved."))
    return redirect("feedback:suggestion_detail", pk=suggestion.pk)


@require_http_methods(["GET", "POST"])
def suggestion_close(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Confirm, then close."""
    suggestion = sel.suggestion_get_for_triage(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.suggestion_close(suggestion=suggestion, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The suggestion was closed."))
        return redirect("feedback:suggestion_detail", pk=suggestion.pk)
    return render(request, "feedback/suggestions/suggestion_close.html", {"suggestion": suggestion})

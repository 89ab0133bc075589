"""The signed-in user's notifications: the list (read only), opening one and marking read
(POST only), and which kinds also come by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from kaopei.core import notifications as notes
from kaopei.core.forms import NotificationSettingsForm
from kaopei.core.listing import paginate
from kaopei.core.params import BadParameter

PER_PAGE = 25
SHOW = ("all", "unread")


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show", "").strip() or "all"
    if show not in SHOW:
        raise BadParameter(_("“show” must be “all” or “unread”."))
    return show


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the form was sent from (``next``, when it is a local address)."""
    target = request.POST.get("next", "")
    if _safe(request, target):
        return redirect(target)
    return redirect("notifications:list")


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, all or unread only. Reading writes nothing."""
    show = _show(request)
    items = notes.notification_list_for(user=request.user, unread_only=show == "unread")
    page = paginate(request, items, PER_PAGE)
    return render(
        request,
        "core/notification_list.html",
        {
            "page_obj": page,
            "show": show,
            "query_string": f"show={show}" if show != "all" else "",
            "here": request.get_full_path(),
        },
    )


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (a local address only)."""
    note = notes.notification_open(user=request.user, pk=pk)
    if not note.url:
        return _back(request)
    if not _safe(request, note.url):
        messages.error(request, _("This notification's link leads outside Kaopei: not followed."))
        return redirect("notifications:list")
    return redirect(note.url)


@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notes.notification_open(user=request.user, pk=pk)
    return _back(request)


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = notes.notifications_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("All your notifications are marked read."))
    return _back(request)


def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds also come by e-mail (in the app, every notification is kept)."""
    prefs = notes.preferences_for(user=request.user)
    kinds = notes.notification_kinds()
    choices = [(k.code, str(k.label)) for k in kinds]
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, kinds=choices)
        if form.is_valid():
            on = set(form.cleaned_data["email"])
            notes.notification_preferences_set(
                user=request.user,
                email_off=[k.code for k in kinds if k.code not in on],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    else:
        off = set(prefs.email_off or [])
        language = prefs.language or (get_language() or settings.LANGUAGE_CODE)
        form = NotificationSettingsForm(
            initial={"email": [k.code for k in kinds if k.code not in off], "language": language},
            kinds=choices,
        )
    return render(
        request,
        "core/notification_settings.html",
        {"form": form, "has_email": bool(getattr(request.user, "email", ""))},
    )


@login_not_required
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in user the choice is also remembered, so that
    their e-mails come in it."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        notes.user_language_remember(user=request.user, language=request.POST.get("language", ""))
    return response

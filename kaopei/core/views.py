from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.forms import (
    ApiTokenCreateForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
)
from kaopei.core.models import ApiToken, RevokeReason
from kaopei.core.services import api_token_create, api_token_revoke, api_tokens_revoke_for_user


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password in Kaopei's layout; a wrong old password counts as a failed
    sign-in, and a change revokes all the user's API tokens."""

    form_class = ThrottledPasswordChangeForm
    template_name = "core/password_change.html"

    def form_valid(self, form: ThrottledPasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = api_tokens_revoke_for_user(
                user=form.user, actor=self.request.user, reason=RevokeReason.PASSWORD_CHANGED
            )
        if revoked:
            messages.info(
                self.request,
                ngettext(
                    "Your %(count)d API token was revoked.",
                    "Your %(count)d API tokens were revoked.",
                    revoked,
                )
                % {"count": revoked},
            )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal API tokens: list (expiry, last use, status), create (the token is
    shown once), revoke."""
    new_token = None
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            form = ApiTokenCreateForm()
    tokens = ApiToken.objects.filter(user=cast(Any, request.user)).select_related("revoked_by")
    status = 400 if form.errors else 200
    return render(
        request,
        "core/api_tokens.html",
        {"tokens": tokens, "new_token": new_token, "form": form},
        status=status,
    )


@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=cast(Any, request.user)).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Not found"), "detail": _("This page does not exist or is not yours to see.")},
        status=404,
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Not allowed"), "detail": _("You do not have permission to do this.")},
        status=403,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "detail": _("The error was logged. Please try again."),
        },
        status=500,
    )

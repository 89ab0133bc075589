from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaopei.core.forms import ThrottledAuthenticationForm
from kaopei.core.models import ApiToken
from kaopei.core.roles import user_roles
from kaopei.core.services import api_token_create, api_token_revoke
from kaopei.org.selectors import employee_for_user


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own account: who they are, their roles, password change."""
    return render(
        request,
        "core/profile.html",
        {
            "employee": employee_for_user(request.user),
            "roles": sorted(user_roles(request.user), key=lambda r: r.value),
        },
    )


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal API tokens: list, create (the token is shown once), revoke."""
    new_token = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name:
            messages.error(request, _("Give the token a name, e.g. the computer that uses it."))
            return redirect("api_tokens")
        _token, new_token = api_token_create(user=request.user, name=name)
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    tokens = ApiToken.objects.filter(user=cast(Any, request.user))
    return render(request, "core/api_tokens.html", {"tokens": tokens, "new_token": new_token})


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

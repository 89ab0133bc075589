from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kaopei.core.forms import ThrottledAuthenticationForm
from kaopei.core.roles import user_roles
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
        {"title": _("Something went wrong"), "detail": _("The error was logged. Please try again.")},
        status=500,
    )

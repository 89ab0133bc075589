"""The training section's front page: what the signed-in person can do here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaopei.org.selectors import employee_for_user
from kaopei.training import rules


@require_GET
def training_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    may = {
        name: bool(getattr(rules, name)(user)) for name in rules.__all__ if name.startswith("can_")
    }
    return render(request, "training/home.html", {"may": may, "me": employee_for_user(user)})

"""HR's leaderboard setting page: private rankings by default, the improvement board on
request, with the history of who changed it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaopei.core.rules import is_hr_admin
from kaopei.org.services.leaderboard import leaderboard_setting_get, leaderboard_setting_set


class LeaderboardForm(forms.Form):
    improvement_board = forms.BooleanField(
        required=False,
        label=gettext_lazy("Show each unit its improvement board"),
        help_text=gettext_lazy(
            "The people of a unit who improved their total most since the previous cycle, "
            "with their names, shown to that unit. Off: everyone sees only their own rank band."
        ),
    )


def leaderboard_setting(request: HttpRequest) -> HttpResponse:
    if not is_hr_admin(request.user):
        raise PermissionDenied
    setting = leaderboard_setting_get()
    form = LeaderboardForm(
        request.POST if request.method == "POST" else None,
        initial={"improvement_board": setting.improvement_board},
    )
    if request.method == "POST" and form.is_valid():
        leaderboard_setting_set(
            improvement_board=form.cleaned_data["improvement_board"], user=request.user
        )
        messages.success(request, _("Leaderboard setting saved."))
        return redirect("org:leaderboard_setting")
    history = (
        setting.history.select_related("history_user").order_by("-history_date")[:20]  # type: ignore[attr-defined]
        if setting.pk and not setting._state.adding
        else []
    )
    return render(
        request,
        "org/leaderboard_setting.html",
        {"form": form, "setting": setting, "history": history},
    )

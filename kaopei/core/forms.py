from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kaopei.core import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing further attempts after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct employee number and password."),
        "locked": _(
            "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Employee number")
        self.fields["username"].widget.attrs.update({"autofocus": True})

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.data.get("username", "") or ""
        if self.request is not None and throttle.login_locked(self.request, username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.request is not None:
                throttle.login_failed(self.request, username)
            raise
        if self.request is not None:
            throttle.login_succeeded(self.request, username)
        return cleaned

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from kaopei.core import throttle


class _ShowsSignInRefusal:
    """Replace the generic "wrong password" message by the reason when the sign-in limits
    (kaopei.core.throttle, checked inside ``authenticate``) refused the attempt."""

    request: Any

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            refused = throttle.refusal(self.request)
            if refused is not None:
                raise forms.ValidationError(refused.message, code="locked") from None
            raise


class ThrottledAuthenticationForm(_ShowsSignInRefusal, AuthenticationForm):
    """Kaopei's sign-in form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct employee number and password."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Employee number")
        self.fields["username"].widget.attrs.update({"autofocus": True})


class ThrottledAdminAuthenticationForm(_ShowsSignInRefusal, AdminAuthenticationForm):
    """The Django admin's sign-in form, showing the same refusals."""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The password change form; a wrong old password counts as a failed sign-in."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        username = self.user.get_username()

        def check() -> bool | None:
            return True if self.user.check_password(old_password) else None

        try:
            ok = throttle.guarded_check(request=None, username=username, check=check)
        except throttle.SignInRefused as exc:
            message = ngettext(
                "Too many failed attempts. Please wait %(minutes)s minute and try again.",
                "Too many failed attempts. Please wait %(minutes)s minutes and try again.",
                exc.minutes,
            )
            raise forms.ValidationError(message % {"minutes": exc.minutes}, code="locked") from None
        if not ok:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ApiTokenCreateForm(forms.Form):
    """Name and lifetime of a new personal API token."""

    NEVER = "never"
    ON_DATE = "date"
    LIFETIMES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("365 days")),
        (ON_DATE, _("Until a date")),
        (NEVER, _("No expiry")),
    ]

    name = forms.CharField(
        label=pgettext_lazy("item", "Name"),
        max_length=80,
        help_text=_("E.g. the computer or script that uses it."),
    )
    lifetime = forms.ChoiceField(label=_("Valid for"), choices=LIFETIMES, initial="90")
    expires_on = forms.DateField(
        label=_("Last valid day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name, e.g. the computer that uses it."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lifetime = cleaned.get("lifetime")
        today = timezone.localdate()
        expires_at: datetime.datetime | None = None
        if lifetime == self.ON_DATE:
            day = cleaned.get("expires_on")
            if day is None:
                self.add_error("expires_on", _("Choose the day the token expires."))
            elif day <= today:
                self.add_error("expires_on", _("Choose a day after today."))
            else:
                expires_at = _end_of(day)
        elif lifetime and lifetime != self.NEVER:
            expires_at = _end_of(today + datetime.timedelta(days=int(lifetime)))
        cleaned["expires_at"] = expires_at
        return cleaned


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the site's time zone: a token chosen to expire on a
    day still works all that day."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


class NotificationSettingsForm(forms.Form):
    """Which kinds of notification also come by e-mail (ticked: yes), and in which language.
    In the app every notification is kept whatever is chosen here."""

    email = forms.MultipleChoiceField(
        label=_("Also send me an e-mail for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Language of my e-mails"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["email"].choices = kinds  # type: ignore[attr-defined]
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]

"""Forms of the suggestion box: posting, reading by receipt code, HR's triage and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.feedback.forms_surveys import FilterForm
from kaopei.feedback.models import Suggestion
from kaopei.feedback.services.suggestions import REPLY_MAX, TEXT_MAX, TEXT_MIN, THEME_MAX
from kaopei.org.models import Employee, OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class SuggestionPostForm(forms.Form):
    about = forms.ChoiceField(
        label=_("What is it about?"), choices=Suggestion.About.choices, widget=forms.RadioSelect
    )
    about_unit = UnitChoiceField(
        label=_("Team (when it is about a team)"),
        queryset=OrgUnit.objects.filter(active=True).order_by("code"),
        required=False,
    )
    about_employee_no = forms.CharField(
        label=_("Employee number (when it is about a person)"), required=False, max_length=40
    )
    text = forms.CharField(
        label=_("Your suggestion"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        error_messages={
            "min_length": _("Write at least %(limit_value)d characters so that HR can act on it."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        about = data.get("about")
        data["about_employee"] = None
        if about == Suggestion.About.TEAM and not data.get("about_unit"):
            self.add_error("about_unit", _("Choose the team the suggestion is about."))
        if about == Suggestion.About.PERSON:
            number = (data.get("about_employee_no") or "").strip()
            employee = (
                Employee.objects.filter(employee_no=number, active=True).first() if number else None
            )
            if employee is None:
                self.add_error(
                    "about_employee_no", _("Give the employee number of a current employee.")
                )
            data["about_employee"] = employee
        return data


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
    )


class SuggestionFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Suggestion.Status.choices]
    )
    about = forms.ChoiceField(
        label=_("About"), required=False, choices=[("", _("All")), *Suggestion.About.choices]
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All"))])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, themes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All")), *((t, t) for t in themes)]


class SuggestionReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the poster"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REPLY_MAX,
    )
    theme = forms.CharField(label=_("Theme"), required=False, max_length=THEME_MAX)
    seen_reply = forms.CharField(widget=forms.HiddenInput, required=False, max_length=REPLY_MAX)


class SuggestionThemeForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), required=False, max_length=THEME_MAX)

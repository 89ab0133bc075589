"""Forms of the session, enrolment and mandatory-training pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaopei.org.models import Employee, JobLevel
from kaopei.training.models import Course, Enrolment, MandatoryRule, Module

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("course"), queryset=Course.objects.filter(active=True), to_field_name="code"
    )
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DT)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DT)
    trainer = forms.ModelChoiceField(
        label=_("trainer"),
        queryset=Employee.objects.filter(active=True).order_by("employee_no"),
        required=False,
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    link = forms.URLField(
        label=_("online link"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=10000)
    hours = forms.DecimalField(
        label=_("hours"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("Leave blank to use the course's hours."),
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["course"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        if not data.get("place") and not data.get("link") and "link" not in self.errors:
            self.add_error("place", _("Give the session's place or its online link."))
        return data


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    course = forms.CharField(label=_("course"), required=False, max_length=40)
    module = forms.ChoiceField(
        label=_("module"), required=False, choices=[("", _("All")), *Module.choices]
    )
    trainer = forms.ModelChoiceField(
        label=_("trainer"),
        required=False,
        queryset=Employee.objects.filter(sessions_trained__isnull=False).distinct(),
    )


class EnrolForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Employee.objects.none(),
        required=False,
        to_field_name="employee_no",
    )
    unit = forms.CharField(label=_("Whole team (org unit code)"), required=False, max_length=40)

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["people"].queryset = people  # type: ignore[attr-defined]


class ReactionForm(forms.Form):
    reaction = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MandatoryRuleForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("course"), queryset=Course.objects.all(), to_field_name="code"
    )
    level = forms.ModelChoiceField(
        label=_("job level"), queryset=JobLevel.objects.all(), to_field_name="code"
    )
    due_on = forms.DateField(label=_("first due date"), widget=D)
    renew_months = forms.IntegerField(
        label=_("renew every (months)"), min_value=1, max_value=120, required=False
    )

    @classmethod
    def for_rule(cls, rule: MandatoryRule, data: Any = None) -> MandatoryRuleForm:
        return cls(
            data,
            initial={
                "course": rule.course.code,
                "level": rule.level.code,
                "due_on": rule.due_on,
                "renew_months": rule.renew_months,
            },
        )


class EnrolmentFilterForm(forms.Form):
    course = forms.CharField(label=_("course"), required=False, max_length=40)
    person = forms.CharField(label=_("Person"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All")), *Enrolment.Status.choices]
    )
    completed = forms.ChoiceField(
        label=_("completed"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=D)
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=D)


class OverdueFilterForm(forms.Form):
    course = forms.CharField(label=_("course"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Overdue")), ("due", _("Due within 30 days"))],
    )
    unit = forms.CharField(label=_("Org unit code"), required=False, max_length=40)

"""Forms of the interview, review meeting and action pages: they parse input only; the
services decide (who may own an action, which dates are allowed, …)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle
from kaopei.feedback.models import ActionItem, Interview
from kaopei.org.models import Employee, OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 5000
ACTION_MAX = 500


def first_error(form: forms.Form) -> str:
    """The first validation message of a form, prefixed with its field's label."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        return f"{label}{errors[0]}"
    return ""


def _person_choices(people: Iterable[Employee]) -> list[tuple[str, str]]:
    return [(e.employee_no, f"{e.name} ({e.employee_no})") for e in people]


class FilterForm(forms.Form):
    """A GET filter form: an invalid value (an unknown cycle code) is simply ignored."""

    def value(self, name: str, default: Any = None) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def cycle_field(queryset: QuerySet[Cycle], *, required: bool) -> forms.ModelChoiceField[Cycle]:
    return forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=queryset,
        required=required,
        to_field_name="code",
        empty_label=None if required else _("All cycles"),
    )


class InterviewFilterForm(FilterForm):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Interview.Status.choices],
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name or employee number"), "type": "search"}
        ),
    )

    def __init__(self, *args: Any, cycles: QuerySet[Cycle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"] = cycle_field(cycles, required=False)


class InterviewPlanForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Person"), queryset=Employee.objects.none(), to_field_name="employee_no"
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), to_field_name="code"
    )
    scheduled_on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(
        self, *args: Any, people: QuerySet[Employee], cycles: QuerySet[Cycle], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"] = forms.ModelChoiceField(
            label=_("Person"),
            queryset=people,
            to_field_name="employee_no",
            error_messages={"invalid_choice": _("Choose someone you may plan an interview for.")},
        )
        self.fields["cycle"] = cycle_field(cycles, required=True)
        self.fields["cycle"].error_messages["invalid_choice"] = _(
            "Choose a cycle that is not a draft."
        )
        self.fields["employee"].widget.choices = [("", "---------"), *_person_choices(people)]


class SelfSummaryForm(forms.Form):
    self_summary = forms.CharField(
        label=_("Self-summary"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well this cycle, what did not, and what help you need."),
    )


class InterviewRecordForm(forms.Form):
    scheduled_on = forms.DateField(label=_("Date"), widget=DATE)
    supervisor_feedback = forms.CharField(
        label=_("Supervisor's feedback"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    held = forms.BooleanField(
        label=_("The interview was held: ask both of us to acknowledge it"), required=False
    )


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(forms.Form):
    """An action with an owner (any active person: the service says who may own it) and a
    due date; the owner list offers the candidates."""

    text = forms.CharField(
        label=_("Action"), max_length=ACTION_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Employee.objects.filter(active=True),
        to_field_name="employee_no",
        error_messages={"invalid_choice": _("Choose an active person as the owner.")},
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args: Any, candidates: Iterable[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.choices = [("", "---------"), *_person_choices(candidates)]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class ActionFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ActionItem.Status.choices],
    )


class MeetingFilterForm(FilterForm):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, to_field_name="code"
    )
    unit = forms.ModelChoiceField(
        label=_("Team"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All teams"),
    )

    def __init__(
        self, *args: Any, cycles: QuerySet[Cycle], units: QuerySet[OrgUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"] = cycle_field(cycles, required=False)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    """A review meeting's record; ``cycle`` and ``unit`` only when it is created."""

    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), to_field_name="code"
    )
    unit = forms.ModelChoiceField(
        label=_("Team"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Employee.objects.filter(active=True),
        to_field_name="employee_no",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("By default the team's active members."),
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    suggestions = forms.CharField(
        label=_("Improvement suggestions"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args: Any,
        cycles: QuerySet[Cycle] | None,
        units: QuerySet[OrgUnit] | None,
        candidates: Iterable[Employee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if cycles is None or units is None:
            del self.fields["cycle"]
            del self.fields["unit"]
        else:
            self.fields["cycle"] = cycle_field(cycles, required=True)
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            self.fields["unit"].error_messages["invalid_choice"] = _(
                "Choose a team you may record a review meeting for."
            )
        self.fields["participants"].widget.choices = _person_choices(candidates)

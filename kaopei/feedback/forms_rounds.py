"""Forms of the 360 rounds pages: they parse and validate input; the rules live in
``services.rounds``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle
from kaopei.facts.models import Customer
from kaopei.feedback.models import FeedbackRound, Questionnaire
from kaopei.org.models import Employee, JobLevel, OrgUnit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuestionnaireChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.local_name} ({obj.code} v{obj.version})"


def _published() -> Any:
    return Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED).order_by(
        "code", "-version"
    )


class RoundCreateForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    questionnaire = QuestionnaireChoice(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every cycle that is not final; one that has a round already is refused by the
        # service with a clear message (and a link to its round).
        self.fields["cycle"].queryset = Cycle.objects.exclude(status=Cycle.Status.FINAL).order_by(  # type: ignore[attr-defined]
            "-start", "kind"
        )
        self.fields["questionnaire"].queryset = _published()  # type: ignore[attr-defined]


class RoundSettingsForm(forms.Form):
    questionnaire = QuestionnaireChoice(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, feedback_round: FeedbackRound, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"questionnaire": feedback_round.questionnaire_id, "deadline": feedback_round.deadline},
        )
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = _published()  # type: ignore[attr-defined]


class SubjectsAddForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Organisation unit (with the units below it)"),
        queryset=OrgUnit.objects.filter(active=True).order_by("code"),
        to_field_name="code",
        required=False,
    )
    level = forms.ModelChoiceField(
        label=_("Job level"),
        queryset=JobLevel.objects.order_by("rank", "code"),
        to_field_name="code",
        required=False,
    )
    account_managers = forms.BooleanField(
        label=_("All account managers employed during the cycle"), required=False
    )


class RaterAddForm(forms.Form):
    employee_no = forms.CharField(
        label=_("Colleague's employee number"), max_length=40, required=False
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), required=False
    )
    customer_email = forms.EmailField(
        label=_("Customer's email (required to invite a customer)"), required=False
    )

    def __init__(self, *args: Any, subject: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(  # type: ignore[attr-defined]
            owner=subject, lost_on__isnull=True, voided_at=None
        ).order_by("-strategic", "customer_no")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employee_no = (data.get("employee_no") or "").strip()
        customer = data.get("customer")
        if bool(employee_no) == bool(customer):
            raise forms.ValidationError(
                _("Give either a colleague's employee number or a customer.")
            )
        if employee_no:
            employee = Employee.objects.filter(employee_no=employee_no).first()
            if employee is None:
                self.add_error("employee_no", _("No employee has this number."))
            data["rater"] = employee
        return data


class NominateForm(forms.Form):
    employee_no = forms.CharField(label=_("Colleague's employee number"), max_length=40)

    def clean_employee_no(self) -> Employee:
        value = self.cleaned_data["employee_no"].strip()
        employee = Employee.objects.filter(employee_no=value, active=True).first()
        if employee is None:
            raise forms.ValidationError(_("No current colleague has this number."))
        return employee


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], label=_("Decision")
    )

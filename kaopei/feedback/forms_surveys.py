"""Forms of customer surveys (sending, answering, the list's filters) and customer
interviews. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaopei.facts.models import Customer
from kaopei.feedback.services.surveys import (
    EXPIRY_DAYS_DEFAULT,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
    NOTES_MAX,
)


class FilterForm(forms.Form):
    """A GET filter form: an invalid value is simply ignored."""

    def value(self, name: str, default: Any = None) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def first_error(form: forms.Form) -> str:
    """The first validation message of a form, prefixed with its field's label."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        return f"{label}{errors[0]}"
    return ""


class CustomerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.customer_no})"


class SurveySendForm(forms.Form):
    """Which customers, whether to ask satisfaction too, and how long the links last; one
    e-mail field per customer (``email_<customer id>``), required for each chosen one."""

    customers = CustomerChoiceField(
        label=_("Customers"),
        queryset=Customer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one customer.")},
    )
    ask_csat = forms.BooleanField(
        label=_("Ask for satisfaction (CSAT, 1–5) too"), required=False, initial=True
    )
    expiry_days = forms.IntegerField(
        label=_("Links expire after (days)"),
        min_value=EXPIRY_DAYS_MIN,
        max_value=EXPIRY_DAYS_MAX,
        initial=EXPIRY_DAYS_DEFAULT,
    )

    def __init__(self, *args: Any, customers: QuerySet[Customer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = customers
        self.customer_rows = []
        for customer in customers:
            name = f"email_{customer.pk}"
            self.fields[name] = forms.EmailField(
                label=_("E-mail of %(customer)s") % {"customer": customer.name},
                required=False,
                max_length=254,
            )
            self.customer_rows.append((customer, name))

    def emails(self) -> dict[int, str]:
        return {
            c.pk: self.cleaned_data.get(f"email_{c.pk}") or ""
            for c in self.cleaned_data["customers"]
        }

    def rows(self) -> list[tuple[Any, Any]]:
        """(checkbox, e-mail field) per customer, for the table of the page."""
        boxes = list(self["customers"])
        return [
            (box, self[name]) for box, (_c, name) in zip(boxes, self.customer_rows, strict=False)
        ]


NPS_CHOICES = [(str(i), str(i)) for i in range(11)]
CSAT_CHOICES = [
    ("1", _("1 · Very dissatisfied")),
    ("2", _("2 · Dissatisfied")),
    ("3", _("3 · Neutral")),
    ("4", _("4 · Satisfied")),
    ("5", _("5 · Very satisfied")),
]


class SurveyAnswerForm(forms.Form):
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague? (0–10)"),
        choices=NPS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("Choose a score from 0 to 10."),
        },
    )
    csat = forms.TypedChoiceField(
        label=_("How satisfied are you with your account manager's service? (1–5)"),
        choices=CSAT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a satisfaction score from 1 to 5."),
            "invalid_choice": _("Choose a satisfaction score from 1 to 5."),
        },
    )

    def __init__(self, *args: Any, ask_csat: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_csat:
            del self.fields["csat"]


SURVEY_STATUS_CHOICES = [
    ("", _("All")),
    ("sent", _("Waiting for an answer")),
    ("answered", _("Answered")),
    ("expired", _("Expired")),
    ("cancelled", _("Cancelled")),
]


class SurveyFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=SURVEY_STATUS_CHOICES)
    person = forms.CharField(label=_("Employee number"), required=False, max_length=40)
    sent_from = forms.DateField(label=_("Sent from"), required=False)
    sent_to = forms.DateField(label=_("Sent until"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class InterviewFilterForm(FilterForm):
    person = forms.CharField(label=_("Employee number"), required=False, max_length=40)
    held_from = forms.DateField(label=_("Held from"), required=False)
    held_to = forms.DateField(label=_("Held until"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class SingleCustomerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.customer_no})"


class CustomerInterviewForm(forms.Form):
    customer = SingleCustomerField(label=_("Customer"), queryset=Customer.objects.none())
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction (1–5, optional)"),
        choices=[("", "—"), *CSAT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, max_length=NOTES_MAX)
    follow_up = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea, required=False, max_length=NOTES_MAX
    )

    def __init__(
        self, *args: Any, customers: QuerySet[Customer] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if customers is None:
            del self.fields["customer"]
        else:
            field = self.fields["customer"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = customers

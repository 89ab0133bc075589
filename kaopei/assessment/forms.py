"""Forms of the scorecard pages: they parse input only; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Appeal
from kaopei.assessment.presenters import GRADE_LABELS
from kaopei.org.models import JobLevel, OrgUnit


def grade_choices(grades: Sequence[str]) -> list[tuple[str, Any]]:
    """Choices for grades (a policy's, from ``GradeScale``): special grades by their name."""
    return [(g, GRADE_LABELS.get(g, g)) for g in grades]


class FilterForm(forms.Form):
    """A GET filter form: an invalid value (e.g. an unknown unit code) is simply ignored."""

    def value(self, name: str, default: Any = None) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class ScorecardFilterForm(FilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name or employee number"), "type": "search"}
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
        help_text=_("Includes the units below it."),
    )
    level = forms.ModelChoiceField(
        label=_("Job level"),
        queryset=JobLevel.objects.order_by("rank"),
        required=False,
        to_field_name="code",
        empty_label=_("All levels"),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False)

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], grades: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["grade"].choices = [("", _("All grades")), *grade_choices(grades)]  # type: ignore[attr-defined]


class CalibrationUnitForm(FilterForm):
    unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Everyone in my scope"),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CalibrateForm(forms.Form):
    """``grades``: the grades of the cycle's policy (the service checks them again)."""

    to_grade = forms.ChoiceField(label=_("New grade"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "minlength": 5}),
        help_text=_("Mandatory; shown on the scorecard."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, grades: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_grade"].choices = grade_choices(grades)  # type: ignore[attr-defined]


class AppealForm(forms.Form):
    metric = forms.CharField(widget=forms.HiddenInput, max_length=40)
    reason = forms.CharField(
        label=_("What is wrong with this line?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "minlength": 5}),
    )


class AppealResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", _("Accept: the corrections below count once the cycle is re-scored")),
            (
                "override",
                _("Accept by overriding the line's actual value (the answer is the reason)"),
            ),
            ("reject", _("Reject (the answer is the reason)")),
        ],
    )
    override = forms.DecimalField(
        label=_("Actual value the line should count (override only)"),
        required=False,
        max_digits=24,
        decimal_places=6,
    )
    answer = forms.CharField(
        label=_("Answer to the account manager"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "override" and data.get("override") is None:
            self.add_error("override", _("Give the value the line should count."))
        return data


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), min_length=5, max_length=2000)


class TargetCorrectForm(forms.Form):
    value = forms.DecimalField(
        label=_("Corrected target"), min_value=0, max_digits=24, decimal_places=6
    )
    reason = forms.CharField(label=_("Reason"), min_length=5, max_length=2000)


def record_form_class(kind: str, *, adding: bool) -> type[forms.Form]:
    """A form for the fields of a kind of record (``facts.corrections.RECORD_KINDS``): its
    number when adding, a customer by number, dates as date pickers, and the reason."""
    from kaopei.facts.corrections import record_kind
    from kaopei.facts.models import Customer

    spec = record_kind(kind)
    names = [n for n in spec.fields if n != "customer"]
    fields: dict[str, Any] = {}
    if adding:
        fields[spec.key] = forms.CharField(
            label=getattr(spec.model._meta.get_field(spec.key), "verbose_name", spec.key),
            max_length=60,
        )
    if "customer" in spec.fields:
        fields["customer"] = forms.CharField(label=_("Customer number"), max_length=60)
    for name, field in forms.fields_for_model(spec.model, fields=names).items():
        if isinstance(field, forms.SplitDateTimeField | forms.DateTimeField):
            field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        fields[name] = field
    fields["reason"] = forms.CharField(
        label=_("Reason"), min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_customer(self: forms.Form) -> Any:
        number = (self.cleaned_data.get("customer") or "").strip()
        found = Customer.objects.filter(customer_no=number).first()
        if found is None:
            raise forms.ValidationError(
                _("No customer has the number %(no)s."), params={"no": number}
            )
        return found

    attrs: dict[str, Any] = dict(fields)
    if "customer" in fields:
        attrs["clean_customer"] = clean_customer
    return type(f"{spec.model.__name__}CorrectionForm", (forms.Form,), attrs)


def record_initial(record: Any) -> dict[str, Any]:
    """A record's current values for its correction form."""
    from kaopei.facts.corrections import kind_of

    spec = kind_of(record)
    out: dict[str, Any] = {}
    for name in spec.fields:
        value = getattr(record, name)
        if name == "customer":
            value = record.customer.customer_no
        elif hasattr(value, "tzinfo") and hasattr(value, "hour"):
            from django.utils import timezone

            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        out[name] = value
    return out


class AppealFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Appeal.Status.choices]
    )


def first_error(form: forms.Form) -> str:
    """The first validation message of a form, prefixed with its field's label."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        return f"{label}{errors[0]}"
    return ""

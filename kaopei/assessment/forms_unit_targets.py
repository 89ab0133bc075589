"""Forms of the unit targets pages and the roll-up page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.forms_config import CycleChoiceField, FilterForm, MetricChoiceField
from kaopei.assessment.models import Cycle, Metric
from kaopei.org.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.local_name} ({obj.code})"


class UnitTargetFilterForm(FilterForm):
    cycle = CycleChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-start", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All cycles"),
    )
    unit = UnitChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.order_by("code"),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
        help_text=_("Includes the units below it."),
    )
    metric = MetricChoiceField(
        label=_("Metric"),
        queryset=Metric.objects.order_by("category", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All metrics"),
    )


class RollupFilterForm(UnitTargetFilterForm):
    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].required = True
        self.fields["cycle"].empty_label = None  # type: ignore[attr-defined]
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class UnitTargetForm(forms.Form):
    """A unit target; on the edit page the unit, cycle and metric are fixed."""

    unit = UnitChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.order_by("code"), to_field_name="code"
    )
    cycle = CycleChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.exclude(status=Cycle.Status.FINAL).order_by("-start", "code"),
        to_field_name="code",
    )
    metric = MetricChoiceField(
        label=_("Metric"),
        queryset=Metric.objects.filter(active=True).order_by("category", "code"),
        to_field_name="code",
    )
    value = forms.DecimalField(label=_("Unit target"), max_digits=24, decimal_places=6)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed:
            for name in ("unit", "cycle", "metric"):
                self.fields[name].disabled = True
                self.fields[name].required = False

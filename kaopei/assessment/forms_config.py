"""Forms of the cycle and configuration pages. They parse input only; the rules (life cycle,
weights adding up to 100, band bounds, guardrails) are in the services."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.audit import AUDIT_KINDS
from kaopei.assessment.grades import DEFAULT_CAP
from kaopei.assessment.models import Cycle, GradePolicy, Metric, Template
from kaopei.assessment.services.metrics import BUILTIN_EDITABLE
from kaopei.assessment.sources import metric_available
from kaopei.core.i18n import UNIT_LABELS, unit_label
from kaopei.org.models import JobLevel, OrgUnit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TEMPLATE_ROWS = 40


class FilterForm(forms.Form):
    """A GET filter form: an invalid value (e.g. an unknown code) is simply ignored."""

    def value(self, name: str, default: Any = None) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class MetricChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.name} ({obj.code})"
        if not metric_available(code=obj.code, source=obj.source):
            suffix = _("not yet available")
            label = f"{label} · {suffix}"
        return label


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.get_status_display()}"


# --- Cycles -------------------------------------------------------------------------------


class CycleCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Cycle code"),
        max_length=20,
        help_text=_("YYYYQn for a calendar quarter (e.g. 2026Q1) or YYYY for a calendar year."),
        widget=forms.TextInput(attrs={"placeholder": "2026Q1", "autofocus": True}),
    )


class CycleStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Cycle.Status.choices)


class CycleSettingsForm(forms.Form):
    appeal_deadline = forms.DateField(
        label=_("Appeal deadline"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Account managers may appeal a line of their scorecard until this day. "
            "Leave blank for no deadline."
        ),
    )
    grade_policy = forms.ModelChoiceField(
        label=_("Grade policy"),
        queryset=GradePolicy.objects.order_by("-is_default", "name"),
        required=False,
        empty_label=_("(the default policy)"),
    )
    max_a_share = forms.IntegerField(
        label=_("Guideline: share of A at most (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Calibration compares each unit's share of A with this guideline."),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "appeal_deadline": cycle.appeal_deadline,
                "grade_policy": cycle.grade_policy,
                "max_a_share": int(cycle.max_a_share * 100),
            },
        )
        super().__init__(*args, **kwargs)

    def settings(self) -> dict[str, Any]:
        """The cleaned values as ``cycle_update_settings`` takes them (share as a fraction)."""
        data = self.cleaned_data
        return {
            "appeal_deadline": data["appeal_deadline"],
            "grade_policy": data["grade_policy"],
            "max_a_share": (Decimal(data["max_a_share"]) / 100).quantize(Decimal("0.01")),
        }


# --- Metrics ------------------------------------------------------------------------------


class MetricForm(forms.Form):
    """A manual metric (all fields), or a built-in one (only names, definitions, active)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and underscores, e.g. branch_rating. Import "
            "files refer to it; it cannot be changed later."
        ),
    )
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_en = forms.CharField(label=_("Name (English)"), max_length=80, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=())
    category = forms.ChoiceField(label=_("Category"), choices=Metric.Category.choices)
    direction = forms.ChoiceField(label=_("Better when"), choices=Metric.Direction.choices)
    mode = forms.ChoiceField(
        label=_("Scoring"),
        choices=Metric.Mode.choices,
        help_text=_(
            "Ratio: actual ÷ target. Band: measured from a floor (or ceiling) to the "
            "target. Direct: the value is the points."
        ),
    )
    floor = forms.DecimalField(
        label=_("Floor"),
        required=False,
        max_digits=24,
        decimal_places=6,
        help_text=_("Band metrics where higher is better: the value that scores 0."),
    )
    ceiling = forms.DecimalField(
        label=_("Ceiling"),
        required=False,
        max_digits=24,
        decimal_places=6,
        help_text=_("Band metrics where lower is better: the value that scores 0."),
    )
    definition_zh = forms.CharField(
        label=_("Definition (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    definition_en = forms.CharField(
        label=_("Definition (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cumulative = forms.BooleanField(
        label=_("Cumulative"),
        required=False,
        help_text=_("A sum or count that grows through the cycle (run-rate projection applies)."),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Inactive metrics cannot be added to templates."),
    )

    def __init__(self, *args: Any, metric: Metric | None = None, **kwargs: Any) -> None:
        if metric is not None:
            kwargs.setdefault("initial", {name: getattr(metric, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.metric = metric
        # The known units in words; a metric's own unit outside them stays choosable.
        units = [(code, unit_label(code)) for code in UNIT_LABELS]
        if metric is not None and metric.unit not in UNIT_LABELS:
            units.append((metric.unit, metric.unit))
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        if metric is not None:
            editable = self.editable_fields()
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")

    def editable_fields(self) -> set[str]:
        if self.metric is None:
            return set(self.fields)
        if self.metric.builtin:
            return set(BUILTIN_EDITABLE)
        return set(self.fields) - {"code"}

    def changes(self) -> dict[str, Any]:
        """The cleaned values of the fields this metric lets change."""
        editable = self.editable_fields()
        return {k: v for k, v in self.cleaned_data.items() if k in editable}


# --- Templates ----------------------------------------------------------------------------


class TemplateForm(forms.Form):
    code = forms.SlugField(
        label=_("Template code"),
        max_length=40,
        help_text=_("For example am1-quarterly. A new version keeps the code."),
    )
    level = forms.ModelChoiceField(
        label=_("Job level"), queryset=JobLevel.objects.order_by("rank", "code")
    )
    cycle_kind = forms.ChoiceField(label=_("Cycle kind"), choices=Cycle.Kind.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Why this version, e.g. “more weight on visits”."),
    )

    def __init__(self, *args: Any, template: Template | None = None, **kwargs: Any) -> None:
        if template is not None:
            kwargs.setdefault(
                "initial",
                {"code": template.code, "level": template.level, "cycle_kind": template.cycle_kind},
            )
        super().__init__(*args, **kwargs)
        if template is not None:
            for name in ("code", "level", "cycle_kind"):
                self.fields[name].disabled = True

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not self.fields["code"].disabled and Template.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("A template with this code exists: make a new version of it instead.")
            )
        return code


class TemplateItemForm(forms.Form):
    """One row: a metric, its weight and cap. A row with neither metric nor weight is blank
    and ignored (clear the metric to take it out of the template)."""

    metric = MetricChoiceField(
        label=_("Metric"),
        queryset=Metric.objects.filter(active=True).order_by("category", "code"),
        required=False,
        to_field_name="code",
        empty_label="—",
    )
    weight = forms.DecimalField(
        label=_("Weight"), required=False, max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )
    cap = forms.DecimalField(
        label=_("Cap"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=DEFAULT_CAP,
        help_text=_("A fraction: 1.50 caps the line at 150 points."),
    )

    def __init__(self, *args: Any, metric_choices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if metric_choices is not None:
            self.fields["metric"].choices = metric_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, weight = data.get("metric"), data.get("weight")
        if metric is None and weight is None:
            return data
        if metric is None and "metric" not in self.errors:
            self.add_error("metric", _("Choose a metric for this weight."))
        if weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Enter a weight."))
        return data

    def item(self) -> tuple[str, Decimal, Decimal] | None:
        data = self.cleaned_data
        if not data or data.get("metric") is None:
            return None
        return data["metric"].code, data["weight"], data.get("cap") or DEFAULT_CAP


class TemplateItemFormSet(forms.BaseFormSet):
    """Rows share one list of metric choices (one query, not one per row)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, TemplateItemForm.base_fields["metric"])
        self.metric_choices = list(cast(Iterable[Any], field.choices))

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "metric_choices": self.metric_choices}


def template_item_formset(*, rows: int) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        TemplateItemForm,
        formset=TemplateItemFormSet,
        extra=0,
        min_num=max(1, min(rows, MAX_TEMPLATE_ROWS)),
        max_num=MAX_TEMPLATE_ROWS,
        validate_max=True,
    )


# --- Targets ------------------------------------------------------------------------------


class TargetFilterForm(FilterForm):
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
        queryset=OrgUnit.objects.order_by("code"),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
        help_text=_("Includes the units below it."),
    )
    level = forms.ModelChoiceField(
        label=_("Job level"),
        queryset=JobLevel.objects.order_by("rank", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All levels"),
    )
    metric = MetricChoiceField(
        label=_("Metric"),
        queryset=Metric.objects.order_by("category", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All metrics"),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class TargetBulkForm(forms.Form):
    """Set one metric's target for everyone of a job level or in an org unit (and below)."""

    scope = forms.ChoiceField(label=_("Who"), choices=())
    metric = MetricChoiceField(
        label=_("Metric"),
        queryset=Metric.objects.filter(active=True).order_by("category", "code"),
        to_field_name="code",
    )
    value = forms.DecimalField(label=_("Target"), max_digits=24, decimal_places=6)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [
            (f"level:{lv.code}", f"{lv.name} ({lv.code})")
            for lv in JobLevel.objects.order_by("rank", "code")
        ]
        units = [
            (f"unit:{u.code}", f"{u.name} ({u.code})")
            for u in OrgUnit.objects.filter(active=True).order_by("code")
        ]
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (_("Everyone of a job level"), levels),
            (_("Everyone in an org unit and the units below it"), units),
        ]

    def target_scope(self) -> tuple[JobLevel | None, OrgUnit | None]:
        kind, _sep, code = self.cleaned_data["scope"].partition(":")
        if kind == "level":
            return JobLevel.objects.get(code=code), None
        return None, OrgUnit.objects.get(code=code)


class TargetCopyForm(forms.Form):
    source = CycleChoiceField(
        label=_("Copy from cycle"), queryset=Cycle.objects.none(), to_field_name="code"
    )
    growth = forms.DecimalField(
        label=_("Growth factor"),
        max_digits=8,
        decimal_places=4,
        initial=Decimal("1.0000"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(100))],
        help_text=_(
            "1.05 raises every target by 5%. Targets of lower-is-better metrics "
            "(response time, collection days) are divided by it instead."
        ),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (  # type: ignore[attr-defined]
            Cycle.objects.exclude(pk=cycle.pk)
            .filter(targets__isnull=False)
            .distinct()
            .order_by("-start", "kind")
        )


# --- Audit --------------------------------------------------------------------------------


class AuditFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *AUDIT_KINDS]
    )
    cycle = CycleChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-start", "kind"),
        required=False,
        to_field_name="code",
        empty_label=_("All cycles"),
    )

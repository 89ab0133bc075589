"""Forms of the course catalogue: the list's filters, the course form and the upload."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.core.i18n import localized
from kaopei.training.materials import allowed_extensions, max_bytes
from kaopei.training.models import Format, Module
from kaopei.training.selectors.catalogue import (
    competency_choices,
    metric_choices,
    trainer_choices,
)
from kaopei.training.services.catalogue import (
    CODE_MAX,
    HOURS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CourseData,
)


def tagged_form_init(form: forms.Form, *, editing: bool, choices: dict[str, Any]) -> None:
    """What the catalogue's code-keyed forms (courses, cases, toolkit items) share: each
    multiple-choice field of ``choices`` gets its queryset, and an edit keeps the code."""
    for name, queryset in choices.items():
        cast(forms.ModelMultipleChoiceField, form.fields[name]).queryset = queryset
    if editing:
        form.fields["code"].disabled = True
        form.fields["code"].required = False


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    module = forms.ChoiceField(label=_("Module"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    metric = forms.ChoiceField(label=_("Metric"), required=False)

    def __init__(self, *args: Any, manager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["q"].widget.attrs["placeholder"] = _("Code or title")
        cast(forms.ChoiceField, self.fields["module"]).choices = anything + list(Module.choices)
        cast(forms.ChoiceField, self.fields["format"]).choices = anything + list(Format.choices)
        cast(forms.ChoiceField, self.fields["competency"]).choices = anything + [
            (c.code, c.local_name) for c in competency_choices()
        ]
        cast(forms.ChoiceField, self.fields["metric"]).choices = anything + [
            (m.code, localized(m, "name")) for m in metric_choices()
        ]
        if manager:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                required=False,
                choices=[
                    ("", _("Active")),
                    ("inactive", _("Deactivated")),
                    ("all", _("All")),
                ],
            )

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is ignored: the list shows unfiltered)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class CodedChoice(forms.ModelMultipleChoiceField):
    """Competencies and metrics: "name (code)" in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        name = localized(obj, "name")
        return f"{name} ({obj.code})"


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.employee_no})"


class CourseForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_("Letters, digits, dots, hyphens and underscores, e.g. SPIN-101."),
    )
    title = forms.CharField(label=_("Title (Chinese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX, required=False)
    module = forms.ChoiceField(label=_("Module"), choices=Module.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0"),
        max_value=HOURS_MAX,
        max_digits=6,
        decimal_places=2,
    )
    description = forms.CharField(
        label=_("Description (Chinese)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    objectives = forms.CharField(
        label=_("Learning objectives (Chinese)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One objective per line."),
    )
    objectives_en = forms.CharField(
        label=_("Learning objectives (English)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    competencies = CodedChoice(
        label=_("Competencies it improves"),
        queryset=competency_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    metrics = CodedChoice(
        label=_("Metrics it improves"),
        queryset=metric_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    trainers = PersonChoice(
        label=_("Trainers"),
        queryset=trainer_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="employee_no",
        help_text=_("Employees with the trainer role."),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tagged_form_init(
            self,
            editing=editing,
            choices={
                "competencies": competency_choices(),
                "metrics": metric_choices(),
                "trainers": trainer_choices(),
            },
        )

    def course_data(self, code: str | None = None) -> CourseData:
        d = self.cleaned_data
        return CourseData(
            code=code if code is not None else d["code"],
            title=d["title"],
            title_en=d.get("title_en", ""),
            module=d["module"],
            format=d["format"],
            hours=d["hours"],
            description=d.get("description", ""),
            description_en=d.get("description_en", ""),
            objectives=d.get("objectives", ""),
            objectives_en=d.get("objectives_en", ""),
            competencies=list(d.get("competencies") or []),
            metrics=list(d.get("metrics") or []),
            trainers=list(d.get("trainers") or []),
        )


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Blank: the file's name."),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(max)d MB.") % {
            "types": allowed_extensions(),
            "max": max_bytes() // (1024 * 1024),
        }
        self.fields["file"].widget.attrs["accept"] = allowed_extensions().replace(" ", "")

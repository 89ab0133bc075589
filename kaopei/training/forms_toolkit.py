"""Forms of the toolkit library: the list's filters, the item form and a new version."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.training.forms_cases import CourseChoice, _all, course_choices, status_field
from kaopei.training.forms_catalogue import CodedChoice, tagged_form_init
from kaopei.training.materials import allowed_extensions, max_bytes
from kaopei.training.models import ToolkitKind
from kaopei.training.selectors.catalogue import competency_choices
from kaopei.training.services.toolkit import (
    BODY_MAX,
    CODE_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    ToolkitItemData,
)


class ToolkitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    course = forms.ChoiceField(label=_("Course"), required=False)

    def __init__(self, *args: Any, manager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Title, summary or text")
        cast(forms.ChoiceField, self.fields["kind"]).choices = _all() + list(ToolkitKind.choices)
        cast(forms.ChoiceField, self.fields["competency"]).choices = _all() + [
            (c.code, c.local_name) for c in competency_choices()
        ]
        cast(forms.ChoiceField, self.fields["course"]).choices = _all() + [
            (c.code, f"{c.code} {c.local_title}") for c in course_choices()
        ]
        if manager:
            self.fields["status"] = status_field()

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ToolkitItemForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_("Letters, digits, dots, hyphens and underscores, e.g. TK-SPIN."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ToolkitKind.choices)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX, required=False)
    summary = forms.CharField(
        label=_("Summary (Chinese)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    competencies = CodedChoice(
        label=_("Competencies"),
        queryset=competency_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    courses = CourseChoice(
        label=_("Courses"),
        queryset=course_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tagged_form_init(
            self,
            editing=editing,
            choices={"competencies": competency_choices(), "courses": course_choices()},
        )

    def item_data(self, code: str | None = None) -> ToolkitItemData:
        d = self.cleaned_data
        return ToolkitItemData(
            code=code if code is not None else d["code"],
            kind=d["kind"],
            title=d["title"],
            title_en=d.get("title_en", ""),
            summary=d.get("summary", ""),
            summary_en=d.get("summary_en", ""),
            competencies=list(d.get("competencies") or []),
            courses=list(d.get("courses") or []),
        )


class ToolkitVersionForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=NOTE_MAX, required=False)
    body = forms.CharField(
        label=_("Text (Chinese)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Optional. %(types)s; at most %(max)d MB.") % {
            "types": allowed_extensions(),
            "max": max_bytes() // (1024 * 1024),
        }
        self.fields["file"].widget.attrs["accept"] = allowed_extensions().replace(" ", "")

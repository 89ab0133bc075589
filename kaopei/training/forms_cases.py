"""Forms of the case library: the list's filters and the case form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.core.i18n import localized
from kaopei.training.forms_catalogue import CodedChoice, tagged_form_init
from kaopei.training.models import CaseKind, Course, Industry
from kaopei.training.selectors.catalogue import competency_choices, metric_choices
from kaopei.training.services.cases import (
    CODE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CaseData,
    questions_from_text,
)


def course_choices() -> Any:
    return Course.objects.filter(active=True).order_by("code")


class CourseChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.local_title} ({obj.code})"


def _all() -> list[tuple[str, Any]]:
    return [("", _("All"))]


def status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active")), ("inactive", _("Deactivated")), ("all", _("All"))],
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    metric = forms.ChoiceField(label=_("Metric"), required=False)
    course = forms.ChoiceField(label=_("Course"), required=False)

    def __init__(self, *args: Any, manager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Title, situation or lessons")
        cast(forms.ChoiceField, self.fields["kind"]).choices = _all() + list(CaseKind.choices)
        cast(forms.ChoiceField, self.fields["industry"]).choices = _all() + list(Industry.choices)
        cast(forms.ChoiceField, self.fields["competency"]).choices = _all() + [
            (c.code, c.local_name) for c in competency_choices()
        ]
        cast(forms.ChoiceField, self.fields["metric"]).choices = _all() + [
            (m.code, localized(m, "name")) for m in metric_choices()
        ]
        cast(forms.ChoiceField, self.fields["course"]).choices = _all() + [
            (c.code, f"{c.code} {c.local_title}") for c in course_choices()
        ]
        if manager:
            self.fields["status"] = status_field()

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is ignored: the list shows unfiltered)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


def _text(label: Any, rows: int = 4, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


class CaseForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_("Letters, digits, dots, hyphens and underscores, e.g. CASE-FABE-01."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX, required=False)
    situation = _text(_("Situation (Chinese)"))
    situation_en = _text(_("Situation (English)"))
    key_actions = _text(_("Key actions (Chinese)"))
    key_actions_en = _text(_("Key actions (English)"))
    outcome = _text(_("Outcome (Chinese)"), rows=3)
    outcome_en = _text(_("Outcome (English)"), rows=3)
    lessons = _text(_("Lessons (Chinese)"))
    lessons_en = _text(_("Lessons (English)"))
    questions = _text(_("Discussion questions (Chinese)"), help_text=_("One question per line."))
    questions_en = _text(
        _("Discussion questions (English)"),
        help_text=_("One question per line, in the same order as the Chinese ones."),
    )
    competencies = CodedChoice(
        label=_("Competencies"),
        queryset=competency_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    metrics = CodedChoice(
        label=_("Metrics"),
        queryset=metric_choices(),
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
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tagged_form_init(
            self,
            editing=editing,
            choices={
                "competencies": competency_choices(),
                "metrics": metric_choices(),
                "courses": course_choices(),
            },
        )

    def case_data(self, code: str | None = None) -> CaseData:
        d = self.cleaned_data
        return CaseData(
            code=code if code is not None else d["code"],
            kind=d["kind"],
            industry=d["industry"],
            title=d["title"],
            title_en=d.get("title_en", ""),
            situation=d.get("situation", ""),
            situation_en=d.get("situation_en", ""),
            key_actions=d.get("key_actions", ""),
            key_actions_en=d.get("key_actions_en", ""),
            outcome=d.get("outcome", ""),
            outcome_en=d.get("outcome_en", ""),
            lessons=d.get("lessons", ""),
            lessons_en=d.get("lessons_en", ""),
            competencies=list(d.get("competencies") or []),
            metrics=list(d.get("metrics") or []),
            courses=list(d.get("courses") or []),
            questions=questions_from_text(d.get("questions", ""), d.get("questions_en", "")),
        )

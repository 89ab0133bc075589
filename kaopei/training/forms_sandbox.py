"""Forms of the decision-sandbox pages: a scenario, a step, a choice, starting a run, and
the list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Metric
from kaopei.org.models import Competency, Employee
from kaopei.training.models import Course, SandboxRun, Scenario, Step


class ScenarioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Scenario.Status.choices],
    )


class RunFilterForm(forms.Form):
    q = forms.CharField(label=_("Player"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *SandboxRun.Status.choices],
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        required=False,
        choices=[("", _("Solo and group")), *SandboxRun.Mode.choices],
    )


class ScenarioForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    brief = forms.CharField(
        label=_("Situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the learner faces at the start."),
    )
    brief_en = forms.CharField(
        label=_("Situation (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (minutes)"), required=False, min_value=1, max_value=600
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"), required=False, queryset=Competency.objects.order_by("code")
    )
    metrics = forms.ModelMultipleChoiceField(
        label=_("Metrics"), required=False, queryset=Metric.objects.order_by("code")
    )
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses"), required=False, queryset=Course.objects.order_by("code")
    )

    def __init__(self, *args: Any, scenario: Scenario | None = None, **kwargs: Any) -> None:
        if scenario is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": scenario.code,
                "title": scenario.title,
                "title_en": scenario.title_en,
                "brief": scenario.brief,
                "brief_en": scenario.brief_en,
                "time_limit": scenario.time_limit,
                "competencies": list(scenario.competencies.all()),
                "metrics": list(scenario.metrics.all()),
                "courses": list(scenario.courses.all()),
            }
        super().__init__(*args, **kwargs)


class StepForm(forms.Form):
    key = forms.CharField(
        label=_("Key"), max_length=20, help_text=_("A short code, e.g. S1 or D3.")
    )
    text = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(
        label=_("Situation (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_start = forms.BooleanField(label=_("The scenario starts here"), required=False)

    def __init__(self, *args: Any, step: Step | None = None, **kwargs: Any) -> None:
        if step is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "key": step.key,
                "text": step.text,
                "text_en": step.text_en,
                "is_start": step.is_start,
            }
        super().__init__(*args, **kwargs)


class ChoiceForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, initial=1)
    text = forms.CharField(label=_("Choice"), max_length=500)
    text_en = forms.CharField(label=_("Choice (English)"), max_length=500, required=False)
    next_step = forms.ModelChoiceField(
        label=_("Leads to"),
        required=False,
        queryset=Step.objects.none(),
        empty_label=_("— the path ends here —"),
        error_messages={
            "invalid_choice": _(
                "A choice leads to another step of this scenario — never back to its own "
                "step — or ends the path."
            )
        },
    )
    points = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=1000, initial=0)
    consequence = forms.CharField(
        label=_("Consequence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consequence_en = forms.CharField(
        label=_("Consequence (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    feedback = forms.CharField(
        label=_("Expert feedback"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    feedback_en = forms.CharField(
        label=_("Expert feedback (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_best = forms.BooleanField(
        label=_("Best choice"),
        required=False,
        help_text=_("Unmarked steps take the choice on the path with the most points as the best."),
    )

    def __init__(self, *args: Any, step: Step, choice: Any = None, **kwargs: Any) -> None:
        if choice is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                f: getattr(choice, f)
                for f in (
                    "order",
                    "text",
                    "text_en",
                    "points",
                    "consequence",
                    "consequence_en",
                    "feedback",
                    "feedback_en",
                    "is_best",
                )
            } | {"next_step": choice.next_step_id}
        elif choice is None and not args and "initial" not in kwargs:
            kwargs["initial"] = {"order": step.choices.count() + 1}
        super().__init__(*args, **kwargs)
        field = self.fields["next_step"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Step.objects.filter(scenario_id=step.scenario_id).exclude(pk=step.pk)


def _person_label(obj: Any) -> str:
    return f"{obj.name} ({obj.employee_no})"


class StartForm(forms.Form):
    group = forms.BooleanField(label=_("Play as a group"), required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Team members"),
        required=False,
        queryset=Employee.objects.none(),
        help_text=_("Colleagues of your unit or people you may see; any of you may decide."),
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]

"""Forms of the competitions pages. They parse; the rules (weights, scale, deadlines, one
team per person) live in :mod:`kaopei.training.services.competitions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaopei.org.models import Competency, Employee
from kaopei.training.models import Competition, CompetitionCriterion, Course
from kaopei.training.services.competitions import MAX_FILES, CriterionIn

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people() -> Any:
    return Employee.objects.filter(active=True).order_by("employee_no")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.employee_no} {obj.name}"


class CompetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Competition.Status.choices],
    )


class CompetitionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    task = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 4}))
    task_en = forms.CharField(
        label=_("Task (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    course = forms.ModelChoiceField(
        label=_("Course"), required=False, queryset=Course.objects.order_by("code")
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"), required=False, queryset=Competency.objects.order_by("code")
    )
    experts = PersonChoiceField(
        label=_("Experts"), required=False, queryset=Employee.objects.none()
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DT)
    deadline_at = forms.DateTimeField(label=_("Submission deadline"), widget=DT)
    review_deadline_at = forms.DateTimeField(label=_("Review deadline"), widget=DT)
    scale_min = forms.IntegerField(label=_("Lowest score"), initial=1, min_value=0, max_value=100)
    scale_max = forms.IntegerField(label=_("Highest score"), initial=5, min_value=1, max_value=100)
    expert_weight = forms.IntegerField(
        label=_("Expert weight (%)"), initial=60, min_value=0, max_value=100
    )
    peer_weight = forms.IntegerField(
        label=_("Peer weight (%)"), initial=40, min_value=0, max_value=100
    )
    reviews_per_team = forms.IntegerField(
        label=_("Reviews per submission"), initial=2, min_value=1, max_value=10
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One criterion per line: 中文名称 | English name | weight. The weights must add "
            "up to 100."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = _people()  # type: ignore[attr-defined]

    def clean_criteria(self) -> list[CriterionIn]:
        out = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write 名称 | English name | weight (a whole number).")
                    % {"n": number}
                )
            out.append(CriterionIn(name=parts[0], name_en=parts[1], weight=int(parts[2])))
        if not out:
            raise forms.ValidationError(_("A competition needs at least one criterion."))
        return out


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)
    members = PersonChoiceField(label=_("Members"), queryset=Employee.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _people()  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your team's work"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Up to %(n)s files; new files replace the ones submitted before.")
        % {"n": MAX_FILES},
    )


class ScoreForm(forms.Form):
    """A score per criterion of the rubric, and a comment. The scale is checked by the
    service (so the page, the API and the tests share one message)."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, criteria: list[CompetitionCriterion], competition: Competition, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=f"{c.local_name} ({c.weight}%)",
                help_text=_("%(min)s–%(max)s")
                % {"min": competition.scale_min, "max": competition.scale_max},
                widget=forms.NumberInput(
                    attrs={"min": competition.scale_min, "max": competition.scale_max}
                ),
            )
        self.order_fields([*(f"c{c.pk}" for c in criteria), "comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}

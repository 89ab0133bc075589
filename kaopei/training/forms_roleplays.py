"""Forms of the role-play pages: a role-play with its rubric rows, a performance with its
assessors, and an assessor's score sheet (built from the rubric)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaopei.core.roles import Role
from kaopei.org.models import Competency, Employee
from kaopei.training.models import Course, Criterion, RolePlay, ToolkitVersion
from kaopei.training.services.roleplays import MAX_NOTES, CriterionIn, RolePlayIn, scale_value

CRITERION_ROWS = 8


class RolePlayForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), max_length=160, required=False)
    learner_brief = forms.CharField(
        label=_("Learner's brief"), widget=forms.Textarea(attrs={"rows": 4})
    )
    learner_brief_en = forms.CharField(
        label=_("Learner's brief (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    client_brief = forms.CharField(
        label=_("Client's brief"),
        help_text=_("For whoever plays the client; learners do not see it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    client_brief_en = forms.CharField(
        label=_("Client's brief (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    course = forms.ModelChoiceField(
        label=_("Course"), required=False, queryset=Course.objects.order_by("code")
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"),
        required=False,
        queryset=Competency.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    scale_min = forms.IntegerField(label=_("Scale minimum"), min_value=0, max_value=99, initial=1)
    scale_max = forms.IntegerField(label=_("Scale maximum"), min_value=1, max_value=100, initial=5)
    disagreement_threshold = forms.DecimalField(
        label=_("Disagreement threshold"),
        max_digits=4,
        decimal_places=2,
        initial=Decimal("1.5"),
        help_text=_(
            "Points on the scale: a criterion is flagged when its highest and lowest "
            "assessor scores differ by more than this."
        ),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, roleplay: RolePlay | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roleplay is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
            self.initial.update(
                {
                    f: getattr(roleplay, f)
                    for f in (
                        "code",
                        "title",
                        "title_en",
                        "learner_brief",
                        "learner_brief_en",
                        "client_brief",
                        "client_brief_en",
                        "course",
                        "scale_min",
                        "scale_max",
                        "disagreement_threshold",
                        "active",
                    )
                }
            )
            self.initial["competencies"] = list(roleplay.competencies.all())

    def data_in(self, code: str = "") -> RolePlayIn:
        d = self.cleaned_data
        return RolePlayIn(
            code=code or d["code"],
            title=d["title"],
            title_en=d["title_en"],
            learner_brief=d["learner_brief"],
            learner_brief_en=d["learner_brief_en"],
            client_brief=d["client_brief"],
            client_brief_en=d["client_brief_en"],
            course_id=d["course"].pk if d["course"] else None,
            competency_ids=tuple(c.pk for c in d["competencies"]),
            scale_min=d["scale_min"],
            scale_max=d["scale_max"],
            disagreement_threshold=d["disagreement_threshold"],
            active=d["active"],
        )


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120, required=False)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description and anchors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_en = forms.CharField(
        label=_("Description and anchors (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=_("Weight"), required=False, max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("weight") is not None and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("A weighted row needs a criterion name."))
        if (data.get("name") or "").strip() and data.get("weight") is None:
            raise forms.ValidationError(_("Give this criterion a weight."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=20, absolute_max=20)


def criteria_formset(data: Any = None, roleplay: RolePlay | None = None) -> Any:
    initial = []
    if roleplay is not None:
        initial = [
            {
                "name": c.name,
                "name_en": c.name_en,
                "description": c.description,
                "description_en": c.description_en,
                "weight": c.weight,
            }
            for c in roleplay.criteria.all()
        ]
    rows = max(CRITERION_ROWS, len(initial) + 2)
    initial += [{}] * (rows - len(initial))
    return CriterionFormSet(data, initial=initial, prefix="criteria")


def criteria_in(formset: Any) -> list[CriterionIn]:
    return [
        CriterionIn(
            name=f.cleaned_data["name"],
            name_en=f.cleaned_data.get("name_en", ""),
            description=f.cleaned_data.get("description", ""),
            description_en=f.cleaned_data.get("description_en", ""),
            weight=f.cleaned_data["weight"],
        )
        for f in formset.forms
        if f.cleaned_data and (f.cleaned_data.get("name") or "").strip()
    ]


ASSESSOR_ROLES = (Role.TRAINER.value, Role.HR_ADMIN.value, Role.SUPERVISOR.value)


def assessor_candidates() -> QuerySet[Employee]:
    """Active employees who may be named assessors (trainers, HR admins, supervisors)."""
    return (
        Employee.objects.filter(active=True, user__groups__name__in=ASSESSOR_ROLES)
        .distinct()
        .order_by("employee_no")
    )


class PerformanceForm(forms.Form):
    performer = forms.ModelChoiceField(
        label=_("Performer"),
        queryset=Employee.objects.filter(active=True).order_by("employee_no"),
    )
    performed_on = forms.DateField(
        label=_("Performed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assessors = forms.ModelMultipleChoiceField(
        label=_("Expert assessors"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Trainers, HR admins or supervisors; never the performer."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": _(
                "Keep the notes to %(limit_value)d characters (these have %(show_value)d)."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = assessor_candidates()  # type: ignore[attr-defined]


class ScoreValueField(forms.CharField):
    """A score on the scale in whole or half points. Anything else (too many digits, 1e30,
    5.0000000001, text) gets this form's own message, never Django's digit-count one."""

    def __init__(self, *, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        parsed = scale_value(text, self.low, self.high)
        if parsed is None:
            raise forms.ValidationError(
                _("Give whole or half points on the scale %(low)s–%(high)s."),
                code="scale",
                params={"low": self.low, "high": self.high},
            )
        return parsed


class ScoreForm(forms.Form):
    """One value field and one comment field per criterion (``value_<pk>``,
    ``comment_<pk>``), the overall feedback and the toolkit items to attach. Each value is
    checked against the scale here (one message for every bad value) and again by the
    service."""

    comment = forms.CharField(
        label=_("Overall feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    toolkit_versions = forms.ModelMultipleChoiceField(
        label=_("Attach toolkit items"),
        required=False,
        queryset=ToolkitVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        scale: tuple[int, int],
        versions: list[ToolkitVersion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        low, high = scale
        for c in criteria:
            self.fields[f"value_{c.pk}"] = ScoreValueField(
                low=low,
                high=high,
                label=c.local_name,
                help_text=_("%(low)s to %(high)s, whole or half points; weight %(weight)s")
                % {"low": low, "high": high, "weight": c.weight.normalize()},
                widget=forms.NumberInput(attrs={"step": "0.5", "min": low, "max": high}),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": c.local_name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        field = self.fields["toolkit_versions"]
        field.queryset = ToolkitVersion.objects.filter(  # type: ignore[attr-defined]
            pk__in=[v.pk for v in versions]
        ).select_related("item")
        field.label_from_instance = lambda v: f"{v.item.local_title} · v{v.number}"  # type: ignore[attr-defined]

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"value_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class PerformanceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    roleplay = forms.ModelChoiceField(
        label=_("Role-play"),
        required=False,
        queryset=RolePlay.objects.order_by("code"),
        empty_label=_("Every role-play"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), ("open", _("Open for scoring")), ("closed", _("Closed"))],
    )

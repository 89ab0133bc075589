"""Forms of the questionnaire editor, and reading a filled questionnaire from a POST.

The answer form has one radio group per item (``item-<id>``) and one optional comment per
competency (``comment-<competency id>``); the rules on them (every item answered, 1–5) are
the answering service's, so pages and the API refuse alike.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from kaopei.feedback.selectors.questionnaires import CompetencyGroup

STATUS_CHOICES = [("", _("Any status")), *Questionnaire.Status.choices]


class QuestionnaireFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def value(self, name: str) -> str:
        if not self.is_valid():
            return ""
        return str(self.cleaned_data.get(name) or "")


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["code", "name", "name_en", "description", "description_en"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Letters, digits, - and _; the same for every version.")
        self.fields["code"].validators.append(
            RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use only letters, digits, - and _."))
        )
        if editing:
            del self.fields["code"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireItem
        fields = ["text", "text_en", "position"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].validators.append(MaxValueValidator(999))
        self.fields["position"].help_text = _("Leave empty to put it last.")


def answers_from_post(data: QueryDict, groups: list[CompetencyGroup]) -> dict[int, str]:
    """The scores the form sent, by item id (what is absent stays absent)."""
    out: dict[int, str] = {}
    for group in groups:
        for item in group.items:
            value = data.get(f"item-{item.pk}", "")
            if value.strip():
                out[item.pk] = value.strip()[:10]
    return out


def comments_from_post(data: QueryDict, groups: list[CompetencyGroup]) -> dict[int, str]:
    out: dict[int, str] = {}
    for group in groups:
        text = data.get(f"comment-{group.competency.pk}", "")
        if text.strip():
            out[group.competency.pk] = text
    return out


def form_rows(
    groups: list[CompetencyGroup],
    chosen: dict[int, str] | None = None,
    comments: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    """What the answer form shows, competency by competency: the anchors of the 1–5 scale,
    each item with its running number and the score already chosen (when a refused form
    comes back), and the comment typed so far."""
    chosen = chosen or {}
    comments = comments or {}
    rows: list[dict[str, Any]] = []
    number = 0
    for group in groups:
        items = []
        for item in group.items:
            number += 1
            items.append({"item": item, "number": number, "chosen": chosen.get(item.pk, "")})
        rows.append(
            {
                "competency": group.competency,
                "scale": group.scale,
                "items": items,
                "comment": comments.get(group.competency.pk, ""),
            }
        )
    return rows

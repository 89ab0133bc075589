"""Reading questionnaires: HR's list and editor, and the questionnaire grouped by competency
as a rater sees it (the preview, the answer pages and the API share that grouping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from kaopei.core.history import HistoryEntry, history_trail
from kaopei.feedback import rules
from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from kaopei.org.models import Competency, CompetencyAnchor

SEARCH_MAX = 100


@dataclass
class CompetencyGroup:
    """One competency of a questionnaire: its 1–5 anchors (level → behaviour) and its items."""

    competency: Competency
    anchors: list[CompetencyAnchor] = field(default_factory=list)
    items: list[QuestionnaireItem] = field(default_factory=list)

    @property
    def scale(self) -> list[tuple[int, str]]:
        """The five points of the scale with their behaviour ("" where none is written)."""
        by_level = {a.level: a.local_behaviour for a in self.anchors}
        return [(level, by_level.get(level, "")) for level in range(1, 6)]


def _require_manager(user: Any) -> None:
    if not rules.can_manage_rounds(user):
        raise PermissionDenied


def questionnaire_list(*, user: Any, search: str = "", status: str = "") -> QuerySet[Questionnaire]:
    """Every questionnaire version (HR admins), newest version first within a code."""
    _require_manager(user)
    rows = Questionnaire.objects.annotate(item_count=Count("items")).order_by("code", "-version")
    search = search.strip()[:SEARCH_MAX]
    if search:
        rows = rows.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(name_en__icontains=search)
        )
    if status:
        rows = rows.filter(status=status)
    return rows


def questionnaire_get(*, user: Any, pk: int) -> Questionnaire:
    _require_manager(user)
    return get_object_or_404(Questionnaire, pk=pk)


def questionnaire_item_get(
    *, user: Any, questionnaire: Questionnaire, pk: int
) -> QuestionnaireItem:
    _require_manager(user)
    return get_object_or_404(
        QuestionnaireItem.objects.select_related("competency"), pk=pk, questionnaire=questionnaire
    )


def questionnaire_groups(questionnaire: Questionnaire) -> list[CompetencyGroup]:
    """The questionnaire's items grouped by competency (in the order of their first item),
    each with the competency's behaviour anchors. Three queries."""
    items = list(
        QuestionnaireItem.objects.filter(questionnaire=questionnaire)
        .select_related("competency")
        .order_by("position", "pk")
    )
    groups: dict[int, CompetencyGroup] = {}
    for item in items:
        group = groups.get(item.competency_id)
        if group is None:
            group = groups[item.competency_id] = CompetencyGroup(competency=item.competency)
        group.items.append(item)
    for anchor in CompetencyAnchor.objects.filter(competency_id__in=groups).order_by("level"):
        groups[anchor.competency_id].anchors.append(anchor)
    return list(groups.values())


def competency_choices() -> QuerySet[Competency]:
    """The competencies an item may rate: the active ones."""
    return Competency.objects.filter(active=True).order_by("category", "code")


def competency_for_item(code: str) -> Competency | None:
    if "\x00" in code:  # no code holds one, and PostgreSQL refuses it in a query
        return None
    return Competency.objects.filter(active=True, code=code[:40]).first()


def competency_anchors(competency: Competency) -> list[tuple[int, str]]:
    return CompetencyGroup(
        competency=competency,
        anchors=list(CompetencyAnchor.objects.filter(competency=competency).order_by("level")),
    ).scale


def items_per_competency(questionnaire: Questionnaire) -> dict[int, int]:
    return dict(
        QuestionnaireItem.objects.filter(questionnaire=questionnaire)
        .values_list("competency_id")
        .annotate(n=Count("pk"))
        .values_list("competency_id", "n")
    )


def questionnaire_history(questionnaire: Questionnaire) -> list[HistoryEntry]:
    """Who changed the questionnaire, when, and what (HR admins)."""
    return history_trail(
        questionnaire.history,  # type: ignore[attr-defined]
        model=Questionnaire,
        skip_unchanged=True,
    )

"""Scorecards: scoped lists and lookups, search, grade counts and bands, my scorecards, the
audit trail of a card, its lines and what they were computed from.

Scope always comes from ``scorecard_scope_ids`` (``selectors.access``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from kaopei.assessment.grades import GradeScale
from kaopei.assessment.models import Cycle, Metric, Scorecard
from kaopei.assessment.selectors.access import PUBLISHED, is_hr, scorecard_scope_ids
from kaopei.assessment.selectors.cycles import cycle_get_for_user
from kaopei.core.history import history_trail
from kaopei.org.selectors import employee_for_user


def scorecard_list_visible_to(*, user: Any, cycle: Cycle) -> QuerySet[Scorecard]:
    qs = Scorecard.objects.filter(cycle=cycle).select_related(
        "cycle", "employee", "org_unit", "level", "template"
    )
    ids = scorecard_scope_ids(user)
    if ids is not None:
        if cycle.status not in PUBLISHED:
            return qs.none()
        qs = qs.filter(employee_id__in=ids)
    return qs


def scorecard_get_for_user(*, user: Any, cycle_code: str, employee_no: str) -> Scorecard:
    """One scorecard, or 404 if it does not exist or is outside the user's scope."""
    cycle = cycle_get_for_user(user=user, code=cycle_code)
    card = (
        scorecard_list_visible_to(user=user, cycle=cycle)
        .filter(employee__employee_no=employee_no)
        .prefetch_related("lines__metric", "calibrations__by", "appeals__metric")
        .first()
    )
    if card is None:
        raise Http404
    return card


def grade_distribution(
    *, cycle: Cycle, unit_ids: set[int] | None = None, employee_ids: set[int] | None = None
) -> dict[str, int]:
    qs = Scorecard.objects.filter(cycle=cycle, eligible=True)  # kept cards would mislead
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    return dict(qs.values_list("grade").annotate(n=Count("pk")).order_by())


def my_scorecard_list(*, user: Any) -> QuerySet[Scorecard]:
    """The signed-in person's own scorecards in published cycles, newest cycle first."""
    me = employee_for_user(user)
    if me is None:
        return Scorecard.objects.none()
    return (
        Scorecard.objects.filter(employee=me, cycle__status__in=PUBLISHED)
        .select_related("cycle", "employee")
        .order_by("-cycle__end", "cycle__kind")
    )


def scorecard_search(
    *, user: Any, cycle: Cycle, q: str = "", unit: Any = None, level: Any = None, grade: str = ""
) -> QuerySet[Scorecard]:
    """``scorecard_list_visible_to`` narrowed by a name/employee-number search, an org unit
    (with every unit below it), a job level and a grade."""
    from django.db.models import Q

    from kaopei.org.selectors import unit_descendant_ids

    qs = scorecard_list_visible_to(user=user, cycle=cycle)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employee__name__icontains=q) | Q(employee__employee_no__icontains=q))
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    if level is not None:
        qs = qs.filter(level=level)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("employee__employee_no")


def grade_counts(qs: QuerySet[Scorecard]) -> dict[str, int]:
    """Cards per grade of any scorecard queryset (one grouped query); cards of people no
    longer eligible are not counted."""
    return dict(qs.filter(eligible=True).order_by().values_list("grade").annotate(n=Count("pk")))


def grade_bands_for(cycle: Cycle) -> list[Any]:
    """The bands (label, minimum, behaviour examples) of the cycle's grade policy."""
    from kaopei.assessment.models import GradeBand, GradePolicy

    policy_id = cycle.grade_policy_id
    if policy_id is None:
        policy_id = GradePolicy.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return list(GradeBand.objects.filter(policy_id=policy_id).order_by("order"))


def grade_scale_for(cycle: Cycle | None = None) -> GradeScale:
    """The grades of the cycle's policy (the default policy without a cycle), best first,
    then the grades the engine sets (one query)."""
    from kaopei.assessment.models import GradeBand

    policy_id = cycle.grade_policy_id if cycle is not None else None
    bands = (
        GradeBand.objects.filter(policy_id=policy_id)
        if policy_id is not None
        else GradeBand.objects.filter(policy__is_default=True)
    )
    return GradeScale.of(list(bands.order_by("order").values_list("grade", "min_total")))


def scorecard_gaps(*, card: Scorecard) -> list[dict[str, str | None]]:
    """The gap to the next grade of a card the caller may see: per metric, the single change
    of its actual that reaches the next grade of the cycle's policy (``explain``)."""
    from kaopei.assessment.explain import scorecard_gaps as gaps

    return gaps(card)


def veto_incident(card: Scorecard) -> Any:
    """The compliance incident a card's veto names, or None."""
    from kaopei.facts.models import ComplianceIncident

    if not card.veto_reason:
        return None
    incident_id = card.veto_reason.split(" ", 1)[0]
    return ComplianceIncident.objects.filter(
        incident_id=incident_id, employee_id=card.employee_id
    ).first()


def scorecard_history(*, user: Any, card: Scorecard) -> list[Any]:
    """The audit trail of one scorecard (who, when, before, after), newest first. HR only."""
    if not is_hr(user):
        raise PermissionDenied
    return history_trail(
        card.history,  # type: ignore[attr-defined]
        model=Scorecard,
        fields=[
            "total",
            "computed_grade",
            "grade",
            "veto_reason",
            "renormalised",
            "template",
            "acknowledged_at",
            "inputs_hash",
            "eligible",
        ],
        formatters={"inputs_hash": lambda value: str(value)[:12]},
        skip_unchanged=True,  # re-scored with the same result: nothing to audit
    )


def scorecard_line_get(*, card: Scorecard, metric_code: str) -> Any:
    """One line of a card the caller may see (fetched with ``scorecard_get_for_user``), or
    404 when the card has no line for that metric."""
    for line in card.lines.all():
        if line.metric.code == metric_code:
            return line
    raise Http404


def line_sources(*, card: Scorecard, line: Any) -> dict[str, Any]:
    """What a line was computed from, beyond the business records of ``evidence_for``:
    the manual score and its rater, the quarterly scorecards an annual average averaged,
    and the incident a veto names."""
    from kaopei.assessment.models import ManualScore

    out: dict[str, Any] = {"manual": None, "quarters": [], "veto": None}
    metric = line.metric
    if metric.source == Metric.Source.MANUAL:
        out["manual"] = (
            ManualScore.objects.filter(cycle=card.cycle, employee=card.employee, metric=metric)
            .select_related("rater")
            .first()
        )
    if metric.code == "quarterly_average":
        out["quarters"] = list(
            Scorecard.objects.filter(
                employee_id=card.employee_id,
                cycle__kind=Cycle.Kind.QUARTERLY,
                cycle__start__gte=card.cycle.start,
                cycle__end__lte=card.cycle.end,
            )
            .select_related("cycle")
            .order_by("cycle__start")
        )
    if metric.code == "compliance_incidents":
        out["veto"] = veto_incident(card)
    return out


@dataclass(frozen=True)
class RemovalPreview:
    """What goes with a scorecard when HR removes it."""

    card: Scorecard
    calibrations: list[Any]
    appeals: list[Any]
    lines: int
    removable: bool


def scorecard_removal_preview(*, card: Scorecard) -> RemovalPreview:
    """The calibrations, appeals and acknowledgement that a removal of ``card`` deletes."""
    return RemovalPreview(
        card=card,
        calibrations=list(card.calibrations.select_related("by__employee").order_by("at")),
        appeals=list(card.appeals.select_related("metric").order_by("created_at")),
        lines=card.lines.count(),
        removable=not card.eligible and not card.cycle.is_final,
    )

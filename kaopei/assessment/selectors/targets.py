"""Configuration reads: targets of a cycle, the metric library and assessment templates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kaopei.assessment.models import Cycle, Metric, Scorecard, Target, Template
from kaopei.assessment.selectors.access import can_see_targets, scorecard_scope_ids
from kaopei.org.models import Employee


def metric_list() -> QuerySet[Metric]:
    return Metric.objects.all()


def template_list(*, current_only: bool = False) -> QuerySet[Template]:
    qs = Template.objects.select_related("level", "created_by").prefetch_related("items__metric")
    return qs.filter(current=True) if current_only else qs


def targets_cycle_get_for_user(*, user: Any, code: str) -> Cycle:
    """A cycle for the target pages, drafts included (targets are set before a cycle opens).

    HR admins and supervisors only (PermissionDenied otherwise); 404 for an unknown code.
    """
    if not can_see_targets(user):
        raise PermissionDenied
    cycle = Cycle.objects.select_related("grade_policy").filter(code=code.upper()).first()
    if cycle is None:
        raise Http404
    return cycle


def target_list_visible_to(
    *,
    user: Any,
    cycle: Cycle,
    unit_ids: set[int] | None = None,
    level: Any = None,
    metric: Any = None,
    q: str = "",
) -> QuerySet[Target]:
    """Targets of ``cycle``: every one for HR admins, those of themself and the people below
    them for supervisors, none for others. Optional filters: org units (ids, e.g. a unit and
    its sub-units), job level, metric, and employee number or name."""
    qs = (
        Target.objects.filter(cycle=cycle)
        .select_related("employee__org_unit", "employee__level", "metric")
        .order_by("employee__employee_no", "metric__code")
    )
    if not can_see_targets(user):
        return qs.none()
    ids = scorecard_scope_ids(user)
    if ids is not None:
        qs = qs.filter(employee_id__in=ids)
    if unit_ids is not None:
        qs = qs.filter(employee__org_unit_id__in=unit_ids)
    if level is not None:
        qs = qs.filter(employee__level=level)
    if metric is not None:
        qs = qs.filter(metric=metric)
    if q:
        qs = qs.filter(Q(employee__employee_no__icontains=q) | Q(employee__name__icontains=q))
    return qs


def bulk_target_employees(
    *, cycle: Cycle, level: Any = None, unit_ids: set[int] | None = None
) -> list[Employee]:
    """The people a bulk target reaches: employed on any day of ``cycle``, holding a job
    level (others are not assessed), of ``level`` and/or in the units ``unit_ids``."""
    qs = (
        Employee.objects.filter(
            Q(hire_date__isnull=True) | Q(hire_date__lte=cycle.end),
            Q(left_on__isnull=True) | Q(left_on__gte=cycle.start),
            level__isnull=False,
        )
        .select_related("level", "org_unit")
        .order_by("employee_no")
    )
    if level is not None:
        qs = qs.filter(level=level)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    return list(qs)


def metric_get(*, code: str) -> Metric:
    """A metric of the library by code (the library is readable by every role); 404."""
    metric = Metric.objects.filter(code=code).first()
    if metric is None:
        raise Http404
    return metric


def current_templates(*, kind: str) -> QuerySet[Template]:
    """The current template of each job level for cycles of ``kind``."""
    return (
        Template.objects.filter(cycle_kind=kind, current=True)
        .select_related("level")
        .order_by("level__rank", "code")
    )


def target_count(*, cycle: Cycle) -> int:
    return Target.objects.filter(cycle=cycle).count()


def target_values(*, cycle: Cycle, metric: Metric, employees: list[Employee]) -> dict[int, Decimal]:
    """The current target of ``metric`` for each of ``employees`` that has one, by id."""
    return dict(
        Target.objects.filter(cycle=cycle, metric=metric, employee__in=employees).values_list(
            "employee_id", "value"
        )
    )


def target_copy_plan(*, cycle: Cycle, source: Cycle) -> tuple[list[tuple[Employee, Metric]], int]:
    """What copying ``source``'s targets into ``cycle`` touches: the (employee, metric)
    pairs, with levels loaded for the guardrails, and how many replace a target of
    ``cycle``. A fixed number of queries."""
    pairs = list(Target.objects.filter(cycle=source).values_list("employee_id", "metric_id"))
    existing = set(Target.objects.filter(cycle=cycle).values_list("employee_id", "metric_id"))
    employees = Employee.objects.select_related("level").in_bulk({e for e, _m in pairs})
    metrics = Metric.objects.in_bulk({m for _e, m in pairs})
    return (
        [(employees[e], metrics[m]) for e, m in pairs],
        sum(1 for pair in pairs if pair in existing),
    )


def template_versions(*, code: str) -> list[Template]:
    """Every version of template ``code``, newest first, with items and usage counts
    (``n_cards``: scorecards scored with the version); 404 if there is none."""
    versions = list(
        Template.objects.filter(code=code)
        .select_related("level", "created_by")
        .prefetch_related("items__metric")
        .order_by("-version")
    )
    if not versions:
        raise Http404
    used = dict(
        Scorecard.objects.filter(template__code=code)
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for version in versions:
        version.n_cards = used.get(version.pk, 0)  # type: ignore[attr-defined]
    return versions

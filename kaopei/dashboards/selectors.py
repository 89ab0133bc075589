"""Read-only figures for the role home pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from kaopei.org.models import Competency, Employee, JobLevel, LevelExpectation, OrgUnit


def org_overview() -> dict[str, Any]:
    """Head-counts for HR admins and executives (everyone is in scope for them)."""
    active = Employee.objects.filter(active=True)
    branches = (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH)
        .order_by("code")
        .values("pk", "code", "name")
    )
    # One grouped query: active people per unit, rolled up to branches in Python.
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    per_unit = dict(
        active.values("org_unit_id").annotate(n=Count("pk")).values_list("org_unit_id", "n")
    )
    branch_ids = {b["pk"] for b in branches}
    per_branch: dict[int, int] = dict.fromkeys(branch_ids, 0)
    for unit_id, n in per_unit.items():
        uid: int | None = unit_id
        while uid is not None and uid not in branch_ids:
            uid = parents.get(uid)
        if uid is not None:
            per_branch[uid] += n
    levels = list(
        JobLevel.objects.annotate(
            n=Count("employees", filter=Q(employees__active=True))
        ).values_list("name", "n")
    )
    return {
        "employees": active.count(),
        "units": OrgUnit.objects.filter(active=True).count(),
        "levels": JobLevel.objects.count(),
        "competencies": Competency.objects.filter(active=True).count(),
        "branch_names": [b["name"] for b in branches],
        "branch_counts": [per_branch[b["pk"]] for b in branches],
        "level_counts": [{"name": name, "value": n} for name, n in levels],
    }


def expectations_for_level(level_id: int | None) -> list[LevelExpectation]:
    if level_id is None:
        return []
    return list(
        LevelExpectation.objects.filter(level_id=level_id)
        .select_related("competency")
        .order_by("competency__category", "competency__code")
    )

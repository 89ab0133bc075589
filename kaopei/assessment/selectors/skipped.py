"""Who a cycle's scoring leaves out, and why (HR admins' cycle page).

Read live from the data rather than from the last scoring job's result, so the page is
right after a template is added or someone's job level is set, before the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from kaopei.assessment.models import Cycle, Scorecard, Template
from kaopei.org.models import Employee, JobLevel

SHOWN = 12  # names listed per group; the rest are counted


@dataclass(frozen=True)
class SkippedGroup:
    """People not scored for one reason (and one job level, for ``no_template``).

    ``reason``: ``no_level`` (no job level), ``no_template`` (their level has no current
    template for the cycle's kind) or ``not_scored`` (a template exists, but the cycle was
    scored before it, or before they joined: score again). ``fix_url`` is the page that
    fixes it: the template form for that level, or the person's page.
    """

    reason: str
    level: JobLevel | None
    count: int
    people: list[Employee] = field(default_factory=list)
    fix_url: str = ""


def cycle_skipped(*, cycle: Cycle) -> list[SkippedGroup]:
    """Everyone employed during ``cycle`` without a scorecard in it, grouped by reason
    (``no_level`` first, then ``no_template`` per level, then ``not_scored``). ``not_scored``
    is only reported once the cycle has been scored. Two queries."""
    people = list(
        Employee.objects.filter(
            Q(hire_date__isnull=True) | Q(hire_date__lte=cycle.end),
            Q(left_on__isnull=True) | Q(left_on__gte=cycle.start),
        )
        .exclude(pk__in=Scorecard.objects.filter(cycle=cycle).values("employee_id"))
        .select_related("level")
        .order_by("level__rank", "level__code", "employee_no")
    )
    with_template = set(
        Template.objects.filter(cycle_kind=cycle.kind, current=True).values_list(
            "level_id", flat=True
        )
    )
    no_level = [e for e in people if e.level_id is None]
    groups: list[SkippedGroup] = []
    if no_level:
        groups.append(
            SkippedGroup(
                "no_level",
                None,
                len(no_level),
                no_level[:SHOWN],
                reverse("org:employee_detail", args=[no_level[0].employee_no])
                if len(no_level) == 1
                else reverse("org:employee_list"),
            )
        )
    by_level: dict[int, list[Employee]] = {}
    for e in people:
        if e.level_id is not None and e.level_id not in with_template:
            by_level.setdefault(e.level_id, []).append(e)
    create = reverse("assessment:template_create")
    for members in by_level.values():
        level = members[0].level
        assert level is not None
        query = urlencode({"level": level.pk, "cycle_kind": cycle.kind})
        groups.append(
            SkippedGroup("no_template", level, len(members), members[:SHOWN], f"{create}?{query}")
        )
    if cycle.scored_at is not None:
        late = [e for e in people if e.level_id in with_template]
        if late:
            groups.append(SkippedGroup("not_scored", None, len(late), late[:SHOWN]))
    return groups

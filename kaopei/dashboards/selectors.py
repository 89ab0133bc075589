"""Read-only figures for the role home pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from kaopei.assessment.models import Appeal, Cycle, GradeBand, Scorecard, ScoreLine
from kaopei.assessment.selectors import (
    PUBLISHED,
    appeal_window_open,
    grade_bands_for,
    grade_counts,
    scorecard_scope_ids,
)
from kaopei.org.models import Competency, Employee, JobLevel, LevelExpectation, OrgUnit
from kaopei.org.selectors import employee_for_user


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


# --- Role homes: the first question of each role (reads only) ---------------------------------
#
# Each selector returns a frozen dataclass that the view hands to its template; it is scoped
# by the assessment rules (``scorecard_scope_ids``, ``sees_everyone``) and makes a fixed
# number of queries whatever the number of people (the tests pin them).


@dataclass(frozen=True)
class CardGlance:
    """One scorecard at a glance: its grade and total, the points to the next band, the
    run-rate projection of a running cycle, and the weakest lines (below target)."""

    card: Scorecard
    next_grade: GradeBand | None
    points_to_next: Decimal | None
    projected_total: Decimal | None
    projected_grade: str
    elapsed_percent: int | None
    weak_lines: list[ScoreLine]
    appeal_until: date | None
    can_appeal: bool


@dataclass(frozen=True)
class AccountManagerHome:
    glance: CardGlance | None
    to_acknowledge: list[Scorecard]
    open_appeals: list[Appeal]


@dataclass(frozen=True)
class TeamMember:
    card: Scorecard
    projected_total: Decimal | None
    projected_grade: str


@dataclass(frozen=True)
class SupervisorHome:
    cycle: Cycle | None
    grades: list[tuple[str, int]]
    team_size: int
    open_appeals: list[Appeal]
    ack_cycle: Cycle | None
    acknowledged: int
    not_acknowledged: list[Scorecard]
    ack_total: int
    below_line: GradeBand | None
    below: list[TeamMember]


@dataclass(frozen=True)
class BranchRow:
    name: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class ExecutiveHome:
    cycle: Cycle | None
    grades: list[str]
    rows: list[BranchRow]
    totals: list[int]
    people: int


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def _bands(cycle: Cycle) -> list[GradeBand]:
    """The cycle's grade bands, best first (one query)."""
    return grade_bands_for(cycle)


def _grade_order(bands: list[GradeBand], counts: dict[str, int]) -> list[str]:
    """Grades in the policy's order, then any other grade found (the veto, missing data)."""
    order = [b.grade for b in bands]
    return order + sorted(g for g in counts if g not in order)


def _meets_line(bands: list[GradeBand]) -> GradeBand | None:
    """The lowest band with a minimum total: the line for "meets targets" (B in the default
    policy). Below it, a card needs an improvement plan."""
    with_minimum = [b for b in bands if b.min_total is not None]
    return min(with_minimum, key=lambda b: b.min_total) if with_minimum else None  # type: ignore[arg-type,return-value]


def _latest_published(qs: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    """Newest cycle first; a quarter before the year that ends with it."""
    return qs.filter(cycle__status__in=PUBLISHED).order_by("-cycle__end", "-cycle__start")


def card_glance(card: Scorecard) -> CardGlance:
    """The glance of one card (two queries: its bands and its weakest lines)."""
    bands = _bands(card.cycle)
    total = card.total
    above = [
        b for b in bands if b.min_total is not None and total is not None and b.min_total > total
    ]
    next_band = min(above, key=lambda b: b.min_total) if above else None  # type: ignore[arg-type,return-value]
    projection = card.projection or {}
    elapsed = _decimal(projection.get("elapsed"))
    weak = list(
        card.lines.filter(has_data=True, attainment__lt=1)
        .select_related("metric")
        .order_by("attainment", "position")[:3]
    )
    can_appeal = appeal_window_open(card.cycle)
    return CardGlance(
        card=card,
        next_grade=next_band if card.grade in {b.grade for b in bands} else None,
        points_to_next=(next_band.min_total - total)  # type: ignore[operator]
        if next_band is not None and total is not None
        else None,
        projected_total=_decimal(projection.get("total")),
        projected_grade=str(projection.get("grade") or ""),
        elapsed_percent=int(elapsed * 100) if elapsed is not None else None,
        weak_lines=weak,
        appeal_until=card.cycle.appeal_deadline if can_appeal else None,
        can_appeal=can_appeal,
    )


def account_manager_home(*, user: Any) -> AccountManagerHome:
    """The person's current scorecard at a glance, the final cards they have still to
    acknowledge and their open appeals. Empty for someone without an employee record."""
    me = employee_for_user(user)
    if me is None:
        return AccountManagerHome(None, [], [])
    mine = Scorecard.objects.filter(employee=me).select_related("cycle", "employee")
    current = _latest_published(mine).first()
    return AccountManagerHome(
        glance=card_glance(current) if current is not None else None,
        to_acknowledge=list(
            mine.filter(cycle__status=Cycle.Status.FINAL, acknowledged_at__isnull=True).order_by(
                "-cycle__end", "-cycle__start"
            )
        ),
        open_appeals=list(
            Appeal.objects.filter(scorecard__employee=me, status=Appeal.Status.OPEN)
            .select_related("metric", "scorecard__cycle")
            .order_by("-created_at")
        ),
    )


def supervisor_home(*, user: Any) -> SupervisorHome:
    """The team's grades in its latest published cycle, open appeals to answer, who has not
    acknowledged the latest final card, and who is projected below the "meets targets" line
    in a running cycle. The team: everyone below the supervisor in the chain."""
    me = employee_for_user(user)
    scope = scorecard_scope_ids(user)
    team = (scope or set()) - ({me.pk} if me else set())
    cards = Scorecard.objects.filter(employee_id__in=team)
    latest = _latest_published(cards).select_related("cycle").first()
    cycle = latest.cycle if latest is not None else None
    grades: list[tuple[str, int]] = []
    below: list[TeamMember] = []
    line: GradeBand | None = None
    if cycle is not None:
        counts = grade_counts(cards.filter(cycle=cycle))
        bands = _bands(cycle)
        grades = [(g, counts[g]) for g in _grade_order(bands, counts) if g in counts]
        line = _meets_line(bands)
        if line is not None:  # only a running cycle's cards carry a projection
            running = cards.filter(cycle=cycle).exclude(projection={})
            for card in running.select_related("employee").order_by("employee__employee_no"):
                total = _decimal((card.projection or {}).get("total"))
                if total is not None and total < line.min_total:  # type: ignore[operator]
                    below.append(TeamMember(card, total, str(card.projection.get("grade", ""))))
            below.sort(key=lambda m: m.projected_total or Decimal(0))
    final = (
        cards.filter(cycle__status=Cycle.Status.FINAL)
        .order_by("-cycle__end", "-cycle__start")
        .select_related("cycle")
        .first()
    )
    ack_cycle = final.cycle if final is not None else None
    acknowledged, waiting = 0, []
    if ack_cycle is not None:
        ack = (
            cards.filter(cycle=ack_cycle)
            .select_related("employee")
            .order_by("employee__employee_no")
        )
        for card in ack:
            if card.acknowledged_at is None:
                waiting.append(card)
            else:
                acknowledged += 1
    appeals = list(
        Appeal.objects.filter(scorecard__employee_id__in=team, status=Appeal.Status.OPEN)
        .select_related("metric", "scorecard__cycle", "scorecard__employee")
        .order_by("created_at")
    )
    return SupervisorHome(
        cycle=cycle,
        grades=grades,
        team_size=len(team),
        open_appeals=appeals,
        ack_cycle=ack_cycle,
        acknowledged=acknowledged,
        not_acknowledged=waiting,
        ack_total=acknowledged + len(waiting),
        below_line=line,
        below=below,
    )


def executive_home() -> ExecutiveHome:
    """Grades per branch in the latest published quarter (or year, when no quarter is):
    one grouped query over the cards, rolled up from units to branches in Python."""
    cycle = (
        Cycle.objects.filter(status__in=PUBLISHED)
        .order_by("-end", "-start")
        .select_related("grade_policy")
        .first()
    )
    if cycle is None:
        return ExecutiveHome(None, [], [], [], 0)
    per_unit = (
        Scorecard.objects.filter(cycle=cycle)
        .order_by()
        .values_list("org_unit_id", "grade")
        .annotate(n=Count("pk"))
    )
    units = {
        pk: (parent, kind, name)
        for pk, parent, kind, name in (
            (u.pk, u.parent_id, u.kind, u.local_name)
            for u in OrgUnit.objects.only("pk", "parent_id", "kind", "name", "name_en")
        )
    }
    counts: dict[str, int] = {}
    per_branch: dict[int, dict[str, int]] = {}
    for unit_id, grade, n in per_unit:
        uid: int | None = unit_id
        while uid is not None and units[uid][1] != OrgUnit.Kind.BRANCH:
            uid = units[uid][0]
        key = uid if uid is not None else unit_id  # head office: its own row
        per_branch.setdefault(key, {})
        per_branch[key][grade] = per_branch[key].get(grade, 0) + n
        counts[grade] = counts.get(grade, 0) + n
    grades = _grade_order(_bands(cycle), counts)
    rows = [
        BranchRow(
            name=units[uid][2],
            counts=[by_grade.get(g, 0) for g in grades],
            total=sum(by_grade.values()),
        )
        for uid, by_grade in sorted(per_branch.items(), key=lambda kv: units[kv[0]][2])
    ]
    totals = [sum(r.counts[i] for r in rows) for i in range(len(grades))]
    return ExecutiveHome(cycle, grades, rows, totals, sum(totals))

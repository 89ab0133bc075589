"""The organisation dashboard of HR admins and executives (reads only).

Figures of one cycle, for the whole bank (``unit=None``: one row per branch) or for a unit's
subtree (one row per direct child unit, and the unit itself for its own people):

- grades by row and by job level, attainment by row and metric (mean of the lines with data),
- trends: mean total and grade shares of every published cycle, and the same quarter last
  year,
- the calibration 9-box as counts only (``kaopei.feedback.selectors.report_ninebox``, in the
  reader's calibration scope; no names on this page),
- data freshness: the last committed import of each kind, and the units whose business records
  of a kind stopped arriving (none dated in the last ``KAOPEI_FRESHNESS_DAYS`` days, 45 by
  default, although some were before), for the kinds that flow every week
  (``KAOPEI_FRESHNESS_KINDS``),
- training effectiveness: the Kirkpatrick figures per course of the latest quarter with a
  completed enrolment (``kaopei.training.selectors.effect``; the whole bank),
- suggestion-box themes: counts by category and status; never a text, an author or a person.

Every figure is a grouped query, so the number of queries does not grow with the number of
units or people (``tests/dashboards/test_org_dashboard.py`` pins it). The figures are the same
for every HR admin and executive, so they are cached per cycle, unit, language and data
generation (:mod:`kaopei.dashboards.cache`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from kaopei.assessment.models import Cycle, Metric, Scorecard, ScoreLine
from kaopei.assessment.rules import PUBLISHED
from kaopei.assessment.selectors import grade_bands_for
from kaopei.core.rules import is_executive, is_hr_admin
from kaopei.dashboards import cache
from kaopei.imports.models import ImportBatch
from kaopei.org.models import JobLevel, OrgUnit

FRESHNESS_DAYS = 45
# The business-record kinds that flow every week while a unit works (setting
# ``KAOPEI_FRESHNESS_KINDS``). New customers, complaints and compliance incidents are events:
# none for weeks is no sign that a feed stopped.
FRESHNESS_KINDS = ("activities", "opportunities", "sales", "receivables", "surveys")
CENT = Decimal("0.01")


def freshness_days() -> int:
    return int(getattr(settings, "KAOPEI_FRESHNESS_DAYS", FRESHNESS_DAYS))


def freshness_kinds() -> tuple[str, ...]:
    return tuple(getattr(settings, "KAOPEI_FRESHNESS_KINDS", FRESHNESS_KINDS))


def can_see_org_dashboard(user: Any) -> bool:
    return bool(is_hr_admin(user) or is_executive(user))


def require_org_reader(user: Any) -> None:
    """HR admins and executives only (403 for everyone else signed in)."""
    if not can_see_org_dashboard(user):
        raise PermissionDenied


def org_cycles() -> list[Cycle]:
    """The cycles with published figures, newest first (the cycle selector)."""
    return list(Cycle.objects.filter(status__in=PUBLISHED).order_by("-end", "-start"))


def org_cycle_get(*, user: Any, code: str | None) -> Cycle | None:
    """The cycle ``code`` (404 when unknown or not scored yet); without a code the latest
    published cycle (None when there is none)."""
    require_org_reader(user)
    published = Cycle.objects.filter(status__in=PUBLISHED).select_related("grade_policy")
    if not code:
        return published.order_by("-end", "-start").first()
    cycle = published.filter(code=code).first()
    if cycle is None:
        raise Http404
    return cycle


def org_unit_get(*, user: Any, code: str) -> OrgUnit:
    require_org_reader(user)
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


# --- Figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A row of the dashboard: a branch (or a child unit of the unit shown)."""

    code: str
    name: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class HeatRow:
    code: str
    name: str
    cells: list[Decimal | None]  # mean attainment per metric, in percent


@dataclass(frozen=True)
class TrendPoint:
    code: str
    kind: str
    people: int
    mean_total: Decimal | None
    shares: list[Decimal]  # per grade of the figures' grade order, in percent


@dataclass(frozen=True)
class LastImport:
    kind: str
    at: Any
    by: str
    rows: int
    file_name: str


@dataclass(frozen=True)
class StaleUnit:
    kind: str
    code: str
    name: str
    last: date


@dataclass(frozen=True)
class EffectLine:
    course: str
    title: str
    level: str
    item: str
    trained: int
    comparison: int | None
    value: Decimal | None


@dataclass
class OrgFigures:
    cycle_code: str
    unit_code: str | None
    grades: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    people: int = 0
    levels: list[Row] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    heat: list[HeatRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    last_year: TrendPoint | None = None
    this_cycle: TrendPoint | None = None
    ninebox: list[list[int]] = field(default_factory=list)  # performance high→low × comp low→high
    ninebox_not_placed: int = 0
    ninebox_round_closed: bool = False
    imports: list[LastImport] = field(default_factory=list)
    stale: list[StaleUnit] = field(default_factory=list)
    freshness_days: int = FRESHNESS_DAYS
    effect_cycle: str | None = None
    effect: list[EffectLine] = field(default_factory=list)
    suggestions: list[tuple[str, str, int]] = field(default_factory=list)  # about, status, n
    themes: list[tuple[str, int]] = field(default_factory=list)


class _Tree:
    """The units (one query) and how a unit rolls up into the dashboard's rows."""

    def __init__(self, root: OrgUnit | None) -> None:
        self.units = {
            u.pk: u
            for u in OrgUnit.objects.only("pk", "parent_id", "kind", "code", "name", "name_en")
        }
        self.root = root
        self._row: dict[int, int | None] = {}

    def row_of(self, unit_id: int | None) -> int | None:
        """The row a unit's figures count in; None when outside the root's subtree."""
        if unit_id is None or unit_id not in self.units:
            return None
        if unit_id in self._row:
            return self._row[unit_id]
        uid: int | None = unit_id
        found: int | None = None
        if self.root is None:  # the bank: branches, or the unit itself above them
            while uid is not None and self.units[uid].kind != OrgUnit.Kind.BRANCH:
                uid = self.units[uid].parent_id
            found = uid if uid is not None else unit_id
        else:
            seen = 0
            while uid is not None and seen <= len(self.units):
                if uid == self.root.pk:
                    found = uid
                    break
                if self.units[uid].parent_id == self.root.pk:
                    found = uid
                    break
                uid = self.units[uid].parent_id
                seen += 1
        self._row[unit_id] = found
        return found

    def subtree(self) -> set[int] | None:
        if self.root is None:
            return None
        return {pk for pk in self.units if self.row_of(pk) is not None}

    def label(self, pk: int) -> tuple[str, str]:
        unit = self.units[pk]
        return unit.code, unit.local_name


def _pct(value: Decimal | None) -> Decimal | None:
    return (value * 100).quantize(CENT) if value is not None else None


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(CENT) if whole else Decimal(0)


def _grade_order(cycle: Cycle, found: Iterable[str]) -> list[str]:
    order = [b.grade for b in grade_bands_for(cycle)]
    return order + sorted({g for g in found if g and g not in order})


def _cards(cycle_filter: Q, units: set[int] | None) -> Any:
    qs = Scorecard.objects.filter(cycle_filter).order_by()
    return qs.filter(org_unit_id__in=units) if units is not None else qs


def _grades(fig: OrgFigures, cycle: Cycle, tree: _Tree, units: set[int] | None) -> None:
    per = list(
        _cards(Q(cycle=cycle), units)
        .values_list("org_unit_id", "level_id", "grade")
        .annotate(n=Count("pk"))
    )
    fig.grades = _grade_order(cycle, (g for _u, _l, g, _n in per))
    index = {g: i for i, g in enumerate(fig.grades)}
    by_row: dict[int, list[int]] = {}
    by_level: dict[int | None, list[int]] = {}
    for unit_id, level_id, grade, n in per:
        row = tree.row_of(unit_id)
        if row is None:
            continue
        by_row.setdefault(row, [0] * len(fig.grades))[index[grade]] += n
        by_level.setdefault(level_id, [0] * len(fig.grades))[index[grade]] += n
    rows = [Row(*tree.label(pk), counts, sum(counts)) for pk, counts in by_row.items()]
    fig.rows = sorted(rows, key=lambda r: r.code)
    fig.totals = [sum(r.counts[i] for r in fig.rows) for i in range(len(fig.grades))]
    fig.people = sum(fig.totals)
    levels = {lv.pk: lv for lv in JobLevel.objects.all()}

    def level_row(pk: int | None, counts: list[int]) -> tuple[tuple[int, str], Row]:
        level = levels.get(pk) if pk is not None else None
        if level is None:
            return (0, ""), Row("", "—", counts, sum(counts))
        return (level.rank, level.code), Row(level.code, level.local_name, counts, sum(counts))

    ordered = sorted((level_row(pk, c) for pk, c in by_level.items()), key=lambda kr: kr[0])
    fig.levels = [r for _k, r in ordered]


def _heat(fig: OrgFigures, cycle: Cycle, tree: _Tree, units: set[int] | None) -> None:
    lines = ScoreLine.objects.filter(scorecard__cycle=cycle, has_data=True).exclude(attainment=None)
    if units is not None:
        lines = lines.filter(scorecard__org_unit_id__in=units)
    per = (
        lines.order_by()
        .values_list("scorecard__org_unit_id", "metric_id")
        .annotate(s=Sum("attainment"), n=Count("pk"))
    )
    sums: dict[tuple[int, int], list[Decimal]] = {}
    metric_ids: set[int] = set()
    for unit_id, metric_id, s, n in per:
        row = tree.row_of(unit_id)
        if row is None:
            continue
        acc = sums.setdefault((row, metric_id), [Decimal(0), Decimal(0)])
        acc[0] += s or 0
        acc[1] += n
        metric_ids.add(metric_id)
    metrics = sorted(Metric.objects.filter(pk__in=metric_ids), key=lambda m: m.code)
    fig.metrics = [m.name for m in metrics]
    row_ids = sorted({r for r, _m in sums}, key=lambda pk: tree.units[pk].code)
    fig.heat = [
        HeatRow(
            *tree.label(pk),
            [
                _pct(sums[(pk, m.pk)][0] / sums[(pk, m.pk)][1]) if (pk, m.pk) in sums else None
                for m in metrics
            ],
        )
        for pk in row_ids
    ]


def _same_quarter_last_year(code: str) -> str | None:
    if len(code) == 6 and code[4] == "Q" and code[:4].isdigit():
        return f"{int(code[:4]) - 1}{code[4:]}"
    if len(code) == 4 and code.isdigit():
        return str(int(code) - 1)
    return None


def _trend(fig: OrgFigures, cycle: Cycle, units: set[int] | None) -> None:
    per = list(
        _cards(Q(cycle__status__in=PUBLISHED), units)
        .values_list("cycle__code", "cycle__kind", "cycle__start", "grade")
        .annotate(n=Count("pk"), s=Sum("total"), scored=Count("total"))
    )
    extra = [g for _c, _k, _s, g, *_rest in per if g not in fig.grades]
    grades = fig.grades + sorted(set(extra))
    fig.grades = grades
    for row in fig.rows:  # grades only seen in other cycles: zero columns here
        row.counts.extend([0] * (len(grades) - len(row.counts)))
    for row in fig.levels:
        row.counts.extend([0] * (len(grades) - len(row.counts)))
    fig.totals.extend([0] * (len(grades) - len(fig.totals)))
    acc: dict[str, dict[str, Any]] = {}
    for code, kind, start, grade, n, s, scored in per:
        a = acc.setdefault(
            code, {"kind": kind, "start": start, "n": 0, "s": Decimal(0), "scored": 0, "g": {}}
        )
        a["n"] += n
        a["s"] += s or 0
        a["scored"] += scored
        a["g"][grade] = a["g"].get(grade, 0) + n
    points = {
        code: TrendPoint(
            code=code,
            kind=a["kind"],
            people=a["n"],
            mean_total=(a["s"] / a["scored"]).quantize(CENT) if a["scored"] else None,
            shares=[_share(a["g"].get(g, 0), a["n"]) for g in grades],
        )
        for code, a in acc.items()
    }
    same_kind = [c for c, a in sorted(acc.items(), key=lambda kv: kv[1]["start"])]
    fig.trend = [points[c] for c in same_kind if points[c].kind == cycle.kind]
    fig.this_cycle = points.get(cycle.code)
    previous = _same_quarter_last_year(cycle.code)
    fig.last_year = points.get(previous) if previous else None


def _ninebox(fig: OrgFigures, user: Any, cycle: Cycle, unit: OrgUnit | None) -> None:
    from kaopei.feedback.models import FeedbackRound
    from kaopei.feedback.selectors.report_ninebox import nine_box
    from kaopei.feedback.selectors.report_pages import is_closed

    feedback_round = FeedbackRound.objects.filter(cycle=cycle).first()
    if feedback_round is None or not is_closed(feedback_round):
        # Nobody is placed before the cycle's 360 round closes: skip reading every card.
        fig.ninebox = [[0, 0, 0] for _ in range(3)]
        fig.ninebox_not_placed = fig.people
        fig.ninebox_round_closed = False
        return
    box = nine_box(user=user, cycle=cycle, unit=unit)
    fig.ninebox = [[b.count for b in row] for row in box.grid]
    fig.ninebox_not_placed = box.not_placed
    fig.ninebox_round_closed = box.round_closed


def _employee_field(model: Any) -> str | None:
    for name in ("employee", "owner"):
        try:
            model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist
            continue
        return name
    return None


def _freshness(fig: OrgFigures, tree: _Tree, units: set[int] | None, today: date) -> None:
    from kaopei.facts.loaders.fact_kinds import FACT_KINDS

    fig.freshness_days = days = freshness_days()
    committed = ImportBatch.objects.filter(
        status=ImportBatch.Status.COMMITTED, dry_run=False
    ).order_by()
    last_ids = list(
        committed.values("kind").annotate(last=Max("pk")).values_list("last", flat=True)
    )
    fig.imports = sorted(
        (
            LastImport(
                kind=b.kind,
                at=b.created_at,
                by=b.created_by.get_username() if b.created_by else "",
                rows=b.rows,
                file_name=b.file_name,
            )
            for b in ImportBatch.objects.filter(pk__in=last_ids).select_related("created_by")
        ),
        key=lambda i: i.kind,
    )
    since = today - timedelta(days=days)
    stale: list[StaleUnit] = []
    kinds = freshness_kinds()
    for fact in FACT_KINDS:
        if fact.kind not in kinds:
            continue
        who = _employee_field(fact.model)
        if who is None or not fact.dates:
            continue
        dated = fact.dates[0]
        qs = fact.model._default_manager.filter(voided_at=None).order_by()
        if units is not None:
            qs = qs.filter(**{f"{who}__org_unit_id__in": units})
        per_unit = qs.values_list(f"{who}__org_unit_id").annotate(last=Max(dated))
        for unit_id, last in per_unit:
            if unit_id is None or last is None or last >= since or unit_id not in tree.units:
                continue
            code, name = tree.label(unit_id)
            stale.append(StaleUnit(fact.kind, code, name, last))
    fig.stale = sorted(stale, key=lambda s: (s.kind, s.code))


def _effect(fig: OrgFigures) -> None:
    from kaopei.training.selectors.effect import effect_by_course, effect_cycles, effect_period

    cycles = effect_cycles()
    if not cycles:
        return
    latest = cycles[0]
    fig.effect_cycle = latest.code
    for course in effect_by_course(effect_period(latest.code)):
        for r in course.rows:
            fig.effect.append(
                EffectLine(
                    course=course.course.code,
                    title=course.course.local_title,
                    level=r.level,
                    item=r.item,
                    trained=r.trained,
                    comparison=r.comparison,
                    value=r.value,
                )
            )


def _suggestions(fig: OrgFigures) -> None:
    from kaopei.feedback.models import Suggestion

    about = dict(Suggestion.About.choices)
    status = dict(Suggestion.Status.choices)
    per = Suggestion.objects.order_by().values_list("about", "status").annotate(n=Count("pk"))
    fig.suggestions = sorted((str(about.get(a, a)), str(status.get(s, s)), n) for a, s, n in per)
    fig.themes = sorted(
        (
            (t, n)
            for t, n in Suggestion.objects.exclude(theme="")
            .order_by()
            .values_list("theme")
            .annotate(n=Count("pk"))
        ),
        key=lambda tn: (-tn[1], tn[0]),
    )


def org_figures(
    *, user: Any, cycle: Cycle, unit: OrgUnit | None = None, today: date | None = None
) -> OrgFigures:
    """Every figure of the dashboard for ``cycle`` (the bank, or ``unit``'s subtree).
    HR admins and executives only; cached until scoring or an import changes the data."""
    require_org_reader(user)
    today = today or timezone.localdate()
    key = cache.key("org", cycle.pk, unit.pk if unit else "all", get_language() or "", today)
    found = cache.get(key)
    if isinstance(found, OrgFigures):
        return found
    fig = org_figures_uncached(user=user, cycle=cycle, unit=unit, today=today)
    cache.put(key, fig)
    return fig


def org_figures_uncached(
    *, user: Any, cycle: Cycle, unit: OrgUnit | None = None, today: date | None = None
) -> OrgFigures:
    require_org_reader(user)
    today = today or timezone.localdate()
    tree = _Tree(unit)
    units = tree.subtree()
    fig = OrgFigures(cycle_code=cycle.code, unit_code=unit.code if unit else None)
    _grades(fig, cycle, tree, units)
    _trend(fig, cycle, units)
    _heat(fig, cycle, tree, units)
    _ninebox(fig, user, cycle, unit)
    _freshness(fig, tree, units, today)
    if unit is None:
        _effect(fig)
        _suggestions(fig)
    return fig


def suggestion_themes_visible(user: Any) -> bool:
    """Theme labels are set by the HR admins who triage the box: they alone see them."""
    from kaopei.feedback import rules as feedback_rules

    return bool(feedback_rules.can_triage_suggestions(user))

"""Role-plays: what a user may read, already scoped, and the figures the pages show.

Visibility: the library (learner's brief, rubric) is for anyone employed; the client's brief
for trainers, HR and assessors. A performance is read by trainers and HR, its assessors,
its performer and their supervisor chain (``record_scope``). **Independence**: an assigned
assessor sees no score of that performance, no other assessor's name and not who has
submitted, until they have submitted their own (whatever else they are). Assessor names are
shown to trainers, HR and assessors who have submitted; the performer and their supervisors
see criterion averages and comments without names, and only once every named assessor has
submitted or the performance is closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user
from kaopei.training import agreement
from kaopei.training.models import (
    AssessorScore,
    Assignment,
    Criterion,
    CriterionScore,
    Performance,
    PerformanceStatus,
    RolePlay,
    ToolkitVersion,
)
from kaopei.training.rules import (
    can_assess_roleplays,
    can_browse_roleplays,
    can_manage_roleplays,
)
from kaopei.training.selectors.sessions import record_scope


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- role-plays --------------------------------------------------------------------------


def roleplay_list_visible_to(*, user: Any, query: str = "", active: str = "") -> QuerySet[RolePlay]:
    """Role-plays ``user`` may browse (archived ones for trainers and HR only), filtered by
    a search on code/title and ``active`` ("yes"/"no")."""
    _require(can_browse_roleplays(user))
    rows = RolePlay.objects.select_related("course").order_by("code")
    if not can_manage_roleplays(user):
        rows = rows.filter(active=True)
    elif active in ("yes", "no"):
        rows = rows.filter(active=active == "yes")
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(code__icontains=query) | Q(title__icontains=query) | Q(title_en__icontains=query)
        )
    return rows


def roleplay_get_for_user(*, user: Any, pk: int) -> RolePlay:
    _require(can_browse_roleplays(user))
    found = (
        roleplay_list_visible_to(user=user)
        .prefetch_related("competencies", Prefetch("criteria"))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def require_manager(*, user: Any) -> None:
    """403 unless ``user`` writes role-plays (trainers, HR admins)."""
    _require(can_manage_roleplays(user))


def roleplay_get_to_manage(*, user: Any, pk: int) -> RolePlay:
    _require(can_manage_roleplays(user))
    found = RolePlay.objects.filter(pk=pk).prefetch_related("criteria", "competencies").first()
    if found is None:
        raise Http404
    return found


def may_see_client_brief(*, user: Any) -> bool:
    return bool(can_manage_roleplays(user) or can_assess_roleplays(user))


def agreement_for_roleplay(*, roleplay: RolePlay) -> agreement.Agreement:
    """ICC(1) across the role-play's performances on each assessor's weighted total (% of
    its maximum); see :mod:`kaopei.training.agreement`. Two queries."""
    weights = {c.pk: c.weight for c in roleplay.criteria.all()}
    sheets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    performance_of: dict[int, int] = {}
    for sheet_id, perf_id, crit_id, value in CriterionScore.objects.filter(
        assessor_score__performance__roleplay=roleplay
    ).values_list("assessor_score_id", "assessor_score__performance_id", "criterion_id", "value"):
        sheets[sheet_id][crit_id] = value
        performance_of[sheet_id] = perf_id
    groups: dict[int, list[float]] = defaultdict(list)
    for sheet_id, values in sheets.items():
        if set(values) >= set(weights) and weights:
            groups[performance_of[sheet_id]].append(
                float(agreement.weighted_percent(values, weights, roleplay.scale_max))
            )
    return agreement.icc1(list(groups.values()))


# --- performances ------------------------------------------------------------------------


def _me(user: Any) -> Employee | None:
    return employee_for_user(user) if user is not None and user.is_authenticated else None


def performance_list_visible_to(
    *,
    user: Any,
    roleplay_id: int | None = None,
    status: str = "",
    query: str = "",
) -> QuerySet[Performance]:
    """Performances ``user`` may read (see the module's visibility rule), newest first,
    filtered by role-play, status and a search on the performer's name or number."""
    _require(can_browse_roleplays(user))
    rows = Performance.objects.select_related("roleplay", "performer").order_by(
        "-performed_on", "-pk"
    )
    scope = record_scope(user)
    if not can_manage_roleplays(user):
        me = _me(user)
        assessed = Q(assignments__assessor=me) if me is not None else Q(pk__in=[])
        rows = rows.filter(Q(performer_id__in=scope or set()) | assessed).distinct()
    if roleplay_id is not None:
        rows = rows.filter(roleplay_id=roleplay_id)
    if status in PerformanceStatus.values:
        rows = rows.filter(status=status)
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(performer__name__icontains=query) | Q(performer__employee_no__icontains=query)
        )
    return rows


def performance_get_for_user(*, user: Any, pk: int) -> Performance:
    found = performance_list_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def performance_get_to_manage(*, user: Any, pk: int) -> Performance:
    _require(can_manage_roleplays(user))
    found = Performance.objects.select_related("roleplay", "performer").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def performance_get_to_score(*, user: Any, pk: int) -> tuple[Performance, Employee]:
    """The performance and the assessor (the user's employee) for the scoring form: 404
    unless the user may read it, 403 unless they are one of its assessors."""
    performance = performance_get_for_user(user=user, pk=pk)
    me = _me(user)
    if me is None or not Assignment.objects.filter(performance=performance, assessor=me).exists():
        raise PermissionDenied
    return performance, me


def queue_for_user(*, user: Any) -> QuerySet[Performance]:
    """The open performances the user is an assessor of and has not scored yet (oldest
    first): their "role-plays to score"."""
    _require(can_browse_roleplays(user))
    me = _me(user)
    if me is None:
        return Performance.objects.none()
    return (
        Performance.objects.filter(assignments__assessor=me, status=PerformanceStatus.OPEN)
        .exclude(scores__assessor=me)
        .select_related("roleplay", "performer")
        .order_by("performed_on", "pk")
    )


def scored_mark(rows: QuerySet[Performance]) -> QuerySet[Performance]:
    """Annotates ``has_scores`` (any submitted sheet)."""
    return rows.annotate(
        has_scores=Exists(AssessorScore.objects.filter(performance=OuterRef("pk")))
    )


# --- what one reader sees of one performance ----------------------------------------------

FULL, ANONYMOUS, HIDDEN = "full", "anonymous", "hidden"


@dataclass
class CriterionRow:
    criterion: Criterion
    spread: agreement.Spread
    scores: list[tuple[AssessorScore, CriterionScore | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class PerformanceView:
    performance: Performance
    mode: str  # FULL (names), ANONYMOUS (no names), HIDDEN (own score not submitted yet)
    criteria: list[CriterionRow]
    sheets: list[AssessorScore]
    result: Decimal | None
    assessors: list[Employee]
    submitted_ids: set[int]
    awaiting_me: bool
    results_pending: bool  # performer/chain: open and not every assessor has scored yet
    my_sheet: AssessorScore | None
    toolkit_versions: list[ToolkitVersion]
    overall_comments: list[str]


def reader_mode(
    *, user: Any, performance: Performance, submitted_ids: set[int]
) -> tuple[str, bool]:
    """What ``user`` sees of the scores: HIDDEN for an assessor who has not submitted while
    the performance is open (whatever else they are), FULL for trainers, HR and assessors who have, ANONYMOUS
    otherwise (the performer and their supervisor chain). The bool: whether the user is
    an assessor who still has to submit."""
    me = _me(user)
    assessor_ids = set(
        Assignment.objects.filter(performance=performance).values_list("assessor_id", flat=True)
    )
    if me is not None and me.pk in assessor_ids:
        if me.pk not in submitted_ids and performance.status == PerformanceStatus.OPEN:
            return HIDDEN, True
        # Submitted, or the performance closed without their scores: nothing left to sway.
        return FULL, False
    if can_manage_roleplays(user):
        return FULL, False
    return ANONYMOUS, False


def performance_view(*, user: Any, performance: Performance) -> PerformanceView:
    """Everything the performance page shows to ``user`` (who may read it: use
    :func:`performance_get_for_user` first), under the independence rule."""
    roleplay = performance.roleplay
    criteria = list(roleplay.criteria.order_by("order", "pk"))
    sheets = list(
        AssessorScore.objects.filter(performance=performance)
        .select_related("assessor")
        .prefetch_related(
            "criterion_scores",
            Prefetch("toolkit_versions", queryset=ToolkitVersion.objects.select_related("item")),
        )
        .order_by("submitted_at", "pk")
    )
    submitted_ids = {s.assessor_id for s in sheets}
    mode, awaiting = reader_mode(user=user, performance=performance, submitted_ids=submitted_ids)
    assessors = [
        a.assessor
        for a in Assignment.objects.filter(performance=performance)
        .select_related("assessor")
        .order_by("pk")
    ]
    me = _me(user)
    my_sheet = next((s for s in sheets if me is not None and s.assessor_id == me.pk), None)
    # The performer and their chain see the results once every named assessor has scored
    # or the performance is closed, never one early assessor's scores.
    pending = (
        mode == ANONYMOUS
        and performance.status == PerformanceStatus.OPEN
        and not {a.pk for a in assessors} <= submitted_ids
    )
    if mode == HIDDEN or pending:
        sheets = []
    if mode == HIDDEN:
        # Before submitting, an assessor learns neither who the others are nor who scored.
        assessors, submitted_ids = [], set()
    rows: list[CriterionRow] = []
    weights = {c.pk: c.weight for c in criteria}
    for c in criteria:
        pairs = []
        for s in sheets:
            cs = next((x for x in s.criterion_scores.all() if x.criterion_id == c.pk), None)
            pairs.append((s, cs))
        values = [cs.value for _s, cs in pairs if cs is not None]
        rows.append(
            CriterionRow(
                criterion=c,
                spread=agreement.spread(values, roleplay.disagreement_threshold),
                scores=pairs,
                comments=[cs.comment for _s, cs in pairs if cs is not None and cs.comment],
            )
        )
    results = [
        agreement.weighted_percent(
            {x.criterion_id: x.value for x in s.criterion_scores.all()}, weights, roleplay.scale_max
        )
        for s in sheets
        if weights and {x.criterion_id for x in s.criterion_scores.all()} >= set(weights)
    ]
    versions: dict[int, ToolkitVersion] = {}
    for s in sheets:
        for v in s.toolkit_versions.all():
            versions[v.pk] = v
    return PerformanceView(
        performance=performance,
        mode=mode,
        criteria=rows,
        sheets=sheets,
        result=agreement.mean(results),
        assessors=assessors,
        submitted_ids=submitted_ids,
        awaiting_me=awaiting,
        results_pending=pending,
        my_sheet=my_sheet,
        toolkit_versions=sorted(versions.values(), key=lambda v: (v.item.code, v.number)),
        overall_comments=[s.comment for s in sheets if s.comment],
    )


# --- scenario_score (DESIGN.md §5) ----------------------------------------------------------


def performance_results(
    *, start: dt.date, end: dt.date
) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Role-play results completed in [start, end], per performer (employee id): a list of
    (performed_on, result) in date order. "Completed in period": ``performed_on`` in the
    period and at least one submitted score. The result: the mean over the submitted
    assessor scores of the weighted rubric total as % of its maximum,
    Σ wᵢ·vᵢ / (Σ wᵢ · scale_max) × 100 (unrounded). Three queries whatever the number of
    performances."""
    rows = list(
        CriterionScore.objects.filter(
            assessor_score__performance__performed_on__gte=start,
            assessor_score__performance__performed_on__lte=end,
        ).values_list(
            "assessor_score_id",
            "assessor_score__performance_id",
            "criterion_id",
            "value",
        )
    )
    perf_ids = {r[1] for r in rows}
    performances = {
        p["pk"]: p
        for p in Performance.objects.filter(pk__in=perf_ids).values(
            "pk", "performer_id", "performed_on", "roleplay_id", "roleplay__scale_max"
        )
    }
    weights: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for rp_id, c_id, weight in Criterion.objects.filter(
        roleplay_id__in={p["roleplay_id"] for p in performances.values()}
    ).values_list("roleplay_id", "pk", "weight"):
        weights[rp_id][c_id] = weight
    sheets: dict[int, tuple[int, dict[int, Decimal]]] = {}
    for sheet_id, perf_id, c_id, value in rows:
        sheets.setdefault(sheet_id, (perf_id, {}))[1][c_id] = value
    per_performance: dict[int, list[Decimal]] = defaultdict(list)
    for perf_id, values in sheets.values():
        p = performances[perf_id]
        rubric = weights[p["roleplay_id"]]
        if rubric and set(values) >= set(rubric):
            per_performance[perf_id].append(
                agreement.weighted_percent(values, rubric, p["roleplay__scale_max"])
            )
    out: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for perf_id, results in per_performance.items():
        p = performances[perf_id]
        averaged = agreement.mean(results)
        if averaged is not None:
            out[p["performer_id"]].append((p["performed_on"], averaged))
    for items in out.values():
        items.sort(key=lambda t: t[0])
    return dict(out)

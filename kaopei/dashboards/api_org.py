"""Dashboards API: the organisation dashboard's figures (HR admins and executives, 403 for
everyone else), the same as the page ``dashboards:org`` (and ``dashboards:unit`` with
``unit=``).

- ``GET /dashboards/org?cycle=&unit=``: the figures of a published cycle (the latest without
  ``cycle``), for the bank or a unit's subtree. 404 for an unknown or unscored cycle or an
  unknown unit, or when no cycle has been scored yet.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import QueryEx, Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.api_params import text_param
from kaopei.dashboards.selectors_org import (
    org_cycle_get,
    org_figures,
    org_unit_get,
    require_org_reader,
    suggestion_themes_visible,
)

router = Router(tags=["dashboards"])


class OrgGradeRowOut(Schema):
    code: str
    name: str
    counts: list[int]
    total: int


class OrgHeatRowOut(Schema):
    code: str
    name: str
    cells: list[float | None]


class OrgTrendOut(Schema):
    code: str
    kind: str
    people: int
    mean_total: float | None
    shares: list[float]


class ImportOut(Schema):
    kind: str
    at: datetime
    by: str
    rows: int
    file_name: str


class StaleOut(Schema):
    kind: str
    unit: str
    name: str
    last: date


class OrgEffectOut(Schema):
    course: str
    title: str
    level: str
    item: str
    trained: int
    comparison: int | None
    value: float | None


class SuggestionCountOut(Schema):
    about: str
    status: str
    count: int


class OrgOut(Schema):
    cycle: str
    unit: str | None
    grades: list[str]
    rows: list[OrgGradeRowOut]
    totals: list[int]
    people: int
    levels: list[OrgGradeRowOut]
    metrics: list[str]
    attainment: list[OrgHeatRowOut]
    trend: list[OrgTrendOut]
    last_year: OrgTrendOut | None
    ninebox: list[list[int]]
    ninebox_not_placed: int
    freshness_days: int
    imports: list[ImportOut]
    stale: list[StaleOut]
    effect_cycle: str | None
    effect: list[OrgEffectOut]
    suggestions: list[SuggestionCountOut]
    themes: list[tuple[str, int]]


def _f(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _row(r: object) -> OrgGradeRowOut:
    return OrgGradeRowOut(code=r.code, name=r.name, counts=r.counts, total=r.total)  # type: ignore[attr-defined]


def _trend(p: object) -> OrgTrendOut:
    return OrgTrendOut(
        code=p.code,  # type: ignore[attr-defined]
        kind=p.kind,  # type: ignore[attr-defined]
        people=p.people,  # type: ignore[attr-defined]
        mean_total=_f(p.mean_total),  # type: ignore[attr-defined]
        shares=[float(s) for s in p.shares],  # type: ignore[attr-defined]
    )


@router.get("/dashboards/org", response={200: OrgOut, **ERRORS})
def org(
    request: HttpRequest,
    cycle: QueryEx[str, text_param(10, "A published cycle code, e.g. 2026Q1.")] = "",
    unit: QueryEx[str, text_param(40, "A unit code: its subtree only.")] = "",
) -> OrgOut:
    """The organisation dashboard's figures of a cycle (HR admins and executives)."""
    require_org_reader(request.user)
    found = org_cycle_get(user=request.user, code=cycle or None)
    if found is None:
        raise Http404("No cycle has been scored yet.")
    the_unit = org_unit_get(user=request.user, code=unit) if unit else None
    fig = org_figures(user=request.user, cycle=found, unit=the_unit)
    return OrgOut(
        cycle=fig.cycle_code,
        unit=fig.unit_code,
        grades=fig.grades,
        rows=[_row(r) for r in fig.rows],
        totals=fig.totals,
        people=fig.people,
        levels=[_row(r) for r in fig.levels],
        metrics=fig.metrics,
        attainment=[
            OrgHeatRowOut(code=h.code, name=h.name, cells=[_f(c) for c in h.cells])
            for h in fig.heat
        ],
        trend=[_trend(p) for p in fig.trend],
        last_year=_trend(fig.last_year) if fig.last_year else None,
        ninebox=fig.ninebox,
        ninebox_not_placed=fig.ninebox_not_placed,
        freshness_days=fig.freshness_days,
        imports=[
            ImportOut(kind=i.kind, at=i.at, by=i.by, rows=i.rows, file_name=i.file_name)
            for i in fig.imports
        ],
        stale=[StaleOut(kind=s.kind, unit=s.code, name=s.name, last=s.last) for s in fig.stale],
        effect_cycle=fig.effect_cycle,
        effect=[
            OrgEffectOut(
                course=e.course,
                title=e.title,
                level=e.level,
                item=e.item,
                trained=e.trained,
                comparison=e.comparison,
                value=_f(e.value),
            )
            for e in fig.effect
        ],
        suggestions=[SuggestionCountOut(about=a, status=s, count=n) for a, s, n in fig.suggestions],
        themes=fig.themes if suggestion_themes_visible(request.user) else [],
    )

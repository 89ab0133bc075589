"""The tables under the organisation dashboard's charts as files (``?export=csv|xlsx&table=``):
the same figures the page shows, numbers as numbers, headers in the reader's language.
Reads only, like the rest of the dashboards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaopei.assessment.templatetags.grades import grade_name
from kaopei.core.params import BadParameter
from kaopei.core.table_export import Column, table_response
from kaopei.dashboards.selectors_org import OrgFigures, Row

Table = tuple[list[Column], list[list[Any]]]


def _grade_table(first: Any, rows: Sequence[Row], grades: Sequence[str]) -> Table:
    columns = [Column("name", first)]
    columns += [Column(f"g{i}", grade_name(g), "number") for i, g in enumerate(grades)]
    columns.append(Column("total", gettext_lazy("People"), "number"))
    return columns, [[r.name, *r.counts, r.total] for r in rows]


def _branches(fig: OrgFigures) -> Table:
    first = gettext_lazy("Unit") if fig.unit_code else gettext_lazy("Branch")
    return _grade_table(first, fig.rows, fig.grades)


def _levels(fig: OrgFigures) -> Table:
    return _grade_table(gettext_lazy("Job level"), fig.levels, fig.grades)


def _attainment(fig: OrgFigures) -> Table:
    columns = [Column("unit", gettext_lazy("Unit"))]
    columns += [
        Column(f"m{i}", _("%(metric)s (attainment %%)") % {"metric": m}, "number")
        for i, m in enumerate(fig.metrics)
    ]
    return columns, [[r.name, *r.cells] for r in fig.heat]


def _trend(fig: OrgFigures) -> Table:
    columns = [
        Column("cycle", gettext_lazy("Cycle")),
        Column("people", gettext_lazy("People"), "number"),
        Column("mean", gettext_lazy("Mean total"), "number"),
    ]
    columns += [
        Column(f"s{i}", _("%(grade)s (share %%)") % {"grade": grade_name(g)}, "number")
        for i, g in enumerate(fig.grades)
    ]
    return columns, [[p.code, p.people, p.mean_total, *p.shares] for p in fig.trend]


def _freshness(fig: OrgFigures) -> Table:
    columns = [
        Column("kind", gettext_lazy("Import kind")),
        Column("at", gettext_lazy("Last import"), "date"),
        Column("by", gettext_lazy("By")),
        Column("rows", gettext_lazy("Rows"), "number"),
        Column("file", gettext_lazy("File")),
    ]
    return columns, [[i.kind, i.at, i.by, i.rows, i.file_name] for i in fig.imports]


def _stale(fig: OrgFigures) -> Table:
    columns = [
        Column("kind", gettext_lazy("Import kind")),
        Column("code", gettext_lazy("Unit code")),
        Column("name", gettext_lazy("Unit")),
        Column("last", gettext_lazy("Last record"), "date"),
    ]
    return columns, [[s.kind, s.code, s.name, s.last] for s in fig.stale]


def _effect(fig: OrgFigures) -> Table:
    columns = [
        Column("course", gettext_lazy("Course code")),
        Column("title", gettext_lazy("Course")),
        Column("level", gettext_lazy("Level")),
        Column("item", gettext_lazy("Item")),
        Column("trained", gettext_lazy("Trained"), "number"),
        Column("comparison", gettext_lazy("Comparison group"), "number"),
        Column("value", gettext_lazy("Value"), "number"),
    ]
    rows = [
        [e.course, e.title, e.level, e.item, e.trained, e.comparison, e.value] for e in fig.effect
    ]
    return columns, rows


TABLES: dict[str, Callable[[OrgFigures], Table]] = {
    "grades": _branches,
    "levels": _levels,
    "attainment": _attainment,
    "trend": _trend,
    "freshness": _freshness,
    "stale": _stale,
    "effect": _effect,
}


def org_table_response(*, fig: OrgFigures, table: str, fmt: str) -> HttpResponse:
    """One of the dashboard's tables (``TABLES``) as a download; BadParameter (400 with the
    names it takes) for a table it does not have."""
    build = TABLES.get(table)
    if build is None:
        raise BadParameter(
            _("There is no table “%(table)s” to export: choose one of %(names)s.")
            % {"table": table[:40], "names": ", ".join(TABLES)}
        )
    columns, rows = build(fig)
    where = fig.unit_code or "org"
    return table_response(
        columns=columns, rows=rows, fmt=fmt, name=f"{where}-{table}-{fig.cycle_code}"
    )


def team_heatmap_response(*, team: Any, fmt: str) -> HttpResponse:
    """The supervisor's heatmap (people × metrics, attainment %) as a download."""
    columns = [
        Column("no", gettext_lazy("Employee no.")),
        Column("name", gettext_lazy("Name")),
        Column("grade", gettext_lazy("Grade")),
        Column("total", gettext_lazy("Total"), "number"),
    ]
    columns += [
        Column(f"m{i}", _("%(metric)s (attainment %%)") % {"metric": m.name}, "number")
        for i, m in enumerate(team.metrics)
    ]
    rows = [
        [
            r.person.employee_no,
            r.person.name,
            grade_name(r.card.grade),
            r.card.total,
            *r.cells,
        ]
        for r in team.heat
    ]
    code = team.cycle.code if team.cycle else ""
    return table_response(columns=columns, rows=rows, fmt=fmt, name=f"team-heatmap-{code}")

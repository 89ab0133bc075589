"""Training-effect pages (DESIGN.md §8 ⚑): every course's Kirkpatrick figures of a quarter,
by course and by module, and one course's figures with a reading in words and charts.
Trainers, HR admins and executives read them (aggregates under the ≥ 3 rule)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaopei.assessment.models import Cycle, Metric
from kaopei.org.models import Competency
from kaopei.training import rules
from kaopei.training.effect import MIN_GROUP, EffectRow, around
from kaopei.training.models import Course, Module
from kaopei.training.selectors import effect as sel

SORTS = ("course", "trained", "l1", "l2")


def _not_found(request: HttpRequest, detail: str) -> HttpResponse:
    return render(
        request, "core/error.html", {"title": _("Not found"), "detail": detail}, status=404
    )


def _cycle_or_error(request: HttpRequest, code: str) -> Cycle | HttpResponse:
    try:
        return sel.effect_cycle(code)
    except sel.EffectCycleError as exc:
        return _not_found(request, str(exc.message))


def number(value: Decimal | None, places: int = 2) -> str:
    """A figure for reading: ``places`` decimals, "—" when empty."""
    if value is None:
        return "—"
    return f"{value:.{places}f}"


def reading(row: EffectRow, names: dict[str, str]) -> str:
    """The row in plain words (DESIGN.md §8: say what an empty value means)."""
    if row.level == "L1":
        return _("%(n)d completed enrolments were rated; the mean reaction is %(v)s out of 5.") % {
            "n": row.trained,
            "v": number(row.value),
        }
    if row.level == "L2":
        assert row.value is not None
        if row.value >= 0:
            return _(
                "%(n)d trained people took both tests; post-test scores were %(v)s points "
                "higher than pre-test scores on average."
            ) % {"n": row.trained, "v": number(row.value, 1)}
        return _(
            "%(n)d trained people took both tests; post-test scores were %(v)s points "
            "lower than pre-test scores on average."
        ) % {"n": row.trained, "v": number(-row.value, 1)}
    name = names.get(row.item, row.item)
    if row.value is None:
        if row.trained < MIN_GROUP:
            return _(
                "Too few to conclude: %(n)d trained people with figures in both quarters, "
                "at least %(min)d needed."
            ) % {"n": row.trained, "min": MIN_GROUP}
        return _(
            "Too few to conclude: %(n)d people in the comparison group with figures in both "
            "quarters, at least %(min)d needed."
        ) % {"n": row.comparison or 0, "min": MIN_GROUP}
    if row.level == "L3":
        amount = number(abs(row.value))
        if row.value >= 0:
            text = _(
                "Trained people's 360 score on “%(item)s” rose %(v)s more (on the 1–5 scale) "
                "than the comparison group's."
            )
        else:
            text = _(
                "Trained people's 360 score on “%(item)s” rose %(v)s less (on the 1–5 scale) "
                "than the comparison group's."
            )
        return text % {"item": name, "v": amount}
    amount = number(abs(row.value) * 100, 1)
    if row.value >= 0:
        text = _(
            "Trained people's “%(item)s” attainment rose %(v)s points more than the "
            "comparison group's."
        )
    else:
        text = _(
            "Trained people's “%(item)s” attainment rose %(v)s points less than the "
            "comparison group's."
        )
    return text % {"item": name, "v": amount}


def _names(rows: list[EffectRow]) -> dict[str, str]:
    competencies = {r.item for r in rows if r.level == "L3"}
    metrics = {r.item for r in rows if r.level == "L4"}
    out = {c.code: str(c) for c in Competency.objects.filter(code__in=competencies)}
    out.update({m.code: str(m.name) for m in Metric.objects.filter(code__in=metrics)})
    return out


def _value(rows: list[EffectRow], level: str) -> Decimal | None:
    for r in rows:
        if r.level == level:
            return r.value
    return None


@require_GET
def effect_index(request: HttpRequest) -> HttpResponse:
    sel.require_effect_reader(request.user)
    cycles = sel.effect_cycles()
    code = request.GET.get("cycle") or (cycles[0].code if cycles else "")
    context: dict[str, Any] = {"cycles": cycles, "cycle": None, "courses": [], "modules": []}
    if code:
        found = _cycle_or_error(request, code)
        if isinstance(found, HttpResponse):
            return found
        period = sel.effect_period(found.code)
        before, after = around(period)
        blocks = sel.effect_by_course(period)
        lines: list[dict[str, Any]] = []
        for b in blocks:
            l3 = [r for r in b.rows if r.level == "L3"]
            l4 = [r for r in b.rows if r.level == "L4"]
            lines.append(
                {
                    "course": b.course,
                    "trained": b.block.trained,
                    "comparison": b.block.comparison,
                    "l1": _value(b.rows, "L1"),
                    "l2": _value(b.rows, "L2"),
                    "l3": [r for r in l3 if r.value is not None],
                    "l4": [r for r in l4 if r.value is not None],
                    "l3_total": len(l3),
                    "l4_total": len(l4),
                }
            )
        sort = request.GET.get("sort", "course")
        if sort not in SORTS:
            sort = "course"
        if sort != "course":
            lines.sort(
                key=lambda line: (line[sort] is None, -(line[sort] or 0), line["course"].code)
            )
        module_counts = sel.module_trained_counts(period)
        labels = dict(Module.choices)
        modules = []
        for module in sorted({line["course"].module for line in lines}):
            modules.append(
                {
                    "module": module,
                    "label": labels.get(module, module),
                    "trained": module_counts.get(module, 0),
                    "courses": [line for line in lines if line["course"].module == module],
                }
            )
        context.update(
            cycle=found, before=before, after=after, courses=lines, modules=modules, sort=sort
        )
    return render(request, "training/effect/index.html", context)


def _chart(rows: list[EffectRow], names: dict[str, str], title: str, scale: int) -> dict[str, Any]:
    shown = [r for r in rows if r.value is not None]
    return {
        "title": {"text": title, "textStyle": {"fontSize": 13}},
        "tooltip": {},
        "grid": {"left": 120, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [names.get(r.item, r.item) for r in shown]},
        "series": [
            {
                "type": "bar",
                "data": [float(r.value * scale) for r in shown if r.value is not None],
                "label": {"show": True, "position": "right"},
            }
        ],
    }


@require_GET
def effect_course(request: HttpRequest, cycle: str, code: str) -> HttpResponse:
    sel.require_effect_reader(request.user)
    found = _cycle_or_error(request, cycle)
    if isinstance(found, HttpResponse):
        return found
    course = Course.objects.filter(code=code).first()
    if course is None:
        return _not_found(request, _("There is no course %(code)s.") % {"code": code})
    period = sel.effect_period(found.code)
    before, after = around(period)
    blocks = sel.effect_by_course(period, course=course)
    block = blocks[0].block if blocks else None
    rows = block.rows if block else []
    names = _names(rows)
    lines: list[dict[str, Any]] = [
        {"row": r, "name": names.get(r.item, r.item), "reading": reading(r, names)} for r in rows
    ]
    l3 = [r for r in rows if r.level == "L3"]
    l4 = [r for r in rows if r.level == "L4"]
    charts = []
    if any(r.value is not None for r in l3):
        charts.append(
            (
                "kp-effect-l3",
                _chart(l3, names, _("L3 behaviour: 360 change, trained − comparison"), 1),
                [line for line in lines if line["row"].level == "L3"],
            )
        )
    if any(r.value is not None for r in l4):
        charts.append(
            (
                "kp-effect-l4",
                _chart(
                    l4,
                    names,
                    _("L4 results: attainment change in points, trained − comparison"),
                    100,
                ),
                [line for line in lines if line["row"].level == "L4"],
            )
        )
    return render(
        request,
        "training/effect/course.html",
        {
            "cycle": found,
            "course": course,
            "before": before,
            "after": after,
            "effect": block,
            "lines": lines,
            "charts": charts,
            "min_group": MIN_GROUP,
        },
    )


def effect_panel_context(request: HttpRequest, course: Course) -> dict[str, Any] | None:
    """The course page's panel: the latest quarter's L1/L2 in a line and a link."""
    if not rules.can_see_effect(request.user):
        return None
    cycle = sel.latest_effect_cycle(course)
    if cycle is None:
        return None
    rows = sel.course_effect_rows(sel.effect_period(cycle.code), course)
    return {
        "cycle": cycle,
        "course": course,
        "l1": next((r for r in rows if r.level == "L1"), None),
        "l2": next((r for r in rows if r.level == "L2"), None),
    }

"""Scorecards in words: numbers with units, deltas, scoring rules, reasons for missing data,
the gap to the next grade and the run-rate projection — shared by the scorecard pages (and
by any report that needs the same wording).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaopei.assessment.grades import INSUFFICIENT, UNQUALIFIED
from kaopei.assessment.models import Appeal, Metric, Scorecard, ScoreLine
from kaopei.core.history import person_name

PER_PAGE = 50
EVIDENCE_PER_PAGE = 100
# The names of the grades the engine sets; a policy's grades show their code.
GRADE_LABELS: dict[str, Promise] = {
    UNQUALIFIED: gettext_lazy("Unqualified"),
    INSUFFICIENT: gettext_lazy("Insufficient data"),
}

# Why a line has no data, by metric (DESIGN.md §5: ratios and averages over nothing).
NO_DATA_REASONS: dict[str, Promise] = {
    "customer_growth_rate": gettext_lazy(
        "No customers were owned at the start of the cycle (N_start = 0), so there is no "
        "growth rate."
    ),
    "response_hours": gettext_lazy("No activity in the period recorded a response time."),
    "opportunity_win_rate": gettext_lazy("No opportunity was won or lost in the period."),
    "collection_days": gettext_lazy(
        "Nothing was invoiced in the period and nothing was outstanding at its end."
    ),
    "complaint_resolution_rate": gettext_lazy("No complaint was opened in the period."),
    "nps": gettext_lazy("No customer survey response in the period."),
    "csat": gettext_lazy("No survey response with a satisfaction score in the period."),
    "strategic_coverage": gettext_lazy(
        "No strategic customers were owned at the end of the period."
    ),
    "training_hours": gettext_lazy("No completed training sessions are recorded for the period."),
    "quiz_score": gettext_lazy("No quiz was taken in the period."),
    "competency_360": gettext_lazy("No 360° ratings about this person in the cycle's round."),
    "quarterly_average": gettext_lazy("No quarterly scorecard of this year has a total yet."),
}
NO_MANUAL_SCORE = gettext_lazy("No score was entered for this cycle.")
NO_RECORDS = gettext_lazy("There were no records to compute this metric from in the period.")


# --- Numbers in words ------------------------------------------------------------------------


def fmt_number(value: Decimal, places: int = 2, rounding: str = ROUND_HALF_UP) -> str:
    """A number with thousands separators, at most ``places`` decimals, no trailing zeros."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    text = f"{q:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cents(value: Decimal) -> str:
    """Points, contributions and totals: always two decimals, as they are rounded."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"


def _places(unit: str) -> int:
    return 0 if unit == "count" else 2


def fmt_value(value: Decimal | None, unit: str, rounding: str = ROUND_HALF_UP) -> str:
    """A metric value with its unit: ¥1,234,567, 62.5%, 8.79 hours, 12 (a count)."""
    if value is None:
        return "—"
    text = fmt_number(value, _places(unit), rounding)
    if unit == "元":
        return text.replace("-", "−¥") if text.startswith("-") else f"¥{text}"
    if unit == "%":
        return f"{text}%"
    if unit == "hours":
        return _("%(n)s hours") % {"n": text}
    if unit == "days":
        return _("%(n)s days") % {"n": text}
    return text


def fmt_delta(delta: Decimal, unit: str) -> str:
    """A signed change, rounded away from zero so that it still reaches the goal:
    +6, +¥180,000, −3.13 hours, +5.5 percentage points."""
    sign = "+" if delta >= 0 else "−"
    text = fmt_number(abs(delta), _places(unit), ROUND_UP)
    if unit == "元":
        return f"{sign}¥{text}"
    if unit == "%":
        return sign + _("%(n)s percentage points") % {"n": text}
    if unit == "hours":
        return sign + _("%(n)s hours") % {"n": text}
    if unit == "days":
        return sign + _("%(n)s days") % {"n": text}
    return sign + text


def attainment_rule(metric: Metric, cap: Decimal, bound: Decimal | None = None) -> str:
    """How a line's attainment and points are computed (DESIGN.md §6), in words; ``bound``
    is the band's floor or ceiling in force for the line (the metric's when None)."""
    higher = metric.direction == Metric.Direction.HIGHER
    if metric.mode == Metric.Mode.DIRECT:
        rule = _("Attainment = actual ÷ 100.")
    elif metric.mode == Metric.Mode.RATIO:
        rule = (
            _("Attainment = actual ÷ target.")
            if higher
            else _("Attainment = target ÷ actual (an actual of 0 earns the cap).")
        )
    elif higher:
        bound = bound if bound is not None else metric.floor
        rule = _("Attainment = (actual − floor) ÷ (target − floor), with floor %(floor)s.") % {
            "floor": fmt_number(bound) if bound is not None else "—"
        }
    else:
        bound = bound if bound is not None else metric.ceiling
        rule = _(
            "Attainment = (ceiling − actual) ÷ (ceiling − target), with ceiling %(ceiling)s."
        ) % {"ceiling": fmt_number(bound) if bound is not None else "—"}
    points = _("Points = attainment × 100, between 0 and %(cap)s.") % {"cap": fmt_number(cap * 100)}
    return f"{rule} {points}"


def no_data_reason(line: ScoreLine) -> str:
    """Why a line is left out of the total."""
    if line.warning == "target_missing":
        if line.target is None:
            return _("No target set.")
        return _(
            "The target %(target)s cannot be used for scoring (a ratio needs a target "
            "above 0; a band needs one better than its floor or ceiling)."
        ) % {"target": fmt_value(line.target, line.metric.unit)}
    if line.metric.source == Metric.Source.MANUAL:
        return str(NO_MANUAL_SCORE)
    return str(NO_DATA_REASONS.get(line.metric.code, NO_RECORDS))


@dataclass
class LineRow:
    line: ScoreLine
    metric: Metric
    actual: str
    target: str
    attainment: str
    points: str
    weight: str
    cap: str
    contribution: str
    reason: str = ""
    note: str = ""
    projected: str = ""
    open_appeal: Appeal | None = None


def line_rows(
    card: Scorecard, lines: list[ScoreLine], open_appeals: dict[int, Appeal]
) -> list[LineRow]:
    projected = (card.projection or {}).get("lines", {})
    rows = []
    for line in lines:
        unit = line.metric.unit
        scored = line.has_data and line.points is not None
        contribution = ""
        if scored and card.weight_with_data:
            assert line.points is not None
            contribution = _cents(line.points * line.weight / card.weight_with_data)
        note = ""
        if scored and line.actual is None:
            note = _(
                "Receivables were outstanding at the end with nothing invoiced in the "
                "period: attainment 0."
            )
        value = projected.get(line.metric.code)
        rows.append(
            LineRow(
                line=line,
                metric=line.metric,
                actual=fmt_value(line.actual, unit),
                target=fmt_value(line.target, unit),
                attainment=f"{fmt_number(line.attainment * 100, 1)}%"
                if line.attainment is not None
                else "—",
                points=_cents(line.points) if line.points is not None else "—",
                weight=fmt_number(line.weight),
                cap=fmt_number(line.cap * 100),
                contribution=contribution,
                reason="" if scored else no_data_reason(line),
                note=note,
                projected=fmt_value(Decimal(value), unit) if value is not None else "",
                open_appeal=open_appeals.get(line.metric_id),
            )
        )
    return rows


@dataclass
class GapText:
    grade: str
    minimum: str
    summary: str
    items: list[str] = field(default_factory=list)


def gap_text(
    gaps: list[dict[str, Any]], metrics: dict[str, Metric], bands: list[Any]
) -> GapText | None:
    """The engine's gaps to the next grade (``selectors.scorecard_gaps``) in words: "+6
    visits or +¥180,000 sales". Needed values round towards the side that still reaches the
    grade."""
    if not gaps:
        return None
    short, items = [], []
    grade = str(gaps[0]["grade"])
    for gap in gaps:
        metric = metrics.get(gap["metric"])
        if metric is None:
            continue
        unit = metric.unit
        towards = ROUND_CEILING if metric.direction == Metric.Direction.HIGHER else ROUND_FLOOR
        delta = fmt_delta(Decimal(gap["delta"]), unit)
        short.append(_("%(metric)s %(delta)s") % {"delta": delta, "metric": metric.name})
        items.append(
            _("%(metric)s %(delta)s (from %(actual)s to %(needed)s)")
            % {
                "metric": metric.name,
                "delta": delta,
                "actual": fmt_value(Decimal(gap["actual"]), unit),
                "needed": fmt_value(Decimal(gap["needed"]), unit, towards),
            }
        )
    if not items:
        return None
    band = next((b for b in bands if b.grade == grade), None)
    minimum = fmt_number(band.min_total) if band is not None and band.min_total is not None else ""
    return GapText(grade=grade, minimum=minimum, summary=_(" or ").join(short), items=items)


def projection_text(card: Scorecard) -> dict[str, Any] | None:
    p = card.projection or {}
    if not p or p.get("elapsed") is None:
        return None
    return {
        "elapsed": f"{fmt_number(Decimal(p['elapsed']) * 100, 0)}%",
        "total": fmt_number(Decimal(p["total"])) if p.get("total") is not None else "—",
        "grade": p.get("grade", ""),
    }


def cell_text(value: Any) -> str:
    if callable(value):
        value = value()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return fmt_number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, AbstractBaseUser):  # who did it: their name, not their login
        return person_name(value)
    return str(value)


def attr_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj

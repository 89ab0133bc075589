"""Rater bias before calibration (HR admins): lenient and severe raters, and each rater's
distribution — for ATTRIBUTED ratings only.

- 360 supervisor answers: a supervisor's mean over the people they rated, against the mean
  of the other displayed scores of the same people and competencies. "The others" are
  derived from displayed rows only: ``all_raters`` minus the ``supervisor`` row (totals and
  responses alike), so nothing withheld enters and no anonymous rater is ever singled out.
- Manual scores with a rater (``assessment.ManualScore.rater``): a rater's mean per metric
  against the mean of every rater of that metric in the cycle.

A rater is flagged lenient (severe) when their mean is at least ``THRESHOLD`` of the scale
above (below) the others', having rated at least ``MIN_PEOPLE`` people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kaopei.assessment.models import Cycle, ManualScore
from kaopei.feedback.anonymity import ALL_RATERS, SUPERVISOR, round_half_up
from kaopei.feedback.models import FeedbackRound, Relationship, Response
from kaopei.feedback.selectors.report_pages import is_closed
from kaopei.feedback.selectors.reports import round_report_rows
from kaopei.org.models import Employee

# On the 1–5 scale: half a point; on other scales the same share (an eighth of the range).
THRESHOLD = Decimal("0.5")
SCALE_SHARE = Fraction(1, 8)
MIN_PEOPLE = 3
LENIENT, SEVERE, IN_LINE, TOO_FEW = "lenient", "severe", "in_line", "too_few"
BANDS_1_5 = (1, 2, 3, 4, 5)


def verdict(diff: Fraction | None, people: int, threshold: Fraction) -> str:
    if diff is None or people < MIN_PEOPLE:
        return TOO_FEW
    if diff >= threshold:
        return LENIENT
    if diff <= -threshold:
        return SEVERE
    return IN_LINE


def _dec(value: Fraction) -> Decimal:
    sign = -1 if value < 0 else 1
    return sign * round_half_up(abs(value))


@dataclass
class RaterLine:
    rater: Employee
    people: int
    ratings: int
    mean: Decimal
    others_mean: Decimal | None
    diff: Decimal | None
    verdict: str
    bands: list[tuple[str, int]] = field(default_factory=list)


def supervisor_bias(feedback_round: FeedbackRound) -> list[RaterLine]:
    """Each supervisor who answered the round, from its displayed rows (closed rounds only).

    The supervisor's mean and the others' mean are both over the subject × competency pairs
    where the others have a displayed score, so the two are about the same people."""
    if not is_closed(feedback_round):
        return []
    rater_of = dict(
        Response.objects.filter(round=feedback_round, relationship=Relationship.SUPERVISOR)
        .order_by()
        .values_list("subject_id", "rater_id")
    )
    by_key: dict[tuple[int, int], dict[str, Any]] = defaultdict(dict)
    for row in round_report_rows(feedback_round.pk, list(rater_of)):
        if row.group in (SUPERVISOR, ALL_RATERS):
            by_key[(row.subject_id, row.competency_id)][row.group] = row
    acc: dict[int, dict[str, Any]] = {}
    for (subject_id, _cid), rows in by_key.items():
        sup = rows.get(SUPERVISOR)
        if sup is None:
            continue
        a = acc.setdefault(
            rater_of[subject_id],
            {
                "people": set(),
                "all": [],
                "mine": Fraction(0),
                "n": 0,
                "others": Fraction(0),
                "on": 0,
            },
        )
        a["people"].add(subject_id)
        score = sup.total / sup.responses
        a["all"].append(score)
        everyone = rows[ALL_RATERS]
        others_n = everyone.responses - sup.responses
        if others_n > 0:
            a["mine"] += sup.total
            a["n"] += sup.responses
            a["others"] += everyone.total - sup.total
            a["on"] += others_n
    raters = Employee.objects.in_bulk(list(acc))
    out = []
    for rater_id, a in acc.items():
        every = a["all"]
        mine = Fraction(sum(every, Fraction(0))) / len(every)
        diff = None
        others_mean = None
        if a["on"]:
            others = a["others"] / a["on"]
            others_mean = _dec(others)
            diff = a["mine"] / a["n"] - others
        counts = dict.fromkeys(BANDS_1_5, 0)
        for score in every:
            counts[int(round_half_up(score, Decimal(1)))] += 1
        out.append(
            RaterLine(
                rater=raters[rater_id],
                people=len(a["people"]),
                ratings=len(every),
                mean=_dec(mine),
                others_mean=others_mean,
                diff=None if diff is None else _dec(diff),
                verdict=verdict(diff, len(a["people"]), Fraction(THRESHOLD)),
                bands=[(str(b), counts[b]) for b in BANDS_1_5],
            )
        )
    out.sort(key=lambda line: line.rater.employee_no)
    return out


@dataclass
class MetricBias:
    metric: Any
    mean: Decimal
    threshold: Decimal
    raters: list[RaterLine]


def _bands(low: Decimal, high: Decimal) -> list[tuple[Decimal, Decimal]]:
    """Five equal bands over [low, high] (the 1–5 scale: one per whole score)."""
    if low >= 1 and high <= 5:
        return [(Decimal(b) - Decimal("0.5"), Decimal(b) + Decimal("0.5")) for b in BANDS_1_5]
    if high == low:
        return [(low, high)]
    step = (high - low) / 5
    return [(low + i * step, low + (i + 1) * step) for i in range(5)]


def manual_score_bias(cycle: Cycle) -> list[MetricBias]:
    """Per manual metric of the cycle scored by named raters: each rater's count, mean and
    distribution against the mean of every named rater of that metric."""
    scores = list(
        ManualScore.objects.filter(cycle=cycle, rater__isnull=False)
        .select_related("metric")
        .order_by()
        .values_list("metric_id", "rater_id", "employee_id", "value")
    )
    if not scores:
        return []
    from kaopei.assessment.models import Metric

    by_metric: dict[int, list[tuple[int, int, Decimal]]] = defaultdict(list)
    for metric_id, rater_id, employee_id, value in scores:
        by_metric[metric_id].append((rater_id, employee_id, value))
    metrics = Metric.objects.in_bulk(list(by_metric))
    raters = Employee.objects.in_bulk({r for _m, r, _e, _v in scores})
    out = []
    for metric_id, items in by_metric.items():
        values = [v for _r, _e, v in items]
        low, high = min(values), max(values)
        scale = Fraction(4) if low >= 0 and high <= 5 else Fraction(max(high - low, Decimal(1)))
        threshold = scale * SCALE_SHARE
        mean_all = Fraction(sum(values, Decimal(0))) / len(values)
        bands = _bands(Decimal(1) if high <= 5 else low, Decimal(5) if high <= 5 else high)
        per_rater: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for rater_id, employee_id, value in items:
            per_rater[rater_id].append((employee_id, value))
        lines = []
        for rater_id, theirs in per_rater.items():
            vals = [v for _e, v in theirs]
            mine = Fraction(sum(vals, Decimal(0))) / len(vals)
            others = [v for r, _e, v in items if r != rater_id]
            others_mean = Fraction(sum(others, Decimal(0))) / len(others) if others else None
            diff = mine - others_mean if others_mean is not None else None
            counts = []
            for i, (lo, hi) in enumerate(bands):
                last = i == len(bands) - 1
                n = sum(1 for v in vals if lo <= v < hi or (last and v == hi))
                label = f"{lo.normalize():f}–{hi.normalize():f}" if high > 5 else str(BANDS_1_5[i])
                counts.append((label, n))
            lines.append(
                RaterLine(
                    rater=raters[rater_id],
                    people=len({e for e, _v in theirs}),
                    ratings=len(vals),
                    mean=_dec(mine),
                    others_mean=None if others_mean is None else _dec(others_mean),
                    diff=None if diff is None else _dec(diff),
                    verdict=verdict(diff, len(theirs), threshold),
                    bands=counts,
                )
            )
        lines.sort(key=lambda line: line.rater.employee_no)
        out.append(
            MetricBias(
                metric=metrics[metric_id],
                mean=_dec(mean_all),
                threshold=_dec(threshold),
                raters=lines,
            )
        )
    out.sort(key=lambda m: m.metric.code)
    return out


def distribution_chart(line: RaterLine) -> dict[str, Any]:
    """A small bar chart of one rater's distribution (the table beside it has the counts)."""
    return {
        "grid": {"left": 30, "right": 10, "top": 10, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": [label for label, _n in line.bands]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": [n for _label, n in line.bands]}],
    }


def round_or_none(cycle: Cycle) -> FeedbackRound | None:
    return FeedbackRound.objects.filter(cycle=cycle).first()

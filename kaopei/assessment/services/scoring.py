"""Scoring a cycle end to end: metrics (set-based) → engine (pure) → scorecards and lines.

The number of queries does not depend on the number of employees: one per metric, a few to
load templates, targets and vetoes, and bulk writes in fixed-size batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.assessment import scoring as engine
from kaopei.assessment.grades import SPECIAL
from kaopei.assessment.metrics import MetricValue, Values, compute_metrics, empty_value
from kaopei.assessment.models import (
    Calibration,
    Cycle,
    GradePolicy,
    LineOverride,
    Metric,
    Target,
    Template,
    TemplateItem,
)
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_lock
from kaopei.assessment.services.scorecard_writes import (
    CardRow,
    LineRow,
    ScorecardWriter,
    existing_cards,
)
from kaopei.assessment.sources import metric_available, unavailable_reason
from kaopei.core.decimals import decimal_text
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.periods import Period, elapsed_fraction, parse_period
from kaopei.facts.models import ComplianceIncident
from kaopei.org.models import Employee

_ATTAINMENT = Decimal("0.00000001")


@dataclass
class ScoringSummary:
    cycle: str
    scored: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (employee_no, reason)
    grades: dict[str, int] = field(default_factory=dict)
    # Cards kept but marked no longer eligible by this run.
    no_longer_eligible: int = 0
    # The policy's grades best first, then the engine's (UNQUALIFIED, INSUFFICIENT).
    grade_order: list[str] = field(default_factory=list)

    def ordered_grades(self) -> list[tuple[str, int]]:
        """``grades`` in ``grade_order``, any other code after."""
        return ordered_grades(self.grades, self.grade_order)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "scored": self.scored,
            "no_longer_eligible": self.no_longer_eligible,
            "grade_order": self.grade_order,
            "grades": self.grades,
            "skipped": [{"employee_no": n, "reason": r} for n, r in self.skipped],
        }


def ordered_grades(grades: dict[str, int], order: list[str]) -> list[tuple[str, int]]:
    """Grade counts in ``order`` (a policy's grades, then the engine's), others after."""
    rank = {g: i for i, g in enumerate(order)}
    return sorted(grades.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def policy_for(cycle: Cycle) -> engine.GradePolicy:
    """The cycle's grade policy (or the default policy) as the engine's plain data. Raises
    ApplicationError when the cycle has none and no policy is the default: grades come from
    a policy an administrator can see, never from a built-in one."""
    policy = cycle.grade_policy or GradePolicy.objects.filter(is_default=True).first()
    if policy is None:
        raise ApplicationError(
            _(
                "Cycle %(code)s has no grade policy and no policy is marked as the default: "
                "choose one in the cycle's settings or mark one as the default."
            )
            % {"code": cycle.code}
        )
    bands = [
        engine.GradeBand(
            code=b.grade,
            min_total=b.min_total,
            label=b.label,
            behaviour_examples=tuple(x for x in b.behaviour.split("\n") if x),
        )
        for b in policy.bands.order_by("order")
    ]
    return engine.GradePolicy(bands=bands)


# The values a metric can take, by unit: a gap never asks for more than 100% or an NPS
# above 100. Growth rates and profit are open-ended (profit may be negative).
VALUE_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "count": (Decimal(0), None),
    "元": (Decimal(0), None),
    "hours": (Decimal(0), None),
    "days": (Decimal(0), None),
    "%": (Decimal(0), Decimal(100)),
    "points": (Decimal(-100), Decimal(100)),
    "0–100": (Decimal(0), Decimal(100)),
    "1–5": (Decimal(1), Decimal(5)),
}
OPEN_ENDED = {"profit_contribution", "customer_growth_rate", "quarterly_average"}


def metric_spec(metric: Metric) -> engine.MetricSpec:
    """The engine's view of a metric, with the range its values can take."""
    low, high = (
        (None, None) if metric.code in OPEN_ENDED else VALUE_RANGES.get(metric.unit, (None, None))
    )
    return engine.MetricSpec(
        code=metric.code,
        direction=metric.direction,  # type: ignore[arg-type]
        mode=metric.mode,  # type: ignore[arg-type]
        floor=metric.floor,
        ceiling=metric.ceiling,
        value_min=low,
        value_max=high,
    )


class Eligible(NamedTuple):
    pk: int
    employee_no: str
    level_id: int | None
    org_unit_id: int


def eligible_employees(period: Period) -> list[Eligible]:
    """Everyone employed on any day of the period (hired by its end, not left before it)."""
    return [
        Eligible(*row)
        for row in Employee.objects.filter(
            Q(hire_date__isnull=True) | Q(hire_date__lte=period.end),
            Q(left_on__isnull=True) | Q(left_on__gte=period.start),
        )
        .order_by("employee_no")
        .values_list("pk", "employee_no", "level_id", "org_unit_id")
    ]


def _targets(cycle: Cycle) -> dict[int, dict[int, Decimal]]:
    """``{metric id: {employee id: target}}`` of a cycle, in one query."""
    if connection.vendor == "postgresql":
        # One row per metric with its employees and targets as arrays: the driver converts
        # them in C, and each metric's mapping is built by dict(zip(…)).
        with connection.cursor() as cur:
            cur.execute(
                "SELECT metric_id, array_agg(employee_id), array_agg(value) "  # noqa: S608
                f"FROM {Target._meta.db_table} WHERE cycle_id = %s GROUP BY metric_id",
                [cycle.pk],
            )
            return {
                metric: dict(zip(emps, values, strict=True))
                for metric, emps, values in cur.fetchall()
            }
    out: dict[int, dict[int, Decimal]] = {}
    rows = Target.objects.filter(cycle=cycle).values_list("metric_id", "employee_id", "value")
    for metric, emp, value in rows:
        out.setdefault(metric, {})[emp] = value
    return out


def _templates(kind: str, extra_ids: set[int]) -> dict[int, Template]:
    qs = Template.objects.filter(Q(cycle_kind=kind, current=True) | Q(pk__in=extra_ids))
    templates = {t.pk: t for t in qs}
    items: dict[int, list[TemplateItem]] = {pk: [] for pk in templates}
    for item in TemplateItem.objects.filter(template_id__in=templates).select_related("metric"):
        items[item.template_id].append(item)
    for pk, t in templates.items():
        t.loaded_items = sorted(items[pk], key=lambda i: (-i.weight, i.metric.code))  # type: ignore[attr-defined]
    return templates


def _vetoes(period: Period) -> dict[int, engine.Veto]:
    out: dict[int, engine.Veto] = {}
    for emp, incident, category in (
        ComplianceIncident.objects.filter(
            confirmed=True, voided_at__isnull=True, occurred_on__range=(period.start, period.end)
        )
        .order_by("employee_id", "occurred_on", "incident_id")
        .values_list("employee_id", "incident_id", "category")
    ):
        out.setdefault(emp, engine.Veto(incident_id=incident, category=category))
    return out


def _apply_overrides(cycle: Cycle, values: dict[str, Values]) -> None:
    """Lines overridden by hand (answering an appeal) count the override's value."""
    rows = LineOverride.objects.filter(cycle=cycle).values_list(
        "employee_id", "metric__code", "value"
    )
    for emp, code, value in rows:
        if code in values:
            values[code][emp] = MetricValue(value, True)


def _employee_values(
    members: list[Eligible],
    template_items: list[TemplateItem],
    values: dict[str, Values],
    targets: dict[int, dict[int, Decimal]],
    vetoes: dict[int, engine.Veto],
) -> list[engine.EmployeeValues]:
    """Each member's values, targets and veto, in the order of the template items (built a
    column at a time, then turned into one row per member)."""
    pks = [emp.pk for emp in members]
    value_columns, target_columns = [], []
    for ti in template_items:
        found, empty = values[ti.metric.code], empty_value(ti.metric.code)
        value_columns.append([found.get(pk, empty) for pk in pks])
        goals = targets.get(ti.metric_id, {})
        target_columns.append([goals.get(pk) for pk in pks])
    if not template_items:  # zip(*[]) would give nobody
        return [engine.EmployeeValues((), (), vetoes.get(pk)) for pk in pks]
    rows = zip(
        zip(*value_columns, strict=True),
        zip(*target_columns, strict=True),
        [vetoes.get(pk) for pk in pks],
        strict=True,
    )
    return [engine.EmployeeValues(*row) for row in rows]


def _projection(
    lines: list[engine.TemplateLine],
    given: engine.EmployeeValues,
    policy: engine.GradePolicy,
    cumulative: set[str],
    fraction: Decimal,
) -> dict[str, Any]:
    """Mid-cycle: the card scored again with sums and counts run on to the cycle's end."""
    projected: list[tuple[Decimal | None, bool]] = []
    shown: dict[str, str | None] = {}
    for line, (actual, with_data) in zip(lines, given.values, strict=True):
        code = line.metric.code
        if code in cumulative and with_data and actual is not None:
            actual = engine.project_run_rate(actual, fraction)
            shown[code] = decimal_text(actual)
        projected.append((actual, with_data))
    outcome = next(engine.score_many(lines, [given._replace(values=projected, veto=None)], policy))
    return {
        "elapsed": decimal_text(fraction.quantize(Decimal("0.0001"))),
        "total": decimal_text(outcome.total),
        "grade": outcome.grade,
        "lines": shown,
    }


@transaction.atomic
def cycle_score(
    *,
    code: str,
    user: Any = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScoringSummary:
    """Score every eligible employee of cycle ``code`` (created if needed).

    Eligible: employed on any day of the cycle and with a template for their level and the
    cycle's kind; others are listed in ``skipped``. Re-scoring keeps the template version a
    scorecard already used and keeps a calibrated grade while the computed grade it was
    calibrated from still stands. The card of someone no longer eligible is kept and marked
    so (never deleted: HR removes it explicitly). Raises ConflictError, having written nothing, for a cycle
    that is final once its lock is taken.
    """
    period = parse_period(code)
    # Lock the cycle before reading anything of it (its status, its cards): a finalisation
    # or another scoring run of this cycle waits until this one commits, and this one waits
    # for them, then sees what they wrote.
    cycle = cycle_lock(pk=cycle_get_or_create(code=code).pk)
    if cycle.is_final:
        raise ConflictError(
            _("Cycle %(code)s is final: its scorecards are not scored again.")
            % {"code": cycle.code}
        )
    today = today or timezone.localdate()
    policy = policy_for(cycle)
    employees = eligible_employees(period)
    existing = existing_cards(cycle)
    calibrated = set(
        Calibration.objects.filter(scorecard__cycle=cycle).values_list("scorecard_id", flat=True)
    )
    templates = _templates(cycle.kind, {s.template_id for s in existing.values()})
    current = {
        t.level_id: t for t in templates.values() if t.current and t.cycle_kind == cycle.kind
    }
    summary = ScoringSummary(
        cycle=cycle.code, grade_order=[*(b.code for b in policy.bands), *SPECIAL]
    )
    plan: list[tuple[Eligible, Template]] = []
    reasons: dict[int, str] = {}  # employee id -> why not scored (for cards kept)
    for emp in employees:
        card = existing.get(emp.pk)
        template = templates.get(card.template_id) if card else None
        if template is None or template.level_id != emp.level_id:
            template = current.get(emp.level_id) if emp.level_id else None
        if template is None:
            summary.skipped.append((emp.employee_no, "no_template"))
            reasons[emp.pk] = "no_template"
            continue
        plan.append((emp, template))

    used = {t.pk: t for _, t in plan}
    metrics = {i.metric.code: i.metric for t in used.values() for i in t.loaded_items}  # type: ignore[attr-defined]
    for template in used.values():
        for item in template.loaded_items:  # type: ignore[attr-defined]
            if not metric_available(code=item.metric.code, source=item.metric.source):
                raise ApplicationError(
                    _("Template %(template)s cannot be scored: %(reason)s")
                    % {"template": template, "reason": unavailable_reason(item.metric.code)}
                )
    manual = {c for c, m in metrics.items() if m.source == Metric.Source.MANUAL}
    values = compute_metrics(metrics, period=period, cycle_id=cycle.pk, manual_codes=manual)
    _apply_overrides(cycle, values)
    targets = _targets(cycle)
    vetoes = _vetoes(period)
    cumulative = {c for c, m in metrics.items() if m.cumulative}
    running = period.start <= today < period.end
    fraction = elapsed_fraction(period, today) if running else Decimal(1)
    specs = {c: metric_spec(m) for c, m in metrics.items()}
    metric_ids = {c: m.pk for c, m in metrics.items()}

    now = timezone.now()
    with ScorecardWriter(cycle, existing, now, user) as writer:
        planned = {emp.pk for emp, _ in plan}
        writer.begin(planned, reasons)
        summary.no_longer_eligible = sum(
            1 for emp, card in existing.items() if emp not in planned and card.eligible
        )
        by_template: dict[int, list[Eligible]] = {}
        for emp, template in plan:
            by_template.setdefault(template.pk, []).append(emp)
        done = 0
        for template_id, members in by_template.items():
            template = used[template_id]
            template_items = template.loaded_items  # type: ignore[attr-defined]
            lines = [
                engine.TemplateLine(
                    metric=specs[ti.metric.code],
                    weight=ti.weight,
                    cap=ti.cap,
                    floor=ti.floor,
                    ceiling=ti.ceiling,
                )
                for ti in template_items
            ]
            statics = [
                (metric_ids[ti.metric.code], line.cap, line.bound, position)
                for position, (ti, line) in enumerate(zip(template_items, lines, strict=True))
            ]
            inputs = _employee_values(members, template_items, values, targets, vetoes)
            results = engine.score_many(lines, inputs, policy)
            for emp, given, result in zip(members, inputs, results, strict=True):
                grade = result.grade
                card = existing.get(emp.pk)
                # A calibrated grade stands while the computed grade it was calibrated from
                # does. Compare with the computed grade stored on the card, not with the last
                # move's from_grade: after two moves (B→A, then A→C) that is the calibrated A,
                # and the card would fall back to B.
                if card is not None and card.pk in calibrated and card.computed_grade == grade:
                    grade = card.grade
                card_row = CardRow(
                    template_id=template.pk,
                    org_unit_id=emp.org_unit_id,
                    level_id=emp.level_id,
                    total=result.total,
                    computed_grade=result.grade,
                    grade=grade,
                    veto_reason=result.veto_reason,
                    renormalised=result.renormalised,
                    weight_with_data=result.weight_with_data,
                    weight_total=result.weight_total,
                    inputs_hash=result.inputs_hash,
                    projection=(
                        _projection(lines, given, policy, cumulative, fraction) if running else {}
                    ),
                    updated_at=now,
                )
                line_rows = [
                    LineRow(
                        metric_id,
                        actual,
                        target,
                        attainment.quantize(_ATTAINMENT) if attainment is not None else None,
                        points,
                        weight,
                        cap,
                        bound,
                        with_data,
                        warning or "",
                        position,
                    )
                    for (metric_id, cap, bound, position), (
                        _code,
                        actual,
                        target,
                        attainment,
                        points,
                        weight,
                        with_data,
                        warning,
                    ) in zip(statics, result.lines, strict=True)
                ]
                writer.add(emp.pk, card_row, line_rows)
                summary.grades[grade] = summary.grades.get(grade, 0) + 1
                done += 1
                if progress and done % 500 == 0:
                    progress(done, len(plan))
        writer.finish()
    summary.scored = len(plan)
    fields = ["scored_at", "updated_at"]  # what a scoring run owns of the cycle
    if cycle.status in (Cycle.Status.DRAFT, Cycle.Status.OPEN):
        cycle.status = Cycle.Status.SCORED
        fields.append("status")
    cycle.scored_at = now
    cycle._history_user = user  # type: ignore[attr-defined]
    cycle.save(update_fields=fields)
    if progress:
        progress(len(plan), len(plan))
    return summary

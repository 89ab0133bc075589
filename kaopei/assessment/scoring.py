"""The scoring engine (DESIGN.md §6 ⚑): metric values in, score lines and a grade out.

Pure Python on ``Decimal``, no database; policy (weights, caps, grade bands) is data passed
in, and the result carries a hash of every input that can change it. Attainment follows §6
per mode and is kept unrounded; points = clamp(attainment, 0, cap) × 100 and the total =
Σ(w × points) / Σw over the lines with data are rounded half-up to 0.01, the total from the
rounded points. Choices §6 leaves open, made here:

- a line with data but an empty actual (``collection_days`` with receivables outstanding
  and nothing invoiced, §5) has attainment 0 and 0 points;
- a line whose target is unusable warns ``target_missing`` even if it also has no data;
- the total is ``None`` when no line with data carries weight, and the card INSUFFICIENT;
- lower-is-better ratio metrics (hours, days) are never negative; a negative actual would
  give a negative attainment, hence 0 points.
"""

from __future__ import annotations

import decimal
import functools
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from itertools import pairwise
from typing import Literal, NamedTuple

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.grades import DEFAULT_CAP
from kaopei.assessment.grades import INSUFFICIENT as GRADE_INSUFFICIENT
from kaopei.assessment.grades import UNQUALIFIED as GRADE_UNQUALIFIED

Direction = Literal["higher", "lower"]
Mode = Literal["ratio", "band", "direct"]
Label = str | Promise
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower")
MODES: tuple[Mode, ...] = ("ratio", "band", "direct")

WARNING_TARGET_MISSING = "target_missing"
WARNING_NO_DATA = "no_data"

_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_GAP_STEP = Decimal("0.0001")  # needed actuals are given to 4 decimals, like exported actuals
_HASH_VERSION = "kaopei-scoring-2"
_TRAPS = [decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]
# Fixed contexts, so a result never depends on the caller's decimal settings.
_CONTEXT = decimal.Context(prec=28, rounding=ROUND_HALF_EVEN, traps=_TRAPS)
_WIDE = decimal.Context(prec=60, rounding=ROUND_HALF_EVEN, traps=_TRAPS)


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    """How a metric scores. ``floor`` is needed for band/higher, ``ceiling`` for band/lower.

    ``value_min``/``value_max`` bound the values the metric can take (e.g. 0 and 100 for a
    percentage); they never change a score, only which gaps to the next grade are possible.
    """

    code: str
    direction: Direction
    mode: Mode
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS or self.mode not in MODES:
            raise ValueError(f"{self.code}: bad direction {self.direction!r} or mode {self.mode!r}")
        if self.mode == "direct" and self.direction != "higher":
            raise _invalid(_("Metric {code}: a direct metric is higher-is-better."), self.code)
        for name in ("floor", "ceiling", "value_min", "value_max"):
            _check_decimal(name, getattr(self, name), optional=True)


@dataclass(frozen=True, kw_only=True)
class ItemInput:
    """One template item with its metric value for one employee and cycle.

    ``has_data=False``: the metric could not be computed (the line is left out of the total;
    ``actual`` is reported, not scored). ``has_data=True`` with ``actual=None``: the line has
    data and scores 0. ``floor``/``ceiling`` override the metric's for this template item.
    """

    metric: MetricSpec
    weight: Decimal
    actual: Decimal | None
    has_data: bool
    target: Decimal | None = None
    cap: Decimal = DEFAULT_CAP
    floor: Decimal | None = None
    ceiling: Decimal | None = None

    def __post_init__(self) -> None:
        for name, value in (("actual", self.actual), ("target", self.target)):
            if value is not None and (type(value) is not Decimal or not value.is_finite()):
                _check_decimal(name, value, optional=True)
        # The bound in force, computed once (it is read for every line and the hash).
        bound = _template_checks(self.metric, self.weight, self.cap, self.floor, self.ceiling)
        object.__setattr__(self, "_bound", bound)

    @property
    def bound(self) -> Decimal | None:
        """The band's floor (higher is better) or ceiling (lower is better) in force."""
        return self._bound  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True, kw_only=True)
class TemplateLine:
    """A template item without an employee's values, checked once and scored for many
    employees by :func:`score_many` (same fields and rules as :class:`ItemInput`)."""

    metric: MetricSpec
    weight: Decimal
    cap: Decimal = DEFAULT_CAP
    floor: Decimal | None = None
    ceiling: Decimal | None = None

    def __post_init__(self) -> None:
        bound = _template_checks(self.metric, self.weight, self.cap, self.floor, self.ceiling)
        object.__setattr__(self, "_bound", bound)

    @property
    def bound(self) -> Decimal | None:
        """The band's floor (higher is better) or ceiling (lower is better) in force."""
        return self._bound  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True, kw_only=True)
class GradeBand:
    """A grade: totals ≥ ``min_total`` get it; ``None`` is the catch-all lowest band."""

    code: str
    min_total: Decimal | None
    label: Label = ""
    behaviour_examples: tuple[Label, ...] = ()


@dataclass(frozen=True)
class GradePolicy:
    """Grade bands ordered from the highest to the lowest; the last is the catch-all."""

    bands: Sequence[GradeBand]

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        object.__setattr__(self, "bands", bands)
        codes = [band.code for band in bands]
        minimums = [band.min_total for band in bands[:-1] if band.min_total is not None]
        valid = (
            bool(bands)
            and bands[-1].min_total is None
            and len(minimums) == len(bands) - 1
            and len(set(codes)) == len(codes)
            and not {GRADE_UNQUALIFIED, GRADE_INSUFFICIENT, ""} & set(codes)
            and all(higher > lower for higher, lower in pairwise(minimums))
        )
        if not valid:
            raise ValueError(
                _("Grade bands need distinct codes and decreasing minimums; the last has none.")
            )

    def grade_for(self, total: Decimal) -> GradeBand:
        """The first (highest) band whose minimum ``total`` reaches; else the last one."""
        for band in self.bands[:-1]:
            if band.min_total is not None and total >= band.min_total:
                return band
        return self.bands[-1]

    def band(self, code: str) -> GradeBand | None:
        """The band with this grade code, if any (not for UNQUALIFIED or INSUFFICIENT)."""
        return next((band for band in self.bands if band.code == code), None)

    def rank(self, code: str) -> int | None:
        """0 for the top grade, 1 for the next, …; ``None`` for a code outside the bands."""
        return next((i for i, band in enumerate(self.bands) if band.code == code), None)


@dataclass(frozen=True)
class Veto:
    """The first confirmed compliance incident whose date falls in the cycle."""

    incident_id: str
    category: str

    @property
    def reason(self) -> str:
        return f"{self.incident_id} {self.category}"


class LineResult(NamedTuple):
    """A score line; ``has_data`` is False when the metric had none or the target is unusable."""

    metric: str
    actual: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    points: Decimal | None
    weight: Decimal
    has_data: bool
    warning: str | None


# LineResult((fields…)) without the per-call overhead of a NamedTuple's Python __new__.
_new_line = functools.partial(tuple.__new__, LineResult)
_MISSING, _NO_DATA = WARNING_TARGET_MISSING, WARNING_NO_DATA


@dataclass(frozen=True)
class ScoreResult:
    """A scorecard. ``renormalised``: weight of lines without data was spread over the rest."""

    lines: tuple[LineResult, ...]
    total: Decimal | None
    grade: str
    veto_reason: str
    renormalised: bool
    weight_with_data: Decimal
    weight_total: Decimal
    inputs_hash: str


@dataclass(frozen=True)
class Gap:
    """Raising (or, lower-is-better, cutting) one metric's actual to reach ``grade``.

    ``needed_actual`` is rounded to 4 decimals in the direction that still reaches the grade;
    ``delta`` = needed_actual − actual (negative for a needed decrease); ``points_needed``
    is the line's points at ``needed_actual``, the least that reaches the grade.
    """

    metric: str
    grade: str
    actual: Decimal
    needed_actual: Decimal
    delta: Decimal
    points_needed: Decimal


class EmployeeValues(NamedTuple):
    """One employee's values for :func:`score_many`, in the order of the template lines:
    ``(actual, has_data)`` per line (as :class:`ItemInput` has them), targets, the veto."""

    values: Sequence[tuple[Decimal | None, bool]]
    targets: Sequence[Decimal | None]
    veto: Veto | None = None


def score(items: Sequence[ItemInput], policy: GradePolicy, veto: Veto | None = None) -> ScoreResult:
    """Score one employee's template items for one cycle (rules in the module docstring).

    Metric codes must be distinct (``ValueError`` otherwise). Lines keep the items' order.
    """
    prepared = _prepare(items)
    return _score_prepared(
        prepared,
        [(item.actual, item.has_data) for item in items],
        [item.target for item in items],
        policy,
        _policy_text(policy),
        veto,
    )


def score_many(
    lines: Sequence[TemplateLine],
    employees: Iterable[EmployeeValues],
    policy: GradePolicy,
) -> Iterator[ScoreResult]:
    """:func:`score` for many employees on one template, checking the template once.

    Each result equals ``score(items, policy, veto)`` with the items built from ``lines``
    and that employee's values (a property test holds the two together).
    """
    prepared = _prepare(lines)
    policy_text = _policy_text(policy)
    size = len(prepared.lines)
    for values, targets, veto in employees:
        if not len(values) == len(targets) == size:
            raise ValueError("score_many(): values do not match the template lines")
        for actual, _with_data in values:
            if actual is not None and (type(actual) is not Decimal or not actual.is_finite()):
                _check_decimal("actual", actual, optional=True)
        for target in targets:
            if target is not None and (type(target) is not Decimal or not target.is_finite()):
                _check_decimal("target", target, optional=True)
        yield _score_prepared(prepared, values, targets, policy, policy_text, veto)


def gap_to_next_grade(
    result: ScoreResult, items: Sequence[ItemInput], policy: GradePolicy
) -> list[Gap]:
    """For a graded card below the top grade, how far each single metric must move.

    ``result`` must be ``score(items, policy)`` (``ValueError`` otherwise). For each line
    with data, an actual and weight, the change of that one actual, all else equal, that
    lifts the total to the next band's minimum; a line offers no path when even its capped
    points fall short or the needed value is outside the metric's ``value_min``/``value_max``.
    Every returned gap is checked by rescoring. Empty for UNQUALIFIED, INSUFFICIENT and the
    top grade. Rounding a count to a whole number is the caller's (see ``round_up_to``).
    """
    rank = policy.rank(result.grade)
    if not rank or result.total is None:  # top grade (0), UNQUALIFIED or INSUFFICIENT (None)
        return []
    if _inputs_hash(items, policy, None) != result.inputs_hash:
        raise ValueError("gap_to_next_grade(): result was not scored from these items and policy")
    goal = policy.bands[rank - 1]
    assert goal.min_total is not None  # only the last band lacks a minimum
    gaps = []
    with decimal.localcontext(_WIDE) as ctx:
        # round(x) ≥ goal  ⇔  x ≥ goal rounded up to a cent − 0.005 (half-up rounding).
        threshold = goal.min_total.quantize(_CENT, rounding=ROUND_CEILING) - _HALF_CENT
        weighted = sum(
            (line.weight * line.points for line in result.lines if line.points is not None),
            Decimal(0),
        )
        for item, line in zip(items, result.lines, strict=True):
            if line.points is None or item.actual is None or item.weight == 0:
                continue
            others = weighted - line.weight * line.points
            ctx.rounding = ROUND_CEILING
            need = (result.weight_with_data * threshold - others) / item.weight
            points = need.quantize(_CENT, rounding=ROUND_CEILING)
            ctx.rounding = ROUND_HALF_EVEN
            if points > item.cap * _HUNDRED or points <= line.points:
                continue
            # points = round_half_up(attainment × 100) ≥ points  ⇔  attainment ≥ this:
            needed = _actual_for(item, (points - _HALF_CENT) / _HUNDRED)
            spec = item.metric
            if (spec.value_min is not None and needed < spec.value_min) or (
                spec.value_max is not None and needed > spec.value_max
            ):
                continue
            # A safety net, so that a gap is never a false promise: rescore with it.
            changed = [replace(i, actual=needed) if i is item else i for i in items]
            reached = policy.rank(score(changed, policy).grade)
            if reached is None or reached >= rank:
                continue
            gaps.append(
                Gap(
                    metric=spec.code,
                    grade=goal.code,
                    actual=item.actual,
                    needed_actual=needed,
                    delta=needed - item.actual,
                    points_needed=points,
                )
            )
    return gaps


def round_up_to(value: Decimal, unit: Decimal) -> Decimal:
    """``value`` rounded away from zero to a multiple of ``unit`` (a gap of 2.3 or −0.4
    visits becomes 3 or −1), so a rounded gap still reaches the grade."""
    if unit <= 0:
        raise ValueError("round_up_to(): unit must be above 0")
    with decimal.localcontext(_WIDE):
        return (value / unit).to_integral_value(rounding=ROUND_UP) * unit


def project_run_rate(actual: Decimal | None, elapsed_fraction: Decimal) -> Decimal | None:
    """A sum or count projected to the whole cycle: actual / elapsed fraction (0 < f ≤ 1).

    ``None`` when there is no actual or nothing has elapsed yet. Unrounded.
    """
    if not 0 <= elapsed_fraction <= 1:
        raise ValueError("project_run_rate(): elapsed_fraction must be between 0 and 1")
    if actual is None or elapsed_fraction == 0:
        return None
    with decimal.localcontext(_CONTEXT):
        return actual / elapsed_fraction


class _Static(NamedTuple):
    """What scoring reads of a template item, and its part of the inputs-hash text."""

    code: str
    direction: str
    mode: str
    weight: Decimal
    cap: Decimal
    bound: Decimal | None
    hash_head: str  # "code;direction;mode;weight;cap;"
    hash_tail: str  # ";bound"


class _Prepared(NamedTuple):
    lines: tuple[_Static, ...]
    hash_order: tuple[int, ...]  # line positions sorted by metric code
    weight_total: Decimal


def _prepare(items: Sequence[ItemInput] | Sequence[TemplateLine]) -> _Prepared:
    codes = [item.metric.code for item in items]
    if len(set(codes)) != len(codes):
        raise ValueError(_("A template lists the same metric twice."))
    statics = tuple(
        _Static(
            code=item.metric.code,
            direction=item.metric.direction,
            mode=item.metric.mode,
            weight=item.weight,
            cap=item.cap,
            bound=item.bound,
            hash_head=f"{item.metric.code};{item.metric.direction};{item.metric.mode};"
            f"{_canonical(item.weight)};{_canonical(item.cap)};",
            hash_tail=f";{_canonical(item.bound)}",
        )
        for item in items
    )
    with decimal.localcontext(_CONTEXT):
        weight_total = sum((item.weight for item in items), Decimal(0))
    order = tuple(sorted(range(len(codes)), key=codes.__getitem__))
    return _Prepared(lines=statics, hash_order=order, weight_total=weight_total)


def _target_usable(line: _Static, target: Decimal | None) -> bool:
    """Whether the target allows scoring (direct metrics need none)."""
    if line.mode == "direct":
        return True
    if target is None:
        return False
    if line.mode == "ratio":
        return target > 0
    assert line.bound is not None  # checked with the template item
    return target > line.bound if line.direction == "higher" else target < line.bound


def _score_prepared(
    prepared: _Prepared,
    values: Sequence[tuple[Decimal | None, bool]],
    targets: Sequence[Decimal | None],
    policy: GradePolicy,
    policy_text: str,
    veto: Veto | None,
) -> ScoreResult:
    lines = []
    weight_with_data = weighted_points = _ZERO
    total = None
    new_line = _new_line
    with decimal.localcontext(_CONTEXT):
        for line, (actual, with_data), target in zip(prepared.lines, values, targets, strict=True):
            # A missing target is reported even when the metric has no data: it is the
            # fixable one.
            if not _target_usable(line, target):
                lines.append(
                    new_line((line.code, actual, target, None, None, line.weight, False, _MISSING))
                )
            elif not with_data:
                lines.append(
                    new_line((line.code, actual, target, None, None, line.weight, False, _NO_DATA))
                )
            else:
                attainment = _ZERO if actual is None else _attainment(line, actual, target)
                points = (min(max(attainment, _ZERO), line.cap) * _HUNDRED).quantize(
                    _CENT, rounding=ROUND_HALF_UP
                )
                weight = line.weight
                weight_with_data += weight
                weighted_points += weight * points
                lines.append(
                    new_line((line.code, actual, target, attainment, points, weight, True, None))
                )
        if weight_with_data > 0:
            total = (weighted_points / weight_with_data).quantize(_CENT, rounding=ROUND_HALF_UP)
    weight_total = prepared.weight_total
    if veto is not None:
        grade = GRADE_UNQUALIFIED
    elif total is None or 2 * weight_with_data < weight_total:
        grade = GRADE_INSUFFICIENT
    else:
        grade = policy.grade_for(total).code
    return ScoreResult(
        lines=tuple(lines),
        total=total,
        grade=grade,
        veto_reason=veto.reason if veto is not None else "",
        renormalised=total is not None and weight_with_data < weight_total,
        weight_with_data=weight_with_data,
        weight_total=weight_total,
        inputs_hash=_hash(prepared, values, targets, policy_text, veto),
    )


def _attainment(line: _Static, actual: Decimal, target: Decimal | None) -> Decimal:
    bound = line.bound
    if line.mode == "direct":
        return actual / _HUNDRED
    assert target is not None
    if line.mode == "ratio":
        if line.direction == "higher":
            return actual / target
        return line.cap if actual == 0 else target / actual
    assert bound is not None
    if line.direction == "higher":
        return (actual - bound) / (target - bound)
    return (bound - actual) / (bound - target)


def _actual_for(item: ItemInput, attainment: Decimal) -> Decimal:
    """The least (higher is better) or greatest (lower) actual whose attainment reaches
    ``attainment`` > 0, to 4 decimals; every step rounds towards the better side."""
    spec, target, bound = item.metric, item.target, item.bound
    rounding = ROUND_CEILING if spec.direction == "higher" else ROUND_FLOOR
    with decimal.localcontext(_WIDE, rounding=rounding):
        if spec.mode == "direct":
            value = attainment * _HUNDRED
        elif spec.mode == "ratio":
            assert target is not None
            value = attainment * target if spec.direction == "higher" else target / attainment
        else:
            assert target is not None and bound is not None
            # floor + A(target − floor), and ceiling − A(ceiling − target) for lower is better
            value = bound + attainment * (target - bound)
        return value.quantize(_GAP_STEP, rounding=rounding)


def _inputs_hash(items: Sequence[ItemInput], policy: GradePolicy, veto: Veto | None) -> str:
    """The inputs hash :func:`score` gives these items, policy and veto."""
    return _hash(
        _prepare(items),
        [(item.actual, item.has_data) for item in items],
        [item.target for item in items],
        _policy_text(policy),
        veto,
    )


def _hash(
    prepared: _Prepared,
    values: Sequence[tuple[Decimal | None, bool]],
    targets: Sequence[Decimal | None],
    policy_text: str,
    veto: Veto | None,
) -> str:
    """sha256 of a canonical text of everything that can change the result.

    Items are sorted by metric code and numbers written by value (1.5 and 1.50 agree);
    labels and behaviour examples are left out (they are translated, and never score).
    Fields are joined with separators that cannot occur in codes or numbers.
    """
    parts = [_HASH_VERSION]
    canonical = _canonical
    for i in prepared.hash_order:
        actual, with_data = values[i]
        parts.append(
            f"{prepared.lines[i].hash_head}{canonical(actual)};{int(with_data)};"
            f"{canonical(targets[i])}{prepared.lines[i].hash_tail}"
        )
    parts.append(policy_text)
    parts.append(f"{veto.incident_id}:{veto.category}" if veto is not None else "-")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _policy_text(policy: GradePolicy) -> str:
    return ",".join(f"{band.code}:{_canonical(band.min_total)}" for band in policy.bands)


_CANONICAL: dict[Decimal | None, str | None] = {None: None}


def _canonical(value: Decimal | None) -> str | None:
    """A number's text by value (1.5 and 1.50 both give "1.5"); ``None`` stays ``None``.

    Memoised by value (equal Decimals hash alike); the memo is emptied when it grows large.
    """
    try:
        return _CANONICAL[value]
    except KeyError:
        pass
    assert value is not None
    if value.is_zero():
        text = "0"
    else:
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if len(_CANONICAL) > 50_000:
        _CANONICAL.clear()
        _CANONICAL[None] = None
    _CANONICAL[value] = text
    return text


def _template_checks(
    metric: MetricSpec,
    weight: Decimal,
    cap: Decimal,
    floor: Decimal | None,
    ceiling: Decimal | None,
) -> Decimal | None:
    """Check a template item's weight, cap and bounds; return the bound in force."""
    for name, required in (("weight", weight), ("cap", cap)):
        if type(required) is not Decimal or not required.is_finite():
            _check_decimal(name, required)
    for name, value in (("floor", floor), ("ceiling", ceiling)):
        if value is not None and (type(value) is not Decimal or not value.is_finite()):
            _check_decimal(name, value, optional=True)
    if metric.direction == "higher":
        bound = floor if floor is not None else metric.floor
    else:
        bound = ceiling if ceiling is not None else metric.ceiling
    code = metric.code
    if weight < 0:
        raise _invalid(_("Metric {code}: the weight is negative."), code)
    if cap <= 0:
        raise _invalid(_("Metric {code}: the cap must be above 0."), code)
    if metric.mode == "band" and bound is None:
        raise _invalid(_("Metric {code}: a band needs a floor (higher) or ceiling (lower)."), code)
    return bound


def _invalid(message: Label, code: str) -> ValueError:
    return ValueError(format_lazy(message, code=code))


def _check_decimal(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{name} must be a finite Decimal, not {value!r}")

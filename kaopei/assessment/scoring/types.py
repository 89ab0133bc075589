"""The scoring engine's plain data: metric specs, template lines and items, grade
policies, results, gaps; the constants and input checks they share."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
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


def _invalid(message: Label, code: str) -> ValueError:
    return ValueError(format_lazy(message, code=code))


def _check_decimal(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{name} must be a finite Decimal, not {value!r}")


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

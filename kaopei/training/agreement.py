"""How far a role-play's expert assessors agree (issue: practice). Plain data in, plain
data out; no database.

* Per criterion of one performance: the spread of the assessors' scores — the range
  (max − min) and the population standard deviation — flagged when the range exceeds the
  role-play's disagreement threshold.
* Across the performances of one role-play: **ICC(1)**, the one-way random-effects,
  single-rater intraclass correlation (Shrout & Fleiss 1979, case 1), on each assessor's
  weighted rubric total. It suits role-plays because different performances are scored by
  different assessors. With n performances, kᵢ assessors on performance i and N = Σ kᵢ:

      MSB = Σ kᵢ (x̄ᵢ − x̄)² / (n − 1)        MSW = Σᵢ Σⱼ (xᵢⱼ − x̄ᵢ)² / (N − n)
      k₀  = (N − Σ kᵢ² / N) / (n − 1)
      ICC(1) = (MSB − MSW) / (MSB + (k₀ − 1) · MSW)

  It needs at least 3 performances with at least 2 assessors each (the others are left
  out). Bands (Koo & Li 2016): below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above
  0.9 excellent.
* A score sheet's weighted total as % of its maximum: Σ wᵢ·vᵢ / (Σ wᵢ · scale_max) × 100
  (the scale's minimum is not mapped to 0 %).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

MIN_PERFORMANCES = 3
MIN_ASSESSORS = 2

POOR, MODERATE, GOOD, EXCELLENT = "poor", "moderate", "good", "excellent"


def weighted_percent(
    values: Mapping[int, Decimal], weights: Mapping[int, Decimal], scale_max: int
) -> Decimal:
    """One score sheet's weighted total as % of its maximum. ``values`` and ``weights`` are
    keyed by criterion; every weighted criterion must have a value."""
    total_weight = sum(weights.values(), Decimal(0))
    if total_weight <= 0 or scale_max <= 0:
        raise ValueError("the rubric needs positive weights and a positive scale maximum")
    earned = sum((weights[c] * values[c] for c in weights), Decimal(0))
    return earned * 100 / (total_weight * scale_max)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True)
class Spread:
    """The assessors' scores of one criterion of one performance."""

    values: tuple[Decimal, ...]
    mean: Decimal | None
    range: Decimal | None
    std_dev: float | None
    flagged: bool


def spread(values: Sequence[Decimal], threshold: Decimal) -> Spread:
    """Range and population standard deviation of one criterion's assessor scores; flagged
    when max − min exceeds ``threshold`` (equal to it is not flagged)."""
    vals = tuple(values)
    if not vals:
        return Spread(vals, None, None, None, False)
    rng = max(vals) - min(vals)
    m = sum(vals, Decimal(0)) / len(vals)
    sd = math.sqrt(float(sum(((v - m) ** 2 for v in vals), Decimal(0)) / len(vals)))
    return Spread(vals, m, rng, sd, len(vals) >= 2 and rng > threshold)


@dataclass(frozen=True)
class Agreement:
    """ICC(1) across performances, or why there is none (``coefficient`` None)."""

    coefficient: float | None
    band: str | None
    performances: int  # performances counted (≥ 2 assessors each)
    ratings: int
    msb: float | None = None
    msw: float | None = None
    k0: float | None = None


def band(icc: float) -> str:
    """Koo & Li (2016): < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent."""
    if icc < 0.5:
        return POOR
    if icc < 0.75:
        return MODERATE
    if icc <= 0.9:
        return GOOD
    return EXCELLENT


def icc1(groups: Sequence[Sequence[float]]) -> Agreement:
    """ICC(1) of the groups (one per performance, the assessors' totals). Groups with fewer
    than 2 ratings are left out; fewer than 3 groups left gives no coefficient. When every
    rating is equal (nothing to tell apart) there is no coefficient either."""
    used = [[float(x) for x in g] for g in groups if len(g) >= MIN_ASSESSORS]
    n = len(used)
    big_n = sum(len(g) for g in used)
    if n < MIN_PERFORMANCES:
        return Agreement(None, None, n, big_n)
    grand = sum(sum(g) for g in used) / big_n
    means = [sum(g) / len(g) for g in used]
    ssb = sum(len(g) * (m - grand) ** 2 for g, m in zip(used, means, strict=True))
    ssw = sum(sum((x - m) ** 2 for x in g) for g, m in zip(used, means, strict=True))
    msb = ssb / (n - 1)
    msw = ssw / (big_n - n)
    k0 = (big_n - sum(len(g) ** 2 for g in used) / big_n) / (n - 1)
    denominator = msb + (k0 - 1) * msw
    if math.isclose(denominator, 0.0, abs_tol=1e-12):
        return Agreement(None, None, n, big_n, msb, msw, k0)
    icc = (msb - msw) / denominator
    return Agreement(icc, band(icc), n, big_n, msb, msw, k0)

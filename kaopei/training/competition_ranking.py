"""The arithmetic of a group competition, on plain data (no database).

- A **rubric %** of one review: each criterion's score mapped onto 0–100 over the scale
  (``(score − min) / (max − min)``) and weighted by the criterion's weight (weights add up
  to 100).
- A team's **peer %** is the mean of the rubric % of the reviews of its submission; its
  **expert %** the mean of its experts' rubric %.
- **Combined** = (expert_weight × expert % + peer_weight × peer %) / 100. A team with only
  one of the two is ranked on that one alone and marked ``partial``; a team with neither
  is listed last, unranked.
- **Ranks**: ties (equal combined to two decimals) share a rank, the next rank skips
  (1, 1, 3).
- **Round robin**: with ``n`` teams in a fixed order and ``k = min(reviews, n − 1)``, team
  ``i`` reviews the teams ``i + 1 … i + k`` (mod ``n``): every team gives ``k`` reviews,
  every submission gets ``k``, and nobody reviews itself. The service shuffles the order
  first (system randomness), so the pairs cannot be worked out from the teams' ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def rubric_percent(
    scores: Mapping[K, int], weights: Mapping[K, int], *, scale_min: int, scale_max: int
) -> Decimal:
    """The rubric % (0–100) of one set of criterion scores. Every weighted criterion must
    be scored within the scale (ValueError otherwise)."""
    if scale_max <= scale_min:
        raise ValueError("the scale's highest score must be above its lowest")
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("the weights must add up to more than 0")
    span = Decimal(scale_max - scale_min)
    acc = Decimal(0)
    for key, weight in weights.items():
        if key not in scores:
            raise ValueError(f"criterion {key!r} is not scored")
        score = scores[key]
        if not scale_min <= score <= scale_max:
            raise ValueError(f"score {score} is outside {scale_min}–{scale_max}")
        acc += Decimal(weight) * Decimal(score - scale_min) / span
    return (acc * HUNDRED / Decimal(total_weight)).quantize(TWO, ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The mean to two decimals, None for no values."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / Decimal(len(values))).quantize(TWO, ROUND_HALF_UP)


def combined(
    *, expert: Decimal | None, peer: Decimal | None, expert_weight: int, peer_weight: int
) -> Decimal | None:
    """The combined % with the stated weights; the one present alone when the other is
    missing; None when both are."""
    if expert is None and peer is None:
        return None
    if expert is None:
        return peer
    if peer is None:
        return expert
    value = (Decimal(expert_weight) * expert + Decimal(peer_weight) * peer) / HUNDRED
    return value.quantize(TWO, ROUND_HALF_UP)


@dataclass(frozen=True)
class TeamScores:
    team: Hashable
    name: str
    peer_percents: tuple[Decimal, ...]
    expert_percents: tuple[Decimal, ...]


@dataclass(frozen=True)
class Standing:
    team: Hashable
    name: str
    rank: int | None
    combined: Decimal | None
    expert: Decimal | None
    peer: Decimal | None
    peer_reviews: int
    experts: int

    @property
    def partial(self) -> bool:
        """Ranked on only one of the two parts (no expert or no peer score)."""
        return self.combined is not None and (self.expert is None or self.peer is None)


def ranking(teams: Sequence[TeamScores], *, expert_weight: int, peer_weight: int) -> list[Standing]:
    """The leaderboard: best combined first, ties sharing a rank, then (unranked) the teams
    with no score at all; by name within equal values."""
    rows = []
    for t in teams:
        expert = mean(list(t.expert_percents))
        peer = mean(list(t.peer_percents))
        value = combined(
            expert=expert, peer=peer, expert_weight=expert_weight, peer_weight=peer_weight
        )
        rows.append((t, expert, peer, value))
    rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), r[0].name))
    out: list[Standing] = []
    previous: Decimal | None = None
    rank = 0
    for position, (t, expert, peer, value) in enumerate(rows, start=1):
        if value is None:
            this_rank = None
        else:
            if previous is None or value != previous:
                rank = position
            previous = value
            this_rank = rank
        out.append(
            Standing(
                team=t.team,
                name=t.name,
                rank=this_rank,
                combined=value,
                expert=expert,
                peer=peer,
                peer_reviews=len(t.peer_percents),
                experts=len(t.expert_percents),
            )
        )
    return out


def round_robin(teams: Sequence[K], reviews: int) -> list[tuple[K, K]]:
    """(reviewer, reviewed) pairs: each team reviews ``min(reviews, n − 1)`` others, each
    is reviewed as often, never itself. Teams must be distinct."""
    n = len(teams)
    if len(set(teams)) != n:
        raise ValueError("teams must be distinct")
    k = max(0, min(reviews, n - 1))
    return [(teams[i], teams[(i + step) % n]) for i in range(n) for step in range(1, k + 1)]


def weights_problem(weights: Sequence[int]) -> str | None:
    """Why criterion weights are not a rubric (plain English for the service to translate),
    or None."""
    if not weights:
        return "none"
    if any(w <= 0 for w in weights):
        return "not_positive"
    if sum(weights) != 100:
        return "sum"
    return None

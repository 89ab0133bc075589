"""The competition arithmetic on plain data: rubric %, combined ranking with the stated
weights, ties sharing a rank, partial teams, and the round robin that is balanced and never
lets a team review itself."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaopei.training.competition_ranking import (
    TeamScores,
    combined,
    ranking,
    round_robin,
    rubric_percent,
    weights_problem,
)

W = {"a": 40, "b": 35, "c": 25}


def test_rubric_percent_maps_the_scale_onto_0_to_100() -> None:
    assert rubric_percent({"a": 5, "b": 5, "c": 5}, W, scale_min=1, scale_max=5) == 100
    assert rubric_percent({"a": 1, "b": 1, "c": 1}, W, scale_min=1, scale_max=5) == 0
    # a: 40 × 0.75 + b: 35 × 0.5 + c: 25 × 0 = 47.5
    assert rubric_percent({"a": 4, "b": 3, "c": 1}, W, scale_min=1, scale_max=5) == Decimal("47.50")


def test_rubric_percent_refuses_a_score_outside_the_scale_or_missing() -> None:
    with pytest.raises(ValueError):
        rubric_percent({"a": 6, "b": 5, "c": 5}, W, scale_min=1, scale_max=5)
    with pytest.raises(ValueError):
        rubric_percent({"a": 5, "b": 5}, W, scale_min=1, scale_max=5)


def test_combined_uses_the_stated_weights_or_the_part_present() -> None:
    assert combined(
        expert=Decimal(80), peer=Decimal(60), expert_weight=60, peer_weight=40
    ) == Decimal("72.00")
    assert combined(expert=None, peer=Decimal(60), expert_weight=60, peer_weight=40) == 60
    assert combined(expert=None, peer=None, expert_weight=60, peer_weight=40) is None


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    teams = [
        TeamScores("x", "X", (Decimal(50),), (Decimal(50),)),
        TeamScores("y", "Y", (Decimal(70),), (Decimal(70),)),
        TeamScores("z", "Z", (Decimal(70),), (Decimal(70),)),
        TeamScores("w", "W", (), ()),
    ]
    out = ranking(teams, expert_weight=50, peer_weight=50)
    assert [(s.name, s.rank) for s in out] == [("Y", 1), ("Z", 1), ("X", 3), ("W", None)]
    assert out[-1].combined is None and not out[-1].partial


def test_a_team_without_expert_score_is_ranked_on_peers_and_marked() -> None:
    out = ranking(
        [
            TeamScores("x", "X", (Decimal(90),), ()),
            TeamScores("y", "Y", (Decimal(40),), (Decimal(80),)),
        ],
        expert_weight=60,
        peer_weight=40,
    )
    assert out[0].name == "X" and out[0].partial and out[0].combined == 90
    assert out[1].combined == Decimal("64.00") and not out[1].partial


def test_weights_problem_names_each_fault() -> None:
    assert weights_problem([]) == "none"
    assert weights_problem([50, 0, 50]) == "not_positive"
    assert weights_problem([50, 40]) == "sum"
    assert weights_problem([60, 40]) is None


@given(n=st.integers(min_value=0, max_value=12), k=st.integers(min_value=0, max_value=6))
def test_round_robin_is_balanced_and_never_self(n: int, k: int) -> None:
    teams = list(range(100, 100 + n))
    pairs = round_robin(teams, k)
    expected = max(0, min(k, n - 1))
    assert all(a != b for a, b in pairs)
    assert len(set(pairs)) == len(pairs)
    given_ = Counter(a for a, _b in pairs)
    got = Counter(b for _a, b in pairs)
    for t in teams:
        assert given_[t] == expected
        assert got[t] == expected


@given(
    values=st.lists(
        st.tuples(
            st.lists(st.integers(0, 100), max_size=3), st.lists(st.integers(0, 100), max_size=3)
        ),
        max_size=8,
    ),
    ew=st.integers(0, 100),
)
def test_ranking_is_sorted_and_ranks_are_consistent(
    values: list[tuple[list[int], list[int]]], ew: int
) -> None:
    teams = [
        TeamScores(i, f"T{i:02}", tuple(map(Decimal, p)), tuple(map(Decimal, e)))
        for i, (p, e) in enumerate(values)
    ]
    out = ranking(teams, expert_weight=ew, peer_weight=100 - ew)
    scored = [s for s in out if s.combined is not None]
    assert out[: len(scored)] == scored  # unranked last
    for a, b in zip(scored, scored[1:], strict=False):
        assert a.combined is not None and b.combined is not None
        assert a.combined >= b.combined
        assert (a.rank == b.rank) == (a.combined == b.combined)
    for position, s in enumerate(scored, start=1):
        assert s.rank is not None and s.rank <= position


@given(order=st.permutations(list(range(100, 109))), k=st.integers(min_value=0, max_value=10))
def test_round_robin_over_a_shuffled_order_is_balanced_and_never_self(
    order: list[int], k: int
) -> None:
    # The service shuffles the teams before the round robin: any order stays balanced.
    pairs = round_robin(order, k)
    expected = max(0, min(k, len(order) - 1))
    assert all(a != b for a, b in pairs)
    assert len(set(pairs)) == len(pairs) == expected * len(order)
    assert Counter(a for a, _b in pairs) == Counter(b for _a, b in pairs)
    assert all(Counter(a for a, _b in pairs)[t] == expected for t in order)

"""The pure check of a sandbox scenario graph and its points range (no database)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kaopei.training.sandbox_graph import ChoiceData, Graph, check, points_range


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The problems are checked in English here."""
    with translation.override("en"):
        yield


def G(starts: list[str], **steps: list[tuple[str | None, int]]) -> Graph:
    return Graph(
        steps={k: [ChoiceData(next=n, points=p) for n, p in v] for k, v in steps.items()},
        starts=starts,
    )


def test_a_well_formed_graph_has_no_problem_and_its_best_and_worst_paths() -> None:
    g = G(["S1"], S1=[("S2", 5), ("S3", -2)], S2=[(None, 10), (None, 0)], S3=[(None, 3)])
    assert check(g) == []
    assert points_range(g, "S1") == (15, 1)


def test_a_dead_end_is_named() -> None:
    problems = check(G(["S1"], S1=[("D3", 1)], D3=[]))
    assert "Step D3 has no choices: a learner reaching it cannot go on." in problems


def test_an_unreachable_step_is_named() -> None:
    problems = check(G(["S1"], S1=[(None, 1)], X9=[(None, 0)]))
    assert problems == ["Step X9 cannot be reached from the start step S1."]


def test_a_cycle_is_named_with_its_steps() -> None:
    problems = check(G(["A"], A=[("B", 1), (None, 0)], B=[("A", 1)]))
    assert any("A → B → A" in p and "loop" in p for p in problems)


def test_no_start_and_two_starts_are_refused() -> None:
    assert any("No step is marked" in p for p in check(G([], A=[(None, 1)])))
    assert any("(A, B)" in p for p in check(G(["A", "B"], A=[(None, 1)], B=[(None, 1)])))


def test_a_choice_to_a_missing_step_is_named() -> None:
    problems = check(G(["A"], A=[("Z", 1), (None, 0)]))
    assert "A choice of step A leads to step Z, which does not exist." in problems


def test_an_empty_scenario_is_not_publishable() -> None:
    assert check(G([])) == ["The scenario has no steps yet."]


@st.composite
def dags(draw: st.DrawFn) -> Graph:
    """A random DAG: step i's choices lead only to later steps or end; every step is
    reachable because step i+1 is always a target of some earlier step."""
    n = draw(st.integers(min_value=1, max_value=9))
    keys = [f"S{i}" for i in range(n)]
    steps: dict[str, list[ChoiceData]] = {}
    for i, key in enumerate(keys):
        later = keys[i + 1 :]
        choices = [
            ChoiceData(
                next=draw(st.one_of(st.none(), st.sampled_from(later))) if later else None,
                points=draw(st.integers(-5, 10)),
            )
            for _ in range(draw(st.integers(1, 3)))
        ]
        if i + 1 < n:
            choices.append(ChoiceData(next=keys[i + 1], points=draw(st.integers(-5, 10))))
        steps[key] = choices
    return Graph(steps=steps, starts=["S0"])


def _paths(g: Graph, key: str) -> list[int]:
    out = []
    for c in g.steps[key]:
        if c.next is None:
            out.append(c.points)
        else:
            out.extend(c.points + rest for rest in _paths(g, c.next))
    return out


@settings(max_examples=60, deadline=None)
@given(dags())
def test_random_dags_pass_and_their_range_matches_every_path(g: Graph) -> None:
    assert check(g) == []
    totals = _paths(g, "S0")
    assert points_range(g, "S0") == (max(totals), min(totals))


@settings(max_examples=60, deadline=None)
@given(dags(), st.data())
def test_a_back_edge_in_a_random_dag_is_always_found(g: Graph, data: st.DataObject) -> None:
    keys = sorted(g.steps, key=lambda k: int(k[1:]))
    if len(keys) < 2:
        return
    i, j = sorted(data.draw(st.sampled_from(list(itertools.combinations(range(len(keys)), 2)))))
    steps = {k: list(v) for k, v in g.steps.items()}
    steps[keys[j]].append(ChoiceData(next=keys[i], points=0))
    assert any("loop" in p for p in check(Graph(steps=steps, starts=["S0"])))


@settings(max_examples=40, deadline=None)
@given(dags(), st.data())
def test_emptying_a_step_of_a_random_dag_names_it(g: Graph, data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(g.steps)))
    steps = {k: list(v) for k, v in g.steps.items()}
    steps[key] = []
    problems = check(Graph(steps=steps, starts=["S0"]))
    assert f"Step {key} has no choices: a learner reaching it cannot go on." in problems

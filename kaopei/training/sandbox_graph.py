"""The pure check of a decision-sandbox scenario graph (no database).

A scenario is a set of steps, each with choices; a choice leads to another step or ends
the path (``next`` None). A publishable graph has exactly one start step, every step is
reachable from it, every step has a choice, there is no cycle (so every path ends) and
every path ends in a choice that leads nowhere. ``check`` returns every problem as a
message naming the step keys; ``points_range`` gives the best and worst path totals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ChoiceData:
    next: str | None  # the key of the step it leads to; None: the path ends here
    points: int = 0


@dataclass(frozen=True)
class Graph:
    """``steps``: key → its choices; ``starts``: the keys marked as start."""

    steps: Mapping[str, Sequence[ChoiceData]]
    starts: Sequence[str]


def _cycle(graph: Graph) -> list[str] | None:
    """One cycle as a list of keys (first key repeated at the end), or None."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph.steps, white)
    for root in sorted(graph.steps):
        if colour[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        trail = [root]
        colour[root] = grey
        while stack:
            key, i = stack[-1]
            nexts = [c.next for c in graph.steps[key] if c.next in graph.steps]
            if i < len(nexts):
                stack[-1] = (key, i + 1)
                nxt = nexts[i]
                assert nxt is not None
                if colour[nxt] == grey:
                    return [*trail[trail.index(nxt) :], nxt]
                if colour[nxt] == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
                    trail.append(nxt)
            else:
                colour[key] = black
                stack.pop()
                trail.pop()
    return None


def _reachable(graph: Graph, start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        key = todo.pop()
        for c in graph.steps.get(key, ()):
            nxt = c.next
            if nxt is not None and nxt in graph.steps and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def check(graph: Graph) -> list[str]:
    """Every problem of the graph, each a specific message; empty when publishable."""
    problems: list[str] = []
    if not graph.steps:
        return [_("The scenario has no steps yet.")]
    starts = [s for s in graph.starts if s in graph.steps]
    if not starts:
        problems.append(
            _("No step is marked as the start: a learner would not know where to begin.")
        )
    elif len(starts) > 1:
        problems.append(
            _("Several steps are marked as the start (%(keys)s): mark exactly one.")
            % {"keys": ", ".join(sorted(starts))}
        )
    for key in sorted(graph.steps):
        choices = graph.steps[key]
        if not choices:
            problems.append(
                _("Step %(key)s has no choices: a learner reaching it cannot go on.") % {"key": key}
            )
        for c in choices:
            if c.next is not None and c.next not in graph.steps:
                problems.append(
                    _("A choice of step %(key)s leads to step %(next)s, which does not exist.")
                    % {"key": key, "next": c.next}
                )
    if len(starts) == 1:
        unreachable = sorted(set(graph.steps) - _reachable(graph, starts[0]))
        for key in unreachable:
            problems.append(
                _("Step %(key)s cannot be reached from the start step %(start)s.")
                % {"key": key, "start": starts[0]}
            )
    cycle = _cycle(graph)
    if cycle is not None:
        problems.append(
            _("The steps %(loop)s form a loop: a path through them never ends.")
            % {"loop": " → ".join(cycle)}
        )
    elif len(starts) == 1 and not any(
        c.next is None for k in _reachable(graph, starts[0]) for c in graph.steps[k]
    ):
        problems.append(
            _("No choice ends the scenario: every path must end in a choice that leads nowhere.")
        )
    return problems


def points_range(graph: Graph, start: str) -> tuple[int, int]:
    """(best, worst) total points over every path from ``start`` to an end. The graph must
    pass ``check`` (acyclic, every step with a choice)."""
    memo: dict[str, tuple[int, int]] = {}

    def visit(key: str) -> tuple[int, int]:
        if key in memo:
            return memo[key]
        best, worst = None, None
        for c in graph.steps[key]:
            if c.next is None:
                hi = lo = c.points
            else:
                nhi, nlo = visit(c.next)
                hi, lo = c.points + nhi, c.points + nlo
            best = hi if best is None else max(best, hi)
            worst = lo if worst is None else min(worst, lo)
        assert best is not None and worst is not None
        memo[key] = (best, worst)
        return memo[key]

    # Deep graphs: visit in reverse topological order so the recursion stays shallow.
    for key in _topological(graph, start)[::-1]:
        visit(key)
    return visit(start)


def _topological(graph: Graph, start: str) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(start, False)]
    while stack:
        key, done = stack.pop()
        if done:
            order.append(key)
            continue
        if key in seen:
            continue
        seen.add(key)
        stack.append((key, True))
        for c in graph.steps[key]:
            if c.next is not None and c.next not in seen:
                stack.append((c.next, False))
    return order[::-1]


def best_from(graph: Graph, key: str) -> int:
    """The best total obtainable from step ``key`` to an end (for "the better choice")."""
    return points_range(graph, key)[0]

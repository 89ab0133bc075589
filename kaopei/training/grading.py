"""The pure core of quizzes: drawing and shuffling an attempt's layout, and grading it.

No database here: the services hand in plain ids and sets, so the rules can be tested
(and property-tested) on their own.

- ``attempt_layout``: the questions an attempt shows, in order, each with its options in
  order — deterministic for one seed (an attempt keeps its seed-derived layout).
- ``grade``: score = correct / questions × 100, rounded half-up to 2 decimals; a question
  is right when the chosen options are exactly its correct ones (multiple choice: the
  whole correct set, nothing more); an unanswered question is wrong.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

Layout = list[list[object]]  # [[question_id, [option_id, …]], …]


def attempt_layout(
    *,
    questions: Mapping[int, Sequence[int]],
    seed: int,
    draw: int | None,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> Layout:
    """The layout of an attempt: ``draw`` questions (all when None or more than there
    are) out of ``questions`` (question id → its option ids in position order)."""
    rng = random.Random(seed)
    ids = sorted(questions)
    if draw is not None and draw < len(ids):
        ids = sorted(rng.sample(ids, draw))
    if shuffle_questions:
        rng.shuffle(ids)
    layout: Layout = []
    for qid in ids:
        options = list(questions[qid])
        if shuffle_options:
            rng.shuffle(options)
        layout.append([qid, options])
    return layout


def round_score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Graded:
    score: Decimal
    passed: bool
    correct: dict[int, bool]  # question id → answered right


def grade(
    *,
    question_ids: Sequence[int],
    correct_options: Mapping[int, set[int]],
    answers: Mapping[int, set[int]],
    pass_mark: int,
) -> Graded:
    """Grade the answers (question id → chosen option ids) to ``question_ids``."""
    right = {
        qid: bool(answers.get(qid)) and answers.get(qid) == correct_options.get(qid, set())
        for qid in question_ids
    }
    total = len(question_ids)
    score = round_score(Decimal(sum(right.values())) * HUNDRED / total) if total else Decimal(0)
    return Graded(score=score, passed=score >= pass_mark, correct=right)


def best_of(scores: Sequence[Decimal]) -> Decimal | None:
    return max(scores) if scores else None


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)

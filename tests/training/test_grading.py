"""The pure grading and shuffling core (kaopei.training.grading)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kaopei.training.grading import attempt_layout, grade, round_score

banks = st.dictionaries(
    st.integers(1, 10_000),
    st.lists(st.integers(1, 100_000), min_size=2, max_size=6, unique=True),
    min_size=1,
    max_size=30,
)


@given(banks, st.integers(0, 2**63), st.one_of(st.none(), st.integers(1, 40)), st.booleans())
def test_a_layout_is_a_deterministic_draw_and_permutation(
    bank: dict[int, list[int]], seed: int, draw: int | None, shuffle: bool
) -> None:
    kw = {"questions": bank, "seed": seed, "draw": draw, "shuffle_questions": shuffle}
    layout = attempt_layout(**kw, shuffle_options=shuffle)  # type: ignore[arg-type]
    assert layout == attempt_layout(**kw, shuffle_options=shuffle)  # type: ignore[arg-type]
    qids = [q for q, _o in layout]
    assert len(qids) == len(set(qids)) == min(draw or len(bank), len(bank))
    assert set(qids) <= set(bank)
    for qid, options in layout:
        assert sorted(options) == sorted(bank[qid])  # type: ignore[index]
        if not shuffle:
            assert options == bank[qid]  # type: ignore[index]
    if not shuffle and draw is None:
        assert qids == sorted(bank)


@given(
    st.lists(
        st.tuples(st.sets(st.integers(1, 5), min_size=1), st.sets(st.integers(1, 5))),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 100),
)
def test_the_score_is_between_0_and_100_and_exact_sets_alone_are_right(
    items: list[tuple[set[int], set[int]]], pass_mark: int
) -> None:
    qids = list(range(len(items)))
    graded = grade(
        question_ids=qids,
        correct_options={i: c for i, (c, _a) in enumerate(items)},
        answers={i: a for i, (_c, a) in enumerate(items)},
        pass_mark=pass_mark,
    )
    assert Decimal(0) <= graded.score <= Decimal(100)
    assert graded.passed == (graded.score >= pass_mark)
    for i, (correct, chosen) in enumerate(items):
        assert graded.correct[i] == (correct == chosen)


def test_multiple_choice_needs_exactly_the_correct_set() -> None:
    common = {"question_ids": [1], "correct_options": {1: {10, 11}}, "pass_mark": 60}
    assert grade(answers={1: {10, 11}}, **common).correct[1]  # type: ignore[arg-type]
    assert not grade(answers={1: {10}}, **common).correct[1]  # type: ignore[arg-type]
    assert not grade(answers={1: {10, 11, 12}}, **common).correct[1]  # type: ignore[arg-type]


def test_unanswered_questions_count_wrong_and_the_score_rounds_half_up() -> None:
    graded = grade(
        question_ids=[1, 2, 3],
        correct_options={1: {1}, 2: {2}, 3: {3}},
        answers={1: {1}, 2: {2}},
        pass_mark=67,
    )
    assert graded.score == Decimal("66.67") and not graded.passed
    assert graded.correct == {1: True, 2: True, 3: False}
    assert round_score(Decimal("12.345")) == Decimal("12.35")
    assert round_score(Decimal("12.344")) == Decimal("12.34")

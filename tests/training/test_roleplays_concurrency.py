"""Two assessors submitting at once both count; one assessor submitting twice at once
stores one score sheet (PostgreSQL, two connections)."""

from __future__ import annotations

from kaopei.core.errors import ApplicationError
from kaopei.training.models import AssessorScore, CriterionScore
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.roleplays_factories import performance_of, roleplay_with_rubric, submit

pytestmark = CONCURRENT_WRITERS


def test_two_assessors_submitting_at_once_both_count() -> None:
    people = build_personas()
    p = performance_of(roleplay_with_rubric(), people.alice, [people.trainer, people.hr])
    first, second = at_once(
        lambda: submit(p, people.trainer, [4, 3]), lambda: submit(p, people.hr, [2, 5])
    )
    assert isinstance(first, AssessorScore) and isinstance(second, AssessorScore)
    assert AssessorScore.objects.filter(performance=p).count() == 2
    assert CriterionScore.objects.count() == 4


def test_one_assessor_submitting_twice_at_once_stores_one_sheet() -> None:
    people = build_personas()
    p = performance_of(roleplay_with_rubric(), people.alice, [people.trainer])
    results = at_once(
        lambda: submit(p, people.trainer, [4, 3]), lambda: submit(p, people.trainer, [1, 1])
    )
    stored = [r for r in results if isinstance(r, AssessorScore)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(stored) == 1 and len(refused) == 1
    assert refused[0].status == 409
    assert AssessorScore.objects.count() == 1 and CriterionScore.objects.count() == 2

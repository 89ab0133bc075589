"""Two first downloads of one certificate at once create one certificate (PostgreSQL)."""

from __future__ import annotations

import pytest

from kaopei.training.models import Certificate
from kaopei.training.services.certificates import certificate_issue
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.factories import EnrolmentFactory

pytestmark = CONCURRENT_WRITERS


def test_two_first_downloads_at_once_issue_one_certificate() -> None:
    people = build_personas()
    e = EnrolmentFactory(employee=people.alice, completed=True)
    first, second = at_once(
        lambda: certificate_issue(enrolment=e), lambda: certificate_issue(enrolment=e)
    )
    assert isinstance(first, Certificate) and isinstance(second, Certificate)
    assert first.pk == second.pk
    assert Certificate.objects.filter(enrolment=e).count() == 1


@pytest.mark.parametrize("rounds", [3])
def test_many_people_downloading_at_once_get_distinct_codes(rounds: int) -> None:
    people = build_personas()
    enrolments = [
        EnrolmentFactory(employee=p, completed=True)
        for p in (people.alice, people.bob, people.sup, people.sup2)
    ]
    results = at_once(*[lambda e=e: certificate_issue(enrolment=e) for e in enrolments])
    assert all(isinstance(r, Certificate) for r in results)
    assert len({r.code for r in results}) == 4

"""Two people at once on one competition (PostgreSQL): two members of a team submitting,
two members of a reviewing team reviewing the same submission."""

from __future__ import annotations

from django.db import close_old_connections

from kaopei.core.errors import ApplicationError
from kaopei.training.models import PeerReview, ReviewAssignment, Submission
from kaopei.training.services import competitions as services
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.competitions_factories import clock, make_competition, scores

pytestmark = CONCURRENT_WRITERS


def test_two_members_submitting_at_once_make_two_versions_of_one_submission() -> None:
    p = build_personas()
    c = make_competition(teams={"Alpha": [p.alice, p.sup], "Beta": [p.bob]}, times=clock())
    now = clock().submitting
    first, second = at_once(
        lambda: services.submission_save(competition=c, employee=p.alice, text="甲", now=now),
        lambda: services.submission_save(competition=c, employee=p.sup, text="乙", now=now),
    )
    close_old_connections()
    assert isinstance(first, Submission) and isinstance(second, Submission)
    assert Submission.objects.filter(team__competition=c).count() == 1
    assert sorted([first.version, second.version]) == [1, 2]
    assert Submission.objects.get(team__competition=c).version == 2


def test_two_members_reviewing_the_same_submission_at_once_make_one_review() -> None:
    p = build_personas()
    past = clock(past=True)
    c = make_competition(
        teams={"Alpha": [p.alice, p.sup], "Beta": [p.bob]}, times=past, reviews_per_team=1
    )
    for who in (p.alice, p.bob):
        services.submission_save(competition=c, employee=who, text="x", now=past.submitting)
    services.competition_start_review(competition=c, now=past.reviewing)
    a = ReviewAssignment.objects.get(competition=c, reviewer_team__name="Alpha")
    results = at_once(
        lambda: services.peer_review_submit(
            assignment=a, employee=p.alice, scores=scores(c, [5, 5, 5]), now=past.reviewing
        ),
        lambda: services.peer_review_submit(
            assignment=a, employee=p.sup, scores=scores(c, [1, 1, 1]), now=past.reviewing
        ),
    )
    close_old_connections()
    assert sum(isinstance(r, PeerReview) for r in results) == 1
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and "already reviewed" in str(refused[0].message)
    assert PeerReview.objects.filter(assignment=a).count() == 1

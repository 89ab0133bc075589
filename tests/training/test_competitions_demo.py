"""The demo, built for 6 December 2026, holds a closed competition from the brief (five
teams, submissions in Chinese and English, cross-reviews, two experts, a leaderboard) and
one open now in which the account manager's team has not submitted yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kaopei.core.demo import DemoContext
from kaopei.training.demo_competitions import CLOSED, OPEN
from kaopei.training.models import Competition, PeerReview, ReviewAssignment, Submission
from kaopei.training.selectors import competitions as sel
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    yield from demo_for_module(django_db_blocker, TODAY)


def test_the_closed_competition_has_cross_reviews_experts_and_a_leaderboard(
    demo: DemoContext, db: None
) -> None:
    c = Competition.objects.get(code=CLOSED)
    assert c.status == Competition.Status.CLOSED and c.teams.count() == 5
    assert {e.employee_no for e in c.experts.all()} == {"TR001", "TR002"}
    texts = list(Submission.objects.filter(team__competition=c).values_list("text", flat=True))
    assert len(texts) == 5 and all("Client" in t and "客户" in t for t in texts)
    assignments = ReviewAssignment.objects.filter(competition=c).select_related("submission")
    assert assignments.count() == 10
    assert all(a.reviewer_team_id != a.submission.team_id for a in assignments)
    assert PeerReview.objects.filter(assignment__competition=c).count() == 10
    standings = sel.leaderboard(c)
    assert [s.rank for s in standings][0] == 1
    assert all(s.combined is not None and not s.partial for s in standings)
    persona = demo.data["persona_am"]
    assert sel.team_of(competition=c, employee=persona) is not None


def test_the_account_managers_team_has_not_submitted_to_the_open_one(
    demo: DemoContext, db: None
) -> None:
    c = Competition.objects.get(code=OPEN)
    assert c.status == Competition.Status.OPEN
    assert c.deadline_at.date() == TODAY + dt.timedelta(days=3)
    team = sel.team_of(competition=c, employee=demo.data["persona_am"])
    assert team is not None and not Submission.objects.filter(team=team).exists()
    assert Submission.objects.filter(team__competition=c).count() == 1

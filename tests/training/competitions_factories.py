"""Building competitions for tests through the services, with the clock passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kaopei.org.models import Employee
from kaopei.training.models import Competition, ReviewAssignment, Team
from kaopei.training.services import competitions as services

CRITERIA = [
    services.CriterionIn("客户需求分析", "Client needs analysis", 40),
    services.CriterionIn("方案可行性", "Feasibility of the plan", 35),
    services.CriterionIn("合规与风险", "Compliance and risk", 25),
]


@dataclass
class Clock:
    opens_at: dt.datetime
    deadline_at: dt.datetime
    review_deadline_at: dt.datetime

    @property
    def submitting(self) -> dt.datetime:
        return self.opens_at + dt.timedelta(hours=1)

    @property
    def reviewing(self) -> dt.datetime:
        return self.deadline_at + dt.timedelta(hours=1)

    @property
    def after_reviews(self) -> dt.datetime:
        return self.review_deadline_at + dt.timedelta(hours=1)


def clock(now: dt.datetime | None = None, *, past: bool = False) -> Clock:
    """Open since an hour before ``now``; deadline a day later, reviews two days later. With
    ``past`` everything is over (a closed competition's dates)."""
    now = now or timezone.now()
    start = now - dt.timedelta(days=10) if past else now - dt.timedelta(hours=1)
    return Clock(start, start + dt.timedelta(days=1), start + dt.timedelta(days=2))


def make_competition(
    *,
    code: str = "CMP-1",
    teams: dict[str, Sequence[Employee]],
    experts: Sequence[Employee] = (),
    times: Clock | None = None,
    open_it: bool = True,
    reviews_per_team: int = 2,
    user: Any = None,
) -> Competition:
    times = times or clock()
    c = services.competition_create(
        user=user,
        code=code,
        title="客户年度服务方案设计",
        title_en="Design a client's annual service plan",
        task="为一位高净值客户设计年度服务方案。",
        task_en="Design a high-net-worth client's annual service plan.",
        experts=experts,
        opens_at=times.opens_at,
        deadline_at=times.deadline_at,
        review_deadline_at=times.review_deadline_at,
        reviews_per_team=reviews_per_team,
        # Without experts the ranking is the peer score alone.
        expert_weight=60 if experts else 0,
        peer_weight=40 if experts else 100,
        criteria=CRITERIA,
    )
    for name, members in teams.items():
        services.team_create(competition=c, name=name, members=list(members))
    if open_it:
        services.competition_open(competition=c, now=times.opens_at)
    c.refresh_from_db()
    return c


def team(c: Competition, name: str) -> Team:
    return Team.objects.get(competition=c, name=name)


def scores(c: Competition, values: Sequence[int]) -> dict[int, int]:
    return {k.pk: v for k, v in zip(c.criteria.order_by("order"), values, strict=True)}


def assignment_for(c: Competition, reviewer: str) -> ReviewAssignment:
    return ReviewAssignment.objects.filter(competition=c, reviewer_team__name=reviewer).first()  # type: ignore[return-value]

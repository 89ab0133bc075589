"""Closed 360 rounds with answers, for the report tests (answers through response_store)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.services.responses import Score, response_store
from kaopei.org.models import Competency, LevelExpectation

SECRET = "WITHHELD-SECRET"


def a_round(code: str = "2026Q1", *, closed: bool = True) -> FeedbackRound:
    cycle = cycle_get_or_create(code=code)
    status = FeedbackRound.Status.CLOSED if closed else FeedbackRound.Status.OPEN
    rnd, _new = FeedbackRound.objects.get_or_create(cycle=cycle, defaults={"status": status})
    return rnd


def close(rnd: FeedbackRound) -> None:
    rnd.status = FeedbackRound.Status.CLOSED
    rnd.save(update_fields=["status"])


def two_competencies() -> tuple[Competency, Competency]:
    talk, _n = Competency.objects.get_or_create(
        code="talk", defaults={"name": "沟通", "name_en": "Communication", "category": "soft"}
    )
    team, _n = Competency.objects.get_or_create(
        code="team",
        defaults={"name": "协作", "name_en": "Teamwork", "category": "collaboration"},
    )
    return talk, team


def answer(
    rnd: FeedbackRound,
    subject: Any,
    relationship: str,
    scores: Mapping[Competency, int | tuple[int, int]],
    *,
    rater: Any = None,
    comment: str = "",
) -> None:
    """One response: ``scores`` maps a competency to a score (or ``(total, items)``)."""
    out = {}
    for competency, value in scores.items():
        total, items = value if isinstance(value, tuple) else (value, 1)
        out[competency.pk] = Score(total, items, comment)
    response_store(
        feedback_round=rnd,
        subject_id=subject.pk,
        relationship=relationship,
        rater_id=rater.pk if rater is not None else None,
        scores=out,
    )


def alice_and_bob(p: Any, code: str = "2026Q1", *, closed: bool = True) -> dict[str, Any]:
    """A round where Alice has every kind of row and Bob has a withheld group.

    Alice, per competency: self; supervisor (Sun Pei); 3 peers (shown); 2 subordinates and
    1 customer (pooled as ``others``). Bob: self; supervisor (Shen Er); 3 customers (shown);
    2 peers, alone in the pool (withheld — their comments carry ``SECRET``).
    """
    rnd = a_round(code, closed=closed)
    talk, team = two_competencies()
    LevelExpectation.objects.get_or_create(level=p.am1, competency=talk, defaults={"expected": 4})
    LevelExpectation.objects.get_or_create(level=p.am1, competency=team, defaults={"expected": 3})
    alice, bob = p.alice, p.bob
    answer(rnd, alice, "self", {talk: 4, team: 4}, rater=alice, comment="self note")
    answer(rnd, alice, "supervisor", {talk: 3, team: 4}, rater=p.sup, comment="sup note")
    for s in (4, 5, 5):
        answer(rnd, alice, "peer", {talk: s, team: (5, 2)}, comment=f"peer says {s}")
    for s in (2, 3):
        answer(rnd, alice, "subordinate", {talk: s, team: 2}, comment=f"subordinate says {s}")
    answer(rnd, alice, "customer", {talk: 4, team: 3}, comment="customer says hi")
    answer(rnd, bob, "self", {talk: 5, team: 5}, rater=bob)
    answer(rnd, bob, "supervisor", {talk: 2, team: 3}, rater=p.sup2)
    for s in (3, 4, 4):
        answer(rnd, bob, "customer", {talk: s, team: s}, comment=f"customer {s}")
    for s in (1, 1):
        answer(rnd, bob, "peer", {talk: s, team: s}, comment=f"{SECRET} peer {s}")
    return {"round": rnd, "talk": talk, "team": team, "cycle": Cycle.objects.get(code=code)}

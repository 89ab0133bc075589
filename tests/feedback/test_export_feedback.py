"""``kaopei export feedback CYCLE -o FILE`` (DESIGN.md §4.1, §7 ⚑): exactly the report rows
of the cycle's closed round, and the fast path of the report rows agrees with the plain one."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.feedback.anonymity import GROUP_ORDER
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.reports import report_rows_reference, round_report_rows
from kaopei.feedback.services.responses import Score, response_store
from kaopei.org.models import Competency, Employee
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

EXPECTED = """\ufeffcycle,employee_no,competency,group,responses,mean\r
2026Q1,A001,talk,self,1,5.00\r
2026Q1,A001,talk,supervisor,1,3.00\r
2026Q1,A001,talk,peers,3,4.33\r
2026Q1,A001,talk,all_raters,4,4.00\r
2026Q1,A001,team,self,1,4.00\r
2026Q1,A001,team,supervisor,1,4.00\r
2026Q1,A001,team,others,3,3.33\r
2026Q1,A001,team,all_raters,4,3.50\r
2026Q1,B001,'-risk,supervisor,1,2.00\r
2026Q1,B001,'-risk,all_raters,1,2.00\r
2026Q1,B001,talk,supervisor,1,4.00\r
2026Q1,B001,talk,all_raters,1,4.00\r
"""


@pytest.fixture
def hand_round(personas: Personas) -> FeedbackRound:
    """Alice: talk with three peers shown; team with two peers and a customer pooled into
    others. Bob: two peers on talk, withheld (and so absent from all_raters)."""
    rnd = FeedbackRound.objects.create(cycle=cycle_get_or_create(code="2026Q1"))
    talk = Competency.objects.create(code="talk", name="沟通").pk
    team = Competency.objects.create(code="team", name="协作").pk
    risk = Competency.objects.create(code="-risk", name="风险").pk
    alice, bob = personas.alice.pk, personas.bob.pk

    def give(subject: int, relationship: str, scores: dict[int, int], rater: int | None = None):  # type: ignore[no-untyped-def]
        response_store(feedback_round=rnd, subject_id=subject, relationship=relationship,
                       rater_id=rater, scores={c: Score(s) for c, s in scores.items()})  # fmt: skip

    give(alice, "self", {talk: 5, team: 4}, alice)
    give(alice, "supervisor", {talk: 3, team: 4}, personas.sup.pk)
    for talk_score, team_score in ((4, 2), (4, 3), (5, None)):
        give(alice, "peer", {talk: talk_score} | ({team: team_score} if team_score else {}))
    give(alice, "customer", {team: 5})
    give(bob, "supervisor", {talk: 4, risk: 2}, personas.sup2.pk)
    give(bob, "peer", {talk: 1})
    give(bob, "peer", {talk: 2})
    return rnd


def close(rnd: FeedbackRound) -> None:
    rnd.status = FeedbackRound.Status.CLOSED
    rnd.save()


def test_the_csv_holds_exactly_the_report_rows_of_the_hand_example(
    hand_round: FeedbackRound, tmp_path: Path
) -> None:
    close(hand_round)
    call_command("export", "feedback", "2026Q1", "-o", str(tmp_path / "f.csv"))
    assert (tmp_path / "f.csv").read_bytes().decode("utf-8") == EXPECTED


def test_the_export_equals_the_report_rows(hand_round: FeedbackRound, tmp_path: Path) -> None:
    close(hand_round)
    call_command("export", "feedback", "2026Q1", "-o", str(tmp_path / "f.xlsx"))
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert sheet is not None
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("cycle", "employee_no", "competency", "group", "responses", "mean")
    numbers = dict(Employee.objects.values_list("pk", "employee_no"))
    codes = dict(Competency.objects.values_list("pk", "code"))
    rows = sorted(
        round_report_rows(hand_round.pk),
        key=lambda r: (numbers[r.subject_id], codes[r.competency_id], GROUP_ORDER[r.group]),
    )
    expected = [
        ("2026Q1", numbers[r.subject_id], codes[r.competency_id], r.group, r.responses, r.mean)
        for r in rows
    ]
    got = [
        (c, e, k, g, n, Decimal(str(m)).quantize(Decimal("0.01"))) for c, e, k, g, n, m in lines[1:]
    ]
    assert got == expected
    assert [line[2] for line in lines[1:] if line[1] == "B001"][:2] == ["-risk", "-risk"]


def test_an_open_or_missing_round_exits_with_a_clear_message(
    hand_round: FeedbackRound, tmp_path: Path
) -> None:
    target = tmp_path / "f.csv"
    with pytest.raises(CommandError, match="2026Q1"):
        call_command("export", "feedback", "2026Q1", "-o", str(target))
    cycle_get_or_create(code="2026Q2")
    with pytest.raises(CommandError, match="2026Q2"):
        call_command("export", "feedback", "2026Q2", "-o", str(target))
    with pytest.raises(CommandError, match="2027Q1"):
        call_command("export", "feedback", "2027Q1", "-o", str(target))
    assert not list(tmp_path.iterdir())  # not even half a file


def test_the_fast_report_rows_agree_with_the_exact_reference(personas: Personas) -> None:
    rng = random.Random(10)
    rnd = FeedbackRound.objects.create(cycle=cycle_get_or_create(code="2026Q1"))
    comps = [Competency.objects.create(code=f"c{i}", name=f"能力{i}").pk for i in range(3)]
    people = [personas.alice, personas.bob, personas.sup, personas.sup2]
    for person in people:
        for relationship in ("self", "supervisor", "peer", "subordinate", "customer"):
            many = 1 if relationship in ("self", "supervisor") else rng.randint(0, 5)
            for _ in range(many):
                items = {c: rng.randint(1, 10) for c in rng.sample(comps, rng.randint(1, 3))}
                rater = None
                if relationship == "self":
                    rater = person.pk
                elif relationship == "supervisor":
                    rater = personas.hr.pk
                response_store(
                    feedback_round=rnd, subject_id=person.pk, relationship=relationship,
                    rater_id=rater,
                    scores={c: Score(rng.randint(n, 5 * n), n) for c, n in items.items()},
                )  # fmt: skip
    fast = round_report_rows(rnd.pk)
    assert fast == report_rows_reference(rnd.pk)
    assert [r.mean for r in fast] == [r.mean for r in report_rows_reference(rnd.pk)]
    some = [personas.alice.pk]
    assert round_report_rows(rnd.pk, some) == report_rows_reference(rnd.pk, some)


def test_the_integer_rounding_agrees_with_the_exact_half_up_rounding() -> None:
    from fractions import Fraction

    from kaopei.feedback.anonymity import mean_cents, round_half_up
    from kaopei.feedback.models.rounds import SCALE

    step = SCALE // 40  # scores in fortieths, so many means land on half a cent
    for n in range(1, 25):
        for total in range(n * SCALE, 5 * n * SCALE + 1, step):
            exact = round_half_up(Fraction(total, n * SCALE))
            assert Decimal(mean_cents(total, n, SCALE)).scaleb(-2) == exact

"""Scoring a cycle end to end (``cycle_score``): facts → metrics → engine → scorecards.

DESIGN.md §5 and §6 ⚑; issue 4. The personas fixture gives Alice (AM1), Bob (AM2), two
supervisors (AM3) and three people without a job level (HR, executive, trainer).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.metrics import FORMULAS
from kaopei.assessment.models import (
    Cycle,
    ManualScore,
    Metric,
    Scorecard,
    ScoreLine,
    Target,
    Template,
)
from kaopei.assessment.scoring import GRADE_INSUFFICIENT, GRADE_UNQUALIFIED
from kaopei.assessment.services.calibration import scorecard_calibrate
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.errors import ConflictError
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    Opportunity,
    Receivable,
    Sale,
    SurveyResponse,
)
from kaopei.org.models import Employee, JobLevel, OrgUnit
from tests.assessment.facts_factories import (
    ActivityFactory,
    ComplianceIncidentFactory,
    OpportunityFactory,
    SaleFactory,
    SurveyResponseFactory,
    local_datetime,
)
from tests.conftest import Personas
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

Q1 = "2026Q1"
START, END = date(2026, 1, 1), date(2026, 3, 31)
VISIT, REQUEST = Activity.Kind.VISIT, Activity.Kind.REQUEST


def make_template(level: JobLevel, weights: dict[str, int], code: str | None = None) -> Template:
    return template_create_version(
        code=code or f"Q-{level.code}",
        level=level,
        cycle_kind="quarterly",
        items=[ItemSpec(metric=m, weight=D(w)) for m, w in weights.items()],
    )


def set_targets(emp: Employee, cycle_code: str = Q1, **values: str | int) -> None:
    cycle = cycle_get_or_create(code=cycle_code)
    ids = dict(Metric.objects.filter(code__in=values).values_list("code", "pk"))
    targets_set(cycle=cycle, values={(emp.pk, ids[c]): D(v) for c, v in values.items()})


def card_of(emp: Employee, cycle_code: str = Q1) -> Scorecard:
    return Scorecard.objects.select_related("template").get(cycle__code=cycle_code, employee=emp)


def lines_of(card: Scorecard) -> dict[str, ScoreLine]:
    return {line.metric.code: line for line in card.lines.select_related("metric")}


def visits(emp: Employee, n: int, day: date = date(2026, 2, 2)) -> None:
    for _ in range(n):
        ActivityFactory.create(employee=emp, kind=VISIT, day=day)


# --- the hand-computed example --------------------------------------------------------------


def test_a_hand_computed_scorecard_matches_to_the_cent(personas: Personas) -> None:
    """Alice (AM1), 2026Q1 (90 days), template Q-AM1 v1 and these rows:

    ========================  ======  ================================================  =======
    metric (weight)           target  records counted                                   actual
    ========================  ======  ================================================  =======
    visit_count (30)          12      16 visits in the quarter (a visit on 04-01 is     16
                                      outside it)
    sales_amount (25)         500000  180,000.00 + 150,000.00 + 107,350.50 (a contract  437350.5
                                      signed 04-01 is outside)
    response_hours (15)       4       2.50, 3.00, 4.50, 6.00 (two visits, two           3.75
                                      requests; a call on 2025-12-31 is outside):
                                      even count, (3.00 + 4.50) / 2
    nps (20, band, floor      40      10 answers: 9 10 9 10 9 | 7 8 8 | 6 3:            30
    −100)                             (5 − 2) / 10 × 100
    compliance_incidents      0       one unconfirmed incident (no veto)                1
    (10, band, ceiling 3)
    ========================  ======  ================================================  =======

    Attainment and points (points = attainment × 100, rounded half-up to 0.01):

    - visit_count: 16 / 12 = 1.3333… → 133.33
    - sales_amount: 437,350.50 / 500,000 = 0.874701 → 87.47
    - response_hours (lower is better): 4 / 3.75 = 1.0666… → 106.67
    - nps: (30 − (−100)) / (40 − (−100)) = 130 / 140 = 0.928571… → 92.86
    - compliance_incidents: (3 − 1) / (3 − 0) = 0.6666… → 66.67

    Total = (30 × 133.33 + 25 × 87.47 + 15 × 106.67 + 20 × 92.86 + 10 × 66.67) / 100
          = (3,999.90 + 2,186.75 + 1,600.05 + 1,857.20 + 666.70) / 100
          = 10,310.60 / 100 = 103.106 → 103.11, grade B (100 ≤ 103.11 < 120).
    """
    alice = personas.alice
    make_template(
        personas.am1,
        {
            "visit_count": 30,
            "sales_amount": 25,
            "response_hours": 15,
            "nps": 20,
            "compliance_incidents": 10,
        },
    )
    set_targets(
        alice, visit_count=12, sales_amount=500000, response_hours=4, nps=40, compliance_incidents=0
    )
    for n in range(16):
        hours = {0: D("2.50"), 1: D("6.00")}.get(n)
        ActivityFactory.create(
            employee=alice, kind=VISIT, day=date(2026, 1, 5 + n), response_hours=hours
        )
    ActivityFactory.create(employee=alice, kind=VISIT, day=date(2026, 4, 1), response_hours=D(100))
    ActivityFactory.create(employee=alice, kind=REQUEST, day=END, response_hours=D("3.00"))
    ActivityFactory.create(
        employee=alice,
        kind=REQUEST,
        occurred_at=local_datetime(START, 0, 0),
        response_hours=D("4.50"),
    )
    ActivityFactory.create(
        employee=alice, kind=Activity.Kind.CALL, day=date(2025, 12, 31), response_hours=D("0.50")
    )
    for amount in ("180000.00", "150000.00", "107350.50"):
        SaleFactory.create(employee=alice, signed_on=date(2026, 3, 2), amount=D(amount))
    SaleFactory.create(employee=alice, signed_on=date(2026, 4, 1), amount=D("1000000.00"))
    for score in (9, 10, 9, 10, 9, 7, 8, 8, 6, 3):
        SurveyResponseFactory.create(employee=alice, nps=score)
    ComplianceIncidentFactory.create(
        employee=alice, confirmed=False, category=ComplianceIncident.Category.DATA_PRIVACY
    )

    summary = cycle_score(code=Q1, user=personas.hr.user, today=date(2026, 4, 15))

    assert summary.scored == 1
    assert summary.grades == {"B": 1}
    card = card_of(alice)
    assert (card.total, card.grade, card.computed_grade) == (D("103.11"), "B", "B")
    assert (card.weight_with_data, card.weight_total, card.renormalised) == (100, 100, False)
    assert card.veto_reason == ""
    assert (card.template.code, card.template.version) == ("Q-AM1", 1)
    got = {
        code: (line.actual, line.target, line.points, line.weight, line.has_data, line.warning)
        for code, line in lines_of(card).items()
    }
    assert got == {
        "visit_count": (D(16), D(12), D("133.33"), D(30), True, ""),
        "sales_amount": (D("437350.5"), D(500000), D("87.47"), D(25), True, ""),
        "response_hours": (D("3.75"), D(4), D("106.67"), D(15), True, ""),
        "nps": (D(30), D(40), D("92.86"), D(20), True, ""),
        "compliance_incidents": (D(1), D(0), D("66.67"), D(10), True, ""),
    }
    attainment = {code: line.attainment for code, line in lines_of(card).items()}
    assert attainment == {
        "visit_count": D("1.33333333"),
        "sales_amount": D("0.87470100"),
        "response_hours": D("1.06666667"),
        "nps": D("0.92857143"),
        "compliance_incidents": D("0.66666667"),
    }
    assert [line.metric.code for line in card.lines.select_related("metric")] == [
        "visit_count",
        "sales_amount",
        "nps",
        "response_hours",
        "compliance_incidents",
    ]  # by weight, heaviest first
    assert card.projection == {}  # scored after the quarter ended: no run-rate projection


# --- who is scored --------------------------------------------------------------------------


def test_only_people_employed_during_the_cycle_with_a_template_are_scored(
    personas: Personas,
) -> None:
    make_template(personas.am1, {"visit_count": 100})
    level, unit = personas.am1, personas.bj_t1

    def am1(no: str, **dates: date) -> Employee:
        return EmployeeFactory.create(employee_no=no, org_unit=unit, level=level, **dates)

    hired_on_end = am1("N1", hire_date=END)
    left_on_start = am1("N2", left_on=START)
    am1("N3", hire_date=date(2026, 4, 1))  # hired after the end
    am1("N4", left_on=date(2025, 12, 31))  # left before the start

    summary = cycle_score(code=Q1)

    scored = set(Scorecard.objects.values_list("employee__employee_no", flat=True))
    assert scored == {
        personas.alice.employee_no,
        hired_on_end.employee_no,
        left_on_start.employee_no,
    }
    assert summary.scored == 3
    assert sorted(summary.skipped) == sorted(
        (no, "no_template") for no in ("B001", "S001", "S002", "HR001", "EX001", "T001")
    )
    assert summary.as_dict()["skipped"][0] == {"employee_no": "B001", "reason": "no_template"}


def test_a_card_of_someone_no_longer_eligible_is_kept_marked_on_rescoring(
    personas: Personas,
) -> None:
    make_template(personas.am1, {"visit_count": 100})
    set_targets(personas.alice, visit_count=10)
    visits(personas.alice, 10)
    cycle_score(code=Q1)
    card = card_of(personas.alice)
    scorecard_calibrate(scorecard=card, to_grade="A", reason="Exceptional quarter", user=None)
    Employee.objects.filter(pk=personas.alice.pk).update(left_on=date(2025, 12, 1))

    summary = cycle_score(code=Q1)

    kept = card_of(personas.alice)
    assert kept.pk == card.pk and not kept.eligible
    assert kept.ineligible_reason == "not_employed" and kept.ineligible_since is not None
    assert kept.calibrations.count() == 1 and kept.lines.count() == 1
    assert summary.no_longer_eligible == 1
    assert kept.history.first().history_type == "~"  # type: ignore[attr-defined]


def test_a_card_without_a_template_any_more_is_kept_and_comes_back_when_eligible(
    personas: Personas,
) -> None:
    template = make_template(personas.am1, {"visit_count": 100})
    cycle_score(code=Q1)
    Template.objects.filter(pk=template.pk).update(level=personas.am2)
    cycle_score(code=Q1)
    card = card_of(personas.alice)
    assert not card.eligible and card.ineligible_reason == "no_template"
    since = card.ineligible_since
    cycle_score(code=Q1)  # still not eligible: the date it stopped being eligible stays
    assert card_of(personas.alice).ineligible_since == since

    Template.objects.filter(pk=template.pk).update(level=personas.am1)
    cycle_score(code=Q1)
    card = card_of(personas.alice)
    assert card.eligible and card.ineligible_reason == "" and card.ineligible_since is None
    assert card.lines.count() == 1


# --- missing data, targets, veto ------------------------------------------------------------


def test_a_card_is_insufficient_when_lines_with_data_carry_under_half_the_weight(
    personas: Personas,
) -> None:
    alice = personas.alice
    make_template(
        personas.am1, {"visit_count": 40, "response_hours": 30, "opportunity_win_rate": 30}
    )
    set_targets(alice, visit_count=8, response_hours=4, opportunity_win_rate=50)
    visits(alice, 10)  # no response times, no closed opportunities

    cycle_score(code=Q1)

    card = card_of(alice)
    assert card.grade == card.computed_grade == GRADE_INSUFFICIENT
    assert card.total == D("125.00")  # the visit line alone, reported but not graded
    assert (card.weight_with_data, card.weight_total) == (40, 100)
    lines = lines_of(card)
    assert (lines["response_hours"].has_data, lines["response_hours"].warning) == (False, "no_data")
    assert lines["opportunity_win_rate"].points is None


def test_exactly_half_the_weight_with_data_is_enough_and_weights_are_spread(
    personas: Personas,
) -> None:
    alice = personas.alice
    make_template(personas.am1, {"visit_count": 50, "opportunity_win_rate": 50})
    set_targets(alice, visit_count=8, opportunity_win_rate=50)
    visits(alice, 10)
    OpportunityFactory.create(employee=alice)  # open: no win rate yet

    cycle_score(code=Q1)

    card = card_of(alice)
    assert (card.total, card.grade, card.renormalised) == (D("125.00"), "A", True)


def test_a_missing_target_leaves_the_line_without_data_and_warns(personas: Personas) -> None:
    alice = personas.alice
    make_template(personas.am1, {"visit_count": 60, "sales_amount": 40})
    set_targets(alice, visit_count=10)
    visits(alice, 11)
    SaleFactory.create(employee=alice, amount=D("90000.00"))

    cycle_score(code=Q1)

    card = card_of(alice)
    sales = lines_of(card)["sales_amount"]
    assert (sales.has_data, sales.warning, sales.points) == (False, "target_missing", None)
    assert sales.actual == D("90000.00")  # still reported
    assert (card.total, card.grade, card.renormalised) == (D("110.00"), "B", True)


def test_the_veto_names_the_first_confirmed_incident_and_overrides_the_grade(
    personas: Personas,
) -> None:
    alice, bob = personas.alice, personas.bob
    make_template(personas.am1, {"visit_count": 100})
    make_template(personas.am2, {"opportunity_win_rate": 100})
    set_targets(alice, visit_count=5)
    visits(alice, 10)  # 150 points: an A without the veto
    bribery, aml = ComplianceIncident.Category.BRIBERY, ComplianceIncident.Category.AML
    ComplianceIncidentFactory.create(employee=alice, incident_id="HG-0", occurred_on=START)
    ComplianceIncidentFactory.create(
        employee=alice,
        incident_id="HG-1",
        occurred_on=date(2026, 3, 1),
        confirmed=True,
        category=bribery,
    )
    ComplianceIncidentFactory.create(
        employee=alice,
        incident_id="HG-2",
        occurred_on=date(2026, 1, 15),
        confirmed=True,
        category=aml,
    )
    ComplianceIncidentFactory.create(
        employee=alice,
        incident_id="HG-9",
        occurred_on=date(2025, 12, 31),
        confirmed=True,
        category=bribery,
    )
    # Bob has no data at all (INSUFFICIENT) and a confirmed incident on the last day.
    ComplianceIncidentFactory.create(
        employee=bob, incident_id="HG-5", occurred_on=END, confirmed=True
    )

    summary = cycle_score(code=Q1)

    a, b = card_of(alice), card_of(bob)
    assert (a.total, a.grade, a.computed_grade, a.veto_reason) == (
        D("150.00"),
        GRADE_UNQUALIFIED,
        GRADE_UNQUALIFIED,
        "HG-2 aml",
    )
    assert (b.total, b.grade, b.veto_reason) == (None, GRADE_UNQUALIFIED, "HG-5 other")
    assert summary.grades == {GRADE_UNQUALIFIED: 2}


def test_an_unconfirmed_or_out_of_cycle_incident_does_not_veto(personas: Personas) -> None:
    alice = personas.alice
    make_template(personas.am1, {"visit_count": 100})
    set_targets(alice, visit_count=10)
    visits(alice, 10)
    ComplianceIncidentFactory.create(employee=alice, occurred_on=START, confirmed=False)
    ComplianceIncidentFactory.create(employee=alice, occurred_on=date(2026, 4, 1), confirmed=True)

    cycle_score(code=Q1)

    assert (card_of(alice).grade, card_of(alice).veto_reason) == ("B", "")


# --- re-scoring -----------------------------------------------------------------------------


def test_rescoring_the_same_inputs_gives_the_same_card_and_hash(personas: Personas) -> None:
    alice = personas.alice
    make_template(personas.am1, {"visit_count": 50, "sales_amount": 30, "nps": 20})
    set_targets(alice, visit_count=7, sales_amount=300000, nps=30)
    visits(alice, 9)
    SaleFactory.create(employee=alice, amount=D("123456.78"))
    for score in (10, 6, 8):
        SurveyResponseFactory.create(employee=alice, nps=score)

    def snapshot() -> tuple[Any, ...]:
        card = card_of(alice)
        lines = [
            (line.metric_id, line.actual, line.target, line.attainment, line.points)
            for line in card.lines.all()
        ]
        return card.pk, card.total, card.grade, card.inputs_hash, lines

    cycle_score(code=Q1)
    first = snapshot()
    cycle_score(code=Q1)
    assert snapshot() == first
    assert len(first[3]) == 64

    SaleFactory.create(employee=alice, amount=D("0.01"))  # any change of an input changes the hash
    cycle_score(code=Q1)
    assert snapshot()[3] != first[3]


def test_rescoring_keeps_the_template_version_a_card_was_scored_with(
    personas: Personas,
) -> None:
    alice = personas.alice
    v1 = make_template(personas.am1, {"visit_count": 60, "sales_amount": 40})
    set_targets(alice, visit_count=10, sales_amount=100000)
    set_targets(alice, "2026Q2", visit_count=10, sales_amount=100000)
    visits(alice, 10)  # 100 points
    visits(alice, 10, day=date(2026, 5, 5))
    SaleFactory.create(employee=alice, amount=D("50000.00"))  # 50 points
    cycle_score(code=Q1)
    assert card_of(alice).total == D("80.00")  # (60 × 100 + 40 × 50) / 100

    v2 = make_template(personas.am1, {"visit_count": 20, "sales_amount": 80})
    assert (v2.code, v2.version, v2.current) == ("Q-AM1", 2, True)
    cycle_score(code=Q1)
    cycle_score(code="2026Q2")

    q1_card, q2_card = card_of(alice), card_of(alice, "2026Q2")
    assert q1_card.template_id == v1.pk
    assert q1_card.total == D("80.00")
    assert {line.weight for line in q1_card.lines.all()} == {D(60), D(40)}
    assert q2_card.template_id == v2.pk
    assert q2_card.total == D("20.00")  # (20 × 100 + 80 × 0) / 100


def test_a_final_cycle_refuses_scoring_and_keeps_its_cards(personas: Personas) -> None:
    alice = personas.alice
    make_template(personas.am1, {"visit_count": 100})
    set_targets(alice, visit_count=10)
    visits(alice, 10)
    cycle_score(code=Q1)
    Cycle.objects.filter(code=Q1).update(status=Cycle.Status.FINAL)
    visits(alice, 5)

    with pytest.raises(ConflictError):
        cycle_score(code=Q1)

    assert card_of(alice).total == D("100.00")


def test_a_calibrated_grade_is_kept_while_the_computed_grade_stands(
    personas: Personas,
) -> None:
    alice, hr = personas.alice, personas.hr.user
    make_template(personas.am1, {"visit_count": 100})
    set_targets(alice, visit_count=10)
    visits(alice, 10)  # 100 points: B
    cycle_score(code=Q1)
    scorecard_calibrate(
        scorecard=card_of(alice), to_grade="A", reason="大客户突破,校准上调", user=hr
    )

    visits(alice, 1)  # 110 points: the total moves, the computed grade stays B
    cycle_score(code=Q1, user=hr)
    card = card_of(alice)
    assert (card.computed_grade, card.grade) == ("B", "A")
    assert Cycle.objects.get(code=Q1).status == Cycle.Status.CALIBRATING  # rescoring keeps it

    Activity.objects.filter(employee=alice).delete()  # 0 points: the computed grade moves
    cycle_score(code=Q1, user=hr)
    assert (card_of(alice).computed_grade, card_of(alice).grade) == ("C", "C")

    # Back to B: a calibration made against an earlier result does not come back by itself.
    visits(alice, 10)
    cycle_score(code=Q1, user=hr)
    assert (card_of(alice).computed_grade, card_of(alice).grade) == ("B", "B")


def test_a_grade_calibrated_twice_is_kept_while_the_computed_grade_stands(
    personas: Personas,
) -> None:
    """B computed, moved to A and then to C: rescoring keeps C (the last move), not B."""
    alice, hr = personas.alice, personas.hr.user
    make_template(personas.am1, {"visit_count": 100})
    set_targets(alice, visit_count=10)
    visits(alice, 11)
    cycle_score(code=Q1)
    scorecard_calibrate(
        scorecard=card_of(alice), to_grade="A", reason="团队负责人建议上调", user=hr
    )
    scorecard_calibrate(scorecard=card_of(alice), to_grade="C", reason="校准会议决定下调", user=hr)

    cycle_score(code=Q1, user=hr)

    card = card_of(alice)
    assert (card.computed_grade, card.grade) == ("B", "C")
    assert card.calibrations.count() == 2


def test_scoring_writes_the_audit_history_of_cards_and_the_cycle(personas: Personas) -> None:
    alice, hr = personas.alice, personas.hr.user
    assert hr is not None
    make_template(personas.am1, {"visit_count": 100})
    set_targets(alice, visit_count=10)
    visits(alice, 10)

    cycle_score(code=Q1, user=hr)
    visits(alice, 2)
    cycle_score(code=Q1, user=hr)

    card = card_of(alice)
    history = list(card.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.total, h.history_user_id) for h in history] == [
        ("+", D("100.00"), hr.pk),
        ("~", D("120.00"), hr.pk),
    ]
    cycle_history = Cycle.history.filter(code=Q1).order_by("history_date", "history_id")
    assert [h.status for h in cycle_history][-1] == Cycle.Status.SCORED
    assert cycle_history.last().history_user_id == hr.pk  # type: ignore[union-attr]
    assert Cycle.objects.get(code=Q1).scored_at is not None


# --- the number of queries does not grow with the number of people ---------------------------


BIG_TEMPLATE = sorted(
    (set(FORMULAS) - {"training_hours", "quiz_score", "competency_360", "quarterly_average"})
    | {"supervisor_rating"}
)


def _population(n: int) -> None:
    """``n`` account managers of one level, each with a row of every fact kind, a target for
    every metric, a supervisor rating and, for every fifth, a confirmed incident."""
    unit = OrgUnit.objects.create(code="POP", name="批量团队")
    level = JobLevel.objects.create(code="POP1", name="批量职级", rank=9)
    weights = {code: 8 if i < 2 else 7 for i, code in enumerate(BIG_TEMPLATE)}
    make_template(level, weights, code="Q-POP")
    people = Employee.objects.bulk_create(
        Employee(employee_no=f"P{i:04d}", name=f"员工{i}", org_unit=unit, level=level)
        for i in range(n)
    )
    customers = Customer.objects.bulk_create(
        Customer(
            customer_no=f"PC{i:04d}",
            name="客户",
            owner=e,
            strategic=True,
            acquired_on=date(2025, 1, 1),
        )
        for i, e in enumerate(people)
    )
    pairs = list(enumerate(zip(people, customers, strict=True)))
    day, at = date(2026, 2, 2), local_datetime(date(2026, 2, 2))
    Activity.objects.bulk_create(
        Activity(
            activity_id=f"PA{i:04d}{k}",
            employee=e,
            customer=c,
            kind=kind,
            occurred_at=at,
            occurred_on=day,
            response_hours=D(i % 7 + 1),
        )
        for i, (e, c) in pairs
        for k, kind in enumerate((VISIT, REQUEST))
    )
    Sale.objects.bulk_create(
        Sale(
            contract_no=f"PS{i:04d}",
            employee=e,
            customer=c,
            signed_on=day,
            amount=D(1000 * i + 1),
            profit=D(100),
        )
        for i, (e, c) in pairs
    )
    Opportunity.objects.bulk_create(
        Opportunity(
            opportunity_id=f"PO{i:04d}",
            employee=e,
            customer=c,
            created_on=START,
            closed_on=day,
            status="won" if i % 2 else "lost",
            amount=D(1),
        )
        for i, (e, c) in pairs
    )
    Receivable.objects.bulk_create(
        Receivable(invoice_no=f"PR{i:04d}", employee=e, customer=c, invoiced_on=day, amount=D(500))
        for i, (e, c) in pairs
    )
    Complaint.objects.bulk_create(
        Complaint(complaint_id=f"PT{i:04d}", employee=e, customer=c, opened_on=day, resolved_on=day)
        for i, (e, c) in pairs
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            response_id=f"PW{i:04d}",
            employee=e,
            customer=c,
            responded_on=day,
            nps=i % 11,
            csat=i % 5 + 1,
        )
        for i, (e, c) in pairs
    )
    ComplianceIncident.objects.bulk_create(
        ComplianceIncident(
            incident_id=f"PI{i:04d}", employee=e, occurred_on=day, category="other", confirmed=True
        )
        for i, e in enumerate(people)
        if i % 5 == 0
    )
    cycle = cycle_get_or_create(code=Q1)
    metrics = Metric.objects.filter(code__in=BIG_TEMPLATE)
    Target.objects.bulk_create(
        Target(cycle=cycle, employee=e, metric=m, value=D(5)) for e in people for m in metrics
    )
    rating = Metric.objects.get(code="supervisor_rating")
    ManualScore.objects.bulk_create(
        ManualScore(cycle=cycle, employee=e, metric=rating, value=D(4)) for e in people
    )


def _queries_to_score(n: int) -> tuple[list[str], list[str]]:
    """The SQL of a first scoring and of a re-scoring of ``n`` people, then rolled back."""
    with transaction.atomic():
        _population(n)
        with CaptureQueriesContext(connection) as first:
            summary = cycle_score(code=Q1)
        with CaptureQueriesContext(connection) as again:
            cycle_score(code=Q1)
        assert summary.scored == n
        assert Scorecard.objects.count() == n
        assert ScoreLine.objects.count() == n * len(BIG_TEMPLATE)
        transaction.set_rollback(True)
    return ([q["sql"] for q in first.captured_queries], [q["sql"] for q in again.captured_queries])


def _shape(sqls: list[str]) -> Counter[str]:
    """Statements by verb and first table (savepoint names left out)."""
    out: Counter[str] = Counter()
    for sql in sqls:
        verb = sql.split(" ", 1)[0]
        table = sql.split('"', 2)[1] if '"' in sql and verb not in SAVEPOINTS else ""
        out[f"{verb} {table}".strip()] += 1
    return out


SAVEPOINTS = {"SAVEPOINT", "RELEASE", "ROLLBACK"}


def test_scoring_10_or_100_people_issues_the_same_number_of_queries(db: Any) -> None:
    first_10, again_10 = _queries_to_score(10)
    first_100, again_100 = _queries_to_score(100)
    # On failure, say which statements grew.
    assert _shape(first_100) == _shape(first_10)
    assert _shape(again_100) == _shape(again_10)
    assert len(first_100) == len(first_10) < 60
    assert len(again_100) == len(again_10) < 60


# --- writing in chunks, and the lines' integrity ---------------------------------------------


def _everything(cycle_code: str = Q1) -> list[tuple[Any, ...]]:
    """Every card of a cycle with its lines, as comparable values."""
    out = []
    for card in Scorecard.objects.filter(cycle__code=cycle_code).order_by("employee_id"):
        lines = [
            (
                line.metric_id,
                line.actual,
                line.target,
                line.attainment,
                line.points,
                line.weight,
                line.cap,
                line.bound,
                line.has_data,
                line.warning,
                line.position,
            )
            for line in card.lines.order_by("position")
        ]
        out.append(
            (
                card.employee_id,
                card.template_id,
                card.total,
                card.computed_grade,
                card.grade,
                card.veto_reason,
                card.inputs_hash,
                card.projection,
                lines,
            )
        )
    return out


def test_scoring_in_small_chunks_writes_exactly_what_one_chunk_writes(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaopei.assessment.services import scorecard_writes

    _population(10)
    cycle_score(code=Q1)
    whole = _everything()
    history = Scorecard.history.count()  # type: ignore[attr-defined]
    monkeypatch.setattr(scorecard_writes, "CHUNK", 3)
    monkeypatch.setattr(scorecard_writes, "EDGE_CHUNK", 2)
    cycle_score(code=Q1)  # re-score: updates cards in four chunks
    assert _everything() == whole
    assert Scorecard.history.count() == history + 10  # type: ignore[attr-defined]
    Scorecard.objects.all().delete()
    cycle_score(code=Q1)  # first scoring in four chunks
    assert _everything() == whole


def test_lines_never_outlive_their_card_and_protect_their_metric(personas: Personas) -> None:
    from django.db.models import ProtectedError

    make_template(personas.am1, {"visit_count": 60, "sales_amount": 40})
    make_template(personas.am2, {"visit_count": 100})
    cycle_score(code=Q1)
    cycle_score(code=Q1)
    cards = Scorecard.objects.filter(cycle__code=Q1)
    assert ScoreLine.objects.count() == 3
    assert set(ScoreLine.objects.values_list("scorecard_id", flat=True)) == set(
        cards.values_list("pk", flat=True)
    )
    Employee.objects.filter(pk=personas.alice.pk).update(left_on=date(2025, 12, 1))
    cycle_score(code=Q1)  # Alice's card is kept (no longer eligible), and its two lines
    assert ScoreLine.objects.count() == 3
    assert not ScoreLine.objects.exclude(scorecard_id__in=cards.values("pk")).exists()
    line = ScoreLine.objects.get(scorecard__employee=personas.bob)
    with pytest.raises(ProtectedError) as refused:
        Metric.objects.filter(pk=line.metric_id).delete()
    assert line in refused.value.protected_objects
    cards.delete()
    assert not ScoreLine.objects.exists()


def test_an_error_while_scoring_writes_nothing_and_stops_the_writer(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import threading

    from kaopei.assessment import scoring as engine
    from kaopei.assessment.services import scorecard_writes

    _population(10)
    cycle_score(code=Q1)
    before = _everything()
    interval = sys.getswitchinterval()
    monkeypatch.setattr(scorecard_writes, "CHUNK", 3)
    monkeypatch.setattr(scorecard_writes, "EDGE_CHUNK", 2)
    real = engine.score_many

    def failing(*args: Any, **kwargs: Any) -> Any:
        for n, result in enumerate(real(*args, **kwargs)):
            if n == 6:  # after two chunks have gone to the writer
                raise RuntimeError("engine failure")
            yield result

    monkeypatch.setattr(engine, "score_many", failing)
    with pytest.raises(RuntimeError, match="engine failure"):
        cycle_score(code=Q1)
    assert _everything() == before
    assert not [t for t in threading.enumerate() if t.name == "kaopei-writer"]
    assert sys.getswitchinterval() == interval


def test_the_card_and_line_rows_match_the_columns_of_their_tables(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from kaopei.assessment.services import scorecard_writes as writes

    writes.check_columns()
    assert list(writes.CardRow._fields) == writes.CARD_COLUMNS
    assert ["scorecard_id", *writes.LineRow._fields] == writes.LINE_COLUMNS
    monkeypatch.setattr(writes, "CARD_COLUMNS", [*writes.CARD_COLUMNS, "renamed_total"])
    with pytest.raises(ImproperlyConfigured, match="renamed_total"):
        writes.check_columns()

"""The metric library's formulas (DESIGN.md §5 ⚑), one small data set per rule.

Every test computes through ``compute_metrics`` (one grouped query for everyone) and reads an
employee's value through ``value_for``, which applies the contract for people without records:
sums and counts are 0 with data, ratios and averages with an empty denominator have no data.
The period is 2026Q1 (2026-01-01 … 2026-03-31, 90 days) unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.metrics import (
    FORMULAS,
    NO_DATA,
    ZERO_WHEN_EMPTY,
    MetricValue,
    compute_metrics,
    value_for,
)
from kaopei.assessment.models import Cycle, ManualScore, Metric, Scorecard, Template
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.periods import Period, parse_period
from kaopei.facts.models import Activity, ComplianceIncident, Opportunity
from kaopei.org.models import Employee
from tests.assessment.facts_factories import (
    ActivityFactory,
    ComplaintFactory,
    ComplianceIncidentFactory,
    CustomerFactory,
    OpportunityFactory,
    ReceivableFactory,
    SaleFactory,
    SurveyResponseFactory,
    local_datetime,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

Q1 = parse_period("2026Q1")
START, END = Q1.start, Q1.end  # 2026-01-01, 2026-03-31
BEFORE, AFTER = date(2025, 12, 31), date(2026, 4, 1)
VISIT, CALL, MEETING, REQUEST = (
    Activity.Kind.VISIT,
    Activity.Kind.CALL,
    Activity.Kind.MEETING,
    Activity.Kind.REQUEST,
)
WON, LOST, OPEN = Opportunity.Status.WON, Opportunity.Status.LOST, Opportunity.Status.OPEN
# Computed from records (not manual, not fed by training or feedback, not annual-only).
RECORD_METRICS = sorted(
    set(FORMULAS) - {"training_hours", "quiz_score", "competency_360", "quarterly_average"}
)
RATIOS = sorted(set(RECORD_METRICS) - ZERO_WHEN_EMPTY)


def metric(code: str, emp: Employee, period: Period = Q1, **kwargs: object) -> MetricValue:
    """``code``'s value for ``emp``, computed as scoring does: for everyone, then looked up."""
    values = compute_metrics([code], period=period, **kwargs)  # type: ignore[arg-type]
    return value_for(code, values[code], emp.pk)


def has(value: str | int | D) -> MetricValue:
    return MetricValue(D(value), True)


@pytest.fixture
def emp() -> Employee:
    return EmployeeFactory.create()


@pytest.fixture
def other() -> Employee:
    """A second account manager whose records must never count for ``emp``."""
    return EmployeeFactory.create()


# --- The contract for people without records -------------------------------------------------


@pytest.mark.parametrize("code", sorted(ZERO_WHEN_EMPTY))
def test_a_sum_or_count_over_no_records_is_zero_with_data(code: str, emp: Employee) -> None:
    assert metric(code, emp) == has(0)


@pytest.mark.parametrize("code", RATIOS)
def test_a_ratio_or_average_without_records_has_no_data(code: str, emp: Employee) -> None:
    assert metric(code, emp) == NO_DATA


def test_the_sums_and_counts_are_exactly_the_five_of_the_library() -> None:
    sums_and_counts = {
        "sales_amount",
        "profit_contribution",
        "new_customers",
        "visit_count",
        "compliance_incidents",
        "training_hours",  # added by the training app with its source
    }
    assert sums_and_counts == ZERO_WHEN_EMPTY


def test_each_metric_is_one_query_for_everyone_whatever_the_number_of_people() -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compute_metrics(RECORD_METRICS, period=Q1)
        return len(ctx.captured_queries)

    for _ in range(2):
        (
            SaleFactory.create(),
            ActivityFactory.create(response_hours=D(1)),
            SurveyResponseFactory.create(csat=4),
        )
    few = queries()
    for _ in range(6):
        (
            SaleFactory.create(),
            ActivityFactory.create(response_hours=D(1)),
            SurveyResponseFactory.create(csat=4),
        )
    assert queries() == few == len(RECORD_METRICS)


# --- sales_amount, profit_contribution ------------------------------------------------------


def test_sales_amount_sums_sales_signed_in_the_period_both_ends_included(
    emp: Employee, other: Employee
) -> None:
    SaleFactory.create(employee=emp, signed_on=START, amount=D("100000.00"))
    SaleFactory.create(employee=emp, signed_on=END, amount=D("23456.78"))
    SaleFactory.create(employee=emp, signed_on=BEFORE, amount=D("999999.00"))
    SaleFactory.create(employee=emp, signed_on=AFTER, amount=D("999999.00"))
    SaleFactory.create(employee=other, signed_on=START, amount=D("5.00"))
    assert metric("sales_amount", emp) == has("123456.78")
    assert metric("sales_amount", other) == has("5.00")


def test_profit_contribution_sums_the_profit_as_supplied_even_when_negative(
    emp: Employee,
) -> None:
    SaleFactory.create(employee=emp, signed_on=START, profit=D("5000.00"))
    SaleFactory.create(employee=emp, signed_on=END, profit=D("-1200.25"))
    SaleFactory.create(employee=emp, signed_on=AFTER, profit=D("7777.00"))
    assert metric("profit_contribution", emp) == has("3799.75")


# --- new_customers, customer_growth_rate ----------------------------------------------------


def test_new_customers_counts_customers_owned_and_acquired_in_the_period(
    emp: Employee, other: Employee
) -> None:
    CustomerFactory.create(owner=emp, acquired_on=START)
    CustomerFactory.create(owner=emp, acquired_on=END)
    CustomerFactory.create(owner=emp, acquired_on=date(2026, 2, 1), lost_on=date(2026, 3, 1))
    CustomerFactory.create(owner=emp, acquired_on=BEFORE)
    CustomerFactory.create(owner=emp, acquired_on=AFTER)
    CustomerFactory.create(owner=other, acquired_on=START)
    assert metric("new_customers", emp) == has(3)


def test_customer_growth_rate_compares_customers_held_at_the_end_with_the_start(
    emp: Employee, other: Employee
) -> None:
    def cust(acquired: date, lost: date | None = None, owner: Employee = emp) -> None:
        CustomerFactory.create(owner=owner, acquired_on=acquired, lost_on=lost)

    cust(date(2025, 1, 1))  # start and end
    cust(date(2025, 2, 1), lost=AFTER)  # start and end: lost after the end
    cust(date(2025, 5, 1), lost=date(2026, 2, 1))  # start only: lost in the period
    cust(date(2025, 3, 1), lost=END)  # start only: lost on the end date
    cust(date(2025, 1, 1), lost=BEFORE)  # neither: lost before the start
    cust(START)  # end only: acquired on the start date is not "before start"
    cust(END)  # end only
    cust(date(2026, 2, 15))  # end only
    cust(AFTER)  # neither
    cust(date(2025, 1, 1), owner=other)  # someone else's
    # N_start = 4, N_end = 5: (5 − 4) / 4 × 100 = 25
    assert metric("customer_growth_rate", emp) == has(25)


def test_a_customer_lost_on_the_start_day_is_held_at_the_start_but_not_at_the_end(
    emp: Employee,
) -> None:
    """ "Not lost before start": lost on the start day still counts in N_start."""
    CustomerFactory.create(owner=emp, acquired_on=date(2025, 1, 1), lost_on=START)
    CustomerFactory.create(owner=emp, acquired_on=date(2025, 1, 1))
    # N_start = 2, N_end = 1: (1 − 2) / 2 × 100 = −50
    assert metric("customer_growth_rate", emp) == has(-50)


def test_customer_growth_rate_has_no_data_when_nobody_was_held_at_the_start(
    emp: Employee,
) -> None:
    CustomerFactory.create(owner=emp, acquired_on=START)
    CustomerFactory.create(owner=emp, acquired_on=date(2025, 1, 1), lost_on=date(2025, 12, 1))
    assert metric("customer_growth_rate", emp) == NO_DATA


def test_losing_every_customer_is_minus_100_percent(emp: Employee) -> None:
    CustomerFactory.create(owner=emp, acquired_on=date(2025, 1, 1), lost_on=date(2026, 1, 2))
    assert metric("customer_growth_rate", emp) == has(-100)


# --- visit_count and "in period" for datetimes ----------------------------------------------


def test_visit_count_counts_visits_in_the_period_and_nothing_else(
    emp: Employee, other: Employee
) -> None:
    ActivityFactory.create(employee=emp, kind=VISIT, day=START)
    ActivityFactory.create(employee=emp, kind=VISIT, day=END)
    ActivityFactory.create(employee=emp, kind=VISIT, day=date(2026, 2, 2))
    for kind in (CALL, MEETING, REQUEST):
        ActivityFactory.create(employee=emp, kind=kind, day=date(2026, 2, 2))
    ActivityFactory.create(employee=emp, kind=VISIT, day=BEFORE)
    ActivityFactory.create(employee=emp, kind=VISIT, day=AFTER)
    ActivityFactory.create(employee=other, kind=VISIT, day=START)
    assert metric("visit_count", emp) == has(3)


def test_in_period_follows_the_date_in_the_organisations_time_zone(emp: Employee) -> None:
    """23:30 UTC on 2025-12-31 is 07:30 on 2026-01-01 in Asia/Shanghai: in 2026Q1.
    16:30 UTC on 2026-03-31 is 00:30 on 2026-04-01 there: in 2026Q2, not Q1."""
    early = ActivityFactory.create(
        employee=emp, occurred_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    )
    late = ActivityFactory.create(
        employee=emp, occurred_at=datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    )
    ActivityFactory.create(
        employee=emp, occurred_at=local_datetime(END, 23, 59)
    )  # last minute of Q1
    assert (early.occurred_on, late.occurred_on) == (START, AFTER)
    assert metric("visit_count", emp) == has(2)
    assert metric("visit_count", emp, parse_period("2025Q4")) == has(0)
    assert metric("visit_count", emp, parse_period("2026Q2")) == has(1)


def test_occurred_on_decides_even_where_the_utc_date_says_otherwise(emp: Employee) -> None:
    # A row whose stored local date disagrees with its UTC timestamp: the date decides.
    ActivityFactory.create(
        employee=emp, occurred_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC), occurred_on=START
    )
    ActivityFactory.create(
        employee=emp, occurred_at=datetime(2026, 1, 1, 2, 0, tzinfo=UTC), occurred_on=BEFORE
    )
    assert metric("visit_count", emp) == has(1)


# --- response_hours -------------------------------------------------------------------------


def test_response_hours_is_the_middle_value_for_an_odd_count(
    emp: Employee, other: Employee
) -> None:
    for hours, kind in ((D(5), VISIT), (D(1), REQUEST), (D(3), CALL)):
        ActivityFactory.create(employee=emp, kind=kind, response_hours=hours)
    ActivityFactory.create(employee=emp, kind=REQUEST)  # no response time: not counted
    ActivityFactory.create(employee=emp, kind=REQUEST, day=BEFORE, response_hours=D(100))
    ActivityFactory.create(employee=emp, kind=REQUEST, day=AFTER, response_hours=D(100))
    ActivityFactory.create(employee=other, kind=REQUEST, response_hours=D(100))
    assert metric("response_hours", emp) == has(3)


def test_response_hours_is_the_mean_of_the_two_middle_values_for_an_even_count(
    emp: Employee, other: Employee
) -> None:
    for hours in ("10.00", "1.25", "2.50", "0.50"):
        ActivityFactory.create(employee=emp, kind=REQUEST, response_hours=D(hours))
    for hours in ("1.00", "2.00"):
        ActivityFactory.create(employee=other, kind=REQUEST, response_hours=D(hours))
    # sorted 0.50, 1.25, 2.50, 10.00: (1.25 + 2.50) / 2 = 1.875
    assert metric("response_hours", emp) == has("1.875")
    assert metric("response_hours", other) == has("1.5")


def test_response_hours_of_a_single_activity_is_its_own(emp: Employee) -> None:
    ActivityFactory.create(employee=emp, kind=REQUEST, day=END, response_hours=D("7.25"))
    assert metric("response_hours", emp) == has("7.25")


def test_response_hours_has_no_data_when_no_activity_has_one(emp: Employee) -> None:
    ActivityFactory.create(employee=emp, kind=REQUEST)
    ActivityFactory.create(employee=emp, kind=REQUEST, day=BEFORE, response_hours=D(2))
    assert metric("response_hours", emp) == NO_DATA


# --- opportunity_win_rate -------------------------------------------------------------------


def test_win_rate_is_won_over_won_and_lost_closed_in_the_period(
    emp: Employee, other: Employee
) -> None:
    OpportunityFactory.create(employee=emp, status=WON, closed_on=START)
    OpportunityFactory.create(employee=emp, status=WON, closed_on=END)
    OpportunityFactory.create(employee=emp, status=WON, closed_on=date(2026, 2, 1))
    OpportunityFactory.create(employee=emp, status=LOST, closed_on=date(2026, 3, 1))
    OpportunityFactory.create(employee=emp, status=OPEN)  # open: excluded
    OpportunityFactory.create(employee=emp, status=OPEN, closed_on=date(2026, 2, 1))  # still open
    OpportunityFactory.create(employee=emp, status=LOST, closed_on=BEFORE)
    OpportunityFactory.create(employee=emp, status=LOST, closed_on=AFTER)
    OpportunityFactory.create(employee=other, status=LOST, closed_on=START)
    assert metric("opportunity_win_rate", emp) == has(75)
    assert metric("opportunity_win_rate", other) == has(0)


def test_win_rate_has_no_data_when_only_open_opportunities(emp: Employee) -> None:
    OpportunityFactory.create(employee=emp, status=OPEN)
    OpportunityFactory.create(employee=emp, status=WON, closed_on=AFTER)
    assert metric("opportunity_win_rate", emp) == NO_DATA


# --- collection_days ------------------------------------------------------------------------


def test_collection_days_is_ar_at_the_end_over_credit_sales_times_days(
    emp: Employee, other: Employee
) -> None:
    def inv(invoiced: date, amount: str, paid: date | None = None, who: Employee = emp) -> None:
        ReceivableFactory.create(employee=who, invoiced_on=invoiced, amount=D(amount), paid_on=paid)

    inv(date(2026, 1, 10), "100.00")  # credit sales, outstanding
    inv(date(2026, 2, 1), "300.00", paid=END)  # credit sales, paid on the end date: paid
    inv(date(2025, 12, 1), "200.00", paid=date(2026, 4, 5))  # outstanding: paid after the end
    inv(date(2025, 11, 1), "500.00", paid=date(2025, 12, 20))  # neither
    inv(AFTER, "700.00")  # neither: invoiced after the end
    inv(START, "0.00")  # credit sales of nothing
    inv(START, "900.00", who=other)
    # AR_end = 100 + 200 = 300; credit sales = 100 + 300 = 400; 300 / 400 × 90 = 67.5
    assert metric("collection_days", emp) == has("67.5")
    assert metric("collection_days", other) == has(90)


def test_collection_days_is_zero_when_everything_is_paid_by_the_end_date(emp: Employee) -> None:
    ReceivableFactory.create(employee=emp, invoiced_on=START, paid_on=END)
    assert metric("collection_days", emp) == has(0)


def test_collection_days_has_no_data_with_nothing_invoiced_and_nothing_outstanding(
    emp: Employee,
) -> None:
    ReceivableFactory.create(employee=emp, invoiced_on=date(2025, 10, 1), paid_on=date(2026, 1, 15))
    assert metric("collection_days", emp) == NO_DATA


def test_collection_days_has_data_but_no_actual_when_only_old_receivables_are_outstanding(
    emp: Employee,
) -> None:
    """Credit sales 0 and AR_end > 0: the line has data, an empty actual (attainment 0)."""
    ReceivableFactory.create(employee=emp, invoiced_on=date(2025, 10, 1), paid_on=AFTER)
    ReceivableFactory.create(employee=emp, invoiced_on=AFTER)
    assert metric("collection_days", emp) == MetricValue(None, True)


# --- complaint_resolution_rate --------------------------------------------------------------


def test_complaint_resolution_counts_only_resolutions_by_the_end_date(
    emp: Employee, other: Employee
) -> None:
    ComplaintFactory.create(employee=emp, opened_on=START, resolved_on=date(2026, 1, 3))
    ComplaintFactory.create(employee=emp, opened_on=date(2026, 2, 1), resolved_on=END)
    ComplaintFactory.create(employee=emp, opened_on=date(2026, 3, 1), resolved_on=AFTER)  # too late
    ComplaintFactory.create(employee=emp, opened_on=END)  # unresolved
    ComplaintFactory.create(employee=emp, opened_on=BEFORE, resolved_on=START)  # opened before
    ComplaintFactory.create(employee=emp, opened_on=AFTER, resolved_on=AFTER)
    ComplaintFactory.create(employee=other, opened_on=START)
    assert metric("complaint_resolution_rate", emp) == has(50)
    assert metric("complaint_resolution_rate", other) == has(0)


def test_complaint_resolution_has_no_data_when_none_opened(emp: Employee) -> None:
    ComplaintFactory.create(employee=emp, opened_on=BEFORE, resolved_on=START)
    assert metric("complaint_resolution_rate", emp) == NO_DATA


# --- nps, csat ------------------------------------------------------------------------------


def test_nps_counts_passives_in_the_denominator(emp: Employee, other: Employee) -> None:
    for score in (10, 9, 9, 8, 7, 0):
        SurveyResponseFactory.create(employee=emp, nps=score, responded_on=START)
    SurveyResponseFactory.create(employee=emp, nps=6, responded_on=END)
    SurveyResponseFactory.create(employee=emp, nps=0, responded_on=BEFORE)
    SurveyResponseFactory.create(employee=emp, nps=0, responded_on=AFTER)
    SurveyResponseFactory.create(employee=other, nps=6)
    # 3 promoters, 2 passives, 2 detractors: (3 − 2) / 7 × 100
    assert metric("nps", emp) == has(D(100) / 7)
    assert metric("nps", other) == has(-100)


def test_nps_is_the_share_of_promoters_minus_the_share_of_detractors(emp: Employee) -> None:
    for score in (10, 9, 8, 6):
        SurveyResponseFactory.create(employee=emp, nps=score)
    # (2 − 1) / 4 × 100 = 25, not (2 − 1) / 3 (passives left out)
    assert metric("nps", emp) == has(25)


def test_nps_has_no_data_without_responses_in_the_period(emp: Employee) -> None:
    SurveyResponseFactory.create(employee=emp, nps=10, responded_on=AFTER)
    assert metric("nps", emp) == NO_DATA


def test_csat_counts_only_responses_with_a_csat(emp: Employee) -> None:
    for csat in (5, 4, 3, None, None):
        SurveyResponseFactory.create(employee=emp, csat=csat)
    SurveyResponseFactory.create(employee=emp, csat=1, responded_on=BEFORE)
    SurveyResponseFactory.create(employee=emp, csat=1, responded_on=AFTER)
    # 2 satisfied of 3 with a csat
    assert metric("csat", emp) == has(D(200) / 3)


def test_csat_has_no_data_when_no_response_has_a_csat(emp: Employee) -> None:
    SurveyResponseFactory.create(employee=emp, csat=None)
    assert metric("csat", emp) == NO_DATA


# --- strategic_coverage ---------------------------------------------------------------------


def test_strategic_coverage_counts_visits_and_meetings_by_the_owner_in_the_period(
    emp: Employee, other: Employee
) -> None:
    def strategic(acquired: date = date(2025, 1, 1), lost: date | None = None) -> object:
        return CustomerFactory.create(owner=emp, strategic=True, acquired_on=acquired, lost_on=lost)

    visited, met, called, seen_by_other, seen_before = (strategic() for _ in range(5))
    lost_after_end, lost_on_end = strategic(lost=AFTER), strategic(lost=END)
    acquired_on_end, acquired_after_end = strategic(acquired=END), strategic(acquired=AFTER)
    ordinary = CustomerFactory.create(owner=emp, strategic=False)
    ActivityFactory.create(employee=emp, customer=visited, kind=VISIT, day=END)
    ActivityFactory.create(employee=emp, customer=met, kind=MEETING, day=START)
    ActivityFactory.create(employee=emp, customer=called, kind=CALL)
    ActivityFactory.create(employee=emp, customer=called, kind=REQUEST)
    ActivityFactory.create(employee=other, customer=seen_by_other, kind=VISIT)
    ActivityFactory.create(employee=emp, customer=seen_before, kind=VISIT, day=BEFORE)
    ActivityFactory.create(employee=emp, customer=seen_before, kind=VISIT, day=AFTER)
    for customer in (lost_after_end, lost_on_end, acquired_after_end, ordinary):
        ActivityFactory.create(employee=emp, customer=customer, kind=VISIT)
    del acquired_on_end  # owned at the end, never seen
    # Owned at the end: visited, met, called, seen_by_other, seen_before, lost_after_end,
    # acquired_on_end = 7; covered: visited, met, lost_after_end = 3.
    assert metric("strategic_coverage", emp) == has(D(300) / 7)
    assert metric("strategic_coverage", other) == NO_DATA


def test_strategic_coverage_has_no_data_without_strategic_customers_at_the_end(
    emp: Employee,
) -> None:
    lost = CustomerFactory.create(owner=emp, strategic=True, lost_on=END)
    ActivityFactory.create(employee=emp, customer=lost, kind=VISIT)
    CustomerFactory.create(owner=emp, strategic=False)
    assert metric("strategic_coverage", emp) == NO_DATA


# --- compliance_incidents -------------------------------------------------------------------


def test_compliance_incidents_counts_confirmed_and_unconfirmed_in_the_period(
    emp: Employee, other: Employee
) -> None:
    ComplianceIncidentFactory.create(employee=emp, occurred_on=START, confirmed=True)
    ComplianceIncidentFactory.create(employee=emp, occurred_on=END, confirmed=False)
    ComplianceIncidentFactory.create(
        employee=emp,
        occurred_on=date(2026, 2, 2),
        confirmed=False,
        category=ComplianceIncident.Category.AML,
    )
    ComplianceIncidentFactory.create(employee=emp, occurred_on=BEFORE, confirmed=True)
    ComplianceIncidentFactory.create(employee=emp, occurred_on=AFTER, confirmed=True)
    ComplianceIncidentFactory.create(employee=other, occurred_on=START)
    assert metric("compliance_incidents", emp) == has(3)


# --- manual metrics -------------------------------------------------------------------------


def test_a_manual_metric_is_the_imported_score_of_that_cycle(
    emp: Employee, other: Employee
) -> None:
    q1, q2 = cycle_get_or_create(code="2026Q1"), cycle_get_or_create(code="2026Q2")
    rating = Metric.objects.get(code="supervisor_rating")
    own = Metric.objects.create(
        code="branch_culture",
        name_zh="文化建设",
        unit="1–5",
        direction="higher",
        mode="band",
        floor=D(1),
        source=Metric.Source.MANUAL,
        category=Metric.Category.PROCESS,
    )
    ManualScore.objects.create(cycle=q1, employee=emp, metric=rating, value=D("4.5"))
    ManualScore.objects.create(cycle=q2, employee=emp, metric=rating, value=D("2"))
    ManualScore.objects.create(cycle=q1, employee=other, metric=own, value=D("3.25"))
    codes = ["supervisor_rating", "branch_culture"]

    def manual(code: str, who: Employee) -> MetricValue:
        values = compute_metrics(codes, period=Q1, cycle_id=q1.pk, manual_codes=codes)
        return value_for(code, values[code], who.pk)

    assert manual("supervisor_rating", emp) == has("4.5")
    assert manual("branch_culture", other) == has("3.25")
    assert manual("supervisor_rating", other) == NO_DATA  # no score: no data, never 0
    assert manual("branch_culture", emp) == NO_DATA


def test_a_manual_metric_without_a_cycle_has_no_data(emp: Employee) -> None:
    assert metric("supervisor_rating", emp, manual_codes=["supervisor_rating"]) == NO_DATA


# --- quarterly_average ----------------------------------------------------------------------


def _card(cycle_code: str, emp: Employee, total: str | None) -> Scorecard:
    cycle = cycle_get_or_create(code=cycle_code)
    level = emp.level
    assert level is not None
    template = Template.objects.get_or_create(
        code=f"T-{level.code}-{cycle.kind}",
        version=1,
        defaults={"level": level, "cycle_kind": cycle.kind},
    )[0]
    return Scorecard.objects.create(
        cycle=cycle,
        employee=emp,
        template=template,
        org_unit=emp.org_unit,
        level=level,
        total=None if total is None else D(total),
        computed_grade="B",
        grade="B",
        inputs_hash="x",
    )


def test_quarterly_average_is_the_mean_of_the_years_quarterly_totals(
    emp: Employee, other: Employee
) -> None:
    _card("2026Q1", emp, "100.00")
    _card("2026Q2", emp, "110.50")
    _card("2026Q3", emp, None)  # no line with data: no total to average
    _card("2025Q4", emp, "10.00")  # another year
    _card("2026", emp, "10.00")  # the annual card itself is not a quarter
    _card("2026Q1", other, "99.99")
    year = parse_period("2026")
    assert metric("quarterly_average", emp, year) == has("105.25")
    assert metric("quarterly_average", other, year) == has("99.99")
    assert Cycle.objects.get(code="2026").kind == Cycle.Kind.ANNUAL


def test_quarterly_average_of_three_quarters_is_their_exact_mean(emp: Employee) -> None:
    for code, total in (("2026Q1", "100.00"), ("2026Q2", "100.00"), ("2026Q4", "101.00")):
        _card(code, emp, total)
    value = metric("quarterly_average", emp, parse_period("2026"))
    assert value.has_data
    assert value.actual is not None
    assert abs(value.actual - D(301) / 3) < D("1e-10")


def test_quarterly_average_has_no_data_without_quarterly_scorecards(emp: Employee) -> None:
    _card("2025Q4", emp, "100.00")
    assert metric("quarterly_average", emp, parse_period("2026")) == NO_DATA

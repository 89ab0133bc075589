"""My scorecards, a cycle's list, the scorecard page and the evidence behind each line.

The data is the ``scored_cycle`` fixture (tests/assessment/conftest.py): Alice 105.11 (B),
Bob 10.00 (C, renormalised, one line without data and one without a target).
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.models import Cycle, Target
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_set_status
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.facts.models import Customer
from tests.assessment.conftest import Scored, add_visits
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def finalise(s: Scored) -> None:
    s.cycle.refresh_from_db()
    if s.cycle.status == Cycle.Status.SCORED:
        cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=s.personas.hr.user)
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.FINAL, user=s.personas.hr.user)
    s.cycle.refresh_from_db()


# --- My scorecards ---------------------------------------------------------------------------


def test_account_manager_sees_their_scorecards_marked_provisional(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.alice).get("/assessment/my/"))
    assert "2026Q1" in body and "105.11" in body and "Provisional" in body
    assert "10.00" not in body  # not Bob's


def test_my_scorecards_asks_to_acknowledge_a_final_one(scored_cycle: Scored) -> None:
    finalise(scored_cycle)
    body = text(scored_cycle.client(scored_cycle.personas.alice).get("/assessment/my/"))
    assert "please read it and acknowledge it" in body and "Final" in body


def test_my_scorecards_has_an_empty_state(scored_cycle: Scored) -> None:
    body = text(scored_cycle.client(scored_cycle.personas.trainer).get("/assessment/my/"))
    assert "You have no scorecards yet" in body


def test_my_scorecards_needs_a_login(scored_cycle: Scored) -> None:
    response = scored_cycle.client(None).get("/assessment/my/")
    assert response.status_code == 302 and "/login" in response["Location"]


# --- A cycle's list --------------------------------------------------------------------------


LIST = "/assessment/cycles/2026Q1/scorecards/"


def test_hr_lists_every_scorecard_with_the_grade_distribution(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.hr).get(LIST)
    body = text(response)
    assert response.status_code == 200
    assert p.alice.name in body and p.bob.name in body
    assert [(d["grade"], d["n"]) for d in response.context["distribution"][:3]] == [
        ("A", 0),
        ("B", 1),
        ("C", 1),
    ]


def test_supervisor_lists_only_their_team(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.sup).get(LIST))
    assert p.alice.name in body and p.bob.name not in body


@pytest.mark.parametrize(
    ("query", "alice", "bob"),
    [
        ("q=白波", False, True),
        ("q=A001", True, False),
        ("unit=BJ", True, False),  # BJ-T1 lies below BJ
        ("unit=HQ", True, True),
        ("level=AM2", False, True),
        ("grade=B", True, False),
        ("unit=NOPE", True, True),  # an unknown value is ignored, never a 500
    ],
)
def test_the_list_searches_and_filters(
    scored_cycle: Scored, query: str, alice: bool, bob: bool
) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.hr).get(f"{LIST}?{query}"))
    assert (p.alice.name in body, p.bob.name in body) == (alice, bob)


def test_the_list_returns_only_the_results_to_htmx(scored_cycle: Scored) -> None:
    body = text(
        scored_cycle.client(scored_cycle.personas.hr).get(f"{LIST}?grade=C", HTTP_HX_REQUEST="true")
    )
    assert 'id="kp-scorecards"' in body and "<html" not in body


@pytest.mark.parametrize("who", ["trainer", "exec"])
def test_trainers_and_executives_cannot_list_scorecards(scored_cycle: Scored, who: str) -> None:
    response = scored_cycle.client(getattr(scored_cycle.personas, who)).get(LIST)
    assert response.status_code == 403


def test_the_list_needs_a_login_and_a_visible_cycle(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert scored_cycle.client(None).get(LIST).status_code == 302
    cycle_get_or_create(code="2026Q2")  # a draft: only HR sees it
    assert (
        scored_cycle.client(p.sup).get("/assessment/cycles/2026Q2/scorecards/").status_code == 404
    )
    assert scored_cycle.client(p.hr).get("/assessment/cycles/2026Q2/scorecards/").status_code == 200


def test_the_list_query_count_does_not_grow_with_the_cards(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    client = scored_cycle.client(p.hr)
    client.get(LIST)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    customer = Customer.objects.get(customer_no="CA1")
    for i in range(12):
        emp = EmployeeFactory(employee_no=f"X{i:03d}", org_unit=p.bj_t1, level=p.am1)
        add_visits(emp, customer, 1, prefix=f"X{i}")
    scored_cycle.rescore()
    # session, user, roles, employee and unread count (navigation), cycle, the cycle's
    # grades (policy), count, grade distribution, unit and level choices, the page of cards
    assert count() == before == 12


# --- The scorecard ---------------------------------------------------------------------------


def test_account_manager_opens_their_scorecard_and_every_point_is_explained(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.alice).get(scored_cycle.url(p.alice))
    body = text(response)
    assert response.status_code == 200
    assert "Provisional" in body and "105.11" in body
    # The template by its level and kind (the level's English name falls back to its
    # Chinese one), its code secondary; the grade label.
    assert "初级客户经理 · Quarterly, version 1" in body and "am1-q" in body
    assert "Meets targets" in body
    assert "Activities of kind visit in the period." in body  # the formula in words
    assert "¥120,000" in body and "¥100,000" in body and "120%" in body
    row = {r.metric.code: r for r in response.context["rows"]}
    assert (
        row["visit_count"].actual,
        row["visit_count"].points,
        row["visit_count"].weight,
        row["visit_count"].cap,
        row["visit_count"].contribution,
    ) == ("8", "80.00", "30", "150", "24.00")
    assert row["nps"].attainment == "111.1%"
    # Gap to the next grade in words, counts as integers, amounts with separators.
    assert "To reach grade A (a total of at least 120)" in body
    assert "Sales amount +¥29,765" in body and "Customer visits +5" in body
    assert "from 8 to 13" in body
    assert "/lines/visit_count/" in body  # each line links to its evidence
    assert "Change history" not in body  # HR only
    assert "Appeal this line" in body


def test_lines_without_data_say_why(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.bob).get(scored_cycle.url(p.bob)))
    assert "No target set." in body
    assert "No customer survey response in the period." in body
    assert "their weight (20 of 100) was spread proportionally" in body
    assert "No single metric, changed on its own" in body


def test_the_veto_names_the_incident(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    scored_cycle.veto(p.bob, "HG-77", "aml")
    body = text(scored_cycle.client(p.bob).get(scored_cycle.url(p.bob)))
    assert "Compliance veto" in body and "HG-77" in body and "Anti-money-laundering" in body
    assert "Missed KYC checks" in body and "Unqualified" in body


def test_an_insufficient_card_says_how_much_weight_has_data(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    Target.objects.filter(employee=p.bob, metric__code="sales_amount").delete()
    scored_cycle.rescore()
    body = text(scored_cycle.client(p.bob).get(scored_cycle.url(p.bob)))
    assert "Insufficient data: the lines with data carry 40 of the template's 100 weight" in body


def test_a_running_cycle_shows_the_run_rate_projection(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    scored_cycle.rescore(today=date(2026, 2, 14))
    response = scored_cycle.client(p.alice).get(scored_cycle.url(p.alice))
    body = text(response)
    assert "Run-rate projection" in body and "of the cycle has passed" in body
    assert response.context["projection"]["elapsed"] == "50%"  # 45 of 90 days
    row = {r.metric.code: r for r in response.context["rows"]}
    assert row["visit_count"].projected == "16"


def test_supervisor_sees_their_teams_scorecard_and_hr_the_history(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert scored_cycle.client(p.sup).get(scored_cycle.url(p.alice)).status_code == 200
    body = text(scored_cycle.client(p.hr).get(scored_cycle.url(p.alice)))
    assert "Change history" in body and "Scored" in body


@pytest.mark.parametrize(
    ("who", "whose"),
    [
        ("bob", "alice"),
        ("alice", "bob"),
        ("sup", "bob"),
        ("sup2", "alice"),
        ("exec", "alice"),
        ("trainer", "alice"),
    ],
)
def test_nobody_sees_a_scorecard_outside_their_scope(
    scored_cycle: Scored, who: str, whose: str
) -> None:
    p = scored_cycle.personas
    url = scored_cycle.url(getattr(p, whose))
    assert scored_cycle.client(getattr(p, who)).get(url).status_code == 404
    assert scored_cycle.client(getattr(p, who)).get(url + "lines/visit_count/").status_code == 404


def test_the_scorecard_needs_a_login(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert scored_cycle.client(None).get(scored_cycle.url(p.alice)).status_code == 302


def test_account_managers_see_nothing_before_the_cycle_is_scored(personas: Any) -> None:
    template_create_version(
        code="am1-q",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(100))],
    )
    cycle_score(code="2026Q1", today=date(2026, 5, 1))
    Cycle.objects.filter(code="2026Q1").update(status=Cycle.Status.OPEN)
    client = personas.client(personas.alice)
    assert client.get("/assessment/cycles/2026Q1/scorecards/A001/").status_code == 404


# --- Evidence --------------------------------------------------------------------------------


def test_account_manager_opens_the_records_behind_a_line(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.alice).get(scored_cycle.url(p.alice, "lines/visit_count/"))
    body = text(response)
    assert response.status_code == 200
    assert "Visits in the period" in body and "V-A001-0007" in body
    assert (
        "Attainment = actual ÷ target." in body and "contributes 24.00 of the total 105.11" in body
    )
    assert response.context["groups"][0]["page"].paginator.count == 8


def test_sales_evidence_shows_amounts_with_separators(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.sup).get(scored_cycle.url(p.alice, "lines/sales_amount/")))
    assert "S-A1" in body and "120,000" in body and "安华贸易" in body


def test_manual_lines_show_the_score_and_its_rater(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(
        scored_cycle.client(p.alice).get(scored_cycle.url(p.alice, "lines/supervisor_rating/"))
    )
    assert "Manual score" in body and p.sup.name in body and "S001" in body


def test_a_line_without_data_says_why_on_its_evidence_page(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = text(scored_cycle.client(p.bob).get(scored_cycle.url(p.bob, "lines/nps/")))
    assert "No customer survey response in the period." in body and "Promoters" in body


def test_big_evidence_groups_are_paged_by_100(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    add_visits(
        p.alice, Customer.objects.get(customer_no="CA1"), 150, prefix="W", day=date(2026, 3, 3)
    )
    scored_cycle.rescore()
    url = scored_cycle.url(p.alice, "lines/visit_count/")
    first = scored_cycle.client(p.alice).get(url)
    group = first.context["groups"][0]
    assert len(group["rows"]) == 100 and group["page"].paginator.count == 158
    assert "page_1=2" in group["next"]
    second = scored_cycle.client(p.alice).get(url + "?page_1=2")
    assert len(second.context["groups"][0]["rows"]) == 58


def test_an_unknown_line_is_404(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    url = scored_cycle.url(p.alice, "lines/csat/")
    assert scored_cycle.client(p.alice).get(url).status_code == 404


def test_the_compliance_line_lists_the_vetoing_incident(personas: Any) -> None:
    template_create_version(
        code="am1-q",
        level=personas.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(50)), ItemSpec("compliance_incidents", Decimal(50))],
    )
    from kaopei.facts.models import ComplianceIncident

    ComplianceIncident.objects.create(
        incident_id="HG-9",
        employee=personas.alice,
        occurred_on=date(2026, 1, 5),
        category="bribery",
        confirmed=True,
    )
    cycle_score(code="2026Q1", today=date(2026, 5, 1))
    client = personas.client(personas.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    body = text(client.get("/assessment/cycles/2026Q1/scorecards/A001/lines/compliance_incidents/"))
    assert "Compliance veto" in body and "HG-9" in body and "Anti-bribery" in body


def test_quarterly_average_lists_the_quarters_it_averaged(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    template_create_version(
        code="am1-y",
        level=p.am1,
        cycle_kind="annual",
        items=[ItemSpec("quarterly_average", Decimal(100))],
    )
    cycle_score(code="2026", today=date(2027, 2, 1))
    response = scored_cycle.client(p.alice).get(
        "/assessment/cycles/2026/scorecards/A001/lines/quarterly_average/"
    )
    body = text(response)
    assert "Quarterly scorecards averaged" in body and "105.11" in body
    assert "/assessment/cycles/2026Q1/scorecards/A001/" in body


# --- Acknowledgement -------------------------------------------------------------------------


def test_account_manager_acknowledges_after_the_cycle_is_final(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    finalise(scored_cycle)
    client = scored_cycle.client(p.alice)
    assert "Acknowledge (签字确认)" in text(client.get(scored_cycle.url(p.alice)))
    response = client.post(scored_cycle.url(p.alice, "acknowledge/"), follow=True)
    assert "You acknowledged your 2026Q1 scorecard." in text(response)
    assert scored_cycle.card(p.alice).acknowledged_at is not None
    assert "Acknowledge (签字确认)" not in text(client.get(scored_cycle.url(p.alice)))


def test_a_provisional_scorecard_cannot_be_acknowledged(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.alice).post(
        scored_cycle.url(p.alice, "acknowledge/"), follow=True
    )
    assert "once the cycle is final" in text(response)
    assert scored_cycle.card(p.alice).acknowledged_at is None


def test_only_the_owner_acknowledges(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    finalise(scored_cycle)
    response = scored_cycle.client(p.sup).post(
        scored_cycle.url(p.alice, "acknowledge/"), follow=True
    )
    assert "Only the scorecard's owner" in text(response)
    assert (
        scored_cycle.client(p.bob).post(scored_cycle.url(p.alice, "acknowledge/")).status_code
        == 404
    )
    assert (
        scored_cycle.client(p.alice).get(scored_cycle.url(p.alice, "acknowledge/")).status_code
        == 405
    )
    assert scored_cycle.card(p.alice).acknowledged_at is None


# --- Translations ----------------------------------------------------------------------------


def test_hr_sees_calibrations_and_acknowledgements_in_the_history(scored_cycle: Scored) -> None:
    from kaopei.assessment.services.calibration import scorecard_acknowledge, scorecard_calibrate

    p = scored_cycle.personas
    scorecard_calibrate(
        scorecard=scored_cycle.card(p.alice), to_grade="A", reason="Key deal", user=p.sup.user
    )
    finalise(scored_cycle)
    scorecard_acknowledge(scorecard=scored_cycle.card(p.alice), user=p.alice.user)
    response = scored_cycle.client(p.hr).get(scored_cycle.url(p.alice))
    changes = [(c.field, c.old, c.new) for h in response.context["history"] for c in h.changes]
    assert ("grade", "B", "A") in changes
    assert any(field == "acknowledged at" and old == "—" for field, old, _new in changes)
    assert response.context["history"][1].who == str(p.sup)  # as in the audit log

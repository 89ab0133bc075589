"""The 360 report page: who reads it, what it shows, and nothing before the round closes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from kaopei.feedback.selectors.report_pages import subject_report
from tests.conftest import Personas
from tests.feedback.reports_factories import SECRET, alice_and_bob, close

pytestmark = pytest.mark.django_db

URL = "/feedback/cycles/2026Q1/reports/{}/"


def get(p: Personas, who: Any, url: str) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(who.user)
    with translation.override("en"):
        return client.get(url)


def test_the_subject_their_supervisor_chain_and_hr_read_a_report(personas: Personas) -> None:
    alice_and_bob(personas)
    for who in (personas.alice, personas.sup, personas.hr):
        assert get(personas, who, URL.format("A001")).status_code == 200
    for who in (personas.bob, personas.sup2, personas.exec, personas.trainer):
        assert get(personas, who, URL.format("A001")).status_code == 404


def test_a_report_shows_each_displayed_group_with_two_decimals(personas: Personas) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.alice, URL.format("A001")).content.decode()
    # talk: supervisor 3; peers 4, 5, 5 → 4.67; others (2, 3, 4) → 3.00; all 7 → 3.71
    assert "4.67" in page and "3.00" in page and "3.71" in page
    assert "Other raters" in page and "Peers" in page
    assert "Subordinates" not in page.split("By group")[1].split("Comments")[0]
    # expected 4 for talk: gap 3.71 − 4 = −0.29
    assert "-0.29" in page
    assert "peer says 4" in page and "subordinate says 2" in page and "customer says hi" in page
    assert 'data-chart="kp-report-chart"' in page


def test_withheld_answers_and_comments_never_show(personas: Personas) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.bob, URL.format("B001")).content.decode()
    assert SECRET not in page
    assert "Some answers are not shown because fewer than 3 people in a group answered." in page
    assert "Peers" not in page.split("By group")[1]


def test_a_report_with_nothing_withheld_says_nothing_about_withholding(
    personas: Personas,
) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.alice, URL.format("A001")).content.decode()
    assert "Some answers are not shown" not in page


def test_while_the_round_is_open_the_report_shows_no_figure(personas: Personas) -> None:
    data = alice_and_bob(personas, closed=False)
    page = get(personas, personas.alice, URL.format("A001")).content.decode()
    assert "The report is available when the round closes." in page
    assert "4.67" not in page and "peer says" not in page and "kp-report-chart" not in page
    close(data["round"])
    assert "4.67" in get(personas, personas.alice, URL.format("A001")).content.decode()


def test_comments_are_labelled_with_their_displayed_group_only(personas: Personas) -> None:
    data = alice_and_bob(personas)
    report = subject_report(
        feedback_round=data["round"], subject=personas.alice, shuffle=lambda items: None
    )
    labels = {(c.group, c.text) for c in report.comments}
    assert ("others", "subordinate says 2") in labels
    assert ("others", "customer says hi") in labels
    assert ("peers", "peer says 5") in labels
    assert ("supervisor", "sup note") in labels
    assert not any(c.group in ("subordinates", "customers") for c in report.comments)


def test_strengths_and_development_areas_come_from_all_raters_means(personas: Personas) -> None:
    data = alice_and_bob(personas)
    report = subject_report(feedback_round=data["round"], subject=personas.alice)
    # talk 3.71 (expected 4), team: sup 4, peers 2.5 × 3, others 2, 2, 3 → 2.64 (expected 3)
    assert [b.competency.code for b in report.strengths] == ["talk"]
    assert [b.competency.code for b in report.development] == ["team"]
    talk = next(b for b in report.competencies if b.competency.code == "talk")
    assert talk.below_expectation


def test_a_supervisor_lists_the_reports_of_their_chain_only(personas: Personas) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.sup, "/feedback/cycles/2026Q1/reports/").content.decode()
    assert "A001" in page and "B001" not in page
    page = get(personas, personas.hr, "/feedback/cycles/2026Q1/reports/?q=B00").content.decode()
    assert "B001" in page and "A001" not in page
    assert get(personas, personas.exec, "/feedback/cycles/2026Q1/reports/").status_code == 403


def test_the_reports_index_offers_my_report_and_the_pages_of_my_role(personas: Personas) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.alice, "/feedback/reports/").content.decode()
    assert URL.format("A001") in page and "heatmap" not in page
    page = get(personas, personas.exec, "/feedback/reports/").content.decode()
    assert "/feedback/cycles/2026Q1/heatmap/" in page and URL.format("A001") not in page
    assert get(personas, personas.trainer, "/feedback/reports/").status_code == 403


def test_an_unknown_cycle_or_person_is_a_404(personas: Personas) -> None:
    alice_and_bob(personas)
    assert get(personas, personas.hr, "/feedback/cycles/2030Q1/reports/A001/").status_code == 404
    assert get(personas, personas.hr, URL.format("NOPE")).status_code == 404


def test_the_chart_holds_self_all_raters_and_expected(personas: Personas) -> None:
    alice_and_bob(personas)
    page = get(personas, personas.alice, URL.format("A001")).content.decode()
    spec = json.loads(
        page.split('id="kp-report-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert [s["data"] for s in spec["series"]] == [[4.0, 4.0], [2.64, 3.71], [3.0, 4.0]]


def test_the_list_of_reports_takes_a_bounded_number_of_queries(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import EmployeeFactory
    from tests.feedback.reports_factories import a_round, answer, two_competencies

    alice_and_bob(personas)
    rnd, (talk, _team) = a_round(), two_competencies()
    for i in range(20):
        person = EmployeeFactory(employee_no=f"X{i:03d}", org_unit=personas.bj_t1)
        answer(rnd, person, "self", {talk: 3}, rater=person)
    client = Client()
    client.force_login(personas.hr.user)
    with django_assert_max_num_queries(14):
        assert b"X019" in client.get("/feedback/cycles/2026Q1/reports/").content

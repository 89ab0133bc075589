"""The people dashboards: every figure matches its source (the card's lines, the 360 report as
displayed, the grade counts), rankings name nobody, the supervisor chain scopes the drill
into a person, and the pages take the same number of queries for a team of 3 and of 30."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaopei.assessment.models import Cycle, Metric, Scorecard
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.dashboards.selectors_people import (
    attainment_percent,
    person_dashboard,
    rank_band,
    recommended_courses_for,
    team_dashboard,
)
from kaopei.feedback.models import Response
from kaopei.feedback.selectors.report_pages import subject_report
from kaopei.org.models import Employee, LeaderboardSetting
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.feedback.reports_factories import alice_and_bob
from tests.training.factories import CourseFactory

EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


# --- Pure helpers (no database) ----------------------------------------------------------------


def test_rank_band_needs_three_people_and_a_total() -> None:
    assert rank_band(Decimal(90), [Decimal(90), Decimal(80)]) is None
    assert rank_band(None, [Decimal(1), Decimal(2), Decimal(3)]) is None


def test_rank_band_places_the_best_in_the_top_and_the_last_in_the_lower_half() -> None:
    totals = [Decimal(n) for n in range(1, 21)]  # 20 people
    best = rank_band(Decimal(20), totals)
    assert best is not None and best.band == 10 and best.group_size == 20
    fifth = rank_band(Decimal(16), totals)  # 4 better: position 25 %
    assert fifth is not None and fifth.band == 25
    last = rank_band(Decimal(1), totals)
    assert last is not None and last.band is None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=150), min_size=3, max_size=40), st.data())
def test_rank_band_never_flatters(totals: list[int], data: Any) -> None:
    mine = data.draw(st.sampled_from(totals))
    band = rank_band(Decimal(mine), [Decimal(t) for t in totals])
    assert band is not None
    better = sum(1 for t in totals if t > mine)
    if band.band is not None:
        assert (better + 1) * 100 <= band.band * len(totals)
    else:
        assert (better + 1) * 100 > 50 * len(totals)


def test_attainment_percent_rounds_half_up_to_one_decimal() -> None:
    assert attainment_percent(Decimal("0.80")) == Decimal("80.0")
    assert attainment_percent(Decimal("1.11115")) == Decimal("111.1")
    assert attainment_percent(None) is None


# --- The person's dashboard --------------------------------------------------------------------


@pytest.mark.django_db
def test_each_gauge_is_the_lines_attainment(scored_cycle: Scored) -> None:
    alice = scored_cycle.personas.alice
    card = scored_cycle.card(alice)
    dash = person_dashboard(person=alice)
    assert dash.card == card
    lines = {line.metric.code: line for line in card.lines.select_related("metric")}
    assert [g.code for g in dash.gauges] == [
        line.metric.code for line in card.lines.order_by("position").select_related("metric")
    ]
    for gauge in dash.gauges:
        line = lines[gauge.code]
        assert gauge.actual == line.actual and gauge.target == line.target
        expected = attainment_percent(line.attainment) if line.has_data else None
        assert gauge.percent == expected
    assert dash.gaps and all(g["grade"] == "A" for g in dash.gaps)  # 105.11, B: the gap to A


@pytest.mark.django_db
def test_the_trend_runs_over_past_cycles_with_the_same_quarter_last_year(
    scored_cycle: Scored,
) -> None:
    alice = scored_cycle.personas.alice
    old = cycle_get_or_create(code="2025Q1")
    Cycle.objects.filter(pk=old.pk).update(status=Cycle.Status.FINAL)
    copy = scored_cycle.card(alice)
    copy.pk = None
    copy.cycle = Cycle.objects.get(pk=old.pk)
    copy.total = Decimal("90.00")
    copy.save()
    dash = person_dashboard(person=alice)
    assert [(p.code, p.total) for p in dash.trend] == [
        ("2025Q1", Decimal("90.00")),
        ("2026Q1", scored_cycle.card(alice).total),
    ]
    assert dash.last_year is not None and dash.last_year.code == "2025Q1"
    body = scored_cycle.client(alice).get(reverse("home"), headers=EN).content.decode()
    assert "Same period last year (2025Q1): 90.00" in body
    assert 'data-chart="kp-trend-chart"' in body


@pytest.mark.django_db
def test_the_radar_shows_the_360_as_displayed_and_never_a_withheld_score(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    made = alice_and_bob(p)
    for who in (p.alice, p.bob):
        dash = person_dashboard(person=who)
        assert dash.radar_round == made["round"]
        report = subject_report(feedback_round=made["round"], subject=who)
        shown = {
            b.competency.pk: (b.self_mean, b.all_raters.mean if b.all_raters else None)
            for b in report.competencies
        }
        assert {a.competency.pk: (a.self_mean, a.others_mean) for a in dash.radar} == shown
    # Bob's two peers (score 1) are withheld: no radar figure and no page shows a 1.00.
    bob = person_dashboard(person=p.bob)
    assert all(a.others_mean != Decimal("1.00") for a in bob.radar)
    alice = person_dashboard(person=p.alice)
    talk = next(a for a in alice.radar if a.competency == made["talk"])
    assert talk.expected == 4


@pytest.mark.django_db
def test_training_is_recommended_for_a_line_below_target_with_the_reason(
    scored_cycle: Scored,
) -> None:
    alice = scored_cycle.personas.alice
    course = CourseFactory(code="VISIT-UP", title="高效拜访", title_en="Effective visits")
    course.metrics.add(Metric.objects.get(code="visit_count"))
    CourseFactory(code="UNRELATED")
    recommended = recommended_courses_for(alice, scored_cycle.card(alice))
    assert [r.course.code for r in recommended] == ["VISIT-UP"]
    assert "80.0%" in recommended[0].reasons[0]  # 8 visits of 10
    body = scored_cycle.client(alice).get(reverse("home"), headers=EN).content.decode()
    assert "Effective visits" in body and "80.0% of target" in body


@pytest.mark.django_db
def test_the_rank_band_names_nobody(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    others = _add_team(scored_cycle, 4)
    for i, other in enumerate(others):  # without targets they have no total: give them one
        Scorecard.objects.filter(employee=other).update(total=Decimal(60 + 20 * i))
    dash = person_dashboard(person=p.alice)
    assert dash.rank is not None and dash.rank.group_size == 5
    body = scored_cycle.client(p.alice).get(reverse("home"), headers=EN).content.decode()
    assert "Rank band:" in body
    for other in others:
        assert other.name not in body and other.employee_no not in body


# --- The supervisor's team ---------------------------------------------------------------------


def _add_team(scored: Scored, n: int) -> list[Employee]:
    """``n`` more account managers (AM1, BJ-T1) under Sun Pei, scored in 2026Q1 (no targets:
    their lines have no data)."""
    p = scored.personas
    people = Employee.objects.bulk_create(
        [
            Employee(
                employee_no=f"ZT{i:03d}",
                name=f"队员{i:03d}",
                org_unit=p.bj_t1,
                level=p.am1,
                supervisor=p.sup,
            )
            for i in range(n)
        ]
    )
    scored.rescore()
    return people


@pytest.mark.django_db
def test_each_heatmap_cell_is_the_lines_attainment(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    team = team_dashboard(user=p.sup.user)
    assert [r.person for r in team.heat] == [p.alice]
    card = scored_cycle.card(p.alice)
    by_metric = {line.metric_id: line for line in card.lines.all()}
    for metric, value in zip(team.metrics, team.heat[0].cells, strict=True):
        line = by_metric[metric.pk]
        assert value == (attainment_percent(line.attainment) if line.has_data else None)


@pytest.mark.django_db
def test_grade_shares_stand_against_the_calibration_guideline(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    _add_team(scored_cycle, 3)
    team = team_dashboard(user=p.sup.user)
    cards = Scorecard.objects.filter(
        cycle=scored_cycle.cycle, employee__supervisor=p.sup, eligible=True
    )
    assert sum(s.people for s in team.shares) == cards.count()
    for share in team.shares:
        n = cards.filter(grade=share.grade).count()
        assert share.people == n
        assert share.percent == (Decimal(n * 100) / cards.count()).quantize(Decimal("0.1"))
    top = team.shares[0] if team.shares[0].grade == "A" else None
    if top is not None:
        assert top.guideline == scored_cycle.cycle.max_a_share * 100


@pytest.mark.django_db
def test_360_completion_is_counts_only_within_the_team(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    alice_and_bob(p)
    team = team_dashboard(user=p.sup.user)
    assert team.feedback is not None
    assert team.feedback.answered == Response.objects.filter(subject=p.alice).count()
    body = scored_cycle.client(p.sup).get(reverse("home"), headers=EN).content.decode()
    assert "raters answered" in body
    assert p.bob.name not in body


@pytest.mark.django_db
def test_supervisor_home_shows_the_heatmap_and_grades_in_both_languages(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    en = scored_cycle.client(p.sup).get(reverse("home"), headers=EN).content.decode()
    assert 'data-chart="kp-heatmap-chart"' in en and 'id="kp-heatmap-chart"' in en
    assert "Grades against the guideline" in en
    assert reverse("dashboards:person", args=[p.alice.pk]) in en
    zh = scored_cycle.client(p.sup).get(reverse("home"), headers=ZH).content.decode()
    assert 'data-chart="kp-grades-chart"' in zh


@pytest.mark.django_db
def test_the_drill_into_a_person_follows_the_supervisor_chain(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    url = reverse("dashboards:person", args=[p.alice.pk])
    for who in (p.sup, p.hr, p.exec, p.alice):
        response = scored_cycle.client(who).get(url)
        assert response.status_code == 200, who
        assert p.alice.name in response.content.decode()
    for who in (p.sup2, p.bob, p.trainer):
        assert scored_cycle.client(who).get(url).status_code == 404, who
    assert (
        scored_cycle.client(p.sup).get(reverse("dashboards:person", args=[999999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_sup2_sees_nothing_of_sups_team(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    team = team_dashboard(user=p.sup2.user)
    assert p.alice not in [r.person for r in team.heat]
    assert p.alice not in [r.person for r in team.training]


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_the_same_figures_as_the_pages(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    me = scored_cycle.client(p.alice).get("/api/v1/dashboards/me").json()
    card = scored_cycle.card(p.alice)
    assert me["cycle"] == "2026Q1" and me["grade"] == card.grade
    assert me["total"] == float(card.total)
    dash = person_dashboard(person=p.alice)
    assert [g["attainment_percent"] for g in me["gauges"]] == [
        None if g.percent is None else float(g.percent) for g in dash.gauges
    ]
    team = scored_cycle.client(p.sup).get("/api/v1/dashboards/team").json()
    assert [r["employee_no"] for r in team["heatmap"]] == [p.alice.employee_no]
    assert scored_cycle.client(p.alice).get("/api/v1/dashboards/team").status_code == 403


# --- Bounded queries ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_dashboard_takes_as_many_queries_for_30_as_for_3(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    p = scored_cycle.personas
    _add_team(scored_cycle, 2)
    client = scored_cycle.client(p.sup)
    client.get(reverse("home"))
    user = User.objects.get(pk=p.sup.user.pk)  # a fresh user: nothing cached on it
    with django_assert_num_queries(17):
        team_dashboard(user=user)
    with django_assert_num_queries(37):
        client.get(reverse("home"))
    _more(scored_cycle, 27)
    user = User.objects.get(pk=p.sup.user.pk)
    with django_assert_num_queries(17):
        team = team_dashboard(user=user)
    assert len(team.heat) == 30
    with django_assert_num_queries(37):
        client.get(reverse("home"))


def _more(scored: Scored, n: int) -> None:
    p = scored.personas
    Employee.objects.bulk_create(
        [
            Employee(
                employee_no=f"ZU{i:03d}",
                name=f"新人{i:03d}",
                org_unit=p.bj_t1,
                level=p.am1,
                supervisor=p.sup,
            )
            for i in range(n)
        ]
    )
    scored.rescore()


@pytest.mark.django_db
def test_the_person_dashboard_takes_a_fixed_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    alice = scored_cycle.personas.alice
    with django_assert_num_queries(14):
        person_dashboard(person=alice)
    _add_team(scored_cycle, 29)
    with django_assert_num_queries(14):
        person_dashboard(person=alice)
    LeaderboardSetting.objects.create(pk=1, improvement_board=True)
    _last_year_card(scored_cycle, alice, "90.00")
    with django_assert_num_queries(16):  # the previous cycle and the unit's totals
        person_dashboard(person=alice)


# --- Leaderboards: private by default, the improvement board when HR switches it on ----------


def _last_year_card(scored: Scored, who: Employee, total: str) -> None:
    old = cycle_get_or_create(code="2025Q4")
    Cycle.objects.filter(pk=old.pk).update(status=Cycle.Status.FINAL)
    copy = scored.card(who)
    copy.pk = None
    copy.cycle = Cycle.objects.get(pk=old.pk)
    copy.total = Decimal(total)
    copy.save()


@pytest.mark.django_db
def test_the_improvement_board_is_off_until_hr_switches_it_on(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    others = _add_team(scored_cycle, 3)
    for i, other in enumerate(others):
        Scorecard.objects.filter(employee=other).update(total=Decimal(70 + i))
        _last_year_card(scored_cycle, other, str(60 + 3 * i))  # improved by 10, 8, 6
    _last_year_card(scored_cycle, p.alice, "100.00")  # improved by 5.11
    assert person_dashboard(person=p.alice).improvers is None
    body = scored_cycle.client(p.alice).get(reverse("home"), headers=EN).content.decode()
    assert "Improvement board" not in body and others[0].name not in body

    url = reverse("org:leaderboard_setting")
    assert scored_cycle.client(p.alice).post(url, {"improvement_board": "on"}).status_code == 403
    response = scored_cycle.client(p.hr).post(url, {"improvement_board": "on"})
    assert response.status_code == 302
    assert LeaderboardSetting.objects.get().improvement_board
    assert LeaderboardSetting.history.first().history_user == p.hr.user  # type: ignore[attr-defined]

    board = person_dashboard(person=p.alice).improvers
    assert board is not None
    assert [(b.name, b.delta) for b in board] == [
        (others[0].name, Decimal("10.00")),
        (others[1].name, Decimal("8.00")),
        (others[2].name, Decimal("6.00")),
        (p.alice.name, Decimal("5.11")),
    ]
    body = scored_cycle.client(p.alice).get(reverse("home"), headers=EN).content.decode()
    assert "Improvement board of the unit" in body and others[0].name in body
    page = scored_cycle.client(p.hr).get(url, headers=EN).content.decode()
    assert p.hr.user.get_username() in page  # the history names who switched it on

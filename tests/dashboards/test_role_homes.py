"""Role homes answer each role's first question: the account manager's current scorecard,
the supervisor's team, the executive's grades by branch; with empty states, in both
languages, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.assessment.services.calibration import appeal_create, scorecard_acknowledge
from kaopei.assessment.services.cycles import cycle_set_status
from kaopei.dashboards.selectors import account_manager_home, executive_home, supervisor_home
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def _home(personas: Personas, who: Any, headers: dict[str, str] = EN) -> str:
    return personas.client(who).get(reverse("home"), headers=headers).content.decode()


def _finalise(scored: Scored) -> None:
    hr = scored.personas.hr.user
    cycle_set_status(cycle=scored.cycle, status=Cycle.Status.CALIBRATING, user=hr)
    cycle_set_status(cycle=scored.cycle, status=Cycle.Status.FINAL, user=hr)


# --- Account manager ---------------------------------------------------------------------------


def test_account_manager_sees_the_current_scorecard_at_a_glance(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    body = _home(p, p.alice)
    assert "My scorecard" in body
    assert scored_cycle.url(p.alice) in body
    assert str(card.total) in body
    home = account_manager_home(user=p.alice.user)
    assert home.glance is not None and home.glance.card == card
    if home.glance.next_grade is not None:
        assert home.glance.points_to_next == home.glance.next_grade.min_total - card.total
        assert "points to reach" in body
    for line in home.glance.weak_lines:
        assert line.attainment < 1 and line.has_data


def test_account_manager_is_told_what_to_acknowledge_and_which_appeals_are_open(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    appeal_create(
        scorecard=card, metric_code="visit_count", reason="两次拜访漏记了", user=p.alice.user
    )
    body = _home(p, p.alice)
    assert "My open appeals" in body
    assert reverse("assessment:appeal_detail", args=[card.appeals.get().pk]) in body


def test_account_manager_is_asked_to_acknowledge_a_final_card_until_done(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    for appeal in scored_cycle.card(p.alice).appeals.all():
        appeal.delete()
    _finalise(scored_cycle)
    assert "Read and acknowledge your final 2026Q1 scorecard" in _home(p, p.alice)
    scorecard_acknowledge(scorecard=scored_cycle.card(p.alice), user=p.alice.user)
    assert "Read and acknowledge" not in _home(p, p.alice)


def test_account_manager_without_a_scorecard_reads_an_empty_state(personas: Personas) -> None:
    body = _home(personas, personas.alice)
    assert "No scorecard yet: yours appears here once a cycle is scored." in body


def test_account_manager_home_shows_no_team_and_no_other_persons_card(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    body = _home(p, p.alice)
    assert "Appeals to answer" not in body
    assert scored_cycle.url(p.bob) not in body


def test_account_manager_home_reads_in_chinese(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = _home(p, p.alice, ZH)
    assert "我的考核表" in body


def test_account_manager_home_takes_a_fixed_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    user = scored_cycle.personas.alice.user
    with django_assert_num_queries(5):
        account_manager_home(user=user)


# --- Supervisor --------------------------------------------------------------------------------


def test_supervisor_sees_the_teams_grades_appeals_and_who_is_projected_below_target(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    appeal_create(
        scorecard=card, metric_code="visit_count", reason="两次拜访漏记了", user=p.alice.user
    )
    Scorecard.objects.filter(pk=card.pk).update(
        projection={"total": "85.00", "grade": "C", "elapsed": "0.5000", "lines": {}}
    )
    home = supervisor_home(user=p.sup.user)
    assert home.cycle == scored_cycle.cycle
    assert home.grades == [(card.grade, 1)]
    assert [a.scorecard.employee for a in home.open_appeals] == [p.alice]
    assert [m.card.employee for m in home.below] == [p.alice]
    body = _home(p, p.sup)
    assert "My team in 2026Q1" in body
    assert "Appeals to answer" in body and "projected 85.00" in body
    assert p.bob.name not in body


def test_supervisor_follows_acknowledgements_of_the_latest_final_cycle(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    _finalise(scored_cycle)
    assert "0 of 1 have acknowledged their final 2026Q1 scorecard." in _home(p, p.sup)
    scorecard_acknowledge(scorecard=scored_cycle.card(p.alice), user=p.alice.user)
    assert "1 of 1 have acknowledged their final 2026Q1 scorecard." in _home(p, p.sup)


def test_supervisor_without_a_scored_team_reads_empty_states(personas: Personas) -> None:
    body = _home(personas, personas.sup)
    assert "No cycle has been scored for your team yet." in body
    assert "No open appeals in your team." in body
    assert "No final cycle yet: nothing to acknowledge." in body


def test_supervisor_home_reads_in_chinese(scored_cycle: Scored) -> None:
    body = _home(scored_cycle.personas, scored_cycle.personas.sup, ZH)
    assert "待处理的申诉" in body


def test_supervisor_home_takes_a_fixed_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    user = scored_cycle.personas.sup.user
    with django_assert_num_queries(8):
        supervisor_home(user=user)


# --- Executive ---------------------------------------------------------------------------------


def test_executive_sees_grades_by_branch_with_a_link_to_the_calibration_board(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    home = executive_home()
    assert home.cycle == scored_cycle.cycle
    rows = {r.name: r.total for r in home.rows}
    assert rows == {p.bj.name: 1, p.sh.name: 1}
    assert home.people == 2
    body = _home(p, p.exec)
    board = reverse("assessment:calibration", args=[scored_cycle.cycle.code])
    assert f'href="{board}"' in body
    assert p.alice.name not in body  # aggregates only
    assert p.client(p.exec).get(board).status_code == 200


def test_executive_without_a_scored_cycle_reads_an_empty_state(personas: Personas) -> None:
    assert "No cycle has been scored yet." in _home(personas, personas.exec)


def test_executive_home_reads_in_chinese(scored_cycle: Scored) -> None:
    assert "各分行等级分布" in _home(scored_cycle.personas, scored_cycle.personas.exec, ZH)


def test_executive_home_takes_a_fixed_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        executive_home()


# --- Every home, as a page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "queries"), [("alice", 34), ("sup", 37), ("exec", 18), ("hr", 14), ("trainer", 9)]
)
def test_each_home_page_takes_a_fixed_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any, who: str, queries: int
) -> None:
    client = scored_cycle.client(getattr(scored_cycle.personas, who))
    client.get(reverse("home"))  # the session is warm
    with django_assert_num_queries(queries):
        assert client.get(reverse("home")).status_code == 200

"""The 9-box on the calibration board, its moves, the board's links and the 360 evidence of
a scorecard line."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from kaopei.assessment.board_links import calibration_board_links
from kaopei.assessment.evidence import EvidencePanel, evidence_panel_register, evidence_panels
from kaopei.assessment.models import Calibration, Scorecard
from kaopei.feedback.selectors.report_ninebox import (
    HIGH,
    LOW,
    MEDIUM,
    competency_level,
    nine_box,
    performance_level,
)
from tests.assessment.factories_config import build_hand_example
from tests.conftest import Personas
from tests.feedback.reports_factories import SECRET, alice_and_bob

pytestmark = pytest.mark.django_db

URL = "/feedback/cycles/2026Q1/nine-box/"


def client(who: Any) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(who.user)
    return c


@pytest.fixture
def scored(personas: Personas) -> dict[str, Any]:
    cycle = build_hand_example(personas)
    data = alice_and_bob(personas)
    assert data["cycle"].pk == cycle.pk
    return data


def test_the_bands_follow_the_stated_rule() -> None:
    from fractions import Fraction

    assert [competency_level(Fraction(x, 100)) for x in (299, 300, 399, 400)] == [
        LOW,
        MEDIUM,
        MEDIUM,
        HIGH,
    ]
    bands = ("A", "B", "C")
    assert [performance_level(g, bands) for g in ("A", "B", "C", "UNQUALIFIED")] == [
        HIGH,
        MEDIUM,
        LOW,
        LOW,
    ]
    assert performance_level("INSUFFICIENT", bands) is None


def test_people_are_placed_by_grade_and_displayed_competency_mean(
    personas: Personas, scored: dict[str, Any]
) -> None:
    box = nine_box(user=personas.hr.user, cycle=scored["cycle"])
    placed = {
        p.card.employee.employee_no: (row_i, col_i, str(p.competency))
        for row_i, row in enumerate(box.grid)
        for col_i, b in enumerate(row)
        for p in b.people
    }
    alice = Scorecard.objects.get(cycle=scored["cycle"], employee=personas.alice)
    # Alice: (26 + 18.5) / 14 = 3.18 → medium competency.
    assert placed["A001"][1:] == (MEDIUM, "3.18")
    assert placed["A001"][0] == {"A": 0, "B": 1, "C": 2}[alice.grade]
    # Bob is vetoed (Unqualified: low); his displayed mean (27 / 8) leaves the peers out.
    assert placed["B001"] == (2, MEDIUM, "3.38")
    assert box.not_placed == 2  # Sun Pei and Shen Er: no 360 answer


def test_hr_and_supervisors_see_names_executives_only_counts(
    personas: Personas, scored: dict[str, Any]
) -> None:
    page = client(personas.hr).get(URL).content.decode()
    assert "安丽" in page and "白波" in page and "Calibration moves" in page
    page = client(personas.sup).get(URL).content.decode()
    assert "安丽" in page and "白波" not in page
    page = client(personas.exec).get(URL).content.decode()
    assert "安丽" not in page and "白波" not in page and "Read-only" in page
    assert "scorecards/A001" not in page
    # Two people placed: counts of so few would tell their results, so none is shown.
    assert "Fewer than 3 people are placed here" in page and "<strong>1</strong>" not in page
    assert "Fewer than 3 people" not in client(personas.hr).get(URL).content.decode()
    for who in (personas.alice, personas.trainer):
        assert client(who).get(URL).status_code == 403
    assert SECRET not in client(personas.hr).get(URL).content.decode()


def test_a_move_from_the_9_box_is_a_calibration_with_its_reason(
    personas: Personas, scored: dict[str, Any]
) -> None:
    card = Scorecard.objects.get(cycle=scored["cycle"], employee=personas.alice)
    to = "A" if card.grade != "A" else "B"
    response = client(personas.sup).post(
        "/assessment/cycles/2026Q1/scorecards/A001/calibrate/",
        {"to_grade": to, "reason": "Strong 360 and pipeline", "next": URL},
    )
    assert response.status_code == 302 and response["Location"] == URL
    move = Calibration.objects.get(scorecard=card)
    assert (move.to_grade, move.reason) == (to, "Strong 360 and pipeline")
    page = client(personas.hr).get(URL).content.decode()
    assert "Strong 360 and pipeline" in page


def test_the_calibration_board_links_the_9_box_and_rater_bias(
    personas: Personas, scored: dict[str, Any]
) -> None:
    hr = dict(calibration_board_links(user=personas.hr.user, cycle_code="2026Q1"))
    assert set(hr.values()) == {URL, "/feedback/cycles/2026Q1/rater-bias/"}
    sup = calibration_board_links(user=personas.sup.user, cycle_code="2026Q1")
    assert [url for _label, url in sup] == [URL]
    page = client(personas.hr).get("/assessment/cycles/2026Q1/calibration/").content.decode()
    assert URL in page and "/feedback/cycles/2026Q1/rater-bias/" in page


def test_a_360_line_shows_the_displayed_rows_behind_it_and_links_the_report(
    personas: Personas, scored: dict[str, Any]
) -> None:
    card = Scorecard.objects.get(cycle=scored["cycle"], employee=personas.bob)
    with translation.override("zh-hans"):
        (panel,) = evidence_panels(code="competency_360", card=card, user=personas.bob.user)
    assert panel.context["rows"] == [
        {"competency": "沟通", "code": "talk", "responses": 4, "mean": "3.25"},
        {"competency": "协作", "code": "team", "responses": 4, "mean": "3.50"},
    ]
    assert panel.context["report_url"] == "/feedback/cycles/2026Q1/reports/B001/"
    (team,) = evidence_panels(code="team_collaboration", card=card, user=personas.exec.user)
    assert [r["code"] for r in team.context["rows"]] == ["team"]
    assert team.context["report_url"] == ""  # executives read no individual report
    html = render_to_string(panel.template, {"panel": panel.context})
    assert "3.25" in html and SECRET not in html


def test_an_app_registers_an_evidence_panel_once(personas: Personas) -> None:
    def provider(*, card: Any, user: Any) -> EvidencePanel:
        return EvidencePanel("x.html", {"card": card})

    evidence_panel_register(code="test_only_metric", provider=provider)
    evidence_panel_register(code="test_only_metric", provider=provider)
    assert len(evidence_panels(code="test_only_metric", card=1, user=None)) == 1
    assert evidence_panels(code="nothing_registered", card=1, user=None) == []

"""The report card's data (lines, gap, trend, 360 within anonymity, development actions) and
its PDF, whose extracted text must show the person, the cycle, the grade and every line."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.dashboards.report_card import report_card_of, report_cards_for
from kaopei.dashboards.report_card_pdf import number, report_card_pdf, trend_svg
from kaopei.feedback.models import ActionItem
from kaopei.feedback.selectors.report_pages import subject_report
from tests.assessment.factories_config import build_hand_example
from tests.feedback.reports_factories import alice_and_bob

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas: Any) -> Cycle:
    return build_hand_example(personas)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_lines_total_and_grade_come_from_the_scorecard(personas: Any, cycle: Cycle) -> None:
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    stored = Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    assert (card.employee_no, card.name, card.cycle_code) == ("A001", "安丽", "2026Q1")
    assert card.total == stored.total and card.grade == stored.grade
    assert card.final is False  # scored, not final: provisional
    assert [line.metric_code for line in card.lines] == [
        line.metric.code for line in stored.lines.order_by("position", "pk")
    ]
    assert {line.points for line in card.lines} == {line.points for line in stored.lines.all()}
    assert card.file_name == "A001-2026Q1.pdf"


def test_gap_matches_the_scorecard_explanation(personas: Any, cycle: Cycle) -> None:
    from kaopei.assessment.explain import scorecard_gaps

    stored = Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    expected = scorecard_gaps(stored)
    assert [number(g.needed) for g in card.gaps] == [
        number(__import__("decimal").Decimal(g["needed"])) for g in expected
    ]
    if expected:
        assert card.next_grade == expected[0]["grade"]


def test_unscored_person_has_no_card(personas: Any, cycle: Cycle) -> None:
    assert report_card_of(cycle=cycle, employee_id=personas.trainer.pk) is None
    assert report_cards_for(cycle=cycle, employee_ids=[]) == []


def test_trend_lists_published_cycles_of_the_same_kind(personas: Any, cycle: Cycle) -> None:
    earlier = cycle_get_or_create(code="2025Q4")
    draft = cycle_get_or_create(code="2025Q3")
    mine = Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    for other, status in ((earlier, Cycle.Status.FINAL), (draft, Cycle.Status.DRAFT)):
        other.status = status
        other.save(update_fields=["status"])
        Scorecard.objects.create(
            cycle=other,
            employee=personas.alice,
            template=mine.template,
            org_unit=mine.org_unit,
            level=mine.level,
            total="71.50",
            computed_grade="C",
            grade="C",
            inputs_hash="x",
        )
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    assert [p.cycle_code for p in card.trend] == ["2025Q4", "2026Q1"]  # the draft left out
    svg = trend_svg(card.trend)
    assert svg.startswith("<svg") and svg.count("<circle") == 2 and "<polyline" in svg


def test_360_summary_prints_only_displayed_rows(personas: Any, cycle: Cycle) -> None:
    data = alice_and_bob(personas)
    with translation.override("en"):
        bob = report_card_of(cycle=cycle, employee_id=personas.bob.pk)
        report = subject_report(feedback_round=data["round"], subject=personas.bob)
        shown = {c.name: c.all_raters for c in report.competencies}
    assert bob is not None and bob.feedback_state == "shown"
    assert report.something_withheld  # Bob's two peers are withheld
    assert {f.competency for f in bob.feedback} == set(shown)
    for line in bob.feedback:
        figure = shown[line.competency]
        assert figure is not None
        # the withheld peers are in neither the mean nor the count
        assert (line.others_mean, line.others_responses) == (figure.mean, figure.responses)
    text = pdf_text(report_card_pdf(card=bob, language="en"))
    assert "Teamwork" in text and "WITHHELD" not in text


def test_open_round_prints_no_360_figure(personas: Any, cycle: Cycle) -> None:
    alice_and_bob(personas, closed=False)
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None and card.feedback_state == "open" and card.feedback == []
    text = pdf_text(report_card_pdf(card=card, language="en"))
    assert "not closed" in text


def test_development_lists_open_agreed_actions(personas: Any, cycle: Cycle) -> None:
    from kaopei.feedback.models import Interview

    interview = Interview.objects.create(
        cycle=cycle,
        employee=personas.alice,
        interviewer=personas.sup,
        scheduled_on=date(2026, 4, 2),
    )
    ActionItem.objects.create(
        interview=interview,
        text="陪访两位高净值客户",
        owner=personas.alice,
        due_on=date(2026, 5, 1),
    )
    ActionItem.objects.create(
        interview=interview,
        text="done already",
        owner=personas.alice,
        due_on=date(2026, 4, 1),
        status=ActionItem.Status.DONE,
        done_on=date(2026, 4, 1),
    )
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    assert [item.text for item in card.development] == ["陪访两位高净值客户"]
    with translation.override("zh-hans"):
        text = pdf_text(report_card_pdf(card=card, language="zh-hans"))
    assert "陪访两位高净值客户" in text and "done already" not in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pdf_text_shows_person_cycle_grade_and_every_line(
    personas: Any, cycle: Cycle, language: str
) -> None:
    with translation.override(language):
        card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    data = report_card_pdf(card=card, language=language)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("安丽", "A001", "2026Q1", number(card.total, places=2), card.grade):
        assert expected in text
    for line in card.lines:
        assert line.metric_name in text
        assert number(line.points, places=2) in text
        if line.has_data:
            assert number(line.actual) in text
    if language == "en":
        assert "Performance report card" in text
        assert any(line.metric_name.isascii() for line in card.lines)
    else:
        assert any(not line.metric_name.isascii() for line in card.lines)
    # The shipped font is embedded: nothing depends on the machine's fonts.
    assert b"WenQuanYiMicroHei" in data


def test_a_rare_character_falls_back_to_the_whole_font(personas: Any, cycle: Cycle) -> None:
    personas.alice.name = "王喆"  # 喆 is outside GB 2312
    personas.alice.save(update_fields=["name"])
    card = report_card_of(cycle=cycle, employee_id=personas.alice.pk)
    assert card is not None
    assert "王喆" in pdf_text(report_card_pdf(card=card, language="zh-hans"))

"""The training effect read from the database (kaopei/training/selectors/effect.py): the
selectors feed the core the right groups and figures in a bounded number of queries; the
``training-effect`` export, the pages and the API show the same rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kaopei.assessment.exports import export_cycle
from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.periods import parse_period
from kaopei.training.selectors import effect as sel
from tests.training.effect_factories import WIN, build_effect_world
from tests.training.factories import CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db
Q2 = parse_period("2026Q2")


@pytest.fixture
def effect_world() -> dict[str, Any]:
    """Trained 1–3 in SPIN in 2026Q2, comparison 4–6; people 7 trained in Q3 (out of U)."""
    return build_effect_world()


def test_the_selectors_feed_the_core_the_groups_and_figures_of_the_quarter(
    effect_world: dict[str, Any],
) -> None:
    rows = {(r.course, r.level, r.item): r for r in sel.cycle_effect_rows(Q2)}
    assert set(rows) == {
        ("=CALC", "L1", ""),
        ("SPIN-101", "L1", ""),
        ("SPIN-101", "L2", ""),
        ("SPIN-101", "L3", "needs_discovery"),
        ("SPIN-101", "L4", WIN),
    }
    assert rows[("SPIN-101", "L1", "")].value == Decimal("4.5000")
    assert rows[("SPIN-101", "L2", "")].value == Decimal("20.0000")
    l3 = rows[("SPIN-101", "L3", "needs_discovery")]
    # report means as shown: trained 3.67, 3.33, 3.33 (from 3.00); comparison 3.00 × 3
    assert (l3.trained, l3.comparison, l3.value) == (3, 3, Decimal("0.4433"))
    l4 = rows[("SPIN-101", "L4", WIN)]
    assert (l4.trained, l4.comparison, l4.value) == (3, 3, Decimal("0.3667"))


def test_an_open_360_round_gives_l3_no_figures(effect_world: dict[str, Any]) -> None:
    from tests.feedback.reports_factories import FeedbackRound

    FeedbackRound.objects.filter(cycle__code="2026Q3").update(status=FeedbackRound.Status.OPEN)
    rows = {(r.level, r.item): r for r in sel.cycle_effect_rows(Q2)}
    assert rows[("L3", "needs_discovery")].trained == 0
    assert rows[("L3", "needs_discovery")].value is None


def test_the_queries_do_not_grow_with_courses_or_people(effect_world: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        sel.cycle_effect_rows(Q2)
    for n in range(5):
        course = CourseFactory(code=f"X-{n}")
        for person in effect_world["people"]:
            EnrolmentFactory(
                course=course,
                employee=person,
                session_on=dt.date(2026, 6, 1),
                completed=True,
                reaction=4,
            )
    with CaptureQueriesContext(connection) as second:
        assert len(sel.cycle_effect_rows(Q2)) > 5
    assert len(first) == len(second) <= 16


def test_the_export_writes_the_rows_as_csv_with_a_bom(effect_world: dict[str, Any]) -> None:
    stream = io.BytesIO()
    cycle = sel.effect_cycle("2026Q2")
    n = export_cycle(cycle=cycle, what="training-effect", fmt="csv", stream=stream)
    assert n == 5
    assert stream.getvalue().decode("utf-8") == (
        "\ufeffcourse,level,item,trained,comparison,value\r\n"
        "'=CALC,L1,,1,,3.0000\r\n"
        "SPIN-101,L1,,2,,4.5000\r\n"
        "SPIN-101,L2,,2,,20.0000\r\n"
        "SPIN-101,L3,needs_discovery,3,3,0.4433\r\n"
        "SPIN-101,L4,opportunity_win_rate,3,3,0.3667\r\n"
    )


def test_the_export_command_refuses_a_year_with_a_clear_message(tmp_path: Any) -> None:
    cycle_get_or_create(code="2026")
    with pytest.raises(CommandError, match="2026"):
        call_command("export", "training-effect", "2026", "-o", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(CommandError, match="2031Q1"):
        call_command("export", "training-effect", "2031Q1", "-o", str(tmp_path / "x.csv"))


def test_the_export_command_writes_xlsx(effect_world: dict[str, Any], tmp_path: Any) -> None:
    call_command("export", "training-effect", "2026Q2", "-o", str(tmp_path / "e.xlsx"))
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "e.xlsx").active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["course", "level", "item", "trained", "comparison", "value"]
    assert values[4][:3] == ["SPIN-101", "L3", "needs_discovery"]


def test_the_course_page_shows_each_level_with_its_groups(
    effect_world: dict[str, Any], personas: Any
) -> None:
    client = personas.client(personas.trainer)
    page = client.get(reverse("training:effect_course", args=["2026Q2", "SPIN-101"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-level="L4" data-item="opportunity_win_rate" data-value="0.3667"' in html
    assert 'data-groups="3 3"' in html
    assert 'data-chart="kp-effect-l4"' in html


def test_the_index_lists_the_courses_of_the_quarter(
    effect_world: dict[str, Any], personas: Any
) -> None:
    client = personas.client(personas.exec)
    page = client.get(reverse("training:effect_index"), {"cycle": "2026Q2", "sort": "l1"})
    assert page.status_code == 200
    assert 'data-course="SPIN-101"' in page.content.decode()
    assert 'data-module="needs_discovery"' in page.content.decode()


@pytest.mark.parametrize(
    "cycle,code",
    [("2026", "SPIN-101"), ("nonsense", "SPIN-101"), ("2031Q1", "SPIN-101"), ("2026Q2", "NOPE")],
)
def test_a_bad_cycle_or_course_in_the_address_is_a_404(
    effect_world: dict[str, Any], personas: Any, cycle: str, code: str
) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("training:effect_course", args=[cycle, code])).status_code == 404


def test_the_api_gives_the_rows_as_numbers(effect_world: dict[str, Any], personas: Any) -> None:
    client = personas.client(personas.hr)
    data = client.get("/api/v1/training/effect/2026Q2").json()
    assert data["cycle"] == "2026Q2"
    assert {
        "course": "SPIN-101",
        "level": "L4",
        "item": WIN,
        "trained": 3,
        "comparison": 3,
        "value": 0.3667,
    } in data["rows"]
    one = client.get("/api/v1/training/effect/2026Q2/SPIN-101").json()
    assert len(one["rows"]) == 4
    assert client.get("/api/v1/training/effect/2026/SPIN-101").status_code == 422
    assert client.get("/api/v1/training/effect/2031Q1").status_code == 404
    assert client.get("/api/v1/training/effect/2026Q2/NOPE").status_code == 404


def test_the_course_page_panel_shows_the_latest_quarter(
    effect_world: dict[str, Any], personas: Any
) -> None:
    from django.test import RequestFactory

    from kaopei.training.views.effect import effect_panel_context

    request = RequestFactory().get("/")
    request.user = personas.trainer.user
    panel = effect_panel_context(request, effect_world["course"])
    assert panel is not None
    assert panel["cycle"].code == "2026Q3"  # person 7 completed it in Q3
    request.user = personas.alice.user
    assert effect_panel_context(request, effect_world["course"]) is None

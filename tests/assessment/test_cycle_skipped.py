"""The cycle page says who scoring leaves out and why, with the page that fixes it; an
executive finds the calibration board from it and reads how many people were scored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kaopei.assessment.selectors.skipped import cycle_skipped
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from tests.assessment.conftest import Scored
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def _page(scored: Scored, who: object) -> str:
    url = reverse("assessment:cycle_detail", args=[scored.cycle.code])
    return scored.client(who).get(url, headers=EN).content.decode()  # type: ignore[arg-type]


def test_hr_reads_who_is_skipped_grouped_by_reason_with_a_fix_link(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    body = _page(scored_cycle, p.hr)
    assert "Not scored, and why" in body
    assert "3 people are not scored: no job level is set." in body
    assert (
        f"2 people at level {p.am3.name} are not scored: the level has no current "
        "template for this kind of cycle (Quarterly)." in body
    )
    assert (
        f"{reverse('assessment:template_create')}?level={p.am3.pk}&amp;cycle_kind=quarterly" in body
    )
    assert reverse("org:employee_detail", args=[p.sup.employee_no]) in body


def test_a_template_added_after_scoring_asks_to_score_again(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    template_create_version(
        code="am3-q",
        level=p.am3,
        cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(100))],
    )
    groups = {g.reason: g for g in cycle_skipped(cycle=scored_cycle.cycle)}
    assert set(groups) == {"no_level", "not_scored"}
    assert {e.employee_no for e in groups["not_scored"].people} == {"S001", "S002"}
    scored_cycle.rescore()
    assert {g.reason for g in cycle_skipped(cycle=scored_cycle.cycle)} == {"no_level"}


def test_cycle_skipped_takes_two_queries(
    scored_cycle: Scored, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(2):  # type: ignore[operator]
        cycle_skipped(cycle=scored_cycle.cycle)


def test_only_hr_reads_the_skipped_list(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    for who in (p.sup, p.exec, p.alice):
        assert "Not scored, and why" not in _page(scored_cycle, who)


def test_executive_reaches_the_calibration_board_and_sees_how_many_were_scored(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    response = scored_cycle.client(p.exec).get(
        reverse("assessment:cycle_detail", args=[scored_cycle.cycle.code]), headers=EN
    )
    board = reverse("assessment:calibration", args=[scored_cycle.cycle.code])
    assert f'href="{board}"' in response.content.decode()
    assert response.context["n_scored"] == 2
    page = scored_cycle.client(p.exec).get(board, headers=EN).content.decode()
    crumbs = page[page.index('class="kp-breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    cycle_url = reverse("assessment:cycle_detail", args=[scored_cycle.cycle.code])
    assert f'href="{cycle_url}"' in crumbs
    assert reverse("assessment:scorecard_list", args=[scored_cycle.cycle.code]) not in crumbs
    assert scored_cycle.client(p.exec).get(cycle_url).status_code == 200


def test_the_scoring_job_page_leads_to_the_reasons(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    client = scored_cycle.client(p.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment:cycle_score", args=[scored_cycle.cycle.code]))
    body = client.get(response["Location"]).content.decode()
    cycle_url = reverse("assessment:cycle_detail", args=[scored_cycle.cycle.code])
    assert f'href="{cycle_url}#skipped-heading"' in body
    assert "Who is not scored, why, and what fixes it" in body

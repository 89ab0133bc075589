"""The organisation dashboard (HR admins and executives): figures checked against their
sources on the small scored cycle, scoping, data freshness, cache invalidation and a query
count that does not grow with the number of branches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaopei.assessment.models import Metric, Scorecard, ScoreLine
from kaopei.dashboards import cache
from kaopei.dashboards.selectors_org import org_figures, org_figures_uncached
from kaopei.facts.models import Customer, Sale
from kaopei.org.models import OrgUnit
from tests.assessment.conftest import Scored, add_visits
from tests.assessment.conftest import scored_cycle as scored_cycle  # noqa: F401 - fixture
from tests.factories import EmployeeFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    django_cache.clear()
    yield
    django_cache.clear()


def _page(scored: Scored, who: Any, url: str, headers: dict[str, str] = EN) -> Any:
    return scored.personas.client(who).get(url, headers=headers)


# --- Figures against their sources ---------------------------------------------------------------


def test_grades_by_branch_and_level_match_the_scorecards(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle)
    by_branch = {r.code: dict(zip(fig.grades, r.counts, strict=True)) for r in fig.rows}
    alice, bob = scored_cycle.card(p.alice), scored_cycle.card(p.bob)
    assert by_branch["BJ"][alice.grade] == 1 and sum(by_branch["BJ"].values()) == 1
    assert by_branch["SH"][bob.grade] == 1 and sum(by_branch["SH"].values()) == 1
    assert fig.people == Scorecard.objects.filter(cycle=scored_cycle.cycle).count()
    levels = {r.code: r.total for r in fig.levels}
    assert levels == {"AM1": 1, "AM2": 1} or sum(levels.values()) == fig.people


def test_attainment_heatmap_is_the_mean_of_the_lines_with_data(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.exec.user, cycle=scored_cycle.cycle)
    metric = Metric.objects.get(code="sales_amount")
    line = ScoreLine.objects.get(scorecard=scored_cycle.card(p.alice), metric=metric)
    bj = next(r for r in fig.heat if r.code == "BJ")
    assert bj.cells[fig.metrics.index(metric.name)] == (line.attainment * 100).quantize(
        Decimal("0.01")
    )


def test_trend_shows_the_cycle_mean_total(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle)
    totals = [c.total for c in Scorecard.objects.filter(cycle=scored_cycle.cycle)]
    assert fig.this_cycle is not None
    assert fig.this_cycle.mean_total == (sum(totals) / len(totals)).quantize(Decimal("0.01"))
    assert [t.code for t in fig.trend] == ["2026Q1"]
    assert sum(fig.this_cycle.shares) == pytest.approx(100, abs=0.05)
    assert fig.last_year is None  # no 2025Q1


def test_unit_page_counts_only_the_units_subtree(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle, unit=p.bj)
    assert [r.code for r in fig.rows] == ["BJ-T1"]
    assert fig.people == 1
    assert fig.effect == [] and fig.suggestions == []  # bank-wide sections: org page only


# --- Freshness -----------------------------------------------------------------------------------


def test_a_unit_whose_records_stopped_arriving_is_listed(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    customer = Customer.objects.get(customer_no="CA1")
    add_visits(p.alice, customer, 1, day=date(2026, 3, 25), prefix="W")
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle, today=date(2026, 4, 1))
    stale = {(s.kind, s.code) for s in fig.stale}
    assert ("activities", "SH-T1") in stale  # Bob's visits: 2026-02-03, 57 days before
    assert ("activities", "BJ-T1") not in stale  # Alice's latest: 2026-03-25
    # New customers are events, not a feed: none since 2025 is no sign of a stopped feed.
    assert not any(kind == "customers" for kind, _code in stale)
    body = _page(scored_cycle, p.hr, reverse("dashboards:org")).content.decode()
    assert "Units whose data stopped arriving" in body


def test_freshness_days_is_a_setting(scored_cycle: Scored, settings: Any) -> None:
    settings.KAOPEI_FRESHNESS_DAYS = 90
    p = scored_cycle.personas
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle, today=date(2026, 4, 1))
    assert ("activities", "SH-T1") not in {(s.kind, s.code) for s in fig.stale}
    assert fig.freshness_days == 90


# --- Cache ---------------------------------------------------------------------------------------


def test_scoring_again_changes_the_cached_figures(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    before = org_figures(user=p.hr.user, cycle=scored_cycle.cycle)
    assert org_figures(user=p.hr.user, cycle=scored_cycle.cycle) is not None
    Sale.objects.create(
        contract_no="S-B1",
        employee=p.bob,
        customer=Customer.objects.get(customer_no="CB1"),
        signed_on=date(2026, 2, 12),
        amount=Decimal(200000),
        profit=Decimal(1000),
    )
    # Without a new scoring run, the cached figures stand.
    generation = cache.generation()
    assert org_figures(user=p.hr.user, cycle=scored_cycle.cycle).this_cycle == before.this_cycle
    scored_cycle.rescore()
    assert cache.generation() > generation
    after = org_figures(user=p.hr.user, cycle=scored_cycle.cycle)
    assert after.this_cycle is not None and before.this_cycle is not None
    assert after.this_cycle.mean_total > before.this_cycle.mean_total  # type: ignore[operator]


# --- Scope and pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("sup", 403), ("trainer", 403)])
def test_only_hr_and_executives_open_the_dashboards(
    scored_cycle: Scored, who: str, status: int
) -> None:
    p = scored_cycle.personas
    person = getattr(p, who)
    assert _page(scored_cycle, person, reverse("dashboards:org")).status_code == status
    unit_url = reverse("dashboards:unit", args=["BJ"])
    assert _page(scored_cycle, person, unit_url).status_code == status


@pytest.mark.parametrize("who", ["hr", "exec"])
def test_hr_and_executives_read_the_dashboard_in_both_languages(
    scored_cycle: Scored, who: str
) -> None:
    p = scored_cycle.personas
    person = getattr(p, who)
    en = _page(scored_cycle, person, reverse("dashboards:org") + "?cycle=2026Q1")
    assert en.status_code == 200
    body = en.content.decode()
    for section in ("grades", "attainment", "trend", "ninebox", "freshness", "suggestions"):
        assert f'data-section="{section}"' in body
    assert reverse("dashboards:unit", args=["BJ"]) in body  # drill-down
    assert 'id="org-grade-chart"' in body and "<table" in body
    assert p.alice.name not in body  # counts, never names
    zh = _page(scored_cycle, person, reverse("dashboards:org"), ZH)
    assert zh.status_code == 200 and "北京分行" in zh.content.decode()
    unit = _page(scored_cycle, person, reverse("dashboards:unit", args=["BJ"]))
    assert unit.status_code == 200 and "北京一组" in unit.content.decode()


def test_unknown_cycle_or_unit_is_404(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert _page(scored_cycle, p.hr, reverse("dashboards:org") + "?cycle=1999Q1").status_code == 404
    assert _page(scored_cycle, p.hr, reverse("dashboards:unit", args=["NOPE"])).status_code == 404


def test_home_links_to_the_dashboard(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    for who in (p.hr, p.exec):
        body = _page(scored_cycle, who, reverse("home")).content.decode()
        assert reverse("dashboards:org") in body and 'data-card="org-summary"' in body


def test_no_cycle_yet_reads_an_empty_state(personas: Any) -> None:
    response = personas.client(personas.hr).get(reverse("dashboards:org"), headers=EN)
    assert response.status_code == 200
    assert "No cycle has been scored yet." in response.content.decode()


# --- Queries -------------------------------------------------------------------------------------


def _queries(scored: Scored) -> int:
    org_figures_uncached(user=scored.personas.hr.user, cycle=scored.cycle)  # warm lookups
    with CaptureQueriesContext(connection) as ctx:
        org_figures_uncached(user=scored.personas.hr.user, cycle=scored.cycle)
    return len(ctx.captured_queries)


def test_figures_take_the_same_queries_for_two_branches_and_ten(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    two = _queries(scored_cycle)
    for i in range(8):
        branch = OrgUnitFactory(code=f"XB{i}", kind=OrgUnit.Kind.BRANCH, parent=p.hq)
        team = OrgUnitFactory(code=f"XB{i}-T1", kind=OrgUnit.Kind.TEAM, parent=branch)
        EmployeeFactory(employee_no=f"X{i:04d}", org_unit=team, level=p.am1)
    scored_cycle.rescore()
    fig = org_figures_uncached(user=p.hr.user, cycle=scored_cycle.cycle)
    assert len(fig.rows) == 10
    assert _queries(scored_cycle) == two


def test_page_takes_a_pinned_number_of_queries(
    scored_cycle: Scored, django_assert_num_queries: Any
) -> None:
    client = scored_cycle.client(scored_cycle.personas.hr)
    url = reverse("dashboards:org")
    client.get(url)  # the session is warm, the figures cached
    django_cache.clear()
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(CACHED_QUERIES):
        assert client.get(url).status_code == 200


PAGE_QUERIES = 24
CACHED_QUERIES = 7


# --- API -----------------------------------------------------------------------------------------


def test_api_gives_the_same_figures_to_hr_and_executives_only(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    url = "/api/v1/dashboards/org"
    data = scored_cycle.client(p.exec).get(url, {"cycle": "2026Q1"}).json()
    fig = org_figures_uncached(user=p.exec.user, cycle=scored_cycle.cycle)
    assert data["cycle"] == "2026Q1" and data["people"] == fig.people
    assert [r["code"] for r in data["rows"]] == ["BJ", "SH"]
    assert data["themes"] == []  # theme labels: HR admins only
    unit = scored_cycle.client(p.hr).get(url, {"unit": "SH"}).json()
    assert unit["unit"] == "SH" and [r["code"] for r in unit["rows"]] == ["SH-T1"]
    for who in (p.alice, p.sup, p.trainer):
        assert scored_cycle.client(who).get(url).status_code == 403
    assert scored_cycle.client(p.hr).get(url, {"cycle": "1999Q1"}).status_code == 404
    assert scored_cycle.client(p.hr).get(url, {"unit": "NOPE"}).status_code == 404

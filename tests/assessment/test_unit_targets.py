"""Unit targets: validation, HR pages, the roll-up page per persona, the warning when
people's targets are set, and the exports of both lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from kaopei.assessment.models import Cycle, Metric, UnitTarget
from kaopei.assessment.services.unit_targets import unit_target_set
from kaopei.core.errors import ApplicationError
from kaopei.org.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages raised by services are checked in English here (the pages' own language
    comes from each request)."""
    with translation.override("en"):
        yield


ROLLUP = "/assessment/target-rollup/"
LIST = "/assessment/unit-targets/"


def metric(code: str) -> Metric:
    return Metric.objects.get(code=code)


def en(client: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def branch_targets(scored_cycle: Any) -> Any:
    """BJ: sales 150,000 (Alice's 100,000 falls short); SH: sales 200,000 (Bob's matches)."""
    p, cycle = scored_cycle.personas, scored_cycle.cycle
    for unit, value in ((p.bj, 150000), (p.sh, 200000)):
        unit_target_set(
            unit=unit,
            cycle=cycle,
            metric=metric("sales_amount"),
            value=Decimal(value),
            user=p.hr.user,
        )
    return scored_cycle


# --- Validation --------------------------------------------------------------------------


def test_a_negative_sales_target_is_refused_and_nothing_is_stored(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    with pytest.raises(ApplicationError, match="cannot be negative"):
        unit_target_set(
            unit=p.bj, cycle=scored_cycle.cycle, metric=metric("sales_amount"), value=Decimal(-1)
        )
    assert not UnitTarget.objects.exists()


def test_a_rate_above_100_is_refused_but_profit_may_be_negative(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    with pytest.raises(ApplicationError, match="above 100"):
        unit_target_set(
            unit=p.bj, cycle=scored_cycle.cycle, metric=metric("csat"), value=Decimal(101)
        )
    unit_target_set(
        unit=p.bj,
        cycle=scored_cycle.cycle,
        metric=metric("profit_contribution"),
        value=Decimal(-5),
    )
    assert UnitTarget.objects.count() == 1


def test_a_duplicate_on_the_new_page_is_refused_with_a_clear_message(branch_targets: Any) -> None:
    p = branch_targets.personas
    client = en(p.client(p.hr))
    response = client.post(
        f"{LIST}new/",
        {"unit": "BJ", "cycle": "2026Q1", "metric": "sales_amount", "value": "1", "note": ""},
    )
    assert response.status_code == 200
    assert "already has a target for sales_amount in 2026Q1" in response.content.decode()
    assert UnitTarget.objects.get(unit=p.bj).value == Decimal(150000)


def test_an_unknown_unit_or_metric_is_a_form_error_not_a_500(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    client = en(p.client(p.hr))
    response = client.post(
        f"{LIST}new/", {"unit": "NOPE", "cycle": "2026Q1", "metric": "nope", "value": "1"}
    )
    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice") == 2
    assert not UnitTarget.objects.exists()


def test_a_final_cycle_refuses_a_unit_target(scored_cycle: Any) -> None:
    Cycle.objects.filter(pk=scored_cycle.cycle.pk).update(status=Cycle.Status.FINAL)
    p = scored_cycle.personas
    with pytest.raises(ApplicationError, match="final"):
        unit_target_set(
            unit=p.bj, cycle=scored_cycle.cycle, metric=metric("sales_amount"), value=Decimal(1)
        )


# --- HR pages ------------------------------------------------------------------------------


def test_hr_creates_edits_and_deletes_a_unit_target_with_history(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    client = en(p.client(p.hr))
    response = client.post(
        f"{LIST}new/",
        {"unit": "BJ", "cycle": "2026Q1", "metric": "sales_amount", "value": "150000"},
    )
    assert response.status_code == 302
    target = UnitTarget.objects.get()
    assert target.set_by == p.hr.user
    response = client.post(f"{LIST}{target.pk}/edit/", {"value": "160000", "note": "Q1 plan"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(160000) and target.note == "Q1 plan"
    assert "Delete the unit target" in client.get(f"{LIST}{target.pk}/delete/").content.decode()
    assert UnitTarget.objects.exists()  # GET only asks
    assert client.post(f"{LIST}{target.pk}/delete/").status_code == 302
    assert not UnitTarget.objects.exists()
    assert UnitTarget.history.filter(history_type="-").count() == 1


def test_the_list_filters_by_unit_subtree(branch_targets: Any) -> None:
    p = branch_targets.personas
    page = en(p.client(p.hr)).get(LIST, {"unit": "SH"}).content.decode()
    assert "<td>上海分行 <span" in page and "<td>北京分行 <span" not in page


@pytest.mark.parametrize("who", ["sup", "alice", "exec", "trainer"])
def test_only_hr_opens_the_unit_target_pages(branch_targets: Any, who: str) -> None:
    p = branch_targets.personas
    target = UnitTarget.objects.first()
    assert target is not None
    client = p.client(getattr(p, who))
    for url in (LIST, f"{LIST}new/", f"{LIST}{target.pk}/edit/", f"{LIST}{target.pk}/delete/"):
        assert client.get(url).status_code == 403
    assert client.post(f"{LIST}{target.pk}/delete/").status_code == 403
    assert UnitTarget.objects.count() == 2


# --- Roll-up page ------------------------------------------------------------------------------


def test_hr_sees_bj_short_with_its_attainment(branch_targets: Any) -> None:
    p = branch_targets.personas
    page = en(p.client(p.hr)).get(ROLLUP, {"cycle": "2026Q1"}).content.decode()
    assert "short of the unit target" in page
    assert "-33.3 %" in page  # 100,000 against 150,000
    assert "80.0 %" in page  # Alice's actual 120,000 against 150,000
    assert "sum" in page and "mean of the people" in page


def test_an_unknown_cycle_on_the_rollup_is_said_not_replaced(branch_targets: Any) -> None:
    p = branch_targets.personas
    response = en(p.client(p.hr)).get(ROLLUP, {"cycle": "NOPE"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no such cycle, unit or metric" in page
    assert "short of the unit target" not in page


def test_the_rollup_opens_on_the_latest_cycle_with_unit_targets(branch_targets: Any) -> None:
    p = branch_targets.personas
    page = en(p.client(p.hr)).get(ROLLUP).content.decode()
    assert "short of the unit target" in page


def test_executives_read_the_rollup_and_account_managers_are_refused(branch_targets: Any) -> None:
    p = branch_targets.personas
    assert p.client(p.exec).get(ROLLUP, {"cycle": "2026Q1"}).status_code == 200
    assert p.client(p.alice).get(ROLLUP, {"cycle": "2026Q1"}).status_code == 403
    assert p.client(p.trainer).get(ROLLUP, {"cycle": "2026Q1"}).status_code == 403


def test_a_supervisor_reads_only_their_subtree(branch_targets: Any) -> None:
    p = branch_targets.personas
    unit_target_set(
        unit=p.bj_t1,
        cycle=branch_targets.cycle,
        metric=metric("sales_amount"),
        value=Decimal(100000),
    )
    client = en(p.client(p.sup))
    page = client.get(ROLLUP, {"cycle": "2026Q1"}).content.decode()
    assert "<td>北京一组 <span" in page
    assert "<td>上海分行 <span" not in page and "<td>北京分行 <span" not in page
    other = client.get(ROLLUP, {"cycle": "2026Q1", "unit": "SH"}).content.decode()
    assert "<td>上海分行 <span" not in other


# --- Warning at target-setting ------------------------------------------------------------------


def test_setting_peoples_targets_warns_about_a_unit_falling_short(branch_targets: Any) -> None:
    p = branch_targets.personas
    client = en(p.client(p.hr))
    response = client.post(
        "/assessment/cycles/2026Q1/targets/bulk/",
        {"scope": "unit:SH", "metric": "sales_amount", "value": "50000", "confirm": "True"},
        follow=True,
    )
    page = response.content.decode()
    assert "上海分行 (SH): the people&#x27;s Sales amount targets roll up to 100,000.00" in page
    assert "50.0 % short of the unit target 200,000.00" in page
    assert "北京分行 (BJ)" in page  # still short: the warning lists every unit beyond the margin


def test_no_warning_when_targets_line_up(branch_targets: Any) -> None:
    p = branch_targets.personas
    UnitTarget.objects.filter(unit=p.bj).update(value=Decimal(100000))
    client = en(p.client(p.hr))
    page = client.post(
        "/assessment/cycles/2026Q1/targets/bulk/",
        {"scope": "unit:SH", "metric": "sales_amount", "value": "100000", "confirm": "True"},
        follow=True,
    ).content.decode()
    assert "roll up to" not in page


# --- Exports ---------------------------------------------------------------------------------


def test_the_unit_target_list_exports_in_chinese_and_english(branch_targets: Any) -> None:
    p = branch_targets.personas
    zh = p.client(p.hr)
    zh.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    body = zh.get(LIST, {"export": "csv", "unit": "BJ"}).content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "考核周期" or rows[0][0] != "Cycle"
    assert len(rows) == 2 and rows[1][1] == "BJ"
    xlsx = en(p.client(p.hr)).get(LIST, {"export": "xlsx"})
    assert xlsx["Content-Disposition"].startswith('attachment; filename="unit-targets-')
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert [c.value for c in ws[1]][:3] == ["Cycle", "Unit code", "Org unit"]
    assert ws["F2"].data_type == "n"


def test_the_rollup_exports_and_refuses_the_same_personas(branch_targets: Any) -> None:
    p = branch_targets.personas
    response = en(p.client(p.exec)).get(ROLLUP, {"cycle": "2026Q1", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None and ws["A1"].value == "Unit code" and ws.max_row == 3
    assert p.client(p.alice).get(ROLLUP, {"cycle": "2026Q1", "export": "csv"}).status_code == 403
    assert p.client(p.sup).get(LIST, {"export": "csv"}).status_code == 403


def test_a_bad_export_value_is_a_400_with_a_message(branch_targets: Any) -> None:
    p = branch_targets.personas
    response = en(p.client(p.hr)).get(LIST, {"export": "pdf"})
    assert response.status_code == 400
    assert "csv or xlsx" in response.content.decode()


def _many(cycle: Cycle, n: int) -> None:
    hq = OrgUnit.objects.get(code="HQ")
    units = [OrgUnit.objects.create(code=f"U{i:03d}", name=f"支行{i}", parent=hq) for i in range(n)]
    UnitTarget.objects.bulk_create(
        UnitTarget(unit=u, cycle=cycle, metric=metric("sales_amount"), value=Decimal(1000))
        for u in units
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_export_reads_a_fixed_number_of_queries(scored_cycle: Any, n: int) -> None:
    _many(scored_cycle.cycle, n)
    client = scored_cycle.personas.client(scored_cycle.personas.hr)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"export": "csv"})
    assert response.status_code == 200
    assert len(response.content.decode("utf-8-sig").splitlines()) == n + 1
    assert len(queries) <= 8, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        client.get(ROLLUP, {"cycle": "2026Q1", "export": "csv"})
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_the_targets_list_exports_the_filtered_list_for_its_readers(scored_cycle: Any) -> None:
    p = scored_cycle.personas
    url = "/assessment/cycles/2026Q1/targets/"
    body = en(p.client(p.hr)).get(url, {"export": "csv", "metric": "sales_amount"}).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Employee number", "Name"]
    assert sorted(r[0] for r in rows[1:]) == ["A001", "B001"]
    mine = en(p.client(p.sup)).get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert "A001" in mine and "B001" not in mine  # the same visibility as the page
    assert p.client(p.alice).get(url, {"export": "csv"}).status_code == 403


# --- API -------------------------------------------------------------------------------------


def test_the_api_sets_lists_and_rolls_up_unit_targets(branch_targets: Any) -> None:
    p = branch_targets.personas
    client = en(p.client(p.hr))
    body = {"cycle": "2026Q1", "unit": "BJ", "metric": "sales_amount", "value": "100000"}
    response = client.post("/api/v1/unit-targets", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["value"] == 100000
    bad = client.post(
        "/api/v1/unit-targets",
        {**body, "unit": "NOPE"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Unknown org unit" in bad.json()["detail"]
    negative = client.post(
        "/api/v1/unit-targets", {**body, "value": "-1"}, content_type="application/json"
    )
    assert negative.status_code == 400
    assert UnitTarget.objects.get(unit=p.bj).value == Decimal(100000)
    listed = client.get("/api/v1/unit-targets", {"unit": "BJ"}).json()
    assert listed["count"] == 1
    rows = en(p.client(p.exec)).get("/api/v1/target-rollup", {"cycle": "2026Q1"}).json()
    bj = next(r for r in rows if r["unit"] == "BJ")
    assert bj["aggregation"] == "sum" and bj["people"] == 100000 and bj["flag"] == ""
    assert p.client(p.alice).get("/api/v1/target-rollup").status_code == 403


# --- Import warning --------------------------------------------------------------------------


def test_importing_peoples_targets_warns_about_a_unit_overshooting(
    branch_targets: Any, media: Any
) -> None:
    from kaopei.imports.models import ImportBatch
    from tests.imports.test_import_service import run, write

    header = ["cycle", "employee_no", "metric", "target"]
    rows = [header, ["2026Q1", "B001", "sales_amount", "400000"]]
    batch = run(write(media, "t.csv", rows), "targets")
    assert batch.status == ImportBatch.Status.COMMITTED  # a warning, not a refusal
    rollup = [w for w in batch.warnings if w["code"].startswith("target_rollup")]
    assert sorted((w["value"], w["code"], w["row"]) for w in rollup) == [
        ("BJ", "target_rollup_short", 2),  # Alice's 100,000 against 150,000, unchanged
        ("SH", "target_rollup_over", 2),  # Bob's 400,000 against 200,000
    ]

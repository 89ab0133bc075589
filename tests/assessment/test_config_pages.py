"""Configuration pages: the metric library, templates, targets and the audit log; the admin;
and the Chinese translations of this part. Every page: an allowed and a denied test."""

from __future__ import annotations

import subprocess
import tempfile
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.translation import templatize
from simple_history.admin import SimpleHistoryAdmin

from kaopei.assessment import models as m
from kaopei.assessment.models import Cycle, Metric, Target, Template
from kaopei.assessment.services.calibration import scorecard_calibrate
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_set_status
from kaopei.assessment.services.metrics import metric_create, metric_update
from kaopei.assessment.services.targets import targets_set
from kaopei.core.errors import ApplicationError
from kaopei.core.po import parse_po
from tests.assessment.factories_config import (
    build_hand_example,
    build_templates,
    english,
    metric_ids,
)
from tests.conftest import Personas
from tests.factories import employee_with_login

ROOT = Path(__file__).resolve().parents[2]
A = "/assessment/"


def client(personas: Personas, who: str | None) -> Client:
    return english(personas.client(getattr(personas, who) if who else None))


# --- metric library -----------------------------------------------------------------------


def test_every_role_reads_the_metric_library_in_its_language(personas: Personas) -> None:
    response = client(personas, "alice").get(A + "metrics/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Customer visits" in body and "Activities of kind visit in the period." in body
    assert "New manual metric" not in body and "/edit/" not in body
    chinese = personas.client(personas.trainer).get(A + "metrics/").content.decode()
    assert "客户拜访量" in chinese


def test_the_metric_library_is_not_for_people_without_a_role(personas: Personas) -> None:
    nobody = employee_with_login("N001", "无名", personas.hq, None, [])
    assert personas.client(nobody).get(A + "metrics/").status_code == 403
    assert Client().get(A + "metrics/").status_code == 302


def test_hr_admin_adds_a_manual_metric(personas: Personas) -> None:
    response = client(personas, "hr").post(
        A + "metrics/new/",
        {
            "code": "branch_rating",
            "name_zh": "分行评价",
            "name_en": "Branch rating",
            "unit": "1–5",
            "category": "development",
            "direction": "higher",
            "mode": "band",
            "floor": "1",
            "definition_en": "Rating by the branch head.",
            "active": "on",
        },
    )
    assert response.status_code == 302
    metric = Metric.objects.get(code="branch_rating")
    assert (metric.source, metric.builtin, metric.floor) == ("manual", False, D(1))
    assert metric.history.first().history_user == personas.hr.user  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"floor": ""}, "floor", "needs a floor"),
        ({"direction": "lower", "floor": ""}, "ceiling", "needs a ceiling"),
        ({"mode": "direct", "direction": "lower", "floor": ""}, "direction", "higher must be"),
        ({"mode": "ratio"}, "floor", "Only band metrics"),
        ({"code": "visit_count"}, "code", "already has a metric"),
        ({"code": "Bad Code"}, "code", "lower-case letters"),
    ],
)
def test_a_manual_metric_must_be_scorable(
    personas: Personas, changes: dict[str, str], field: str, message: str
) -> None:
    data = {
        "code": "branch_rating",
        "name_zh": "分行评价",
        "unit": "1–5",
        "category": "development",
        "direction": "higher",
        "mode": "band",
        "floor": "1",
        **changes,
    }
    response = client(personas, "hr").post(A + "metrics/new/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, [])), response.context[
        "form"
    ].errors
    assert not Metric.objects.filter(code="branch_rating").exists()


def test_a_built_in_metric_changes_only_its_words(personas: Personas) -> None:
    c = client(personas, "hr")
    page = c.get(A + "metrics/visit_count/edit/")
    assert page.status_code == 200 and page.context["form"].fields["mode"].disabled
    response = c.post(
        A + "metrics/visit_count/edit/",
        {
            "name_zh": "拜访量",
            "name_en": "Visits",
            "definition_zh": "拜访。",
            "definition_en": "Visits.",
            "active": "on",
            "mode": "band",
            "direction": "lower",
        },
    )
    assert response.status_code == 302
    metric = Metric.objects.get(code="visit_count")
    assert (metric.name_en, metric.mode, metric.direction) == ("Visits", "ratio", "higher")


def test_the_metric_service_refuses_formula_changes_to_built_in_metrics(db: None) -> None:
    metric = Metric.objects.get(code="nps")
    with pytest.raises(ApplicationError) as caught:
        metric_update(metric=metric, mode="ratio", name_en="NPS")
    assert [e["field"] for e in caught.value.errors] == ["mode"]


def test_hr_admin_edits_a_manual_metric(personas: Personas) -> None:
    metric_create(
        code="branch_rating",
        name_zh="分行评价",
        unit="1–5",
        direction="higher",
        mode="ratio",
        category="development",
    )
    response = client(personas, "hr").post(
        A + "metrics/branch_rating/edit/",
        {
            "name_zh": "分行评价",
            "unit": "points",
            "category": "result",
            "direction": "lower",
            "mode": "band",
            "ceiling": "5",
            "active": "on",
            "code": "hijack",
        },
    )
    assert response.status_code == 302
    metric = Metric.objects.get(code="branch_rating")
    assert (metric.unit, metric.direction, metric.mode, metric.ceiling) == (
        "points",
        "lower",
        "band",
        D(5),
    )


def test_only_hr_admins_add_or_edit_metrics(personas: Personas) -> None:
    c = client(personas, "sup")
    assert c.get(A + "metrics/new/").status_code == 403
    assert c.post(A + "metrics/visit_count/edit/", {"name_zh": "x"}).status_code == 403
    assert client(personas, "hr").get(A + "metrics/nope/edit/").status_code == 404


# --- templates ----------------------------------------------------------------------------


def items(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {
        "items-TOTAL_FORMS": str(len(rows) + 2),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "40",
    }
    for i, (metric, weight, cap) in enumerate([*rows, ("", "", "1.50"), ("", "", "")]):
        data.update(
            {f"items-{i}-metric": metric, f"items-{i}-weight": weight, f"items-{i}-cap": cap}
        )
    return data


def test_templates_list_current_and_old_versions(personas: Personas) -> None:
    build_templates(personas)
    c = client(personas, "hr")
    c.post(
        A + "templates/cfg-am2/new-version/",
        {"note": "more", **items(("visit_count", "60", ""), ("new_customers", "40", "2"))},
    )
    response = c.get(A + "templates/")
    assert response.status_code == 200
    assert [t.code for t in response.context["current"]] == ["cfg-am1", "cfg-am2", "cfg-am3"]
    assert [(t.code, t.version) for t in response.context["old"]] == [("cfg-am2", 1)]
    assert "Customer visits 60" in response.content.decode()  # names first, codes secondary


def test_supervisors_read_templates_and_account_managers_do_not(personas: Personas) -> None:
    build_templates(personas)
    sup = client(personas, "sup")
    assert sup.get(A + "templates/").status_code == 200
    body = sup.get(A + "templates/cfg-am1/").content.decode()
    assert "sales_amount" in body and "New version" not in body
    assert client(personas, "alice").get(A + "templates/").status_code == 403
    assert client(personas, "alice").get(A + "templates/cfg-am1/").status_code == 403


def test_a_template_shows_any_version_and_its_history(personas: Personas) -> None:
    build_hand_example(personas)
    c = client(personas, "hr")
    c.post(
        A + "templates/cfg-am1/new-version/",
        {
            "note": "no win rate",
            **items(("sales_amount", "70", "1.2"), ("response_hours", "30", "")),
        },
    )
    latest = c.get(A + "templates/cfg-am1/")
    assert latest.context["template"].version == 2 and latest.context["total_weight"] == 100
    assert [(v.version, v.n_cards) for v in latest.context["versions"]] == [(2, 0), (1, 1)]
    first = c.get(A + "templates/cfg-am1/", {"version": "1"})
    assert [i.metric.code for i in first.context["items"]] == [
        "sales_amount",
        "opportunity_win_rate",
        "response_hours",
    ]
    assert c.get(A + "templates/nope/").status_code == 404


def test_hr_admin_creates_a_template(personas: Personas) -> None:
    response = client(personas, "hr").post(
        A + "templates/new/",
        {
            "code": "am1-q",
            "level": personas.am1.pk,
            "cycle_kind": "quarterly",
            "note": "",
            **items(("visit_count", "60", "1.20"), ("nps", "40", "")),
        },
    )
    assert response.status_code == 302
    template = Template.objects.get(code="am1-q")
    assert template.current and template.created_by == personas.hr.user
    assert sorted((i.metric.code, i.weight, i.cap) for i in template.items.all()) == [
        ("nps", D(40), D("1.50")),
        ("visit_count", D(60), D("1.20")),
    ]


def test_weights_that_do_not_add_up_to_100_are_refused_with_the_sum(personas: Personas) -> None:
    response = client(personas, "hr").post(
        A + "templates/new/",
        {
            "code": "am1-q",
            "level": personas.am1.pk,
            "cycle_kind": "quarterly",
            **items(("visit_count", "60", ""), ("nps", "30", "")),
        },
    )
    assert response.status_code == 200
    assert "The weights add up to 90, not 100." in response.content.decode()
    assert response.context["entered"] == D(90)
    assert not Template.objects.exists()


def test_a_row_needs_both_a_metric_and_a_weight(personas: Personas) -> None:
    response = client(personas, "hr").post(
        A + "templates/new/",
        {
            "code": "am1-q",
            "level": personas.am1.pk,
            "cycle_kind": "quarterly",
            **items(("visit_count", "", ""), ("", "100", "")),
        },
    )
    errors = response.context["formset"].errors
    assert "metric" in errors[1] and "weight" in errors[0]
    assert not Template.objects.exists()


def test_an_existing_code_must_become_a_new_version(personas: Personas) -> None:
    build_templates(personas)
    response = client(personas, "hr").post(
        A + "templates/new/",
        {
            "code": "cfg-am1",
            "level": personas.am1.pk,
            "cycle_kind": "quarterly",
            **items(("visit_count", "100", "")),
        },
    )
    assert "make a new version" in response.content.decode()
    assert Template.objects.filter(code="cfg-am1").count() == 1


def test_a_new_version_starts_from_the_current_items(personas: Personas) -> None:
    build_templates(personas)
    page = client(personas, "hr").get(A + "templates/cfg-am3/new-version/")
    assert page.status_code == 200
    initial = [f.initial for f in page.context["formset"].forms if f.initial]
    assert [(i["metric"], i["weight"]) for i in initial] == [
        ("opportunity_win_rate", D(60)),
        ("visit_count", D(40)),
    ]
    assert page.context["form"].fields["level"].disabled


def test_only_hr_admins_create_templates(personas: Personas) -> None:
    build_templates(personas)
    for url in (A + "templates/new/", A + "templates/cfg-am1/new-version/"):
        assert client(personas, "sup").get(url).status_code == 403
        assert client(personas, "exec").post(url, items(("nps", "100", ""))).status_code == 403
    assert Template.objects.count() == 3


# --- targets ------------------------------------------------------------------------------


def test_hr_admin_lists_and_filters_the_targets(personas: Personas) -> None:
    build_hand_example(personas)
    c = client(personas, "hr")
    response = c.get(A + "cycles/2026Q1/targets/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 6
    by_metric = c.get(A + "cycles/2026Q1/targets/", {"metric": "visit_count"})
    assert [t.employee.employee_no for t, _w in by_metric.context["rows"]] == ["B001", "S001"]
    by_unit = c.get(A + "cycles/2026Q1/targets/", {"unit": "BJ"})  # includes BJ-T1
    assert {t.employee.employee_no for t, _w in by_unit.context["rows"]} == {"A001", "S001"}
    by_level = c.get(A + "cycles/2026Q1/targets/", {"level": "AM2", "q": "白"})
    assert [t.employee.employee_no for t, _w in by_level.context["rows"]] == ["B001"]
    partial = c.get(A + "cycles/2026Q1/targets/", {"q": "A001"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "A001" in partial.content.decode()


def test_the_targets_page_flags_targets_outside_the_template(personas: Personas) -> None:
    build_hand_example(personas)
    cycle = Cycle.objects.get(code="2026Q1")
    targets_set(cycle=cycle, values={(personas.alice.pk, metric_ids()["nps"]): D(30)})
    response = client(personas, "hr").get(A + "cycles/2026Q1/targets/", {"metric": "nps"})
    [(_target, warnings)] = response.context["rows"]
    assert "not in the 2026Q1 template" in warnings[0]


def test_a_supervisor_sees_the_targets_of_their_people_only(personas: Personas) -> None:
    build_hand_example(personas)
    response = client(personas, "sup").get(A + "cycles/2026Q1/targets/")
    assert response.status_code == 200
    assert {t.employee.employee_no for t, _w in response.context["rows"]} == {"A001", "S001"}
    assert "Set for a level or unit" not in response.content.decode()


def test_account_managers_do_not_see_the_targets_page(personas: Personas) -> None:
    build_hand_example(personas)
    assert client(personas, "alice").get(A + "cycles/2026Q1/targets/").status_code == 403
    assert client(personas, "hr").get(A + "cycles/2031Q1/targets/").status_code == 404


def test_the_targets_page_reads_a_fixed_number_of_queries(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    build_hand_example(personas)
    c = client(personas, "hr")
    c.get(A + "cycles/2026Q1/targets/")  # warm up (session, language)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert c.get(A + "cycles/2026Q1/targets/").status_code == 200
        return len(queries)

    few = count()
    cycle = Cycle.objects.get(code="2026Q1")
    mid = metric_ids()
    targets_set(
        cycle=cycle,
        values={
            (e.pk, mid[code]): D(3)
            for e in (personas.hr, personas.exec, personas.trainer, personas.sup2)
            for code in ("new_customers", "csat")
        },
    )
    assert count() == few


def test_bulk_targets_show_the_guardrails_before_saving(personas: Personas) -> None:
    build_templates(personas)
    cycle = cycle_get_or_create(code="2026Q2")
    cycle_set_status(cycle=cycle, status="open")
    personas.am2.is_sales = False
    personas.am2.save()
    c = client(personas, "hr")
    url = A + "cycles/2026Q2/targets/bulk/"
    assert c.get(url).status_code == 200
    preview = c.post(url, {"scope": "unit:SH", "metric": "visit_count", "value": "12"})
    assert preview.status_code == 200 and preview.context["confirming"]
    assert preview.context["n_people"] == 2  # Bob (AM2) and Shen Er (AM3); nobody without a level
    warnings = {w["code"]: w["count"] for w in preview.context["warnings"]}
    assert warnings == {"non_sales_role": 1, "after_open": 2}
    assert not Target.objects.exists()  # nothing saved before the confirmation
    body = preview.content.decode()
    assert "Sales targets for non-sales roles" in body and 'name="confirm"' in body
    saved = c.post(
        url, {"scope": "unit:SH", "metric": "visit_count", "value": "12", "confirm": "True"}
    )
    assert saved.status_code == 302
    assert sorted(Target.objects.values_list("employee__employee_no", "value")) == [
        ("B001", D(12)),
        ("S002", D(12)),
    ]
    record = Target.history.first()  # type: ignore[attr-defined]
    assert record.history_user == personas.hr.user


def test_bulk_targets_for_a_level(personas: Personas) -> None:
    build_templates(personas)
    cycle_get_or_create(code="2026Q2")
    c = client(personas, "hr")
    c.post(
        A + "cycles/2026Q2/targets/bulk/",
        {"scope": "level:AM3", "metric": "visit_count", "value": "9", "confirm": "True"},
    )
    assert sorted(Target.objects.values_list("employee__employee_no", flat=True)) == [
        "S001",
        "S002",
    ]


def test_only_hr_admins_set_targets_in_bulk(personas: Personas) -> None:
    cycle_get_or_create(code="2026Q2")
    response = client(personas, "sup").post(
        A + "cycles/2026Q2/targets/bulk/",
        {"scope": "level:AM1", "metric": "visit_count", "value": "9", "confirm": "True"},
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_final_cycle_offers_no_target_changes(personas: Personas) -> None:
    cycle = build_hand_example(personas)
    cycle = cycle_set_status(cycle=cycle, status="calibrating")
    cycle_set_status(cycle=cycle, status="final")
    c = client(personas, "hr")
    response = c.post(
        A + "cycles/2026Q1/targets/bulk/",
        {"scope": "level:AM1", "metric": "visit_count", "value": "9", "confirm": "True"},
    )
    assert "This cycle is final" in response.content.decode()
    assert not Target.objects.filter(metric__code="visit_count", employee=personas.alice)


def test_targets_are_copied_from_the_previous_cycle_with_growth(personas: Personas) -> None:
    build_hand_example(personas)
    cycle_get_or_create(code="2026Q2")
    c = client(personas, "hr")
    url = A + "cycles/2026Q2/targets/copy/"
    page = c.get(url)
    assert page.status_code == 200 and page.context["form"]["source"].value() == "2026Q1"
    preview = c.post(url, {"source": "2026Q1", "growth": "1.1"})
    assert preview.context["n_source"] == 6 and not Target.objects.filter(cycle__code="2026Q2")
    c.post(url, {"source": "2026Q1", "growth": "1.1", "confirm": "True"})
    copied = dict(
        Target.objects.filter(cycle__code="2026Q2", employee=personas.alice).values_list(
            "metric__code", "value"
        )
    )
    assert copied["sales_amount"] == D(220000)  # higher is better: × 1.1
    assert copied["response_hours"] == D("3.6364")  # lower is better: 4 ÷ 1.1


def test_a_growth_factor_must_be_positive(personas: Personas) -> None:
    build_hand_example(personas)
    cycle_get_or_create(code="2026Q2")
    response = client(personas, "hr").post(
        A + "cycles/2026Q2/targets/copy/", {"source": "2026Q1", "growth": "0", "confirm": "1"}
    )
    assert "growth" in response.context["form"].errors
    assert not Target.objects.filter(cycle__code="2026Q2").exists()


def test_only_hr_admins_copy_targets(personas: Personas) -> None:
    build_hand_example(personas)
    cycle_get_or_create(code="2026Q2")
    response = client(personas, "sup").post(
        A + "cycles/2026Q2/targets/copy/", {"source": "2026Q1", "growth": "1", "confirm": "1"}
    )
    assert response.status_code == 403


# --- audit --------------------------------------------------------------------------------


def test_the_audit_log_shows_who_changed_what_from_what_to_what(personas: Personas) -> None:
    cycle = build_hand_example(personas)
    mid = metric_ids()
    targets_set(
        cycle=cycle,
        user=personas.hr.user,
        values={(personas.alice.pk, mid["sales_amount"]): D(250000)},
    )
    c = client(personas, "hr")
    c.post(
        A + "templates/cfg-am2/new-version/",
        {"note": "add nps", **items(("visit_count", "80", ""), ("nps", "20", ""))},
    )
    response = c.get(A + "audit/")
    assert response.status_code == 200
    entries = list(response.context["page_obj"])
    kinds = {e.kind for e in entries}
    assert {"targets", "templates", "cycles", "scorecards"} <= kinds
    change = next(e for e in entries if e.kind == "targets" and e.action == "changed")
    assert change.who == "韩仁 (HR001)" and "A001" in change.subject
    assert [(x.before, x.after) for x in change.changes] == [("200000", "250000")]
    version = next(e for e in entries if e.kind == "templates" and "v2" in e.subject)
    assert sorted((x.field, x.before, x.after) for x in version.changes) == [
        ("nps", "—", "weight 20, cap 1.5"),
        ("visit_count", "weight 100, cap 1.5", "weight 80, cap 1.5"),
    ]
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)


def test_the_audit_log_shows_calibrations_with_their_reason(personas: Personas) -> None:
    cycle = build_hand_example(personas)
    card = m.Scorecard.objects.get(cycle=cycle, employee=personas.alice)
    scorecard_calibrate(
        scorecard=card, to_grade="B", reason="Big client won late in March", user=personas.sup.user
    )
    response = client(personas, "hr").get(A + "audit/", {"kind": "calibrations", "cycle": "2026Q1"})
    [entry] = list(response.context["page_obj"])
    assert (entry.who, entry.note) == ("孙培 (S001)", "Big client won late in March")
    assert [(x.before, x.after) for x in entry.changes] == [("C", "B")]
    assert entry.url == "/assessment/cycles/2026Q1/scorecards/A001/"
    cards = client(personas, "hr").get(A + "audit/", {"kind": "scorecards"})
    moved = next(e for e in cards.context["page_obj"] if e.action == "changed")
    assert ("grade", "C", "B") in {(x.field, x.before, x.after) for x in moved.changes}
    assert moved.who == "孙培 (S001)"


def test_the_audit_log_filters_by_kind_and_cycle(personas: Personas) -> None:
    build_hand_example(personas)
    cycle_get_or_create(code="2026Q2")
    metric_update(
        metric=Metric.objects.get(code="nps"), name_en="Net promoter score", user=personas.hr.user
    )
    c = client(personas, "hr")
    targets = c.get(A + "audit/", {"kind": "targets"})
    assert {e.kind for e in targets.context["page_obj"]} == {"targets"}
    assert targets.context["page_obj"].paginator.count == 6
    q2 = c.get(A + "audit/", {"cycle": "2026Q2"})
    assert [(e.kind, e.action, e.subject) for e in q2.context["page_obj"]] == [
        ("cycles", "created", "2026Q2")
    ]
    metrics = c.get(A + "audit/", {"kind": "metrics"})
    [entry] = list(metrics.context["page_obj"])
    assert ("name (English)", "Net promoter score") in {(x.field, x.after) for x in entry.changes}


def test_the_audit_log_pages_through_every_kind(personas: Personas) -> None:
    cycle = build_hand_example(personas)
    mid = metric_ids()
    for value in range(1, 60):
        targets_set(
            cycle=cycle,
            user=personas.hr.user,
            values={(personas.bob.pk, mid["visit_count"]): D(value + 100)},
        )
    c = client(personas, "hr")
    first = c.get(A + "audit/")
    total = first.context["page_obj"].paginator.count
    second = c.get(A + "audit/", {"page": "2"})
    seen = [*first.context["page_obj"], *second.context["page_obj"]]
    assert len(seen) == min(total, 100) and len({(e.kind, e.when, e.subject) for e in seen}) > 50


def test_the_audit_log_reads_a_bounded_number_of_queries(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    build_hand_example(personas)
    c = client(personas, "hr")
    c.get(A + "audit/")
    with django_assert_max_num_queries(45):
        assert c.get(A + "audit/").status_code == 200


def test_only_hr_admins_read_the_audit_log(personas: Personas) -> None:
    for who in ("sup", "exec", "alice"):
        assert client(personas, who).get(A + "audit/").status_code == 403
    assert Client().get(A + "audit/").status_code == 302


# --- admin --------------------------------------------------------------------------------

MODELS = [
    m.Metric,
    m.GradePolicy,
    m.Cycle,
    m.Template,
    m.Target,
    m.ManualScore,
    m.Scorecard,
    m.Calibration,
    m.Appeal,
]


@pytest.mark.parametrize("model", MODELS)
def test_every_assessment_model_is_in_the_admin(model: Any) -> None:
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, SimpleHistoryAdmin) == hasattr(model, "history")


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_open(personas: Personas, admin_client: Any, model: Any) -> None:
    build_hand_example(personas)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(url, {"q": "A"}).status_code == 200


def test_results_and_final_cycles_are_read_only_in_the_admin(
    personas: Personas, admin_client: Any
) -> None:
    cycle = build_hand_example(personas)
    card = m.Scorecard.objects.filter(cycle=cycle).first()
    assert card is not None
    url = reverse("admin:assessment_scorecard_change", args=[card.pk])
    assert admin_client.post(url, {"grade": "A"}).status_code == 403
    cycle = cycle_set_status(cycle=cycle, status="calibrating")
    cycle_set_status(cycle=cycle, status="final")
    target = Target.objects.filter(cycle=cycle).first()
    assert target is not None
    url = reverse("admin:assessment_target_delete", args=[target.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


# --- translations -------------------------------------------------------------------------

CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PY_FILES = [
    "kaopei/assessment/views/cycles.py",
    "kaopei/assessment/views/config.py",
    "kaopei/assessment/forms_config.py",
    "kaopei/assessment/api.py",
    "kaopei/assessment/exports.py",
    "kaopei/assessment/tasks.py",
    "kaopei/assessment/audit.py",
    "kaopei/assessment/services/metrics.py",
    "kaopei/assessment/management/commands/score.py",
    "kaopei/assessment/management/commands/export.py",
]
TEMPLATE_PATTERNS = [
    "cycle_*.html",
    "metric_*.html",
    "template_*.html",
    "target_*.html",
    "audit*.html",
    "job*.html",
    "_cfg_*.html",
]
KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
    "_",
    "gettext",
    "ngettext:1,2",
]


def extracted_msgids() -> set[str]:
    """The msgids of this part's code and templates, as makemessages would extract them."""
    folder = ROOT / "kaopei" / "assessment" / "templates" / "assessment"
    templates = sorted({p for pattern in TEMPLATE_PATTERNS for p in folder.glob(pattern)})
    with tempfile.TemporaryDirectory() as tmp:
        sources = [str(ROOT / f) for f in PY_FILES]
        for path in templates:
            out = Path(tmp) / (path.name + ".py")
            out.write_text(
                templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8"
            )
            sources.append(str(out))
        pot = Path(tmp) / "out.pot"
        subprocess.run(
            [
                "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                "--no-wrap",
                "--output",
                str(pot),
                *[f"--keyword={k}" for k in KEYWORDS],
                *sources,
            ],
            check=True,
            capture_output=True,
        )
        return {e.msgid for e in parse_po(pot) if e.msgid}

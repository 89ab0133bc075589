"""Correcting what is behind a line: void, correct, add a record; correct a target; who may,
and when not (a final cycle, someone outside the scope)."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kaopei.assessment.models import Appeal, AppealCorrection, Cycle, Target
from kaopei.assessment.services import corrections as svc
from kaopei.assessment.services.calibration import appeal_create
from kaopei.core.errors import ApplicationError
from kaopei.facts.models import Activity, ComplianceIncident, RecordCorrection, Sale
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def appeal_on(s: Scored, metric: str = "visit_count") -> Appeal:
    p = s.personas
    return appeal_create(
        scorecard=s.card(p.alice),
        metric_code=metric,
        reason="Something is wrong",
        user=p.alice.user,
    )


def line(s: Scored, metric: str) -> Any:
    return s.card(s.personas.alice).lines.get(metric__code=metric)


def test_a_voided_sale_counts_no_more_and_stays_in_the_evidence_struck_through(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    done = svc.appeal_record_void(
        appeal=item, kind="sale", record_id=sale.pk, reason="Signed by Bai Bo", user=p.sup.user
    )
    assert done.action == "void" and done.record.action == "void"
    sale.refresh_from_db()
    assert sale.voided_by == p.sup.user and sale.void_reason == "Signed by Bai Bo"
    scored_cycle.rescore()
    assert line(scored_cycle, "sales_amount").actual == 0
    page = text(scored_cycle.client(p.hr).get(scored_cycle.url(p.alice, "lines/sales_amount/")))
    assert "Voided records (not counted)" in page and "<del>S-A1</del>" in page
    assert "Signed by Bai Bo" in page


def test_the_evidence_names_who_voided_a_record_not_their_login(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    svc.appeal_record_void(
        appeal=item, kind="sale", record_id=sale.pk, reason="Signed by Bai Bo", user=p.sup.user
    )
    page = text(scored_cycle.client(p.hr).get(scored_cycle.url(p.alice, "lines/sales_amount/")))
    voided = page[page.index("Voided records (not counted)") :]
    assert f"<td>{p.sup.name}</td>" in voided  # the "Voided by" column
    assert f"by {p.sup.name} on" in voided  # the correction trail under the record
    assert p.sup.user.username not in voided


def test_a_voided_incident_lifts_the_veto(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    scored_cycle.veto(p.alice)
    assert scored_cycle.card(p.alice).grade == "UNQUALIFIED"
    incident = ComplianceIncident.objects.get(incident_id="HG-1")
    svc.record_void_for_cycle(
        cycle=scored_cycle.cycle,
        kind="incident",
        record_id=incident.pk,
        reason="Recorded against the wrong person",
        user=p.hr.user,
    )
    scored_cycle.rescore()
    assert scored_cycle.card(p.alice).grade != "UNQUALIFIED"


def test_a_corrected_record_keeps_its_key_and_the_previous_values(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    svc.appeal_record_correct(
        appeal=item,
        kind="sale",
        record_id=sale.pk,
        changes={"amount": Decimal(90000)},
        reason="Amount was mistyped",
        user=p.sup.user,
    )
    change = RecordCorrection.objects.get(action="correct")
    assert change.before == {"amount": "120000.00"} and change.after == {"amount": "90000"}
    scored_cycle.rescore()
    assert line(scored_cycle, "sales_amount").actual == 90000


def test_an_added_visit_counts(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle)
    customer = Sale.objects.get(contract_no="S-A1").customer
    svc.appeal_record_add(
        appeal=item,
        kind="activity",
        values={
            "activity_id": "ADD-1",
            "customer": customer,
            "kind": "visit",
            "occurred_at": datetime(2026, 1, 5, 10, tzinfo=UTC),
        },
        reason="Visit report on paper",
        user=p.sup.user,
    )
    added = Activity.objects.get(activity_id="ADD-1")
    assert added.import_batch is None and added.occurred_on == date(2026, 1, 5)
    scored_cycle.rescore()
    assert line(scored_cycle, "visit_count").actual == 9


def test_a_target_correction_counts_and_is_linked_to_the_appeal(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle)
    svc.appeal_target_correct(
        appeal=item, value=Decimal(8), reason="Target set for a full team", user=p.sup.user
    )
    assert Target.objects.get(employee=p.alice, metric__code="visit_count").value == 8
    assert AppealCorrection.objects.get(appeal=item).action == "target"
    scored_cycle.rescore()
    assert line(scored_cycle, "visit_count").points == 100


def test_a_supervisor_outside_the_scope_may_not_correct(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    with pytest.raises(ApplicationError) as refused:
        svc.appeal_record_void(
            appeal=item, kind="sale", record_id=sale.pk, reason="Not hers", user=p.sup2.user
        )
    assert refused.value.status == 403
    sale.refresh_from_db()
    assert sale.voided_at is None


def test_the_appellant_may_not_correct_her_own_records(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    with pytest.raises(ApplicationError):
        svc.appeal_record_void(
            appeal=item, kind="sale", record_id=sale.pk, reason="Mine", user=p.alice.user
        )


def test_nothing_is_corrected_in_a_final_cycle(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    sale = Sale.objects.get(contract_no="S-A1")
    Cycle.objects.filter(pk=scored_cycle.cycle.pk).update(status=Cycle.Status.FINAL)
    with translation.override("en"), pytest.raises(ApplicationError, match="final"):
        svc.record_void_for_cycle(
            cycle=scored_cycle.cycle,
            kind="sale",
            record_id=sale.pk,
            reason="Too late now",
            user=p.hr.user,
        )
    sale.refresh_from_db()
    assert sale.voided_at is None


def test_a_void_needs_a_reason_and_a_voided_record_is_not_voided_again(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    with translation.override("en"), pytest.raises(ApplicationError, match="at least 5"):
        svc.appeal_record_void(
            appeal=item, kind="sale", record_id=sale.pk, reason="", user=p.hr.user
        )
    svc.appeal_record_void(
        appeal=item, kind="sale", record_id=sale.pk, reason="Duplicate", user=p.hr.user
    )
    with translation.override("en"), pytest.raises(ApplicationError, match="already voided"):
        svc.appeal_record_void(
            appeal=item, kind="sale", record_id=sale.pk, reason="Duplicate", user=p.hr.user
        )


def test_the_supervisor_voids_from_the_appeal_page_after_a_confirmation(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    item = appeal_on(scored_cycle, "sales_amount")
    sale = Sale.objects.get(contract_no="S-A1")
    page = text(scored_cycle.client(p.sup).get(f"/assessment/appeals/{item.pk}/"))
    assert "Correct what is behind the line" in page and "data-confirm" in page
    url = f"/assessment/appeals/{item.pk}/records/sale/{sale.pk}/void/"
    assert scored_cycle.client(p.sup2).post(url, {"reason": "Not hers"}).status_code == 404
    assert scored_cycle.client(p.alice).post(url, {"reason": "Mine"}).status_code == 403
    response = scored_cycle.client(p.sup).post(url, {"reason": "x"}, follow=True)
    assert "at least 5" in text(response)
    response = scored_cycle.client(p.sup).post(url, {"reason": "Signed by Bai Bo"}, follow=True)
    assert "Voided S-A1" in text(response)
    sale.refresh_from_db()
    assert sale.voided_at is not None

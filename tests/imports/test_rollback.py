"""Rolling back an import batch: its rows go, the rows it updated get their previous values
back; refused when a final cycle used it, when a later batch changed the same rows, or when
other records now use what it created."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaopei.assessment.models import Cycle, Target, Template
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.errors import ConflictError
from kaopei.facts.models import Activity, Customer
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import (
    import_batch_can_rollback,
    import_batch_rollback,
    import_batches_rollback_state,
)
from kaopei.org.models import Employee, OrgUnit
from tests.conftest import Personas
from tests.imports.test_import_service import KINDS, finalise, run, write


@pytest.fixture(autouse=True)
def english() -> Any:
    """The refusal messages below are checked in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
S = ImportBatch.Status
CUSTOMER_HEADER = ["customer_no", "name", "owner_no", "segment", "acquired_on", "lost_on"]


def customers(media: Path, name: str, *rows: list[str]) -> ImportBatch:
    return run(write(media, name, [CUSTOMER_HEADER, *rows]), "customers")


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_can_be_rolled_back_after_an_import(
    world: Personas, media: Path, kind: str
) -> None:
    case = KINDS[kind]
    before = case["count"]() if kind != "templates" else 0
    batch = run(write(media, f"{kind}.csv", [case["header"], *case["rows"]]), kind)
    assert batch.status == S.COMMITTED
    assert import_batch_can_rollback(batch) == (True, "")
    rolled = import_batch_rollback(batch=batch, user=world.hr.user)
    assert (rolled.status, rolled.rolled_back_by) == (S.ROLLED_BACK, world.hr.user)
    if kind == "templates":
        assert not Template.objects.filter(code="T-AM1").exists()
    else:
        assert case["count"]() == before


def test_rollback_restores_updated_rows_and_removes_created_ones(
    world: Personas, media: Path
) -> None:
    first = customers(media, "c1.csv", ["C100", "丙公司", "A001", "制造业", "2026/3/5", ""],
                      ["C101", "丁公司", "A001", "农业", "2026/3/5", ""])  # fmt: skip
    second = customers(media, "c2.csv", ["C100", "丙公司（改名）", "B001", "", "2026/3/6",
                                         "2026/3/9"],
                       ["C102", "戊公司", "A001", "", "2026/3/5", ""])  # fmt: skip
    assert (second.created, second.updated, second.unchanged) == (1, 1, 0)

    import_batch_rollback(batch=second, user=world.hr.user)
    c100 = Customer.objects.get(customer_no="C100")
    assert (c100.name, c100.owner, c100.segment) == ("丙公司", world.alice, "制造业")
    assert (c100.acquired_on, c100.lost_on, c100.import_batch) == (date(2026, 3, 5), None, first)
    assert not Customer.objects.filter(customer_no="C102").exists()
    assert Customer.objects.filter(customer_no="C101").exists()

    import_batch_rollback(batch=first, user=world.hr.user)
    assert not Customer.objects.filter(customer_no__in=["C100", "C101"]).exists()
    assert Customer.objects.filter(customer_no="C001").exists()  # never imported: untouched


def test_a_batch_whose_rows_a_later_batch_changed_waits_for_that_one(
    world: Personas, media: Path
) -> None:
    first = customers(media, "c1.csv", ["C100", "丙公司", "A001", "", "2026/3/5", ""])
    second = customers(media, "c2.csv", ["C100", "丙公司二", "A001", "", "2026/3/5", ""])
    allowed, reason = import_batch_can_rollback(first)
    assert not allowed and "later import" in reason
    with pytest.raises(ConflictError):
        import_batch_rollback(batch=first, user=world.hr.user)
    import_batch_rollback(batch=second, user=world.hr.user)
    assert import_batch_can_rollback(first) == (True, "")
    import_batch_rollback(batch=first, user=world.hr.user)
    assert not Customer.objects.filter(customer_no="C100").exists()


def test_a_later_batch_that_changed_nothing_does_not_block(world: Personas, media: Path) -> None:
    first = customers(media, "c1.csv", ["C100", "丙公司", "A001", "", "2026/3/5", ""])
    again = customers(media, "c1.csv", ["C100", "丙公司", "A001", "", "2026/3/5", ""])
    assert again.unchanged == 1
    assert import_batch_can_rollback(first) == (True, "")


def test_rollback_is_refused_when_a_final_cycle_used_the_batch(
    world: Personas, media: Path
) -> None:
    case = KINDS["activities"]
    batch = run(write(media, "a.csv", [case["header"], *case["rows"]]), "activities")
    finalise("2026Q1")
    allowed, reason = import_batch_can_rollback(batch)
    assert not allowed and "2026Q1" in reason
    with pytest.raises(ConflictError):
        import_batch_rollback(batch=batch, user=world.hr.user)
    assert Activity.objects.count() == 2


def test_rollback_is_refused_when_it_would_move_a_record_back_into_a_final_cycle(
    world: Personas, media: Path
) -> None:
    header = ["contract_no", "employee_no", "customer_no", "signed_on", "amount", "profit"]
    run(write(media, "s1.csv", [header, ["S1", "A001", "C001", "2026/3/5", "100", "1"]]), "sales")
    moved = run(write(media, "s2.csv", [header, ["S1", "A001", "C001", "2026/4/5", "100", "1"]]),
                "sales")  # fmt: skip
    assert moved.updated == 1
    finalise("2026Q1")  # the sale's old date is in it, the new one is not
    allowed, reason = import_batch_can_rollback(moved)
    assert not allowed and "2026Q1" in reason


def test_rollback_of_targets_is_refused_once_their_cycle_is_final(
    world: Personas, media: Path
) -> None:
    case = KINDS["targets"]
    batch = run(write(media, "t.csv", [case["header"], *case["rows"]]), "targets")
    assert batch.touched == {"cycles": ["2026Q2"]}
    Cycle.objects.filter(code="2026Q2").update(status=Cycle.Status.FINAL)
    allowed, reason = import_batch_can_rollback(batch)
    assert not allowed and "2026Q2" in reason
    assert Target.objects.count() == 2


def test_updated_targets_get_their_previous_values_back(world: Personas, media: Path) -> None:
    header = ["cycle", "employee_no", "metric", "target"]
    run(write(media, "t1.csv", [header, ["2026Q2", "A001", "visit_count", "40"]]), "targets")
    second = run(write(media, "t2.csv", [header, ["2026Q2", "A001", "visit_count", "55"]]),
                 "targets")  # fmt: skip
    assert second.updated == 1
    import_batch_rollback(batch=second, user=world.hr.user)
    target = Target.objects.get()
    assert target.value == Decimal(40)
    assert target.history.first().history_user == world.hr.user  # type: ignore[union-attr]


def test_rollback_is_refused_while_other_records_use_rows_it_created(
    world: Personas, media: Path
) -> None:
    batch = customers(media, "c1.csv", ["C100", "丙公司", "A001", "", "2026/3/5", ""])
    header = ["activity_id", "employee_no", "customer_no", "kind", "occurred_at"]
    later = run(write(media, "a.csv", [header, ["AC1", "A001", "C100", "visit", "2026/3/6"]]),
                "activities")  # fmt: skip
    assert later.status == S.COMMITTED
    with pytest.raises(ConflictError) as caught:
        import_batch_rollback(batch=batch, user=world.hr.user)
    assert "used by other records" in str(caught.value.message)
    batch.refresh_from_db()
    assert batch.status == S.COMMITTED and Customer.objects.filter(customer_no="C100").exists()


def test_rolling_back_employees_restores_roles_and_removes_unused_logins(
    personas: Personas, media: Path
) -> None:
    header = ["employee_no", "name", "org_unit", "level", "roles"]
    batch = run(write(media, "e.csv", [header, ["A001", "安丽", "SH-T1", "AM2", "trainer"],
                                       ["E900", "王五", "BJ-T1", "AM1", "account_manager"]]),
                "employees")  # fmt: skip
    assert (batch.created, batch.updated) == (1, 1)
    assert User.objects.filter(username="E900").exists()
    import_batch_rollback(batch=batch, user=personas.hr.user)
    alice = Employee.objects.select_related("user").get(employee_no="A001")
    assert (alice.org_unit, alice.level) == (personas.bj_t1, personas.am1)
    assert set(alice.user.groups.values_list("name", flat=True)) == {"account_manager"}  # type: ignore[union-attr]
    assert not Employee.objects.filter(employee_no="E900").exists()
    assert not User.objects.filter(username="E900").exists()


def test_rolling_back_org_units_removes_children_before_parents(
    personas: Personas, media: Path
) -> None:
    rows = [["GZ-T1", "广州一组", "GZ"], ["GZ", "广州分行", "HQ"]]
    batch = run(write(media, "u.csv", [["code", "name", "parent_code"], *rows]), "org_units")
    import_batch_rollback(batch=batch, user=personas.hr.user)
    assert not OrgUnit.objects.filter(code__startswith="GZ").exists()


def test_rolling_back_a_template_import_restores_the_previous_version(
    personas: Personas, media: Path
) -> None:
    first = template_create_version(
        code="T1", level=personas.am1, cycle_kind="quarterly",
        items=[ItemSpec("visit_count", Decimal(60)), ItemSpec("sales_amount", Decimal(40))],
    )  # fmt: skip
    header = ["template", "level", "cycle_kind", "metric", "weight"]
    rows = [["T1", "AM1", "quarterly", "visit_count", "70"],
            ["T1", "AM1", "quarterly", "sales_amount", "30"]]  # fmt: skip
    batch = run(write(media, "t.csv", [header, *rows]), "templates")
    assert Template.objects.get(current=True, code="T1").version == 2
    newer = run(write(media, "t2.csv", [header, ["T1", "AM1", "quarterly", "visit_count", "80"],
                                        ["T1", "AM1", "quarterly", "sales_amount", "20"]]),
                "templates")  # fmt: skip
    allowed, _reason = import_batch_can_rollback(batch)
    assert not allowed
    import_batch_rollback(batch=newer, user=personas.hr.user)
    import_batch_rollback(batch=batch, user=personas.hr.user)
    first.refresh_from_db()
    assert first.current is True and Template.objects.filter(code="T1").count() == 1


def test_only_a_committed_batch_can_be_rolled_back(world: Personas, media: Path) -> None:
    case = KINDS["sales"]
    checked = run(write(media, "s.csv", [case["header"], *case["rows"]]), "sales", dry_run=True)
    refused = run(write(media, "s.csv", [case["header"], ["S1", "Z9"]]), "sales")
    for batch in (checked, refused):
        allowed, reason = import_batch_can_rollback(batch)
        assert not allowed and reason
        with pytest.raises(ConflictError):
            import_batch_rollback(batch=batch, user=world.hr.user)
    demo = ImportBatch.objects.create(kind="demo", file_name="demo", sha256="0" * 64,
                                      status=S.COMMITTED)  # fmt: skip
    assert import_batch_can_rollback(demo)[0] is False


def test_the_rollback_state_of_a_page_of_batches_costs_a_few_queries(
    world: Personas, media: Path
) -> None:
    case = KINDS["complaints"]
    run(write(media, "c.csv", [case["header"], *case["rows"]]), "complaints")
    finalise("2025Q1")

    def state_queries() -> int:
        batches = list(ImportBatch.objects.all())
        with CaptureQueriesContext(connection) as queries:
            states = import_batches_rollback_state(batches)
        assert len(states) == len(batches)
        return len(queries)

    few = state_queries()
    for i in range(5):
        run(write(media, f"c{i}.csv", [case["header"], [f"TS{i}9", "A001", "C001", "2026/3/5", ""]]),
            "complaints")  # fmt: skip
    assert state_queries() == few <= 3

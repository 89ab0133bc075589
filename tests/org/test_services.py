"""The rules of the organisation services, called directly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from kaopei.core.errors import ApplicationError
from kaopei.org import services
from kaopei.org.models import Competency, CompetencyAnchor, Employee, LevelExpectation, OrgUnit
from tests.conftest import Personas

ANCHORS = ["一", "二", "三", "四", "五"]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def update(employee: Employee, **changes: object) -> Employee:
    fields: dict[str, object] = {
        "name": employee.name,
        "org_unit": employee.org_unit,
        "level": employee.level,
        "supervisor": employee.supervisor,
        "email": employee.email,
        "hire_date": employee.hire_date,
        "left_on": employee.left_on,
    }
    fields.update(changes)
    return services.employee_update(employee=employee, **fields)  # type: ignore[arg-type]


# --- Employees ---


def test_a_supervisor_cannot_be_their_own_report(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="reports to"):
        update(personas.sup, supervisor=personas.alice)


def test_an_indirect_cycle_in_the_supervisor_chain_is_refused(personas: Personas) -> None:
    head = services.employee_create(employee_no="BJ000", name="行长", org_unit=personas.bj)
    update(personas.sup, supervisor=head)
    with pytest.raises(ApplicationError) as caught:
        update(head, supervisor=personas.alice)
    assert caught.value.errors[0]["field"] == "supervisor"
    head.refresh_from_db()
    assert head.supervisor is None


def test_nobody_is_their_own_supervisor(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="own supervisor"):
        update(personas.alice, supervisor=personas.alice)


def test_a_duplicate_employee_number_is_refused(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="already taken"):
        services.employee_create(employee_no="A001", name="重名", org_unit=personas.bj_t1)
    with pytest.raises(ApplicationError, match="already taken"):
        services.employee_create(employee_no="a001", name="重名", org_unit=personas.bj_t1)


@pytest.mark.parametrize("number", ["", "A 001", "A/001", "new"])
def test_a_malformed_or_reserved_employee_number_is_refused(
    personas: Personas, number: str
) -> None:
    with pytest.raises(ApplicationError):
        services.employee_create(employee_no=number, name="某人", org_unit=personas.bj_t1)


def test_create_makes_a_login_named_after_the_employee_number(personas: Personas) -> None:
    employee = services.employee_create(
        employee_no="C001",
        name="陈一",
        org_unit=personas.bj_t1,
        level=personas.am1,
        supervisor=personas.sup,
        email="c001@example.cn",
        roles=["account_manager"],
        password="Kaopei-valid-2026",
    )
    assert employee.user is not None
    assert employee.user.username == "C001" and employee.user.email == "c001@example.cn"
    assert employee.user.check_password("Kaopei-valid-2026")
    assert employee.history.count() == 1  # one "created" record, not a second for the login


def test_create_links_an_unused_existing_login(personas: Personas) -> None:
    user = User.objects.create_user(username="C002")
    employee = services.employee_create(employee_no="C002", name="陈二", org_unit=personas.hq)
    assert employee.user == user


def test_create_refuses_a_login_held_by_another_employee(personas: Personas) -> None:
    Employee.objects.filter(pk=personas.alice.pk).update(employee_no="ALICE")
    with pytest.raises(ApplicationError, match="already belongs"):
        services.employee_create(employee_no="A001", name="冒名", org_unit=personas.hq)


def test_people_cannot_join_an_inactive_unit(personas: Personas) -> None:
    closed = OrgUnit.objects.create(code="OLD", name="撤销组", active=False)
    with pytest.raises(ApplicationError, match="inactive"):
        services.employee_create(employee_no="C003", name="陈三", org_unit=closed)


def test_left_on_cannot_be_before_hire_date(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="before the hire date"):
        update(personas.alice, hire_date=date(2025, 3, 1), left_on=date(2025, 2, 28))
    update(personas.alice, hire_date=date(2025, 3, 1), left_on=date(2025, 3, 1))


def test_deactivate_sets_left_on_and_disables_the_login(personas: Personas) -> None:
    services.employee_deactivate(employee=personas.bob, left_on=date(2026, 2, 1))
    bob = Employee.objects.select_related("user").get(pk=personas.bob.pk)
    assert not bob.active and bob.left_on == date(2026, 2, 1)
    assert bob.user is not None and not bob.user.is_active
    with pytest.raises(ApplicationError, match="already left"):
        services.employee_deactivate(employee=bob)


def test_deactivate_refuses_a_date_before_hiring(personas: Personas) -> None:
    Employee.objects.filter(pk=personas.bob.pk).update(hire_date=date(2026, 3, 1))
    with pytest.raises(ApplicationError, match="before the hire date"):
        services.employee_deactivate(employee=personas.bob, left_on=date(2026, 2, 1))


def test_hr_admins_cannot_deactivate_themselves(personas: Personas) -> None:
    assert personas.hr.user is not None
    with pytest.raises(ApplicationError, match="yourself"):
        services.employee_deactivate(employee=personas.hr, actor=personas.hr.user)


def test_roles_are_set_exactly_and_other_groups_are_kept(personas: Personas) -> None:
    from django.contrib.auth.models import Group

    assert personas.sup.user is not None
    other = Group.objects.create(name="newsletter")
    personas.sup.user.groups.add(other)
    services.employee_set_roles(employee=personas.sup, roles=["trainer"])
    names = set(personas.sup.user.groups.values_list("name", flat=True))
    assert names == {"trainer", "newsletter"}


def test_an_unknown_role_is_refused(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="Unknown role"):
        services.employee_set_roles(employee=personas.alice, roles=["superhero"])


def test_a_password_must_pass_the_validators(personas: Personas) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.employee_set_password(employee=personas.alice, password="A001")
    messages = [e["message"] for e in caught.value.errors]
    assert any("too short" in m for m in messages)
    assert any("too similar" in m for m in messages)


# --- Org units ---


def test_deactivating_a_unit_with_active_people_is_refused(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match=r"active people \(2\)"):
        services.org_unit_deactivate(unit=personas.bj_t1)


def test_deactivating_a_unit_with_active_sub_units_is_refused(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match=r"active sub-units \(1\)"):
        services.org_unit_deactivate(unit=personas.sh)


def test_a_unit_whose_people_have_left_can_be_deactivated(personas: Personas) -> None:
    Employee.objects.filter(org_unit=personas.sh_t1).update(active=False)
    unit = services.org_unit_deactivate(unit=personas.sh_t1)
    assert not unit.active
    services.org_unit_deactivate(unit=personas.sh)


def test_a_unit_cannot_move_below_itself_or_its_descendants(personas: Personas) -> None:
    with pytest.raises(ApplicationError):
        services.org_unit_update(unit=personas.hq, name="总行", kind="hq", parent=personas.hq)
    with pytest.raises(ApplicationError):
        services.org_unit_update(unit=personas.hq, name="总行", kind="hq", parent=personas.bj_t1)


def test_unit_codes_are_unique_and_new_units_need_an_active_parent(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="already exists"):
        services.org_unit_create(code="bj", name="北京", kind="branch", parent=personas.hq)
    closed = OrgUnit.objects.create(code="OLD", name="撤销", active=False)
    with pytest.raises(ApplicationError, match="inactive"):
        services.org_unit_create(code="NEW1", name="新组", kind="team", parent=closed)


# --- Job levels and competencies ---


def test_job_level_codes_are_unique_and_ranks_positive(personas: Personas) -> None:
    with pytest.raises(ApplicationError, match="already exists"):
        services.job_level_create(code="AM1", name="重复", rank=9)
    with pytest.raises(ApplicationError, match="rank"):
        services.job_level_create(code="AM9", name="新职级", rank=-1)
    services.job_level_create(code="STAFF", name="职能岗位", rank=0, is_sales=False)
    level = services.job_level_create(code="AM4", name="资深客户经理", rank=4, is_sales=True)
    services.job_level_update(level=level, name="资深", rank=5, is_sales=False, description="")
    level.refresh_from_db()
    assert (level.name, level.rank, level.is_sales) == ("资深", 5, False)


def test_a_competency_needs_all_five_anchors(personas: Personas) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.competency_create(
            code="spin", name="需求挖掘", category="professional", anchors=["一", "", "三", "四"]
        )
    assert {e["field"] for e in caught.value.errors} == {"anchor_2", "anchor_5"}
    assert not Competency.objects.filter(code="spin").exists()


def test_competency_create_and_update_write_the_anchors(personas: Personas) -> None:
    competency = services.competency_create(
        code="spin", name="需求挖掘", category="professional", anchors=ANCHORS
    )
    assert list(competency.anchors.values_list("level", "behaviour")) == list(
        enumerate(ANCHORS, start=1)
    )
    services.competency_update(
        competency=competency,
        name="需求挖掘 (SPIN)",
        category="soft",
        description="",
        active=False,
        anchors=["1", "2", "3", "4", "5"],
    )
    competency.refresh_from_db()
    assert competency.category == "soft" and not competency.active
    assert CompetencyAnchor.objects.get(competency=competency, level=5).behaviour == "5"
    with pytest.raises(ApplicationError, match="category"):
        services.competency_create(code="x", name="x", category="magic", anchors=ANCHORS)


def test_level_expectations_set_creates_changes_and_removes_cells(personas: Personas) -> None:
    c = Competency.objects.create(code="spin", name="需求挖掘")
    am1, am2 = personas.am1, personas.am2
    assert services.level_expectations_set(cells={(am1.pk, c.pk): 2, (am2.pk, c.pk): 3}) == 2
    assert services.level_expectations_set(cells={(am1.pk, c.pk): 2, (am2.pk, c.pk): 4}) == 1
    assert services.level_expectations_set(cells={(am1.pk, c.pk): None}) == 1
    assert dict(LevelExpectation.objects.values_list("level__code", "expected")) == {"AM2": 4}
    assert LevelExpectation.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize("value", [0, 6])
def test_expected_levels_run_from_one_to_five(personas: Personas, value: int) -> None:
    c = Competency.objects.create(code="spin", name="需求挖掘")
    with pytest.raises(ApplicationError, match="1 to 5"):
        services.level_expectations_set(cells={(personas.am1.pk, c.pk): value})
    assert not LevelExpectation.objects.exists()

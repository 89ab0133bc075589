"""Shared fixtures: the named personas every test can use (STYLE.md item 9).

The organisation: HQ → branches BJ and SH → teams BJ-T1 and SH-T1.
- ``hr``      Han Ren (HR001), HR admin at HQ
- ``exec``    Zhao Jing (EX001), executive at HQ
- ``sup``     Sun Pei (S001), supervisor of BJ-T1; Alice reports to her
- ``alice``   An Li (A001), account manager AM1 in BJ-T1
- ``bob``     Bai Bo (B001), account manager AM2 in SH-T1, reporting to ``sup2``
- ``sup2``    Shen Er (S002), supervisor of SH-T1
- ``trainer`` Tian Xun (T001), trainer at HQ
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kaopei.facts.models import Customer
from kaopei.org.models import Employee, JobLevel, OrgUnit
from tests.factories import PASSWORD, JobLevelFactory, OrgUnitFactory, employee_with_login

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip when a system component is missing, but fail under CI (where it must exist)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Personas:
    hq: OrgUnit
    bj: OrgUnit
    sh: OrgUnit
    bj_t1: OrgUnit
    sh_t1: OrgUnit
    am1: JobLevel
    am2: JobLevel
    am3: JobLevel
    hr: Employee
    exec: Employee
    sup: Employee
    sup2: Employee
    alice: Employee
    bob: Employee
    trainer: Employee

    def client(self, who: Employee | None) -> Client:
        """A test client logged in as ``who`` (anonymous for None)."""
        client = Client()
        if who is not None:
            client.force_login(who.user)
        return client


@pytest.fixture
def personas(db: Any) -> Personas:
    return build_personas()


def build_personas() -> Personas:
    """The seven personas and their organisation (for fixtures of any scope)."""
    # The role groups come from a data migration; a transactional test that runs after a
    # browser test (whose flush removes them) must still give the personas their roles.
    from kaopei.core.roles import ensure_role_groups

    ensure_role_groups()
    hq = OrgUnitFactory(code="HQ", name="总行", kind=OrgUnit.Kind.HQ)
    bj = OrgUnitFactory(code="BJ", name="北京分行", kind=OrgUnit.Kind.BRANCH, parent=hq)
    sh = OrgUnitFactory(code="SH", name="上海分行", kind=OrgUnit.Kind.BRANCH, parent=hq)
    bj_t1 = OrgUnitFactory(code="BJ-T1", name="北京一组", kind=OrgUnit.Kind.TEAM, parent=bj)
    sh_t1 = OrgUnitFactory(code="SH-T1", name="上海一组", kind=OrgUnit.Kind.TEAM, parent=sh)
    am1 = JobLevelFactory(code="AM1", name="初级客户经理", rank=1)
    am2 = JobLevelFactory(code="AM2", name="客户经理", rank=2)
    am3 = JobLevelFactory(code="AM3", name="高级客户经理", rank=3)
    hr = employee_with_login("HR001", "韩仁", hq, None, ["hr_admin"])
    ex = employee_with_login("EX001", "赵京", hq, None, ["executive"])
    sup = employee_with_login("S001", "孙培", bj_t1, am3, ["supervisor", "account_manager"])
    sup2 = employee_with_login("S002", "沈二", sh_t1, am3, ["supervisor", "account_manager"])
    alice = employee_with_login("A001", "安丽", bj_t1, am1, ["account_manager"], supervisor=sup)
    bob = employee_with_login("B001", "白波", sh_t1, am2, ["account_manager"], supervisor=sup2)
    trainer = employee_with_login("T001", "田训", hq, None, ["trainer"])
    return Personas(hq, bj, sh, bj_t1, sh_t1, am1, am2, am3, hr, ex, sup, sup2, alice, bob, trainer)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a temporary MEDIA_ROOT (the import tests use it for every test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def world(personas: Personas) -> Personas:
    """The personas plus two customers of Alice's and Bob's (C001, C002)."""
    Customer.objects.create(
        customer_no="C001", name="甲公司", owner=personas.alice, acquired_on=date(2025, 1, 1)
    )
    Customer.objects.create(
        customer_no="C002", name="乙公司", owner=personas.bob, acquired_on=date(2025, 1, 1)
    )
    return personas

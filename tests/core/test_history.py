"""The one renderer of audit history (kaopei/core/history.py), as the audit log, the
scorecard page and the employee page use it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaopei.core.history import history_trail, plain
from kaopei.org.models import Employee
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_values_read_the_same_everywhere() -> None:
    assert plain(None) == plain("") == "—"
    assert plain(Decimal("1.50")) == "1.5"


def test_a_trail_names_foreign_keys_and_the_author_newest_first(personas: Personas) -> None:
    alice = Employee.objects.get(pk=personas.alice.pk)
    alice.org_unit = personas.sh_t1
    alice._history_user = personas.hr.user  # type: ignore[attr-defined]
    alice.save()
    latest = history_trail(alice.history, model=Employee)[0]  # type: ignore[attr-defined]
    assert latest.who == str(personas.hr)
    change = next(c for c in latest.changes if c.new == str(personas.sh_t1))
    assert change.old == str(personas.bj_t1)

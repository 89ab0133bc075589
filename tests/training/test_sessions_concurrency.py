"""Two people at once (PostgreSQL only: SQLite serialises writers): two taking the last seat
get one place and one waitlist position, never more than the capacity; two managers
saving attendance at once both succeed, one after the other, and the sheet is whole."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kaopei.training.models import Enrolment, Session
from kaopei.training.services import sessions as services
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import build_personas
from tests.training.factories import EnrolmentFactory, SessionFactory

pytestmark = CONCURRENT_WRITERS
PAUSE = 0.3


def _slow_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    locked = services._lock

    def slow(pk: int) -> Any:  # holds the session's row a moment
        row = locked(pk)
        time.sleep(PAUSE)
        return row

    monkeypatch.setattr(services, "_lock", slow)


def test_two_people_taking_the_last_seat_get_one_place_and_one_waitlist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = build_personas()
    s = SessionFactory(capacity=1)
    _slow_lock(monkeypatch)
    results = at_once(
        lambda: services.enrol(session=s, employees=[p.alice]),
        lambda: services.enrol(session=s, employees=[p.bob]),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(Enrolment.objects.values_list("status", flat=True))
    assert statuses == [Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED]


def test_two_managers_saving_attendance_at_once_keep_a_whole_sheet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = build_personas()
    s = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1), hours=Decimal("3"))
    a = EnrolmentFactory(session=s, employee=p.alice)
    b = EnrolmentFactory(session=s, employee=p.bob)
    _slow_lock(monkeypatch)
    first = [services.AttendanceRow(a.pk, True, True), services.AttendanceRow(b.pk, True, True)]
    second = [
        services.AttendanceRow(a.pk, False, False),
        services.AttendanceRow(b.pk, False, False),
    ]
    results = at_once(
        lambda: services.attendance_save(session=s, rows=first),
        lambda: services.attendance_save(session=s, rows=second),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    got = set(Enrolment.objects.values_list("attended", "completed"))
    assert got in ({(True, True)}, {(False, False)})  # one sheet or the other, never mixed
    assert Session.objects.get().status == Session.Status.COMPLETED

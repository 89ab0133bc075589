"""The sessions API: same rules as the pages; 201 with enrolled|waitlisted per person, 409
for someone already enrolled, attendance and the reaction survey."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kaopei.training.models import Enrolment, Session
from tests.conftest import Personas
from tests.training.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/training"


def test_listing_and_reading_sessions(personas: Personas) -> None:
    s = SessionFactory(capacity=3)
    c = personas.client(personas.alice)
    body = c.get(f"{URL}/sessions?when=upcoming").json()
    assert body["count"] == 1 and body["items"][0]["seats_left"] == 3
    assert c.get(f"{URL}/sessions/{s.pk}").json()["course"] == s.course.code
    assert c.get(f"{URL}/sessions/999999").status_code == 404


def test_enrolling_oneself_then_twice_is_409(personas: Personas) -> None:
    s = SessionFactory(capacity=1)
    c = personas.client(personas.alice)
    first = c.post(f"{URL}/sessions/{s.pk}/enrolments", {}, content_type="application/json")
    assert first.status_code == 201 and first.json()[0]["status"] == "enrolled"
    again = c.post(f"{URL}/sessions/{s.pk}/enrolments", {}, content_type="application/json")
    assert again.status_code == 409
    bob = personas.client(personas.bob).post(
        f"{URL}/sessions/{s.pk}/enrolments", {}, content_type="application/json"
    )
    assert bob.status_code == 201 and bob.json()[0]["status"] == "waitlisted"


def test_a_supervisor_enrols_their_team_but_not_another(personas: Personas) -> None:
    s = SessionFactory()
    c = personas.client(personas.sup)
    ok = c.post(f"{URL}/sessions/{s.pk}/enrolments", {"unit": "BJ-T1"},
                content_type="application/json")  # fmt: skip
    assert ok.status_code == 201 and [r["employee_no"] for r in ok.json()] == ["A001"]
    other = c.post(f"{URL}/sessions/{s.pk}/enrolments", {"employee_nos": ["B001"]},
                   content_type="application/json")  # fmt: skip
    assert other.status_code == 404
    denied = personas.client(personas.alice).post(
        f"{URL}/sessions/{s.pk}/enrolments", {"employee_nos": ["B001"]},
        content_type="application/json",
    )  # fmt: skip
    assert denied.status_code == 403
    assert Enrolment.objects.count() == 1


def test_attendance_then_a_reaction(personas: Personas) -> None:
    s = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1), hours=Decimal("3"))
    e = EnrolmentFactory(session=s, employee=personas.alice)
    sheet = {"rows": [{"enrolment_id": e.pk, "attended": True, "completed": True, "hours": 2.5}]}
    denied = personas.client(personas.alice).post(
        f"{URL}/sessions/{s.pk}/attendance", sheet, content_type="application/json"
    )
    assert denied.status_code == 403
    r = personas.client(personas.trainer).post(
        f"{URL}/sessions/{s.pk}/attendance", sheet, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == Session.Status.COMPLETED
    c = personas.client(personas.alice)
    bad = c.post(f"{URL}/enrolments/{e.pk}/reaction", {"reaction": 6},
                 content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    ok = c.post(f"{URL}/enrolments/{e.pk}/reaction", {"reaction": 4, "comment": "实用"},
                content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["reaction"] == 4
    assert ok.json()["hours"] == 2.5


def test_enrolments_are_scoped_and_cancel_promotes(personas: Personas) -> None:
    s = SessionFactory(capacity=1)
    a = EnrolmentFactory(session=s, employee=personas.alice)
    EnrolmentFactory(session=s, employee=personas.bob, status=Enrolment.Status.WAITLISTED,
                     waitlisted_at=timezone.now())  # fmt: skip
    assert personas.client(personas.bob).get(f"{URL}/enrolments/{a.pk}").status_code == 404
    assert personas.client(personas.sup).get(f"{URL}/enrolments").json()["count"] == 1
    assert personas.client(personas.hr).get(f"{URL}/enrolments").json()["count"] == 2
    r = personas.client(personas.alice).post(f"{URL}/enrolments/{a.pk}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert Enrolment.objects.get(employee=personas.bob).status == Enrolment.Status.ENROLLED

"""A few pages of sessions and enrolment: the list, a session with the reader's place, the
calendar marking one's own sessions, enrolling from the page, the attendance sheet, rating,
exports and who is overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kaopei.training.models import Enrolment, Session
from tests.conftest import Personas
from tests.training.factories import (
    CourseFactory,
    EnrolmentFactory,
    MandatoryRuleFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_the_list_filters_and_shows_an_empty_state(personas: Personas) -> None:
    s = SessionFactory()
    c = personas.client(personas.alice)
    page = c.get(reverse("training:session_list"), {"when": "upcoming"})
    assert page.status_code == 200 and f'data-session="{s.pk}"' in page.content.decode()
    past = c.get(reverse("training:session_list"), {"when": "past"})
    assert f'data-session="{s.pk}"' not in past.content.decode()


def test_enrolling_oneself_from_the_session_page(personas: Personas) -> None:
    s = SessionFactory(capacity=1)
    c = personas.client(personas.alice)
    r = c.post(reverse("training:session_enrol", args=[s.pk]), {"self": "1"})
    assert r.status_code == 302
    page = c.get(reverse("training:session_detail", args=[s.pk])).content.decode()
    assert 'data-mine="enrolled"' in page and 'data-seats-left="0"' in page
    bob = personas.client(personas.bob)
    bob.post(reverse("training:session_enrol", args=[s.pk]), {"self": "1"})
    assert Enrolment.objects.get(employee=personas.bob).status == Enrolment.Status.WAITLISTED


def test_the_calendar_marks_ones_own_sessions_and_navigates(personas: Personas) -> None:
    s = SessionFactory()
    EnrolmentFactory(session=s, employee=personas.alice)
    month = timezone.localdate(s.starts_at).strftime("%Y-%m")
    page = personas.client(personas.alice).get(reverse("training:calendar"), {"month": month})
    html = page.content.decode()
    assert f'data-session="{s.pk}" data-mine="1"' in html and 'data-month="' in html
    assert (
        personas.client(personas.alice)
        .get(reverse("training:calendar"), {"month": "x"})
        .status_code
        == 200
    )


def test_the_trainer_saves_the_attendance_sheet(personas: Personas) -> None:
    s = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1), hours=Decimal("3"))
    e = EnrolmentFactory(session=s, employee=personas.alice)
    c = personas.client(personas.trainer)
    assert c.get(reverse("training:session_attendance", args=[s.pk])).status_code == 200
    r = c.post(reverse("training:session_attendance", args=[s.pk]),
               {f"attended-{e.pk}": "on", f"completed-{e.pk}": "on", f"hours-{e.pk}": "3",
                "held": "on"})  # fmt: skip
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.completed and Session.objects.get().status == Session.Status.COMPLETED
    rate = personas.client(personas.alice).post(
        reverse("training:enrolment_react", args=[e.pk]), {"reaction": "5", "comment": "好"}
    )
    assert rate.status_code == 302
    e.refresh_from_db()
    assert e.reaction == 5


def test_the_session_form_refuses_an_end_before_the_start(personas: Personas) -> None:
    course = CourseFactory(code="SPIN-101")
    r = personas.client(personas.trainer).post(
        reverse("training:session_create"),
        {"course": course.code, "starts_at": "2099-01-02T10:00", "ends_at": "2099-01-02T09:00",
         "capacity": "10", "place": "301"},
    )  # fmt: skip
    assert r.status_code == 200 and not Session.objects.exists()
    ok = personas.client(personas.trainer).post(
        reverse("training:session_create"),
        {"course": course.code, "starts_at": "2099-01-02T09:00", "ends_at": "2099-01-02T12:00",
         "capacity": "10", "link": "https://meet.example.cn/x"},
    )  # fmt: skip
    assert ok.status_code == 302 and Session.objects.get().hours == course.hours


def test_records_export_as_csv_and_xlsx(personas: Personas) -> None:
    EnrolmentFactory(employee=personas.alice)
    c = personas.client(personas.hr)
    csv = c.get(reverse("training:enrolment_list"), {"format": "csv"})
    assert csv.status_code == 200 and "A001" in csv.content.decode("utf-8-sig")
    xlsx = c.get(reverse("training:enrolment_list"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_overdue_shows_the_chain_of_a_supervisor(personas: Personas) -> None:
    MandatoryRuleFactory(level=personas.am1, due_on=dt.date(2020, 12, 31))
    MandatoryRuleFactory(level=personas.am2, due_on=dt.date(2020, 12, 31))
    html = personas.client(personas.sup).get(reverse("training:overdue")).content.decode()
    assert 'data-employee="A001"' in html and 'data-employee="B001"' not in html
    assert personas.client(personas.alice).get(reverse("training:overdue")).status_code == 403


def test_the_course_panel_lists_upcoming_sessions(personas: Personas, rf: object) -> None:
    from kaopei.training.panels import course_panels

    s = SessionFactory()
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = personas.alice.user
    panels = dict(course_panels(request, s.course))
    assert panels["training/sessions/_course_panel.html"]["sessions"] == [s]

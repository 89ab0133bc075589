"""Sessions and enrolment: scheduling rules, capacity and the waitlist, double enrolment,
team enrolment within a supervisor's chain, attendance and the reaction window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.models import Notification
from kaopei.training.models import Enrolment, Session
from kaopei.training.selectors import sessions as sel
from kaopei.training.services import sessions as svc
from tests.conftest import Personas
from tests.factories import EmployeeFactory
from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
E = Enrolment.Status


def later(days: int = 7, hours: int = 0) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days, hours=hours)


def test_a_session_takes_its_hours_from_the_course_by_default(personas: Personas) -> None:
    course = CourseFactory(hours=Decimal("6"))
    s = svc.session_create(
        course=course, starts_at=later(), ends_at=later(hours=6), capacity=10, place="301"
    )
    assert s.hours == Decimal("6") and s.status == Session.Status.SCHEDULED


@pytest.mark.parametrize(
    ("ends", "capacity", "place", "link"),
    [(-1, 10, "301", ""), (2, 0, "301", ""), (2, 10, " ", "")],
)
def test_a_bad_session_is_refused_and_nothing_stored(
    personas: Personas, ends: int, capacity: int, place: str, link: str
) -> None:
    with pytest.raises(ApplicationError):
        svc.session_create(
            course=CourseFactory(),
            starts_at=later(),
            ends_at=later(hours=ends),
            capacity=capacity,
            place=place,
            link=link,
        )
    assert not Session.objects.exists()


def test_past_capacity_people_join_the_waitlist_in_order(personas: Personas) -> None:
    s = SessionFactory(capacity=1)
    first = svc.enrol(session=s, employees=[personas.alice])
    second = svc.enrol(session=s, employees=[personas.bob, personas.sup])
    assert [r.enrolment.status for r in first + second] == [E.ENROLLED, E.WAITLISTED, E.WAITLISTED]
    assert second[0].waitlisted


def test_cancelling_a_confirmed_place_promotes_the_first_waiting_and_tells_them(
    personas: Personas,
) -> None:
    s = SessionFactory(capacity=1)
    (alice,) = svc.enrol(session=s, employees=[personas.alice])
    svc.enrol(session=s, employees=[personas.bob])
    svc.enrol(session=s, employees=[personas.sup])
    svc.enrolment_cancel(enrolment=alice.enrolment)
    got = dict(Enrolment.objects.values_list("employee__employee_no", "status"))
    assert got == {"A001": E.CANCELLED, "B001": E.ENROLLED, "S001": E.WAITLISTED}
    note = Notification.objects.get()
    assert note.user_id == personas.bob.user_id and note.kind == svc.ENROLMENT_PROMOTED


def test_enrolling_twice_in_the_same_session_is_refused_as_already_enrolled(
    personas: Personas,
) -> None:
    s = SessionFactory()
    svc.enrol(session=s, employees=[personas.alice])
    with pytest.raises(ConflictError) as caught:
        svc.enrol(session=s, employees=[personas.bob, personas.alice])
    assert caught.value.status == 409
    assert Enrolment.objects.count() == 1  # Bob was not enrolled either


def test_the_same_course_on_another_date_is_a_second_enrolment(personas: Personas) -> None:
    course = CourseFactory()
    one = SessionFactory(course=course, starts_at=later(7))
    two = SessionFactory(course=course, starts_at=later(14))
    svc.enrol(session=one, employees=[personas.alice])
    svc.enrol(session=two, employees=[personas.alice])
    assert Enrolment.objects.filter(employee=personas.alice).count() == 2


def test_a_second_session_of_the_course_on_the_same_day_is_refused(personas: Personas) -> None:
    course = CourseFactory()
    morning = SessionFactory(course=course, starts_at=later(7))
    afternoon = SessionFactory(course=course, starts_at=later(7, hours=1))
    svc.enrol(session=morning, employees=[personas.alice])
    with pytest.raises(ConflictError):
        svc.enrol(session=afternoon, employees=[personas.alice])


def test_a_cancelled_enrolment_can_enrol_again(personas: Personas) -> None:
    s = SessionFactory()
    (r,) = svc.enrol(session=s, employees=[personas.alice])
    svc.enrolment_cancel(enrolment=r.enrolment)
    (again,) = svc.enrol(session=s, employees=[personas.alice])
    assert again.enrolment.pk == r.enrolment.pk and again.enrolment.status == E.ENROLLED


def test_a_session_that_started_takes_no_enrolment(personas: Personas) -> None:
    s = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ApplicationError):
        svc.enrol(session=s, employees=[personas.alice])


def test_a_supervisor_enrols_their_chain_only(personas: Personas) -> None:
    user = personas.sup.user
    assert [p.employee_no for p in sel.team_to_enrol(user=user, unit_code="BJ-T1")] == ["A001"]
    with pytest.raises(Http404):
        sel.team_to_enrol(user=user, unit_code="SH-T1")
    with pytest.raises(Http404):
        sel.people_to_enrol(user=user, employee_nos=["B001"])
    with pytest.raises(PermissionDenied):
        sel.people_to_enrol(user=personas.alice.user, employee_nos=["B001"])
    assert len(sel.team_to_enrol(user=personas.hr.user, unit_code="HQ")) >= 7


def test_the_capacity_cannot_drop_below_the_confirmed_places_and_more_room_promotes(
    personas: Personas,
) -> None:
    s = SessionFactory(capacity=2)
    svc.enrol(session=s, employees=[personas.alice, personas.bob, personas.sup])
    kw = {"starts_at": s.starts_at, "ends_at": s.ends_at, "trainer": None, "place": "301",
          "link": "", "hours": s.hours}  # fmt: skip
    with pytest.raises(ApplicationError):
        svc.session_update(session=s, capacity=1, **kw)
    svc.session_update(session=s, capacity=3, **kw)
    assert not Enrolment.objects.filter(status=E.WAITLISTED).exists()


def test_cancelling_a_session_cancels_its_places_and_notifies(personas: Personas) -> None:
    s = SessionFactory(capacity=1)
    svc.enrol(session=s, employees=[personas.alice, personas.bob])
    svc.session_cancel(session=s)
    assert set(Enrolment.objects.values_list("status", flat=True)) == {E.CANCELLED}
    assert Notification.objects.filter(kind=svc.SESSION_CANCELLED).count() == 2


def _held(personas: Personas, **kw: object) -> tuple[Session, Enrolment, Enrolment]:
    s = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=2), hours=Decimal("3"), **kw)
    a = EnrolmentFactory(session=s, employee=personas.alice)
    b = EnrolmentFactory(session=s, employee=personas.bob)
    return s, a, b


def test_attendance_is_saved_at_once_and_marks_the_session_held(personas: Personas) -> None:
    s, a, b = _held(personas)
    svc.attendance_save(
        session=s,
        rows=[
            svc.AttendanceRow(a.pk, True, True, Decimal("2.5")),
            svc.AttendanceRow(b.pk, False, False),
        ],  # fmt: skip
    )
    a.refresh_from_db(), b.refresh_from_db(), s.refresh_from_db()
    assert (a.attended, a.completed, a.hours) == (True, True, Decimal("2.5"))
    assert (b.attended, b.completed) == (False, False)
    assert s.status == Session.Status.COMPLETED


def test_people_marked_present_are_asked_once_to_rate_the_session(personas: Personas) -> None:
    s, a, b = _held(personas)
    rows = [svc.AttendanceRow(a.pk, True, True), svc.AttendanceRow(b.pk, False, False)]
    svc.attendance_save(session=s, rows=rows)
    svc.attendance_save(session=s, rows=rows)  # saved again: no second request

    asked = Notification.objects.filter(kind=svc.RATE_SESSION)
    assert [(n.user_id, n.url) for n in asked] == [
        (personas.alice.user_id, reverse("training:enrolment_react", args=[a.pk]))
    ]


@pytest.mark.parametrize(
    "row",
    [
        lambda a: svc.AttendanceRow(a.pk, False, True),  # completion without attendance
        lambda a: svc.AttendanceRow(a.pk, True, True, Decimal("6.5")),  # > 2 × 3 hours
        lambda a: svc.AttendanceRow(a.pk, True, True, Decimal("-1")),
        lambda a: svc.AttendanceRow(999999, True, True),
    ],
)
def test_a_bad_attendance_row_refuses_the_whole_sheet(personas: Personas, row: object) -> None:
    s, a, b = _held(personas)
    with pytest.raises(ApplicationError):
        svc.attendance_save(session=s, rows=[svc.AttendanceRow(b.pk, True, True), row(a)])  # type: ignore[operator]
    assert not Enrolment.objects.filter(completed=True).exists()
    s.refresh_from_db()
    assert s.status == Session.Status.SCHEDULED


def test_attendance_waits_for_the_session_to_start(personas: Personas) -> None:
    s = SessionFactory()
    a = EnrolmentFactory(session=s, employee=personas.alice)
    with pytest.raises(ApplicationError):
        svc.attendance_save(session=s, rows=[svc.AttendanceRow(a.pk, True, True)])


def test_an_attendee_rates_once_and_may_change_it_until_30_days_past(personas: Personas) -> None:
    s, a, _b = _held(personas)
    a.attended = True
    a.save()
    svc.reaction_set(enrolment=a, reaction=4, comment=" 很实用 ")
    svc.reaction_set(enrolment=a, reaction=5, today=a.session_on + dt.timedelta(days=30))
    a.refresh_from_db()
    assert (a.reaction, a.reaction_comment) == (5, "")
    with pytest.raises(ApplicationError):
        svc.reaction_set(enrolment=a, reaction=3, today=a.session_on + dt.timedelta(days=31))
    a.refresh_from_db()
    assert a.reaction == 5


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_rating_out_of_range_is_refused(personas: Personas, value: int) -> None:
    _s, a, _b = _held(personas)
    a.attended = True
    a.save()
    with pytest.raises(ApplicationError):
        svc.reaction_set(enrolment=a, reaction=value)
    a.refresh_from_db()
    assert a.reaction is None


def test_no_rating_before_the_session_or_without_attendance(personas: Personas) -> None:
    future = EnrolmentFactory(session=SessionFactory(), employee=personas.alice, attended=True)
    _s, absent, _b = _held(personas)
    for e in (future, absent):
        with pytest.raises(ApplicationError):
            svc.reaction_set(enrolment=e, reaction=4)
    assert not Enrolment.objects.filter(reaction__isnull=False).exists()


def test_enrolling_through_a_mandatory_duty_sets_the_due_date(personas: Personas) -> None:
    from tests.training.factories import MandatoryRuleFactory

    course = CourseFactory()
    MandatoryRuleFactory(course=course, level=personas.alice.level, due_on=dt.date(2099, 12, 31))
    due = sel.mandatory_due_for(employee=personas.alice, course=course, today=timezone.localdate())
    assert due == dt.date(2099, 12, 31)
    (r,) = svc.enrol(session=SessionFactory(course=course), employees=[personas.alice],
                     due_dates={personas.alice.pk: due})  # fmt: skip
    assert r.enrolment.due_on == due


def test_overdue_lists_the_chain_of_a_supervisor_only(personas: Personas) -> None:
    from tests.training.factories import MandatoryRuleFactory

    course = CourseFactory()
    for level in (personas.am1, personas.am2):
        MandatoryRuleFactory(course=course, level=level, due_on=dt.date(2020, 12, 31))
    today = timezone.localdate()
    assert {
        r.employee.employee_no for r in sel.overdue_rows(user=personas.sup.user, today=today)
    } == {"A001"}
    everyone = {
        r.employee.employee_no for r in sel.overdue_rows(user=personas.hr.user, today=today)
    }
    assert {"A001", "B001"} <= everyone
    EmployeeFactory  # noqa: B018 - factories imported for other tests


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_a_session_outside_sensible_years_is_refused(personas: Personas, year: int) -> None:
    starts = dt.datetime(year, 3, 1, 9, tzinfo=dt.UTC)
    with pytest.raises(ApplicationError):
        svc.session_create(
            course=CourseFactory(),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            capacity=10,
            place="301",
        )
    assert not Session.objects.exists()


def test_a_held_session_keeps_its_date_and_hours(personas: Personas) -> None:
    s, a, _b = _held(personas)
    svc.attendance_save(session=s, rows=[svc.AttendanceRow(a.pk, True, True)])
    later = timezone.now() + dt.timedelta(days=60)
    with pytest.raises(ApplicationError):
        svc.session_update(
            session=s,
            starts_at=later,
            ends_at=later + dt.timedelta(hours=2),
            capacity=50,
            trainer=None,
            place="x",
            link="",
            hours=Decimal("1"),
        )
    a.refresh_from_db()
    assert a.session_on == timezone.localdate(s.starts_at) and a.hours == s.hours


def test_a_place_cannot_be_cancelled_once_the_session_started(personas: Personas) -> None:
    _s, a, _b = _held(personas)
    with pytest.raises(ApplicationError):
        svc.enrolment_cancel(enrolment=a)
    a.refresh_from_db()
    assert a.status == Enrolment.Status.ENROLLED

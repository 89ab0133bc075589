"""Two trainers at once on PostgreSQL: creating the same course code, or saving edits of the
same course seen at the same version — one wins, the other gets a clear conflict."""

from __future__ import annotations

from decimal import Decimal

from kaopei.core.errors import ConflictError
from kaopei.training.models import Course
from kaopei.training.services import catalogue as svc
from tests.concurrency import CONCURRENT_WRITERS, at_once
from tests.conftest import Personas
from tests.training.factories import CourseFactory

pytestmark = CONCURRENT_WRITERS


def data(hours: str, title: str = "风险预警清单") -> svc.CourseData:
    return svc.CourseData(
        code="RISK-102", title=title, module="compliance", format="case", hours=Decimal(hours)
    )


def test_two_people_creating_the_same_code_get_one_course(personas: Personas) -> None:
    results = at_once(
        lambda: svc.course_create(actor=personas.trainer.user, data=data("3")),
        lambda: svc.course_create(actor=personas.hr.user, data=data("4")),
    )
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    created = [r for r in results if isinstance(r, Course)]
    assert len(conflicts) == 1 and len(created) == 1, results
    assert "already exists" in str(conflicts[0].message)
    assert Course.objects.filter(code="RISK-102").count() == 1


def test_two_people_saving_the_same_version_one_wins(personas: Personas) -> None:
    course = CourseFactory(code="RISK-102", module="compliance", hours=Decimal("2"))
    seen = svc.course_version(course)
    results = at_once(
        lambda: svc.course_update(
            actor=personas.trainer.user, course=course, data=data("3"), version=seen
        ),
        lambda: svc.course_update(
            actor=personas.hr.user, course=course, data=data("5"), version=seen
        ),
    )
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    saved = [r for r in results if isinstance(r, Course)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    assert "Someone else changed" in str(conflicts[0].message)
    course.refresh_from_db()
    assert course.hours == saved[0].hours

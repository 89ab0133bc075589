"""The course catalogue: everyone employed browses it and downloads its materials (a
deactivated course is a 404 for them); trainers and HR admins create, edit, deactivate and
delete courses and manage materials."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from kaopei.training.models import Course, CourseMaterial, Enrolment
from tests.access import GET_ONLY, JSON, OK, REFUSED, answer, case, one, row

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
MANAGERS_SEE_OLD = answer(404, trainer=200, hr=200)


def build(world: Any) -> dict[str, object]:
    course = Course.objects.create(
        code="MX-101", title="矩阵课程", module="needs_discovery", format="lecture", hours=4
    )
    Course.objects.create(
        code="MX-OLD",
        title="停用课程",
        module="other",
        format="lecture",
        hours=Decimal("1"),
        active=False,
    )
    Enrolment.objects.create(
        course=course,
        employee=world.p.alice,
        session_on=world.cycle.start,
        hours=Decimal("4"),
    )
    material = CourseMaterial(
        course=course,
        title="清单",
        original_name="清单.md",
        content_type="text/markdown; charset=utf-8",
        size=12,
    )
    material.file.save("matrix.md", ContentFile("# 清单\n".encode()), save=False)
    material.save()
    return {"course_material": material}


NEW_COURSE = json.dumps(
    {"code": "MX-NEW", "title": "新课程", "module": "product", "format": "case", "hours": 2}
)

PAGES = {
    "training:course_list": one(OK, post=GET_ONLY),
    "training:course_detail": row(
        case("active", OK, post=GET_ONLY, code="MX-101"),
        case("deactivated", MANAGERS_SEE_OLD, post=answer(405), code="MX-OLD"),
    ),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:course_create": one(MANAGERS),
    "training:course_edit": one(MANAGERS, code="MX-101"),
    "training:course_deactivate": one(MANAGERS, post=MANAGERS_ACT, code="MX-101"),
    # A course with enrolments cannot be deleted: back to its page with a message.
    "training:course_delete": row(
        case(
            "enrolled",
            MANAGERS,
            post=answer(403, trainer=REFUSED, hr=REFUSED),
            code="MX-101",
        ),
        case("unused", MANAGERS, post=MANAGERS_ACT, code="MX-OLD"),
    ),
    "training:material_upload": one(MANAGERS, code="MX-101"),
    "training:material_download": one(OK, post=GET_ONLY, pk="@course_material"),
    "training:material_delete": one(MANAGERS, post=MANAGERS_ACT, pk="@course_material"),
}

API = {
    "GET /api/v1/training/courses": one(answer(200, anon=401)),
    "GET /api/v1/training/courses/{code}": row(
        case("active", answer(200, anon=401), code="MX-101"),
        case("deactivated", answer(404, anon=401, trainer=200, hr=200), code="MX-OLD"),
    ),
    "POST /api/v1/training/courses": row(
        case("no body", answer(400, anon=401)),
        case(
            "a new course",
            answer(403, anon=401, trainer=201, hr=201),
            data={JSON: NEW_COURSE},
        ),
    ),
    # The matrix sends GET and POST only: PUT is tried in tests/training/test_catalogue_api.py.
    "PUT /api/v1/training/courses/{code}": one(answer(403, anon=401), code="MX-101"),
}

"""Training API: the course catalogue. The same rules as the pages: everyone employed lists
and reads active courses (trainers and HR admins also deactivated ones); trainers and HR
admins create and change courses (409 for a code already taken or a stale ``version``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, PathEx, QueryEx, Router, Schema
from ninja.responses import Status

from kaopei.assessment.models import Metric
from kaopei.core.api import ERRORS
from kaopei.core.api_params import PRINTABLE, limit_param, offset_param, text_param
from kaopei.core.errors import ApplicationError
from kaopei.org.models import Competency, Employee
from kaopei.training.models import Course, Format, Module
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import catalogue as sel
from kaopei.training.services import catalogue as services

router = Router(tags=["training"])

# Multi-line text: anything but a NUL (which PostgreSQL cannot store).
NO_NUL = r"^[^\x00]*$"

CourseCode = PathEx[str, text_param(40, "A course code, e.g. SPIN-101.")]


class CourseOut(Schema):
    code: str
    title: str
    title_en: str
    module: str
    format: str
    hours: float
    active: bool
    competencies: list[str]
    metrics: list[str]


class CourseDetailOut(CourseOut):
    description: str
    description_en: str
    objectives: str
    objectives_en: str
    trainers: list[str] = Field(description="The trainers' employee numbers.")
    materials: list[dict[str, Any]]
    version: str = Field(description="Send it back with PUT to refuse a stale edit.")


class CoursePage(Schema):
    count: int
    items: list[CourseOut]


CodeList = list[Annotated[str, Field(max_length=60, pattern=PRINTABLE)]]


class CourseIn(Schema):
    code: str = Field(max_length=services.CODE_MAX, pattern=PRINTABLE)
    title: str = Field(max_length=services.TITLE_MAX, pattern=PRINTABLE)
    title_en: str = Field("", max_length=services.TITLE_MAX, pattern=PRINTABLE)
    module: Module
    format: Format
    hours: float = Field(ge=0, le=float(services.HOURS_MAX), description="0–500, two decimals.")
    description: str = Field("", max_length=services.TEXT_MAX, pattern=NO_NUL)
    description_en: str = Field("", max_length=services.TEXT_MAX, pattern=NO_NUL)
    objectives: str = Field("", max_length=services.TEXT_MAX, pattern=NO_NUL)
    objectives_en: str = Field("", max_length=services.TEXT_MAX, pattern=NO_NUL)
    competencies: CodeList = Field(default_factory=list, max_length=100)
    metrics: CodeList = Field(default_factory=list, max_length=100)
    trainers: CodeList = Field(
        default_factory=list, max_length=50, description="Employee numbers of trainers."
    )


class CourseUpdateIn(CourseIn):
    code: str = Field("", max_length=services.CODE_MAX, pattern=PRINTABLE)
    version: str = Field(
        "",
        max_length=64,
        pattern=PRINTABLE,
        description="The version read (GET); a course changed since is a 409.",
    )


def _course_fields(c: Course) -> dict[str, Any]:
    return {
        "code": c.code,
        "title": c.title,
        "title_en": c.title_en,
        "module": c.module,
        "format": c.format,
        "hours": float(c.hours),
        "active": c.active,
        "competencies": [k.code for k in c.competencies.all()],
        "metrics": [m.code for m in c.metrics.all()],
    }


def _detail(c: Course) -> CourseDetailOut:
    return CourseDetailOut(
        **_course_fields(c),
        description=c.description,
        description_en=c.description_en,
        objectives=c.objectives,
        objectives_en=c.objectives_en,
        trainers=[t.employee_no for t in c.trainers.all()],
        materials=[
            {
                "id": m.pk,
                "title": m.title,
                "file_name": m.original_name,
                "size": m.size,
                "download": f"/training/materials/{m.pk}/",
            }
            for m in c.materials.all()
        ],
        version=services.course_version(c),
    )


def _resolve(model: Any, field: str, codes: list[str], name: str, what: str) -> list[Any]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": wanted})}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ApplicationError(
            _("Unknown %(what)s: %(codes)s.") % {"what": what, "codes": ", ".join(missing)},
            errors=[{"field": name, "msg": "unknown", "values": missing}],
            status=422,
        )
    return [found[c] for c in wanted]


def _data(payload: CourseIn, code: str) -> services.CourseData:
    return services.CourseData(
        code=code,
        title=payload.title,
        title_en=payload.title_en,
        module=str(payload.module.value),
        format=str(payload.format.value),
        hours=Decimal(str(payload.hours)),
        description=payload.description,
        description_en=payload.description_en,
        objectives=payload.objectives,
        objectives_en=payload.objectives_en,
        competencies=_resolve(
            Competency, "code", payload.competencies, "competencies", _("competency codes")
        ),
        metrics=_resolve(Metric, "code", payload.metrics, "metrics", _("metric codes")),
        trainers=_resolve(
            Employee, "employee_no", payload.trainers, "trainers", _("employee numbers")
        ),
    )


@router.get("/training/courses", response={200: CoursePage, **ERRORS})
def courses(
    request: HttpRequest,
    q: QueryEx[str, text_param(100, "Code or title contains.")] = "",
    module: QueryEx[str, text_param(24, "A module code.")] = "",
    format: QueryEx[str, text_param(16, "A format code.")] = "",
    competency: QueryEx[str, text_param(60, "A competency code it improves.")] = "",
    metric: QueryEx[str, text_param(40, "A metric code it improves.")] = "",
    status: QueryEx[str, text_param(10, "inactive or all (trainers, HR).")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> CoursePage:
    """The catalogue's courses, filtered; ordered by module then code."""
    qs = sel.course_search(
        user=request.user,
        q=q,
        module=module,
        format=format,
        competency=competency,
        metric=metric,
        status=status,
    )
    return CoursePage(
        count=qs.count(),
        items=[CourseOut(**_course_fields(c)) for c in qs[offset : offset + limit]],
    )


@router.get("/training/courses/{code}", response={200: CourseDetailOut, **ERRORS})
def course(request: HttpRequest, code: CourseCode) -> CourseDetailOut:
    return _detail(sel.course_get_for_user(user=request.user, code=code))


@router.post("/training/courses", response={201: CourseDetailOut, **ERRORS})
def course_create(request: HttpRequest, payload: CourseIn) -> Any:
    """Create a course (trainers, HR admins): 409 when the code is taken."""
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    created = services.course_create(actor=request.user, data=_data(payload, payload.code))
    return Status(201, _detail(sel.course_get_for_user(user=request.user, code=created.code)))


@router.put("/training/courses/{code}", response={200: CourseDetailOut, **ERRORS})
def course_update(
    request: HttpRequest,
    code: CourseCode,
    payload: CourseUpdateIn,
) -> CourseDetailOut:
    """Replace a course's fields (its code stays; a different ``code`` in the body is a
    400). 409 when ``version`` is older than the course."""
    found = sel.course_get_for_manager(user=request.user, code=code)
    if payload.code and payload.code != found.code:
        raise ApplicationError(_("A course's code cannot change."))
    services.course_update(
        actor=request.user,
        course=found,
        data=_data(payload, found.code),
        version=payload.version or None,
    )
    return _detail(sel.course_get_for_user(user=request.user, code=found.code))

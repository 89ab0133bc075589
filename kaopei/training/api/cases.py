"""Training API: the case library. The same rules as the pages: everyone employed lists and
reads active cases (trainers and HR admins also deactivated ones); trainers and HR admins
create and change cases. An update carries the ``version`` it was based on: a case saved
since is a 409."""

from __future__ import annotations

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
from kaopei.org.models import Competency
from kaopei.training.api.catalogue import NO_NUL, CodeList, _resolve
from kaopei.training.models import Case, CaseKind, Course, Industry
from kaopei.training.rules import can_manage_catalogue
from kaopei.training.selectors import cases as sel
from kaopei.training.services import cases as services

router = Router(tags=["training"])

CaseCode = PathEx[str, text_param(40, "A case code, e.g. CASE-FABE-01.")]
LongText = Annotated[str, Field(max_length=services.TEXT_MAX, pattern=NO_NUL)]


class QuestionIO(Schema):
    text: str = Field(max_length=services.QUESTION_MAX, pattern=NO_NUL)
    text_en: str = Field("", max_length=services.QUESTION_MAX, pattern=NO_NUL)


class CaseOut(Schema):
    code: str
    kind: str
    industry: str
    title: str
    title_en: str
    active: bool
    version: int
    competencies: list[str]
    metrics: list[str]


class CaseDetailOut(CaseOut):
    situation: str
    situation_en: str
    key_actions: str
    key_actions_en: str
    outcome: str
    outcome_en: str
    lessons: str
    lessons_en: str
    courses: list[str]
    questions: list[QuestionIO]


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class CaseIn(Schema):
    code: str = Field(max_length=services.CODE_MAX, pattern=PRINTABLE)
    kind: CaseKind
    industry: Industry
    title: str = Field(max_length=services.TITLE_MAX, pattern=PRINTABLE)
    title_en: str = Field("", max_length=services.TITLE_MAX, pattern=PRINTABLE)
    situation: LongText = ""
    situation_en: LongText = ""
    key_actions: LongText = ""
    key_actions_en: LongText = ""
    outcome: LongText = ""
    outcome_en: LongText = ""
    lessons: LongText = ""
    lessons_en: LongText = ""
    competencies: CodeList = Field(default_factory=list, max_length=100)
    metrics: CodeList = Field(default_factory=list, max_length=100)
    courses: CodeList = Field(default_factory=list, max_length=100)
    questions: list[QuestionIO] = Field(
        default_factory=list, max_length=services.QUESTIONS_MAX, description="In order."
    )


class CaseUpdateIn(CaseIn):
    code: str = Field("", max_length=services.CODE_MAX, pattern=PRINTABLE)
    version: int = Field(ge=1, description="The version read (GET); a case saved since is a 409.")


def _summary(c: Case) -> dict[str, Any]:
    return {
        "code": c.code,
        "kind": c.kind,
        "industry": c.industry,
        "title": c.title,
        "title_en": c.title_en,
        "active": c.active,
        "version": c.version,
        "competencies": [k.code for k in c.competencies.all()],
        "metrics": [m.code for m in c.metrics.all()],
    }


def _detail(c: Case) -> CaseDetailOut:
    return CaseDetailOut(
        **_summary(c),
        **{name: getattr(c, name) for name in services.TEXT_FIELDS},
        courses=[k.code for k in c.courses.all()],
        questions=[QuestionIO(text=q.text, text_en=q.text_en) for q in c.questions.all()],
    )


def _data(payload: CaseIn, code: str) -> services.CaseData:
    return services.CaseData(
        code=code,
        kind=str(payload.kind.value),
        industry=str(payload.industry.value),
        title=payload.title,
        title_en=payload.title_en,
        **{name: getattr(payload, name) for name in services.TEXT_FIELDS},
        competencies=_resolve(
            Competency, "code", payload.competencies, "competencies", _("competency codes")
        ),
        metrics=_resolve(Metric, "code", payload.metrics, "metrics", _("metric codes")),
        courses=_resolve(Course, "code", payload.courses, "courses", _("course codes")),
        questions=[(q.text, q.text_en) for q in payload.questions],
    )


@router.get("/training/cases", response={200: CasePage, **ERRORS})
def cases(
    request: HttpRequest,
    q: QueryEx[str, text_param(100, "Words in the title, situation or lessons.")] = "",
    kind: QueryEx[str, text_param(16, "success or failure.")] = "",
    industry: QueryEx[str, text_param(20, "An industry code.")] = "",
    competency: QueryEx[str, text_param(60, "A competency code.")] = "",
    metric: QueryEx[str, text_param(40, "A metric code.")] = "",
    course: QueryEx[str, text_param(40, "A course code.")] = "",
    status: QueryEx[str, text_param(10, "inactive or all (trainers, HR).")] = "",
    limit: QueryEx[int, limit_param()] = 100,
    offset: QueryEx[int, offset_param()] = 0,
) -> CasePage:
    """The library's cases, filtered; ordered by code."""
    qs = sel.case_search(
        user=request.user,
        q=q,
        kind=kind,
        industry=industry,
        competency=competency,
        metric=metric,
        course=course,
        status=status,
    )
    return CasePage(
        count=qs.count(), items=[CaseOut(**_summary(c)) for c in qs[offset : offset + limit]]
    )


@router.get("/training/cases/{code}", response={200: CaseDetailOut, **ERRORS})
def case(request: HttpRequest, code: CaseCode) -> CaseDetailOut:
    return _detail(sel.case_get_for_user(user=request.user, code=code))


@router.post("/training/cases", response={201: CaseDetailOut, **ERRORS})
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    """Create a case at version 1 (trainers, HR admins): 409 when the code is taken."""
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    created = services.case_create(actor=request.user, data=_data(payload, payload.code))
    return Status(201, _detail(sel.case_get_for_user(user=request.user, code=created.code)))


@router.put("/training/cases/{code}", response={200: CaseDetailOut, **ERRORS})
def case_update(request: HttpRequest, code: CaseCode, payload: CaseUpdateIn) -> CaseDetailOut:
    """Replace a case's fields and questions (its code stays; a different ``code`` is a
    400); 409 when ``version`` is not the case's current version."""
    found = sel.case_get_for_manager(user=request.user, code=code)
    if payload.code and payload.code != found.code:
        raise ApplicationError(_("A case's code cannot change."))
    services.case_update(
        actor=request.user, case=found, data=_data(payload, found.code), version=payload.version
    )
    return _detail(sel.case_get_for_user(user=request.user, code=found.code))

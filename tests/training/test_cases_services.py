"""Writing cases: create, versioned edits (a stale save is refused), validation that
stores nothing, deactivation; who may write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from kaopei.assessment.models import Metric
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Competency
from kaopei.training.models import Case, DiscussionQuestion
from kaopei.training.services import cases as svc
from tests.conftest import Personas
from tests.training.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages raised by services are checked in English here (the pages' own language
    comes from each request)."""
    with translation.override("en"):
        yield


def data(**kw: object) -> svc.CaseData:
    base: dict[str, object] = {
        "code": "CASE-AML-01",
        "kind": "success",
        "industry": "finance",
        "title": "开户环节识别反洗钱可疑信号",
        "title_en": "An AML red flag caught at onboarding",
        "situation": "新客户要求当天开户并大额入金。",
        "lessons": "尽职调查不能因业绩压力让步。",
        "questions": [("哪些信号值得警惕？", "Which signals matter?"), ("", ""), ("下一步？", "")],
    }
    base.update(kw)
    return svc.CaseData(**base)  # type: ignore[arg-type]


def test_a_trainer_creates_a_case_at_version_1_with_its_questions_and_tags(
    personas: Personas,
) -> None:
    skill = Competency.objects.create(code="risk_compliance", name="风险合规")
    metric = Metric.objects.get(code="visit_count")
    course = CourseFactory(code="AML-101")
    case = svc.case_create(
        actor=personas.trainer.user,
        data=data(competencies=[skill], metrics=[metric], courses=[course]),
    )
    assert case.version == 1
    assert [q.text for q in case.questions.order_by("order")] == ["哪些信号值得警惕？", "下一步？"]
    assert list(course.cases.all()) == [case]
    assert case.history.first().history_user == personas.trainer.user


def test_each_save_bumps_the_version_and_a_stale_save_is_refused(personas: Personas) -> None:
    case = svc.case_create(actor=personas.trainer.user, data=data())
    svc.case_update(actor=personas.hr.user, case=case, data=data(title="新标题"), version=1)
    case.refresh_from_db()
    assert case.version == 2 and case.title == "新标题"
    with pytest.raises(ConflictError) as refused:
        svc.case_update(actor=personas.trainer.user, case=case, data=data(title="旧"), version=1)
    assert refused.value.status == 409
    assert "version 2" in str(refused.value.message)
    case.refresh_from_db()
    assert case.title == "新标题" and case.version == 2


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"code": "bad code!"}, "code"),
        ({"code": "new"}, "code"),
        ({"kind": "meh"}, "kind"),
        ({"industry": "space"}, "industry"),
        ({"title": "", "title_en": ""}, "title"),
        ({"situation": "", "situation_en": ""}, "situation"),
        ({"lessons": "x" * (svc.TEXT_MAX + 1)}, "lessons"),
        ({"questions": [("问", "")] * (svc.QUESTIONS_MAX + 1)}, "questions"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    personas: Personas, bad: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        svc.case_create(actor=personas.trainer.user, data=data(**bad))
    assert refused.value.errors[0]["field"] == field
    assert not Case.objects.exists() and not DiscussionQuestion.objects.exists()


def test_a_duplicate_code_is_a_conflict(personas: Personas) -> None:
    svc.case_create(actor=personas.trainer.user, data=data())
    with pytest.raises(ConflictError):
        svc.case_create(actor=personas.hr.user, data=data(code="case-aml-01"))


def test_an_account_manager_cannot_write_cases(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        svc.case_create(actor=personas.alice.user, data=data())


def test_deactivating_keeps_the_case_and_bumps_the_version(personas: Personas) -> None:
    case = svc.case_create(actor=personas.trainer.user, data=data())
    case = svc.case_set_active(actor=personas.hr.user, case=case, active=False)
    assert not case.active and case.version == 2
    case = svc.case_set_active(actor=personas.hr.user, case=case, active=True)
    assert case.active and case.version == 3


def test_questions_from_text_pairs_lines() -> None:
    assert svc.questions_from_text("一\n\n二\n", "One\nTwo\nThree") == [
        ("一", "One"),
        ("二", "Two"),
        ("", "Three"),
    ]

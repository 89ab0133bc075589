"""Courses and materials through the services and selectors: validation with specific
messages, who may write, deactivation instead of deletion, the upload policy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import translation

from kaopei.assessment.models import Metric
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Competency
from kaopei.training.materials import check_material
from kaopei.training.models import Course, CourseMaterial
from kaopei.training.selectors import catalogue as sel
from kaopei.training.services import catalogue as svc
from tests.conftest import Personas
from tests.training.catalogue_factories import JPG, MP4, PDF, PNG, office_bytes, upload
from tests.training.factories import CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def data(**kw: object) -> svc.CourseData:
    values: dict[str, object] = {
        "code": "SPIN-101",
        "title": "需求挖掘：SPIN 提问法",
        "title_en": "Needs discovery: SPIN questioning",
        "module": "needs_discovery",
        "format": "role_play",
        "hours": Decimal("6"),
    }
    values.update(kw)
    return svc.CourseData(**values)  # type: ignore[arg-type]


def test_a_trainer_creates_a_course_with_its_competencies_metrics_and_trainers(
    personas: Personas,
) -> None:
    skill = Competency.objects.create(code="needs_discovery", name="需求挖掘")
    metric = Metric.objects.get(code="visit_count")
    course = svc.course_create(
        actor=personas.trainer.user,
        data=data(competencies=[skill], metrics=[metric], trainers=[personas.trainer]),
    )
    assert list(course.competencies.all()) == [skill]
    assert list(course.metrics.all()) == [metric]
    assert list(course.trainers.all()) == [personas.trainer]
    assert course.history.first().history_user == personas.trainer.user


def test_an_account_manager_cannot_create_a_course(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        svc.course_create(actor=personas.alice.user, data=data())
    assert not Course.objects.exists()


def test_a_duplicate_code_is_a_conflict_whatever_its_case(personas: Personas) -> None:
    svc.course_create(actor=personas.hr.user, data=data())
    with pytest.raises(ConflictError):
        svc.course_create(actor=personas.hr.user, data=data(code="spin-101"))
    assert Course.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "bad code"}, "code"),
        ({"code": "new"}, "code"),
        ({"title": "", "title_en": ""}, "title"),
        ({"module": "sales"}, "module"),
        ({"format": "webinar"}, "format"),
        ({"hours": Decimal("-1")}, "hours"),
        ({"hours": Decimal("501")}, "hours"),
        ({"hours": Decimal("1.005")}, "hours"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(
    personas: Personas, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        svc.course_create(actor=personas.hr.user, data=data(**changes))
    assert caught.value.errors[0]["field"] == field
    assert not Course.objects.exists()


def test_only_employees_with_the_trainer_role_can_be_trainers(personas: Personas) -> None:
    with pytest.raises(ApplicationError) as caught:
        svc.course_create(actor=personas.hr.user, data=data(trainers=[personas.alice]))
    assert caught.value.errors[0]["field"] == "trainers"
    assert list(sel.trainer_choices()) == [personas.trainer]


def test_a_stale_edit_is_refused_and_a_fresh_one_saved(personas: Personas) -> None:
    course = svc.course_create(actor=personas.hr.user, data=data())
    seen = svc.course_version(course)
    svc.course_update(
        actor=personas.trainer.user, course=course, data=data(hours=Decimal("8")), version=seen
    )
    with pytest.raises(ConflictError):
        svc.course_update(
            actor=personas.hr.user, course=course, data=data(hours=Decimal("2")), version=seen
        )
    course.refresh_from_db()
    assert course.hours == Decimal("8")
    changes = [c.field for e in sel.course_history(course) for c in e.changes]
    assert changes


def test_a_course_with_enrolments_is_deactivated_not_deleted(personas: Personas) -> None:
    course = CourseFactory(code="AML-101")
    EnrolmentFactory(course=course, employee=personas.alice)
    with pytest.raises(ApplicationError):
        svc.course_delete(actor=personas.hr.user, course=course)
    svc.course_set_active(actor=personas.hr.user, course=course, active=False)
    assert not Course.objects.get(code="AML-101").active
    # A deactivated course leaves the catalogue for learners, not for trainers.
    assert not sel.course_search(user=personas.alice.user).exists()
    with pytest.raises(Http404):
        sel.course_get_for_user(user=personas.alice.user, code="AML-101")
    assert sel.course_search(user=personas.trainer.user, status="inactive").count() == 1


def test_a_course_nobody_took_can_be_deleted(personas: Personas) -> None:
    course = CourseFactory(code="OLD-1")
    svc.course_delete(actor=personas.trainer.user, course=course)
    assert not Course.objects.filter(code="OLD-1").exists()


def test_search_matches_code_and_both_titles_and_filters(personas: Personas) -> None:
    spin = CourseFactory(code="SPIN-101", title="需求挖掘", title_en="Needs discovery")
    CourseFactory(
        code="BI-101", title="BI 驾驶舱", title_en="BI dashboards", module="digital_tools"
    )
    spin.metrics.add(Metric.objects.get(code="visit_count"))
    user = personas.bob.user
    assert [c.code for c in sel.course_search(user=user, q="需求")] == ["SPIN-101"]
    assert [c.code for c in sel.course_search(user=user, q="dashboards")] == ["BI-101"]
    assert [c.code for c in sel.course_search(user=user, q="spin")] == ["SPIN-101"]
    assert [c.code for c in sel.course_search(user=user, module="digital_tools")] == ["BI-101"]
    assert [c.code for c in sel.course_search(user=user, metric="visit_count")] == ["SPIN-101"]


# --- the upload policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", PDF),
        ("b.docx", office_bytes("word/document.xml")),
        ("c.xlsx", office_bytes("xl/workbook.xml")),
        ("d.pptx", office_bytes("ppt/presentation.xml")),
        ("e.png", PNG),
        ("f.JPG", JPG),
        ("g.md", "# 反洗钱客户尽职调查清单\n- 核实身份".encode()),
        ("h.txt", "客户识别".encode("gb18030")),
        ("i.mp4", MP4),
    ],
)
def test_real_files_of_every_allowed_type_pass(name: str, content: bytes) -> None:
    assert check_material(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a file type"),
        ("slides.pdf", b"MZ\x90\x00 not a pdf", "not really a PDF"),
        ("report.docx", office_bytes("xl/workbook.xml"), "not really a Word"),
        ("sheet.xlsx", b"PK\x03\x04broken", "not really a Excel"),
        ("photo.png", JPG, "not really a PNG"),
        ("notes.txt", b"\x00\x01\x02binary", "not really a TXT"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_wrong_or_disguised_files_are_refused_with_a_specific_message(
    name: str, content: bytes, words: str
) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        check_material(upload(name, content))
    assert words in str(caught.value.message)


@override_settings(TRAINING_MATERIAL_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(personas: Personas) -> None:
    course = CourseFactory()
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        svc.material_upload(
            actor=personas.trainer.user,
            course=course,
            title="",
            upload=upload("big.pdf", PDF + b"0" * 2048),
        )
    assert "a material may be at most" in str(caught.value.message)
    assert not CourseMaterial.objects.exists()


@pytest.mark.parametrize(
    ("purpose", "words"),
    [
        ({}, "not a file type courses can hand out"),
        ({"purpose": "toolkit"}, "not a file type the toolkit accepts"),
        ({"purpose": "submission"}, "not a file type a competition submission accepts"),
    ],
)
def test_a_refusal_names_what_is_uploaded(purpose: dict[str, str], words: str) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        check_material(upload("virus.exe", b"MZ\x90\x00"), **purpose)
    assert words in str(caught.value.message)


def test_an_upload_is_stored_and_removed_with_its_file(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    course = CourseFactory()
    material = svc.material_upload(
        actor=personas.trainer.user, course=course, title="", upload=upload("清单.pdf", PDF)
    )
    assert (material.title, material.original_name) == ("清单", "清单.pdf")
    assert material.content_type == "application/pdf" and material.size == len(PDF)
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name) and "清单" not in name
    with django_capture_on_commit_callbacks(execute=True):
        svc.material_delete(actor=personas.trainer.user, material=material)
    assert not CourseMaterial.objects.exists()
    assert not storage.exists(name)

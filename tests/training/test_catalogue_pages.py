"""The catalogue's pages: the list (grouped by module, searchable, with an empty state), a
course's page with its materials, panels and history, the course form, uploads and
downloads through the view."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kaopei.assessment.models import Metric
from kaopei.training.models import Course, CourseMaterial
from kaopei.training.panels import _panels, course_panel_register
from kaopei.training.services import catalogue as svc
from tests.conftest import Personas
from tests.training.catalogue_factories import PDF, upload
from tests.training.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_the_list_groups_by_module_and_searches(personas: Personas) -> None:
    CourseFactory(code="SPIN-101", title="需求挖掘：SPIN 提问法", module="needs_discovery")
    CourseFactory(code="BI-101", title="BI 驾驶舱", module="digital_tools")
    client = personas.client(personas.alice)
    page = client.get(reverse("training:course_list")).content.decode()
    assert 'data-module="needs_discovery"' in page and 'data-module="digital_tools"' in page
    found = client.get(reverse("training:course_list"), {"q": "驾驶舱"}).content.decode()
    assert 'data-course="BI-101"' in found and 'data-course="SPIN-101"' not in found
    none = client.get(reverse("training:course_list"), {"q": "nothing"})
    assert none.status_code == 200 and b"kp-empty" in none.content
    assert client.get(reverse("training:course_list"), {"page": "x"}).status_code == 400


def test_a_course_page_shows_what_it_improves_materials_and_panels(
    personas: Personas, monkeypatch: Any
) -> None:
    course = CourseFactory(code="SPIN-101", objectives="提出背景问题\n提出难点问题")
    course.metrics.add(Metric.objects.get(code="visit_count"))
    course.trainers.add(personas.trainer)
    svc.material_upload(
        actor=personas.trainer.user, course=course, title="", upload=upload("话术.pdf", PDF)
    )
    monkeypatch.setattr("kaopei.training.panels._panels", dict(_panels))
    course_panel_register(
        order=1, template="training/catalogue/_history.html", context=lambda r, c: {"x": 1}
    )
    page = personas.client(personas.bob).get(reverse("training:course_detail", args=["SPIN-101"]))
    html = page.content.decode()
    assert 'data-metric="visit_count"' in html and 'data-trainer="T001"' in html
    assert "提出难点问题" in html and 'id="history"' in html
    assert 'data-action="course-edit"' not in html
    manager = personas.client(personas.hr).get(reverse("training:course_detail", args=["SPIN-101"]))
    assert b'data-action="course-edit"' in manager.content


def test_a_material_downloads_as_an_attachment_under_its_name(personas: Personas) -> None:
    course = CourseFactory()
    material = svc.material_upload(
        actor=personas.trainer.user, course=course, title="", upload=upload("清单.pdf", PDF)
    )
    response = personas.client(personas.alice).get(
        reverse("training:material_download", args=[material.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%B8%85%E5%8D%95.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_the_form_creates_a_course_and_refuses_a_taken_code(personas: Personas) -> None:
    client = personas.client(personas.trainer)
    data = {
        "code": "NEG-202",
        "title": "商务谈判",
        "module": "value_communication",
        "format": "role_play",
        "hours": "6",
        "metrics": ["sales_amount"],
        "trainers": ["T001"],
    }
    created = client.post(reverse("training:course_create"), data)
    assert created.status_code == 302
    course = Course.objects.get(code="NEG-202")
    assert [m.code for m in course.metrics.all()] == ["sales_amount"]
    again = client.post(reverse("training:course_create"), data)
    assert again.status_code == 200 and Course.objects.count() == 1
    assert again.context["form"].errors["code"]
    bad = client.post(reverse("training:course_create"), {**data, "code": "X-1", "hours": "-2"})
    assert bad.status_code == 200 and "hours" in bad.context["form"].errors


def test_the_edit_form_refuses_a_stale_version_with_a_message(personas: Personas) -> None:
    course = CourseFactory(code="CRM-101")
    client = personas.client(personas.hr)
    form = client.get(reverse("training:course_edit", args=["CRM-101"])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    svc.course_update(
        actor=personas.trainer.user,
        course=course,
        data=svc.CourseData(
            code="CRM-101", title="CRM 客户画像", module="digital_tools", format="lecture", hours=3
        ),
    )
    stale = client.post(reverse("training:course_edit", args=["CRM-101"]), {**data, "hours": "9"})
    assert stale.status_code == 302
    course.refresh_from_db()
    assert course.hours == 3


def test_a_disguised_upload_is_refused_on_the_page(personas: Personas) -> None:
    CourseFactory(code="AML-101")
    client = personas.client(personas.trainer)
    response = client.post(
        reverse("training:material_upload", args=["AML-101"]),
        {"title": "", "file": upload("清单.pdf", b"MZ\x90 an executable")},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not CourseMaterial.objects.exists()

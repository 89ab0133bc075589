"""The demo's starter catalogue: the agreed course codes, every module, bilingual texts,
competencies and metrics that exist, the trainer, and handouts served by the download view."""

from __future__ import annotations

import datetime as dt

import pytest

from kaopei.core.demo import demo_build
from kaopei.training.demo_catalogue import COURSES
from kaopei.training.models import Course, CourseMaterial, Module

pytestmark = pytest.mark.django_db

AGREED = {
    "SPIN-101",
    "FABE-201",
    "NEG-202",
    "AML-101",
    "PRIV-101",
    "ABC-101",
    "RISK-102",
    "CRM-101",
    "BI-101",
    "PROD-101",
}


def test_the_demo_catalogue_covers_every_module_with_linked_courses() -> None:
    ctx = demo_build(log=lambda _m: None, until=26, today=dt.date(2026, 12, 6))
    codes = set(Course.objects.values_list("code", flat=True))
    assert codes >= AGREED and len(codes) == len(COURSES) and 16 <= len(codes) <= 20
    assert set(Course.objects.values_list("module", flat=True)) == set(Module.values)
    for course in Course.objects.all():
        assert course.title and course.title_en and course.description and course.objectives_en
        assert course.competencies.exists(), course.code
        assert course.metrics.exists(), course.code
        assert course.trainers.filter(employee_no="TR001").exists()
    spin = Course.objects.get(code="SPIN-101")
    assert {c.code for c in spin.competencies.all()} >= {"needs_discovery"}
    assert {m.code for m in spin.metrics.all()} >= {"opportunity_win_rate", "visit_count"}
    aml = CourseMaterial.objects.get(course__code="AML-101")
    assert "受益所有人" in aml.file.read().decode()
    assert set(ctx.data["courses"]) == codes

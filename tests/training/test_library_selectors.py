"""Reading the library: search in both languages, filters, who sees deactivated cases and
items, and the feedback picker's latest versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaopei.assessment.models import Metric
from kaopei.org.models import Competency
from kaopei.training.models import ToolkitVersion
from kaopei.training.selectors import cases as case_sel
from kaopei.training.selectors import toolkit as tk_sel
from tests.conftest import Personas
from tests.training.factories import CourseFactory
from tests.training.library_factories import make_case, make_item

pytestmark = pytest.mark.django_db


def codes(qs: object) -> list[str]:
    return [o.code for o in qs]  # type: ignore[attr-defined]


def test_case_search_matches_every_word_in_either_language(personas: Personas) -> None:
    make_case("C-1")
    make_case(
        "C-2",
        title="高净值客户资产配置",
        title_en="Asset allocation",
        lessons="先诊断",
        lessons_en="",
        situation_en="An owner kept only deposits.",
    )
    user = personas.alice.user
    assert codes(case_sel.case_search(user=user, q="FABE")) == ["C-1"]
    assert codes(case_sel.case_search(user=user, q="settlement fees")) == ["C-1"]
    assert codes(case_sel.case_search(user=user, q="先诊断")) == ["C-2"]
    assert codes(case_sel.case_search(user=user, q="FABE 资产")) == []


def test_case_filters_by_kind_industry_and_tags(personas: Personas) -> None:
    skill = Competency.objects.create(code="needs_discovery", name="需求挖掘")
    metric = Metric.objects.get(code="visit_count")
    course = CourseFactory(code="SPIN-101")
    tagged = make_case("C-1", kind="failure", industry="retail")
    tagged.competencies.add(skill)
    tagged.metrics.add(metric)
    tagged.courses.add(course)
    make_case("C-2")
    user = personas.bob.user
    assert codes(case_sel.case_search(user=user, kind="failure")) == ["C-1"]
    assert codes(case_sel.case_search(user=user, industry="manufacturing")) == ["C-2"]
    assert codes(case_sel.case_search(user=user, competency="needs_discovery")) == ["C-1"]
    assert codes(case_sel.case_search(user=user, metric="visit_count")) == ["C-1"]
    assert codes(case_sel.case_search(user=user, course="SPIN-101")) == ["C-1"]
    assert case_sel.course_cases(user=user, course=course) == [tagged]


def test_a_deactivated_case_is_hidden_from_learners_but_not_from_trainers(
    personas: Personas,
) -> None:
    make_case("C-OLD", active=False)
    assert codes(case_sel.case_search(user=personas.alice.user, status="all")) == []
    assert codes(case_sel.case_search(user=personas.trainer.user, status="inactive")) == ["C-OLD"]
    with pytest.raises(Http404):
        case_sel.case_get_for_user(user=personas.alice.user, code="C-OLD")
    assert case_sel.case_get_for_user(user=personas.hr.user, code="C-OLD").code == "C-OLD"
    with pytest.raises(PermissionDenied):
        case_sel.case_get_for_manager(user=personas.sup.user, code="C-OLD")


def test_toolkit_search_looks_in_titles_summaries_and_version_texts(personas: Personas) -> None:
    make_item("TK-A", summary_en="Opening lines")
    item = make_item("TK-B", kind="checklist", title="拜访清单", title_en="Visit list")
    ToolkitVersion.objects.create(item=item, number=2, body_en="Confirm the attendees")
    user = personas.alice.user
    assert codes(tk_sel.toolkit_search(user=user, q="opening")) == ["TK-A"]
    assert codes(tk_sel.toolkit_search(user=user, q="attendees")) == ["TK-B"]
    assert codes(tk_sel.toolkit_search(user=user, q="背景问题")) == ["TK-A", "TK-B"]
    assert codes(tk_sel.toolkit_search(user=user, kind="checklist")) == ["TK-B"]
    found = {i.code: i.latest for i in tk_sel.toolkit_search(user=user)}  # type: ignore[attr-defined]
    assert found == {"TK-A": 1, "TK-B": 2}


def test_the_picker_offers_the_latest_version_of_each_active_item(personas: Personas) -> None:
    make_item("TK-A", versions=3)
    make_item("TK-B", versions=1, title="价格异议应对", title_en="Price objections")
    make_item("TK-OLD", versions=2, active=False)
    make_item("TK-EMPTY", versions=0)
    picked = list(tk_sel.toolkit_versions_for_picker(user=personas.trainer.user))
    assert [(v.item.code, v.number) for v in picked] == [("TK-A", 3), ("TK-B", 1)]
    assert [
        v.item.code for v in tk_sel.toolkit_versions_for_picker(user=personas.sup.user, q="price")
    ] == ["TK-B"]
    assert list(tk_sel.toolkit_versions_for_picker(user=None)) == []

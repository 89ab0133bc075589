"""The competency framework: the matrix for everyone, maintenance for HR admins."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kaopei.org.forms import MatrixForm
from kaopei.org.models import Competency, LevelExpectation
from kaopei.org.services import competency_create
from tests.conftest import Personas
from tests.factories import CompetencyFactory, LevelExpectationFactory

ANCHORS = [
    "只询问产品需求",
    "能提出情境问题",
    "能用暗示问题放大痛点",
    "系统运用SPIN",
    "引导客户需求",
]


def anchor_data(texts: list[str] = ANCHORS) -> dict[str, str]:
    return {f"anchor_{i}": t for i, t in enumerate(texts, start=1)}


@pytest.fixture
def spin(personas: Personas) -> Competency:
    competency = competency_create(
        code="spin", name="需求挖掘", category="professional", anchors=ANCHORS
    )
    LevelExpectationFactory(level=personas.am1, competency=competency, expected=2)
    LevelExpectationFactory(level=personas.am3, competency=competency, expected=4)
    return competency


@pytest.mark.parametrize("who", ["hr", "exec", "sup", "alice", "trainer"])
def test_everyone_signed_in_sees_the_matrix(personas: Personas, spin: Competency, who: str) -> None:
    response = personas.client(getattr(personas, who)).get(reverse("org:competency_matrix"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert [lvl.code for lvl in matrix.levels] == ["AM1", "AM2", "AM3"]
    (group,) = matrix.groups
    assert group.category == "professional"
    assert group.rows[0].cells == [2, None, 4]


def test_anonymous_visitor_is_sent_to_login_from_the_matrix(personas: Personas) -> None:
    assert personas.client(None).get(reverse("org:competency_matrix")).status_code == 302


def test_the_matrix_groups_competencies_by_category(personas: Personas) -> None:
    CompetencyFactory(code="aml", name="反洗钱", category="compliance")
    CompetencyFactory(code="fabe", name="价值传递", category="professional")
    CompetencyFactory(code="old", name="旧能力", category="soft", active=False)
    matrix = personas.client(personas.alice).get(reverse("org:competency_matrix")).context["matrix"]
    assert [(g.category, [r.competency.code for r in g.rows]) for g in matrix.groups] == [
        ("professional", ["fabe"]),
        ("compliance", ["aml"]),
    ]


def test_the_matrix_says_when_there_is_nothing_yet(personas: Personas) -> None:
    client = personas.client(personas.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    body = client.get(reverse("org:competency_matrix")).content.decode()
    assert "No competencies have been defined yet." in body


def test_everyone_reads_a_competency_with_its_five_anchors(
    personas: Personas, spin: Competency
) -> None:
    response = personas.client(personas.alice).get(reverse("org:competency_detail", args=["spin"]))
    assert response.status_code == 200
    assert [a.behaviour for a in response.context["anchors"]] == ANCHORS
    assert [(x.level.code, x.expected) for x in response.context["expectations"]] == [
        ("AM1", 2),
        ("AM3", 4),
    ]


def test_an_unknown_competency_is_404(personas: Personas) -> None:
    response = personas.client(personas.alice).get(reverse("org:competency_detail", args=["x"]))
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_a_competency(
    personas: Personas, spin: Competency
) -> None:
    response = personas.client(None).get(reverse("org:competency_detail", args=["spin"]))
    assert response.status_code == 302


def test_hr_admin_creates_a_competency_with_its_anchors(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("org:competency_create")).status_code == 200
    response = client.post(
        reverse("org:competency_create"),
        {"code": "fabe", "name": "价值传递", "category": "professional", **anchor_data()},
    )
    assert response.status_code == 302
    competency = Competency.objects.get(code="fabe")
    assert list(competency.anchors.values_list("behaviour", flat=True)) == ANCHORS


def test_a_missing_anchor_is_shown_next_to_its_box(personas: Personas) -> None:
    client = personas.client(personas.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"code": "fabe", "name": "价值传递", "category": "professional", **anchor_data()}
    data["anchor_3"] = ""
    response = client.post(reverse("org:competency_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"anchor_3"}
    assert not Competency.objects.filter(code="fabe").exists()


def test_hr_admin_edits_a_competency(personas: Personas, spin: Competency) -> None:
    client = personas.client(personas.hr)
    url = reverse("org:competency_edit", args=["spin"])
    page = client.get(url)
    assert page.context["form"]["anchor_5"].value() == ANCHORS[4]
    texts = [*ANCHORS[:4], "预判行业趋势并引导客户需求"]
    response = client.post(
        url,
        {
            "name": "需求挖掘 (SPIN)",
            "category": "professional",
            "active": "on",
            **anchor_data(texts),
        },
    )
    assert response.status_code == 302
    spin.refresh_from_db()
    assert spin.name == "需求挖掘 (SPIN)"
    assert spin.anchors.get(level=5).behaviour == texts[4]


@pytest.mark.parametrize("who", ["exec", "sup", "alice", "trainer"])
def test_only_hr_admins_maintain_competencies(
    personas: Personas, spin: Competency, who: str
) -> None:
    client = personas.client(getattr(personas, who))
    assert client.get(reverse("org:competency_create")).status_code == 403
    assert client.get(reverse("org:competency_edit", args=["spin"])).status_code == 403
    assert client.get(reverse("org:matrix_edit")).status_code == 403
    assert client.post(reverse("org:matrix_edit"), {}).status_code == 403


def matrix_data(personas: Personas, competency: Competency, **values: str) -> dict[str, Any]:
    levels = {"am1": personas.am1, "am2": personas.am2, "am3": personas.am3}
    return {
        MatrixForm.cell_name(level.pk, competency.pk): values.get(key, "")
        for key, level in levels.items()
    }


def test_hr_admin_edits_the_whole_matrix_in_one_form(personas: Personas, spin: Competency) -> None:
    client = personas.client(personas.hr)
    page = client.get(reverse("org:matrix_edit"))
    assert page.status_code == 200
    assert page.context["form"][MatrixForm.cell_name(personas.am1.pk, spin.pk)].value() == "2"
    response = client.post(
        reverse("org:matrix_edit"), matrix_data(personas, spin, am1="", am2="3", am3="5")
    )
    assert response.status_code == 302
    assert dict(
        LevelExpectation.objects.filter(competency=spin).values_list("level__code", "expected")
    ) == {"AM2": 3, "AM3": 5}


def test_a_value_outside_the_scale_is_refused(personas: Personas, spin: Competency) -> None:
    client = personas.client(personas.hr)
    response = client.post(reverse("org:matrix_edit"), matrix_data(personas, spin, am2="7"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert LevelExpectation.objects.filter(competency=spin).count() == 2  # unchanged


def test_anonymous_visitor_is_sent_to_login_from_the_matrix_editor(personas: Personas) -> None:
    assert personas.client(None).get(reverse("org:matrix_edit")).status_code == 302

"""HR admins build questionnaires from the competency framework: items per competency with
the anchors in view (at most MAX_ITEMS each), a preview as raters see it, publishing
freezes a version, a new version is a draft copy, retiring keeps it from new rounds; every
change to a questionnaire is in its history."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from kaopei.feedback.models.rounds import MAX_ITEMS
from kaopei.feedback.services import questionnaires as services
from tests.conftest import Personas
from tests.feedback.answering_factories import make_competency, make_survey

pytestmark = pytest.mark.django_db


def en(client: Any, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    with translation.override("en"):
        call = getattr(client, method)
        return call(path, data or {}, HTTP_ACCEPT_LANGUAGE="en", follow=method == "post")


@pytest.fixture
def hr(personas: Personas) -> Any:
    return personas.client(personas.hr)


def detail(q: Questionnaire) -> str:
    return reverse("feedback:questionnaire_detail", args=[q.pk])


def test_hr_creates_a_draft_and_adds_items_with_the_anchors_in_view(
    personas: Personas, hr: Any
) -> None:
    talk = make_competency("talk", "沟通", "Communication")
    response = en(
        hr,
        "post",
        reverse("feedback:questionnaire_create"),
        {"code": "Q-2026", "name": "年度问卷", "name_en": "Annual", "description": ""},
    )
    q = Questionnaire.objects.get(code="Q-2026")
    assert (q.version, q.status, q.created_by) == (1, "draft", personas.hr.user)
    assert "Questionnaire created as a draft" in response.content.decode()
    add = reverse("feedback:questionnaire_item_create", args=[q.pk])
    picker = en(hr, "get", add).content.decode()
    assert "?competency=talk" in picker
    form = en(hr, "get", f"{add}?competency=talk").content.decode()
    for level in range(1, 6):
        assert f"Communication behaviour {level}" in form
    en(hr, "post", add, {"competency": "talk", "text": "倾听客户", "text_en": "Listens"})
    item = QuestionnaireItem.objects.get(questionnaire=q)
    assert (item.competency, item.text, item.position) == (talk, "倾听客户", 1)


def test_a_duplicate_code_is_refused_with_a_clear_message(personas: Personas, hr: Any) -> None:
    make_survey(code="Q360")
    response = en(
        hr, "post", reverse("feedback:questionnaire_create"), {"code": "q360", "name": "再来"}
    )
    assert "already exists" in response.content.decode()
    assert Questionnaire.objects.count() == 1


def test_a_code_with_spaces_is_refused(personas: Personas, hr: Any) -> None:
    response = en(
        hr, "post", reverse("feedback:questionnaire_create"), {"code": "a b", "name": "x"}
    )
    assert "Use only letters, digits" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_a_competency_takes_at_most_max_items(personas: Personas, hr: Any) -> None:
    talk = make_competency("talk", "沟通", "Communication")
    q = Questionnaire.objects.create(code="Q", name="问卷")
    for n in range(MAX_ITEMS):
        QuestionnaireItem.objects.create(questionnaire=q, competency=talk, text=f"s{n}")
    add = reverse("feedback:questionnaire_item_create", args=[q.pk])
    response = en(hr, "post", add, {"competency": "talk", "text": "one more"})
    assert f"already has {MAX_ITEMS} items, the most one competency may have" in (
        response.content.decode()
    )
    assert QuestionnaireItem.objects.filter(questionnaire=q).count() == MAX_ITEMS


def test_publishing_needs_an_item_and_then_freezes_the_version(personas: Personas, hr: Any) -> None:
    q = Questionnaire.objects.create(code="Q", name="问卷")
    response = en(hr, "post", reverse("feedback:questionnaire_publish", args=[q.pk]))
    assert "needs at least one item" in response.content.decode()
    q.refresh_from_db()
    assert q.status == "draft"
    talk = make_competency("talk", "沟通", "Communication")
    item = QuestionnaireItem.objects.create(questionnaire=q, competency=talk, text="倾听")
    en(hr, "post", reverse("feedback:questionnaire_publish", args=[q.pk]))
    q.refresh_from_db()
    assert q.status == "published"
    edit = reverse("feedback:questionnaire_item_edit", args=[q.pk, item.pk])
    response = en(hr, "post", edit, {"text": "changed", "position": 1})
    assert "a published questionnaire never changes" in response.content.decode()
    delete = reverse("feedback:questionnaire_item_delete", args=[q.pk, item.pk])
    en(hr, "post", delete)
    add = reverse("feedback:questionnaire_item_create", args=[q.pk])
    en(hr, "post", add, {"competency": "talk", "text": "new"})
    assert list(
        QuestionnaireItem.objects.filter(questionnaire=q).values_list("text", flat=True)
    ) == ["倾听"]
    with pytest.raises(ConflictError):
        services.questionnaire_update(questionnaire=q, name="x", user=personas.hr.user)


def test_a_new_version_is_a_draft_copy_and_only_one_draft_at_a_time(
    personas: Personas, hr: Any
) -> None:
    survey = make_survey()
    response = en(
        hr, "post", reverse("feedback:questionnaire_new_version", args=[survey.questionnaire.pk])
    )
    copy = Questionnaire.objects.get(code="Q360", version=2)
    assert copy.status == "draft"
    assert response.redirect_chain[-1][0] == detail(copy)
    old = list(survey.questionnaire.items.values_list("competency", "position", "text", "text_en"))
    new = list(copy.items.values_list("competency", "position", "text", "text_en"))
    assert old == new and len(new) == 3
    again = en(
        hr, "post", reverse("feedback:questionnaire_new_version", args=[survey.questionnaire.pk])
    )
    assert "Version 2 of “Q360” is already a draft" in again.content.decode()
    assert Questionnaire.objects.filter(code="Q360").count() == 2
    with pytest.raises(ConflictError):
        services.questionnaire_new_version(questionnaire=copy, user=personas.hr.user)


def test_retiring_a_published_version(personas: Personas, hr: Any) -> None:
    survey = make_survey()
    retire = reverse("feedback:questionnaire_retire", args=[survey.questionnaire.pk])
    assert "Retire this questionnaire?" in en(hr, "get", retire).content.decode()
    en(hr, "post", retire)
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.status == "retired"
    again = en(hr, "post", retire)
    assert "Only a published questionnaire can be retired" in again.content.decode()


def test_the_preview_shows_the_questionnaire_as_a_rater_sees_it(
    personas: Personas, hr: Any
) -> None:
    survey = make_survey()
    text = en(
        hr, "get", reverse("feedback:questionnaire_preview", args=[survey.questionnaire.pk])
    ).content.decode()
    for item in survey.items:
        assert f'name="item-{item.pk}"' in text and item.text_en in text
    assert "Teamwork behaviour 5" in text
    assert "disabled" in text and 'type="submit"' not in text.split("<main>")[1]


def test_the_history_shows_who_changed_what(personas: Personas, hr: Any) -> None:
    talk = make_competency("talk", "沟通", "Communication")
    en(hr, "post", reverse("feedback:questionnaire_create"), {"code": "H", "name": "旧名"})
    q = Questionnaire.objects.get(code="H")
    en(hr, "post", reverse("feedback:questionnaire_edit", args=[q.pk]), {"name": "新名"})
    QuestionnaireItem.objects.create(questionnaire=q, competency=talk, text="倾听")
    en(hr, "post", reverse("feedback:questionnaire_publish", args=[q.pk]))
    text = en(hr, "get", detail(q)).content.decode()
    assert "旧名 → 新名" in text
    assert "Draft → Published" in text and "韩仁" in text


def test_the_list_searches_and_filters_by_status(personas: Personas, hr: Any) -> None:
    make_survey(code="ALPHA", prefix="a")
    Questionnaire.objects.create(code="BETA", name="乙问卷")
    url = reverse("feedback:questionnaire_list")
    assert "BETA" in en(hr, "get", url, {"q": "bet"}).content.decode()
    assert "ALPHA" not in en(hr, "get", url, {"q": "bet"}).content.decode()
    published = en(hr, "get", url, {"status": "published"}).content.decode()
    assert "ALPHA" in published and "BETA" not in published
    assert en(hr, "get", url, {"status": "nonsense"}).status_code == 200
    assert en(hr, "get", url, {"page": "x"}).status_code == 400
    assert "No questionnaire matches" in en(hr, "get", url, {"q": "zzz"}).content.decode()


@pytest.mark.parametrize("who", ["alice", "sup", "exec", "trainer"])
def test_only_hr_admins_edit_questionnaires(personas: Personas, who: str) -> None:
    survey = make_survey()
    client = personas.client(getattr(personas, who))
    for name in ("questionnaire_list", "questionnaire_create"):
        assert client.get(reverse(f"feedback:{name}")).status_code == 403
    for name in ("questionnaire_detail", "questionnaire_preview", "questionnaire_retire"):
        assert (
            client.get(reverse(f"feedback:{name}", args=[survey.questionnaire.pk])).status_code
            == 403
        )
    client.post(reverse("feedback:questionnaire_retire", args=[survey.questionnaire.pk]))
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.status == "published"


def test_an_unknown_questionnaire_is_a_404(personas: Personas, hr: Any) -> None:
    assert hr.get(reverse("feedback:questionnaire_detail", args=[999999])).status_code == 404
    assert hr.get("/feedback/questionnaires/99999999999999999999999/").status_code == 404


def test_an_item_of_another_questionnaire_is_a_404(personas: Personas, hr: Any) -> None:
    one = make_survey(code="ONE", prefix="o")
    other = Questionnaire.objects.create(code="TWO", name="二")
    path = reverse("feedback:questionnaire_item_edit", args=[other.pk, one.items[0].pk])
    assert hr.get(path).status_code == 404


def test_the_service_refuses_adding_to_a_published_version(personas: Personas) -> None:
    survey = make_survey()
    with pytest.raises(ApplicationError):
        services.questionnaire_item_add(
            questionnaire=survey.questionnaire, competency=survey.talk, text="x", user=None
        )


def test_a_competency_code_with_a_nul_character_is_simply_unknown(
    personas: Personas, hr: Any
) -> None:
    q = Questionnaire.objects.create(code="Q", name="问卷")
    add = reverse("feedback:questionnaire_item_create", args=[q.pk])
    response = en(hr, "get", f"{add}?competency=ta%00lk")
    assert response.status_code == 200
    assert "There is no active competency with that code" in response.content.decode()

"""The library's pages: empty states, search and pagination, a case's page with its
questions, creating and editing (a stale edit is refused and nothing is overwritten), bad
input that writes nothing, publishing a version, deactivating with confirmation, and the
course page's panels."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaopei.training.models import Case, ToolkitItem, ToolkitVersion
from tests.conftest import Personas
from tests.training.factories import CourseFactory
from tests.training.library_factories import make_case, make_item

pytestmark = pytest.mark.django_db

CASE_FORM = {
    "code": "CASE-NEW",
    "kind": "failure",
    "industry": "retail",
    "title": "跟进不及时",
    "situation": "三周没有跟进。",
    "questions": "哪里出了问题？\n下一步？",
    "questions_en": "What went wrong?\nWhat next?",
}


def test_empty_library_pages_say_so(client, personas: Personas) -> None:
    client.force_login(personas.alice.user)
    page = client.get(reverse("training:case_list")).content.decode()
    assert "kp-empty" in page and "New case" not in page
    page = client.get(reverse("training:toolkit_list")).content.decode()
    assert "kp-empty" in page
    page = client.get(reverse("training:case_list"), {"q": "无此案例"}).content.decode()
    assert "No case matches this search." in page or "没有" in page


def test_the_case_list_paginates_and_a_bad_page_is_a_400(client, personas: Personas) -> None:
    for i in range(25):
        make_case(f"C-{i:02d}")
    client.force_login(personas.bob.user)
    first = client.get(reverse("training:case_list")).content.decode()
    assert first.count('data-case="') == 20
    second = client.get(reverse("training:case_list"), {"page": 2}).content.decode()
    assert second.count('data-case="') == 5
    assert client.get(reverse("training:case_list"), {"page": "x"}).status_code == 400


def test_a_case_page_shows_its_questions(client, personas: Personas) -> None:
    make_case("C-1", questions=["客户为何接受？", "还能怎么做？"])
    client.force_login(personas.alice.user)
    page = client.get(reverse("training:case_detail", kwargs={"code": "C-1"})).content.decode()
    assert 'data-question="2"' in page and "还能怎么做？" in page
    assert reverse("training:case_edit", kwargs={"code": "C-1"}) not in page


def test_a_trainer_creates_a_case_from_the_form(client, personas: Personas) -> None:
    client.force_login(personas.trainer.user)
    response = client.post(reverse("training:case_create"), CASE_FORM)
    assert response.status_code == 302
    case = Case.objects.get(code="CASE-NEW")
    assert [(q.text, q.text_en) for q in case.questions.all()] == [
        ("哪里出了问题？", "What went wrong?"),
        ("下一步？", "What next?"),
    ]


def test_bad_case_input_shows_the_form_again_and_writes_nothing(client, personas: Personas) -> None:
    client.force_login(personas.trainer.user)
    response = client.post(
        reverse("training:case_create"), {**CASE_FORM, "situation": "", "code": "bad code"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_stale_edit_is_refused_and_the_newer_save_stays(client, personas: Personas) -> None:
    case = make_case("C-1", version=3)
    client.force_login(personas.hr.user)
    url = reverse("training:case_edit", kwargs={"code": "C-1"})
    stale = {**CASE_FORM, "title": "我的旧改动", "version": 2}
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "version 3" in response.content.decode() or "第 3 版" in response.content.decode()
    case.refresh_from_db()
    assert case.title != "我的旧改动" and case.version == 3
    response = client.post(url, {**stale, "version": 3})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "我的旧改动" and case.version == 4
    history = client.get(reverse("training:case_history", kwargs={"code": "C-1"}))
    assert "我的旧改动" in history.content.decode()


def test_an_altered_version_field_is_said_not_swallowed(client, personas: Personas) -> None:
    make_case("C-1", version=3)
    client.force_login(personas.hr.user)
    client.cookies["django_language"] = "en"
    url = reverse("training:case_edit", kwargs={"code": "C-1"})
    response = client.post(url, {**CASE_FORM, "title": "改动", "version": "abc"})
    assert "This form is out of date or was altered" in response.content.decode()


def test_deactivating_a_case_asks_first(client, personas: Personas) -> None:
    make_case("C-1")
    client.force_login(personas.trainer.user)
    url = reverse("training:case_deactivate", kwargs={"code": "C-1"})
    assert client.get(url).status_code == 200
    assert Case.objects.get(code="C-1").active
    assert client.post(url).status_code == 302
    assert not Case.objects.get(code="C-1").active


def test_publishing_a_file_version_from_the_page(
    client, personas: Personas, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_item("TK-1", versions=1)
    client.force_login(personas.trainer.user)
    url = reverse("training:toolkit_publish", kwargs={"code": "TK-1"})
    upload = SimpleUploadedFile("话术.md", "# 话术\n".encode())
    response = client.post(url, {"note": "加附件", "body": "正文", "file": upload})
    assert response.status_code == 302
    latest = ToolkitVersion.objects.get(item__code="TK-1", number=2)
    assert latest.original_name == "话术.md" and latest.note == "加附件"
    page = client.get(reverse("training:toolkit_detail", kwargs={"code": "TK-1"}))
    assert 'data-version="2"' in page.content.decode()


def test_publishing_a_bad_file_writes_nothing(
    client, personas: Personas, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_item("TK-1", versions=1)
    client.force_login(personas.trainer.user)
    url = reverse("training:toolkit_publish", kwargs={"code": "TK-1"})
    response = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert ToolkitVersion.objects.filter(item__code="TK-1").count() == 1


def test_a_trainer_creates_a_toolkit_item_then_publishes(client, personas: Personas) -> None:
    client.force_login(personas.trainer.user)
    response = client.post(
        reverse("training:toolkit_create"), {"code": "TK-NEW", "kind": "checklist", "title": "清单"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:toolkit_publish", kwargs={"code": "TK-NEW"})
    assert ToolkitItem.objects.filter(code="TK-NEW").exists()


def test_the_course_page_lists_its_cases_and_toolkit(client, personas: Personas) -> None:
    course = CourseFactory(code="FABE-201")
    make_case("C-1").courses.add(course)
    make_case("C-OLD", active=False).courses.add(course)
    make_item("TK-1").courses.add(course)
    client.force_login(personas.alice.user)
    page = client.get(reverse("training:course_detail", kwargs={"code": "FABE-201"}))
    html = page.content.decode()
    assert 'data-panel="cases"' in html and 'data-case="C-1"' in html
    assert 'data-case="C-OLD"' not in html
    assert 'data-panel="toolkit"' in html and 'data-item="TK-1"' in html


def test_the_list_pages_query_count_does_not_grow_with_rows(
    client, personas: Personas, django_assert_max_num_queries
) -> None:
    from kaopei.org.models import Competency

    skill = Competency.objects.create(code="needs_discovery", name="需求挖掘")
    for i in range(15):
        make_case(f"C-{i:02d}").competencies.add(skill)
        make_item(f"TK-{i:02d}", versions=2).competencies.add(skill)
    client.force_login(personas.alice.user)
    client.get(reverse("training:case_list"))  # warm the session and caches
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:case_list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:toolkit_list")).status_code == 200

"""Writing the toolkit: items, tags, publishing numbered versions (text and/or a checked
file), deactivation; bad input stores nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.training.models import ToolkitItem, ToolkitVersion
from kaopei.training.services import toolkit as svc
from tests.conftest import Personas
from tests.training.library_factories import make_item

pytestmark = pytest.mark.django_db


def item_data(**kw: object) -> svc.ToolkitItemData:
    base: dict[str, object] = {"code": "TK-NEW", "kind": "script", "title": "开场白话术"}
    base.update(kw)
    return svc.ToolkitItemData(**base)  # type: ignore[arg-type]


def test_a_trainer_creates_an_item_and_publishes_numbered_versions(personas: Personas) -> None:
    item = svc.toolkit_item_create(actor=personas.trainer.user, data=item_data())
    v1 = svc.toolkit_version_publish(actor=personas.trainer.user, item=item, body="您好")
    v2 = svc.toolkit_version_publish(
        actor=personas.hr.user, item=item, body_en="Hello", note="English"
    )
    assert (v1.number, v2.number) == (1, 2)
    assert v2.created_by == personas.hr.user and v2.note == "English"


def test_a_file_version_passes_the_upload_policy(personas: Personas, tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = make_item(versions=0)
    upload = SimpleUploadedFile("清单.txt", "□ 核对名单\n".encode(), content_type="text/plain")
    version = svc.toolkit_version_publish(actor=personas.trainer.user, item=item, upload=upload)
    assert version.original_name == "清单.txt" and version.size == len("□ 核对名单\n".encode())
    assert version.file.name.endswith(".txt")


def test_a_disguised_file_is_refused_and_nothing_is_stored(
    personas: Personas, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = make_item(versions=0)
    fake = SimpleUploadedFile("script.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ApplicationError):
        svc.toolkit_version_publish(actor=personas.trainer.user, item=item, upload=fake)
    assert not ToolkitVersion.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_an_empty_version_is_refused(personas: Personas) -> None:
    item = make_item(versions=0)
    with pytest.raises(ApplicationError) as refused:
        svc.toolkit_version_publish(actor=personas.trainer.user, item=item, body="  ")
    assert refused.value.errors[0]["field"] == "body"


@pytest.mark.parametrize(
    "bad, field",
    [({"code": "a b"}, "code"), ({"kind": "poem"}, "kind"), ({"title": ""}, "title")],
)
def test_bad_item_input_stores_nothing(personas: Personas, bad: dict, field: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        svc.toolkit_item_create(actor=personas.hr.user, data=item_data(**bad))
    assert refused.value.errors[0]["field"] == field
    assert not ToolkitItem.objects.exists()


def test_a_taken_code_is_a_conflict(personas: Personas) -> None:
    make_item("TK-NEW")
    with pytest.raises(ConflictError):
        svc.toolkit_item_create(actor=personas.hr.user, data=item_data(code="tk-new"))


def test_tags_change_and_the_item_deactivates(personas: Personas) -> None:
    item = make_item()
    svc.toolkit_item_update(
        actor=personas.trainer.user, item=item, data=item_data(code="x", title="新标题")
    )
    item.refresh_from_db()
    assert item.code == "TK-SPIN" and item.title == "新标题"
    item = svc.toolkit_item_set_active(actor=personas.trainer.user, item=item, active=False)
    assert not item.active


def test_an_account_manager_cannot_publish(personas: Personas) -> None:
    item = make_item()
    with pytest.raises(PermissionDenied):
        svc.toolkit_version_publish(actor=personas.alice.user, item=item, body="x")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a file type the toolkit accepts"),
        ("清单.txt", b"x" * (2 * 1024 * 1024), "is 2.0 MB; a toolkit file may be at most 1.0 MB"),
    ],
)
def test_a_refused_file_is_named_a_toolkit_file(
    personas: Personas, tmp_path, settings, name: str, content: bytes, message: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TRAINING_MATERIAL_MAX_BYTES = 1024 * 1024
    item = make_item(versions=0)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        svc.toolkit_version_publish(
            actor=personas.trainer.user, item=item, upload=SimpleUploadedFile(name, content)
        )
    assert message in str(refused.value.message)
    assert "course" not in str(refused.value.message)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        svc.toolkit_version_publish(
            actor=personas.trainer.user, item=item, upload=SimpleUploadedFile(name, content)
        )
    assert "课程资料" not in str(refused.value.message)
    assert not ToolkitVersion.objects.exists()

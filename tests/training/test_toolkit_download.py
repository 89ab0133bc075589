"""Downloading a toolkit version: a file under its original name, or the text as UTF-8."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kaopei.training.models import ToolkitItem, ToolkitKind, ToolkitVersion

pytestmark = pytest.mark.django_db


def _item(**kw: object) -> ToolkitItem:
    defaults: dict[str, object] = {
        "code": "TK-SPIN",
        "kind": ToolkitKind.SCRIPT,
        "title": "SPIN 提问话术",
    }
    defaults.update(kw)
    return ToolkitItem.objects.create(**defaults)


def test_a_text_version_downloads_as_utf8_text_in_the_readers_language(client, personas):
    item = _item(title_en="SPIN question script")
    version = ToolkitVersion.objects.create(
        item=item, number=2, body="您目前的资产配置是怎样的？", body_en="How are your assets held?"
    )
    client.force_login(personas.alice.user)
    response = client.get(reverse("training:toolkit_download", kwargs={"pk": version.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tk-spin-v2.txt"'
    text = response.content.decode("utf-8")
    assert "SPIN 提问话术" in text and "您目前的资产配置是怎样的？" in text
    client.cookies["django_language"] = "en"
    response = client.get(reverse("training:toolkit_download", kwargs={"pk": version.pk}))
    assert "How are your assets held?" in response.content.decode("utf-8")


def test_a_file_version_downloads_under_its_original_name(client, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    item = _item(kind=ToolkitKind.CHECKLIST)
    version = ToolkitVersion(item=item, number=1, original_name="拜访前检查清单.pdf")
    version.content_type = "application/pdf"
    version.file.save("checklist.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(personas.bob.user)
    response = client.get(reverse("training:toolkit_download", kwargs={"pk": version.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_version_is_not_found(client, personas):
    client.force_login(personas.alice.user)
    assert (
        client.get(reverse("training:toolkit_download", kwargs={"pk": 987654})).status_code == 404
    )

"""Job levels: HR admins list, create and edit them; everyone else gets 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaopei.org.models import JobLevel
from tests.conftest import Personas


def test_hr_admin_sees_levels_by_rank_with_head_counts(personas: Personas) -> None:
    response = personas.client(personas.hr).get(reverse("org:level_list"))
    assert response.status_code == 200
    levels = list(response.context["levels"])
    assert [lvl.code for lvl in levels] == ["AM1", "AM2", "AM3"]
    assert [lvl.headcount for lvl in levels] == [1, 1, 2]


@pytest.mark.parametrize("who", ["exec", "sup", "alice", "trainer"])
def test_other_roles_get_403_on_job_levels(personas: Personas, who: str) -> None:
    client = personas.client(getattr(personas, who))
    assert client.get(reverse("org:level_list")).status_code == 403
    assert client.get(reverse("org:level_create")).status_code == 403
    assert client.get(reverse("org:level_edit", args=["AM1"])).status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_job_levels(personas: Personas) -> None:
    assert personas.client(None).get(reverse("org:level_list")).status_code == 302


def test_hr_admin_creates_a_job_level(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("org:level_create")).status_code == 200
    response = client.post(
        reverse("org:level_create"),
        {"code": "AM4", "name": "资深客户经理", "rank": 4, "is_sales": "on", "description": ""},
    )
    assert response.status_code == 302
    level = JobLevel.objects.get(code="AM4")
    assert level.rank == 4 and level.is_sales


def test_a_duplicate_level_code_is_shown_on_the_form(personas: Personas) -> None:
    client = personas.client(personas.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(reverse("org:level_create"), {"code": "AM1", "name": "重复", "rank": 1})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_hr_admin_edits_a_job_level_but_not_its_code(personas: Personas) -> None:
    client = personas.client(personas.hr)
    url = reverse("org:level_edit", args=["AM2"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "ZZ", "name": "中级客户经理", "rank": 2})
    assert response.status_code == 302
    personas.am2.refresh_from_db()
    assert personas.am2.code == "AM2" and personas.am2.name == "中级客户经理"
    assert not personas.am2.is_sales  # an unticked box


def test_editing_an_unknown_level_is_404(personas: Personas) -> None:
    response = personas.client(personas.hr).get(reverse("org:level_edit", args=["NOPE"]))
    assert response.status_code == 404

"""The main menu offers each persona only what that persona can open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
PERSONAS = ["hr", "exec", "sup", "alice", "bob", "trainer"]


def _menu_links(body: str) -> list[str]:
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", body, re.S)
    assert nav is not None
    return re.findall(r'href="(/[^"]*)"', nav.group(1))


@pytest.mark.parametrize("who", PERSONAS)
def test_every_menu_link_opens_for_the_persona_who_sees_it(personas: Personas, who: str) -> None:
    client = personas.client(getattr(personas, who))
    links = _menu_links(client.get(reverse("home"), headers=EN).content.decode())
    assert links
    for url in links:
        assert client.get(url, headers=EN).status_code == 200, url


def test_hr_admins_menu_has_no_link_to_the_django_admin(personas: Personas) -> None:
    body = personas.client(personas.hr).get(reverse("home"), headers=EN).content.decode()
    assert reverse("admin:index") not in _menu_links(body)


def test_a_superuser_still_finds_the_django_admin_in_the_menu(personas: Personas) -> None:
    user = personas.hr.user
    user.is_staff = user.is_superuser = True
    user.save()
    client = personas.client(personas.hr)
    links = _menu_links(client.get(reverse("home"), headers=EN).content.decode())
    assert reverse("admin:index") in links
    assert client.get(reverse("admin:index")).status_code == 200

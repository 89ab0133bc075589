from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("hr", "Performance administration"),
        ("exec", "Organisation overview"),
        ("sup", "My team"),
        ("alice", "What my level expects"),
        ("trainer", "Competency framework"),
    ],
)
def test_each_persona_lands_on_a_home_page_for_their_role(
    personas: Personas, who: str, heading: str
) -> None:
    response = personas.client(getattr(personas, who)).get(reverse("home"), headers=EN)
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_home_requires_login(db: None) -> None:
    assert Client().get(reverse("home")).status_code == 302


def test_supervisor_home_lists_direct_reports_only(personas: Personas) -> None:
    body = personas.client(personas.sup).get(reverse("home"), headers=EN).content.decode()
    assert personas.alice.name in body
    assert personas.bob.name not in body


def test_navigation_follows_the_role(personas: Personas) -> None:
    hr = personas.client(personas.hr).get(reverse("home"), headers=EN).content.decode()
    am = personas.client(personas.alice).get(reverse("home"), headers=EN).content.decode()
    assert f'href="{reverse("facts:import_list")}"' in hr
    assert f'href="{reverse("facts:import_list")}"' not in am
    assert f'href="{reverse("org:employee_list")}"' not in am


def test_executive_home_counts_people_per_branch(personas: Personas) -> None:
    response = personas.client(personas.exec).get(reverse("home"), headers=EN)
    chart = response.context["branch_chart"]
    assert chart["xAxis"]["data"] == ["北京分行", "上海分行"]
    assert chart["series"][0]["data"] == [2, 2]


def test_user_without_a_role_sees_an_explanation(db: None) -> None:
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="norole"))
    body = client.get(reverse("home"), headers=EN).content.decode()
    assert "no role yet" in body

"""The org-unit tree, unit pages and HR's unit maintenance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kaopei.org.models import OrgUnit
from tests.conftest import Personas


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_anonymous_visitor_is_sent_to_login_from_the_tree(personas: Personas) -> None:
    response = personas.client(None).get(reverse("org:unit_tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "trainer"])
def test_account_managers_and_trainers_get_403_on_the_tree(personas: Personas, who: str) -> None:
    response = personas.client(getattr(personas, who)).get(reverse("org:unit_tree"))
    assert response.status_code == 403


def test_hr_admin_sees_the_whole_tree_with_head_counts(personas: Personas) -> None:
    response = english(personas.client(personas.hr)).get(reverse("org:unit_tree"))
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [n.unit.code for n in tree.roots] == ["HQ"]
    hq = tree.roots[0]
    assert hq.direct == 3  # HR, executive, trainer
    assert hq.total == 7
    assert tree.nodes[personas.bj.pk].total == 2
    body = response.content.decode()
    assert reverse("org:unit_detail", args=["BJ-T1"]) in body
    assert "New org unit" in body


def test_executive_sees_the_whole_tree_but_cannot_add_units(personas: Personas) -> None:
    response = english(personas.client(personas.exec)).get(reverse("org:unit_tree"))
    assert response.status_code == 200
    assert set(response.context["tree"].nodes) == set(OrgUnit.objects.values_list("pk", flat=True))
    assert "New org unit" not in response.content.decode()


def test_supervisor_sees_only_the_units_of_people_in_scope(personas: Personas) -> None:
    response = personas.client(personas.sup).get(reverse("org:unit_tree"))
    assert response.status_code == 200
    codes = {n.unit.code for n in response.context["tree"].nodes.values()}
    assert codes == {"HQ", "BJ", "BJ-T1"}
    # Head-counts count only people in the supervisor's scope.
    assert response.context["tree"].roots[0].total == 2


def test_inactive_units_are_hidden_until_asked_for(personas: Personas) -> None:
    OrgUnit.objects.create(code="OLD", name="撤销组", parent=personas.bj, active=False)
    client = personas.client(personas.hr)
    assert "OLD" not in {
        n.unit.code for n in client.get(reverse("org:unit_tree")).context["tree"].nodes.values()
    }
    shown = client.get(reverse("org:unit_tree"), {"inactive": "1"}).context["tree"]
    assert "OLD" in {n.unit.code for n in shown.nodes.values()}


def test_unit_detail_lists_its_people_and_sub_units(personas: Personas) -> None:
    response = personas.client(personas.hr).get(reverse("org:unit_detail", args=["BJ"]))
    assert response.status_code == 200
    assert [c.unit.code for c in response.context["node"].children] == ["BJ-T1"]
    team = personas.client(personas.hr).get(reverse("org:unit_detail", args=["BJ-T1"]))
    assert {e.employee_no for e in team.context["people"]} == {"S001", "A001"}
    body = team.content.decode()
    assert reverse("org:unit_detail", args=["BJ"]) in body  # breadcrumb up the tree


def test_supervisor_gets_404_for_a_unit_outside_scope(personas: Personas) -> None:
    client = personas.client(personas.sup)
    assert client.get(reverse("org:unit_detail", args=["BJ-T1"])).status_code == 200
    assert client.get(reverse("org:unit_detail", args=["SH-T1"])).status_code == 404


def test_account_manager_gets_403_on_a_unit_page(personas: Personas) -> None:
    response = personas.client(personas.alice).get(reverse("org:unit_detail", args=["BJ-T1"]))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_a_unit_page(personas: Personas) -> None:
    response = personas.client(None).get(reverse("org:unit_detail", args=["BJ"]))
    assert response.status_code == 302


def test_hr_admin_creates_a_team_under_a_branch(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("org:unit_create"), {"parent": "BJ"}).status_code == 200
    response = client.post(
        reverse("org:unit_create"),
        {"code": "BJ-T2", "name": "北京二组", "kind": "team", "parent": personas.bj.pk},
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="BJ-T2")
    assert unit.parent == personas.bj and unit.active
    assert response["Location"] == reverse("org:unit_detail", args=["BJ-T2"])


def test_creating_a_unit_with_a_taken_code_shows_the_error(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:unit_create"), {"code": "BJ", "name": "重复", "kind": "branch"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("who", ["exec", "sup", "alice"])
def test_only_hr_admins_create_units(personas: Personas, who: str) -> None:
    response = personas.client(getattr(personas, who)).get(reverse("org:unit_create"))
    assert response.status_code == 403


def test_hr_admin_renames_and_moves_a_unit(personas: Personas) -> None:
    client = personas.client(personas.hr)
    assert client.get(reverse("org:unit_edit", args=["BJ-T1"])).status_code == 200
    response = client.post(
        reverse("org:unit_edit", args=["BJ-T1"]),
        {"code": "CHANGED", "name": "北京精英组", "kind": "team", "parent": personas.sh.pk},
    )
    assert response.status_code == 302
    personas.bj_t1.refresh_from_db()
    assert personas.bj_t1.name == "北京精英组"
    assert personas.bj_t1.parent == personas.sh
    assert personas.bj_t1.code == "BJ-T1"  # the code is fixed


def test_moving_a_unit_below_its_own_sub_unit_is_refused(personas: Personas) -> None:
    client = english(personas.client(personas.hr))
    response = client.post(
        reverse("org:unit_edit", args=["BJ"]),
        {"name": "北京分行", "kind": "branch", "parent": personas.bj_t1.pk},
    )
    assert response.status_code == 200
    assert "below itself" in response.content.decode()
    personas.bj.refresh_from_db()
    assert personas.bj.parent == personas.hq


def test_supervisor_cannot_edit_a_unit(personas: Personas) -> None:
    response = personas.client(personas.sup).get(reverse("org:unit_edit", args=["BJ-T1"]))
    assert response.status_code == 403


def test_deactivating_a_unit_with_active_people_is_refused_with_a_message(
    personas: Personas,
) -> None:
    client = english(personas.client(personas.hr))
    page = client.get(reverse("org:unit_deactivate", args=["BJ-T1"]))
    assert page.status_code == 200
    assert "Move or deactivate them first" in page.content.decode()
    response = client.post(reverse("org:unit_deactivate", args=["BJ-T1"]), follow=True)
    personas.bj_t1.refresh_from_db()
    assert personas.bj_t1.active
    assert "cannot be deactivated" in response.content.decode()


def test_hr_admin_deactivates_an_empty_unit_after_confirming(personas: Personas) -> None:
    empty = OrgUnit.objects.create(code="BJ-T9", name="空组", parent=personas.bj)
    client = english(personas.client(personas.hr))
    page = client.get(reverse("org:unit_deactivate", args=["BJ-T9"]))
    assert "data-confirm" in page.content.decode()
    response = client.post(reverse("org:unit_deactivate", args=["BJ-T9"]), follow=True)
    empty.refresh_from_db()
    assert not empty.active
    assert "deactivated" in response.content.decode()


def test_executive_cannot_deactivate_a_unit(personas: Personas) -> None:
    response = personas.client(personas.exec).post(reverse("org:unit_deactivate", args=["HQ"]))
    assert response.status_code == 403

"""The Django admin cannot change what feeds a cycle, and what it can change is audited
(issue 8, finding 9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client, RequestFactory
from django.utils import timezone

from kaopei.facts.models import Activity, Customer
from kaopei.org.models import JobLevel
from tests.conftest import Personas


@pytest.fixture
def superuser_client(personas: Personas) -> Client:
    user = personas.hr.user
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def visit(personas: Personas) -> Activity:
    customer = Customer.objects.create(
        customer_no="C1", name="客户一", owner=personas.alice, acquired_on=dt.date(2025, 1, 1)
    )
    return Activity.objects.create(
        activity_id="V1",
        employee=personas.alice,
        customer=customer,
        kind=Activity.Kind.VISIT,
        occurred_at=timezone.make_aware(dt.datetime(2026, 2, 3, 10)),
        occurred_on=dt.date(2026, 2, 3),
    )


def test_a_superuser_can_view_a_visit_in_the_admin(superuser_client: Client, visit: Activity):
    response = superuser_client.get(f"/admin/facts/activity/{visit.pk}/change/")
    assert response.status_code == 200
    assert b"V1" in response.content


def test_a_superuser_cannot_change_a_visit_in_the_admin(superuser_client: Client, visit: Activity):
    response = superuser_client.post(
        f"/admin/facts/activity/{visit.pk}/change/",
        {"activity_id": "V1", "kind": "call", "employee": visit.employee_id},
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.kind == Activity.Kind.VISIT
    assert not LogEntry.objects.exists()


def test_a_superuser_cannot_delete_a_visit_in_the_admin(superuser_client: Client, visit: Activity):
    response = superuser_client.post(f"/admin/facts/activity/{visit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=visit.pk).exists()


def test_a_superuser_cannot_bulk_delete_visits_in_the_admin(
    superuser_client: Client, visit: Activity
):
    superuser_client.post(
        "/admin/facts/activity/",
        {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"},
    )
    assert Activity.objects.filter(pk=visit.pk).exists()


def test_a_superuser_cannot_add_a_visit_in_the_admin(superuser_client: Client, personas: Personas):
    response = superuser_client.post("/admin/facts/activity/add/", {"activity_id": "V9"})
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_an_admin_edit_of_a_job_level_leaves_a_history_row_naming_the_admin(
    superuser_client: Client, personas: Personas
):
    level = personas.am1
    response = superuser_client.post(
        f"/admin/org/joblevel/{level.pk}/change/",
        {"code": level.code, "name": "客户经理一级（改）", "rank": level.rank, "is_sales": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = JobLevel.history.filter(id=level.pk).latest("history_date")
    assert latest.name == "客户经理一级（改）"
    assert latest.history_user == personas.hr.user
    assert LogEntry.objects.filter(object_id=str(level.pk), user=personas.hr.user).exists()


def test_the_admin_log_is_shown_read_only(superuser_client: Client):
    assert superuser_client.get("/admin/admin/logentry/").status_code == 200
    assert superuser_client.post("/admin/admin/logentry/add/").status_code == 403


def _has_history(model: Any) -> bool:
    return hasattr(model, "history")


def test_every_model_editable_in_the_admin_keeps_a_history_and_none_can_be_deleted(
    personas: Personas,
):
    user = personas.hr.user
    user.is_staff = user.is_superuser = True
    user.save()
    request = RequestFactory().get("/admin/")
    request.user = user
    django_own = {"auth", "admin"}  # users and groups: audited by the admin log (LogEntry)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in django_own:
            continue
        name = model._meta.label
        assert not model_admin.has_delete_permission(request), f"{name} can be deleted"
        editable = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if editable:
            assert _has_history(model), f"{name} is editable in the admin without a history"
        for inline in model_admin.get_inline_instances(request):
            inline_editable = (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or inline.has_delete_permission(request)
            )
            assert not inline_editable or _has_history(inline.model), (
                f"{inline.model._meta.label} is editable inline in {name} without a history"
            )

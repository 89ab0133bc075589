"""The Django admin has every organisation model, with history where it is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from kaopei.org.models import (
    Competency,
    CompetencyAnchor,
    Employee,
    JobLevel,
    LevelExpectation,
    OrgUnit,
)
from tests.conftest import Personas
from tests.factories import LevelExpectationFactory

MODELS = [OrgUnit, JobLevel, Employee, Competency, CompetencyAnchor, LevelExpectation]


@pytest.mark.parametrize("model", MODELS)
def test_every_org_model_is_registered(model: Any) -> None:
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, SimpleHistoryAdmin) == hasattr(model, "history")


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_open_for_a_superuser(
    personas: Personas, admin_client: Any, model: Any
) -> None:
    LevelExpectationFactory(level=personas.am1)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(url, {"q": "A"}).status_code == 200


def test_an_employees_admin_history_opens(personas: Personas, admin_client: Any) -> None:
    url = reverse("admin:org_employee_history", args=[personas.alice.pk])
    assert admin_client.get(url).status_code == 200


def test_the_admin_is_closed_to_an_account_manager(personas: Personas) -> None:
    response = personas.client(personas.alice).get(reverse("admin:org_employee_changelist"))
    assert response.status_code == 302

from __future__ import annotations

import pytest
from django.test import Client

from kaopei.core.services import api_token_create
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_api_accepts_a_personal_bearer_token(personas: Personas) -> None:
    _, raw = api_token_create(user=personas.alice.user, name="laptop")
    response = Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["employee"]["employee_no"] == "A001"


def test_api_refuses_an_unknown_token_with_json(db: None) -> None:
    response = Client().get("/api/v1/me", headers={"authorization": "Bearer kp_nope"})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_api_refuses_anonymous_callers_with_json(db: None) -> None:
    response = Client().get("/api/v1/me")
    assert response.status_code == 401


def test_openapi_schema_is_served(personas: Personas) -> None:
    response = personas.client(personas.hr).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kaopei API"


def test_revoked_token_no_longer_works(personas: Personas) -> None:
    token, raw = api_token_create(user=personas.alice.user, name="old")
    token.revoked = True
    token.save()
    response = Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 401

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


def test_a_user_creates_and_revokes_a_token_on_the_tokens_page(personas: Personas) -> None:
    client = personas.client(personas.alice)
    response = client.post("/accounts/tokens/", {"name": "报表脚本"})
    raw = response.context["new_token"]
    assert raw.startswith("kp_")
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 200
    token = personas.alice.user.api_tokens.get()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401


def test_tokens_page_requires_login(db: None) -> None:
    assert Client().get("/accounts/tokens/").status_code == 302


def test_nobody_revokes_someone_elses_token(personas: Personas) -> None:
    token, _ = api_token_create(user=personas.alice.user, name="mine")
    response = personas.client(personas.bob).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.revoked

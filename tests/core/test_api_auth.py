from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaopei.core.models import ApiToken, RevokeReason
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
    response = client.post("/accounts/tokens/", {"name": "报表脚本", "lifetime": "never"})
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


def bearer(raw: str) -> dict[str, str]:
    return {"authorization": f"Bearer {raw}"}


def test_changing_ones_password_revokes_ones_tokens(personas: Personas, password: str) -> None:
    token, raw = api_token_create(user=personas.alice.user, name="laptop")
    other, other_raw = api_token_create(user=personas.bob.user, name="bob's")
    client = personas.client(personas.alice)
    new = "Brand-new-2027"
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert Client().get("/api/v1/me", headers=bearer(other_raw)).status_code == 200
    token.refresh_from_db()
    assert token.revoked and token.revoked_at is not None
    assert token.revoked_by == personas.alice.user
    assert token.revoke_reason == RevokeReason.PASSWORD_CHANGED


def test_an_hr_password_reset_revokes_the_persons_tokens(personas: Personas) -> None:
    token, raw = api_token_create(user=personas.alice.user, name="laptop")
    response = personas.client(personas.hr).post(
        reverse("org:employee_set_password", args=["A001"]),
        {"password1": "Fresh-start-2027", "password2": "Fresh-start-2027"},
    )
    assert response.status_code == 302
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == personas.hr.user
    assert token.revoke_reason == RevokeReason.PASSWORD_RESET


def test_the_password_and_tokens_pages_say_a_password_change_revokes_tokens(
    personas: Personas,
) -> None:
    client = personas.client(personas.alice)
    en = {"accept-language": "en"}
    assert (
        "revokes all your API tokens"
        in client.get(reverse("password_change"), headers=en).content.decode()
    )
    assert (
        "revokes all your tokens" in client.get(reverse("api_tokens"), headers=en).content.decode()
    )
    assert "修改" in client.get(reverse("api_tokens")).content.decode()


def test_a_token_with_a_lifetime_expires(personas: Personas) -> None:
    client = personas.client(personas.alice)
    response = client.post(reverse("api_tokens"), {"name": "nightly", "lifetime": "30"})
    raw = response.context["new_token"]
    token = personas.alice.user.api_tokens.get()
    assert token.expires_at is not None
    assert timedelta(days=30) < token.expires_at - timezone.now() <= timedelta(days=31)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = Client().get("/api/v1/me", headers=bearer(raw))
    assert refused.status_code == 401
    assert refused.json()["detail"]
    page = client.get(reverse("api_tokens"), headers={"accept-language": "en"}).content.decode()
    assert "Expired" in page


def test_a_token_can_be_valid_until_a_chosen_day(personas: Personas) -> None:
    day = timezone.localdate() + timedelta(days=10)
    client = personas.client(personas.alice)
    client.post(
        reverse("api_tokens"),
        {"name": "project", "lifetime": "date", "expires_on": day.isoformat()},
    )
    token = personas.alice.user.api_tokens.get()
    assert token.expires_at is not None
    assert timezone.localtime(token.expires_at).date() == day + timedelta(days=1)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "lifetime": "date", "expires_on": ""},
        {"name": "x", "lifetime": "date", "expires_on": "2001-01-01"},
        {"name": "x", "lifetime": "date", "expires_on": "not a date"},
        {"name": "x", "lifetime": "7"},
        {"name": "   ", "lifetime": "never"},
    ],
)
def test_a_token_form_with_bad_input_is_refused_and_creates_nothing(
    personas: Personas, data: dict[str, str]
) -> None:
    response = personas.client(personas.alice).post(reverse("api_tokens"), data)
    assert response.status_code == 400
    assert response.context["new_token"] is None
    assert not personas.alice.user.api_tokens.exists()


def test_the_tokens_page_shows_when_a_token_was_last_used(personas: Personas) -> None:
    _, raw = api_token_create(user=personas.alice.user, name="laptop")
    client = personas.client(personas.alice)
    assert (
        "Never used"
        in client.get(reverse("api_tokens"), headers={"accept-language": "en"}).content.decode()
    )
    Client().get("/api/v1/me", headers=bearer(raw))
    used = personas.alice.user.api_tokens.get().last_used_at
    assert used is not None
    page = client.get(reverse("api_tokens")).content.decode()
    assert timezone.localtime(used).strftime("%Y-%m-%d %H:%M") in page


def test_signed_in_users_read_the_api_docs_and_schema(personas: Personas) -> None:
    client = personas.client(personas.alice)
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    _, raw = api_token_create(user=personas.bob.user, name="ci")
    schema = Client().get("/api/v1/openapi.json", headers=bearer(raw))
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Kaopei API"


def test_anonymous_visitors_cannot_read_the_api_schema(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "errors": []}
    bad_token = Client().get("/api/v1/openapi.json", headers=bearer("kp_nope"))
    assert bad_token.status_code == 401


def test_anonymous_visitors_are_sent_from_the_api_docs_to_the_login_page(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/api/v1/docs" in response["Location"]

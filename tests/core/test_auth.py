from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(personas: Personas) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public_and_renders_in_chinese_by_default(db: None) -> None:
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_page_follows_an_english_browser(db: None) -> None:
    response = Client(headers={"accept-language": "en"}).get(reverse("login"))
    assert "Sign in to Kaopei" in response.content.decode()


def test_account_manager_logs_in_with_employee_number(personas: Personas, password: str) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "A001", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert personas.alice.name in client.get(reverse("home")).content.decode()


def test_wrong_password_is_refused_with_a_message(personas: Personas) -> None:
    response = Client(headers={"accept-language": "en"}).post(
        reverse("login"), {"username": "A001", "password": "nope"}
    )
    assert response.status_code == 200
    assert "correct employee number and password" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failed_logins_are_throttled(personas: Personas, password: str) -> None:
    client = Client(headers={"accept-language": "en"})
    for _ in range(3):
        client.post(reverse("login"), {"username": "A001", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "A001", "password": password})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(personas: Personas) -> None:
    client = personas.client(personas.alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@override_settings(SESSION_IDLE_SECONDS=60)
def test_an_idle_session_expires(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    client = personas.client(personas.alice)
    assert client.get(reverse("home")).status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_validates_and_changes(personas: Personas, password: str) -> None:
    client = personas.client(personas.alice)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    weak = client.post(
        url, {"old_password": password, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200
    personas.alice.user.refresh_from_db()
    assert personas.alice.user.check_password(password)
    ok = client.post(
        url,
        {
            "old_password": password,
            "new_password1": "Brand-new-2027",
            "new_password2": "Brand-new-2027",
        },
    )
    assert ok.status_code == 302
    personas.alice.user.refresh_from_db()
    assert personas.alice.user.check_password("Brand-new-2027")


def test_password_change_requires_login(db: None) -> None:
    assert Client().get(reverse("password_change")).status_code == 302


def test_my_account_page_shows_roles(personas: Personas) -> None:
    response = personas.client(personas.sup).get(
        reverse("profile"), headers={"accept-language": "en"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Supervisor" in body and personas.sup.name in body


def test_my_account_page_requires_login(db: None) -> None:
    assert Client().get(reverse("profile")).status_code == 302


def test_language_can_be_switched_to_english(personas: Personas) -> None:
    client = personas.client(personas.alice)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "Welcome" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "欢迎" in client.get(reverse("home")).content.decode()


@override_settings(SESSION_IDLE_SECONDS=5)
def test_an_idle_session_no_longer_reads_the_api(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    client = personas.client(personas.alice)
    assert client.get("/api/v1/me").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 21)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert client.get("/api/v1/me").status_code == 401


@override_settings(SESSION_IDLE_SECONDS=5)
def test_an_active_session_keeps_reading_the_api(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    client = personas.client(personas.alice)
    start = time.time()
    for step in range(4):
        monkeypatch.setattr(time, "time", lambda step=step: start + 4 * step)
        assert client.get("/api/v1/me").status_code == 200


@override_settings(SESSION_IDLE_SECONDS=5)
def test_bearer_tokens_are_not_subject_to_the_idle_timeout(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from kaopei.core.services import api_token_create

    _, raw = api_token_create(user=personas.alice.user, name="cron")
    headers = {"authorization": f"Bearer {raw}"}
    client = Client()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    assert client.get("/api/v1/me", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Change password"), ("zh-hans", "修改密码")]
)
def test_the_password_page_is_in_kaopeis_own_layout(
    personas: Personas, language: str, title: str
) -> None:
    client = personas.client(personas.alice)
    response = client.get(reverse("password_change"), headers={"accept-language": language})
    body = response.content.decode()
    assert response.status_code == 200
    assert "core/password_change.html" in [t.name for t in response.templates]
    assert "core/base.html" in [t.name for t in response.templates]
    assert title in body and reverse("profile") in body
    assert "admin/" not in " ".join(t.name or "" for t in response.templates)
    assert "Django" not in body


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Your password was changed"), ("zh-hans", "密码已修改")]
)
def test_the_password_changed_page_is_in_kaopeis_own_layout(
    personas: Personas, language: str, text: str
) -> None:
    client = personas.client(personas.alice)
    response = client.get(reverse("password_change_done"), headers={"accept-language": language})
    names = [t.name for t in response.templates]
    assert response.status_code == 200
    assert "core/password_change_done.html" in names and "core/base.html" in names
    assert text in response.content.decode()
    assert "Django" not in response.content.decode()

"""Sign-in throttling (issue 8, finding 6): failures are counted per account in the database,
which every process shares; every sign-in path (Kaopei's form, the Django admin, the password
change form) goes through the same check; a separate, much higher per-address limit blocks only
that address and never locks an account."""

from __future__ import annotations

import secrets
import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password as real_check_password
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def sign_in(client: Client, username: str, password: str, url: str = LOGIN) -> Any:
    return client.post(url, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address, headers={"accept-language": "en"})


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_locked_account_cannot_sign_in_to_the_django_admin(db: None, password: str) -> None:
    get_user_model().objects.create_superuser("root", "root@example.com", password)
    attacker = from_address("10.0.0.9")
    for _ in range(3):
        sign_in(attacker, "root", "wrong", ADMIN_LOGIN)
    owner = from_address("10.0.0.1")
    response = sign_in(owner, "root", password, ADMIN_LOGIN)
    assert response.status_code == 200
    assert not signed_in(owner)
    assert "Too many failed sign-in attempts" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_admin_failures_count_against_the_kaopei_sign_in_too(
    personas: Personas, password: str
) -> None:
    personas.alice.user.is_staff = True
    personas.alice.user.save()
    for _ in range(3):
        sign_in(from_address("10.0.0.9"), "A001", "wrong", ADMIN_LOGIN)
    client = from_address("10.0.0.1")
    response = sign_in(client, "A001", password)
    assert not signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_MAX_FAILURES=5)
def test_the_count_is_shared_by_processes_that_share_only_the_database(
    personas: Personas, password: str
) -> None:
    """A second gunicorn worker shares no memory with the first: here it is a thread with its
    own database connection, after every cache was cleared."""
    for _ in range(3):
        sign_in(from_address("10.0.0.9"), "A001", "wrong")

    def second_process() -> None:
        try:
            for cache in caches.all():
                cache.clear()
            for _ in range(2):
                sign_in(from_address("10.0.0.8"), "A001", "wrong")
        finally:
            connections.close_all()

    worker = threading.Thread(target=second_process)
    worker.start()
    worker.join()
    client = from_address("10.0.0.1")
    sign_in(client, "A001", password)
    assert not signed_in(client)


@override_settings(
    LOGIN_MAX_FAILURES=5,
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kaopei_cache",
        }
    },
)
def test_the_count_is_shared_whatever_the_cache_backend(personas: Personas, password: str) -> None:
    for _ in range(5):
        sign_in(from_address("10.0.0.9"), "a001 ", "wrong")  # any spelling of the account
    caches.close_all()
    client = from_address("10.0.0.1")
    sign_in(client, "A001", password)
    assert not signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
def test_failures_with_random_usernames_from_one_address_lock_out_nobody(
    personas: Personas, password: str
) -> None:
    proxy = from_address("10.0.0.9")
    for _ in range(20):
        sign_in(proxy, f"U{secrets.token_hex(4)}", "wrong")
    for who in ("HR001", "EX001"):
        client = from_address("10.0.0.1")
        sign_in(client, who, password)
        assert signed_in(client), who
    client = from_address("10.0.0.9")
    sign_in(client, "HR001", password)
    assert signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_MAX_FAILURES_PER_ADDRESS=10)
def test_an_address_over_its_limit_is_refused_for_every_account_but_locks_none(
    personas: Personas, password: str
) -> None:
    for _ in range(10):
        sign_in(from_address("10.0.0.9"), f"U{secrets.token_hex(4)}", "wrong")
    blocked = from_address("10.0.0.9")
    response = sign_in(blocked, "HR001", password)
    assert not signed_in(blocked)
    assert "from your network" in response.content.decode()
    elsewhere = from_address("10.0.0.1")
    sign_in(elsewhere, "HR001", password)
    assert signed_in(elsewhere)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_locked_message_does_not_reveal_whether_the_account_exists(db: None) -> None:
    for _ in range(3):
        sign_in(from_address("10.0.0.9"), "NOBODY", "wrong")
    response = sign_in(from_address("10.0.0.9"), "NOBODY", "wrong")
    assert "Too many failed sign-in attempts" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_successful_sign_in_clears_the_count(personas: Personas, password: str) -> None:
    for _ in range(2):
        sign_in(from_address("10.0.0.9"), "A001", "wrong")
    assert signed_in_after(from_address("10.0.0.1"), "A001", password)
    for _ in range(2):
        sign_in(from_address("10.0.0.9"), "A001", "wrong")
    assert signed_in_after(from_address("10.0.0.1"), "A001", password)


def signed_in_after(client: Client, username: str, password: str) -> bool:
    sign_in(client, username, password)
    return signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_wrong_old_passwords_count_against_the_account(personas: Personas, password: str) -> None:
    client = personas.client(personas.alice)
    url = reverse("password_change")
    new = {"new_password1": "Brand-new-2027", "new_password2": "Brand-new-2027"}
    for _ in range(3):
        client.post(url, {"old_password": "wrong", **new})
    response = client.post(
        url, {"old_password": password, **new}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    personas.alice.user.refresh_from_db()
    assert personas.alice.user.check_password(password)
    other = from_address("10.0.0.1")
    sign_in(other, "A001", password)
    assert not signed_in(other)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_an_hr_password_reset_lifts_the_lock(personas: Personas, password: str) -> None:
    from kaopei.org.services import employee_set_password

    for _ in range(3):
        sign_in(from_address("10.0.0.9"), "A001", "wrong")
    employee_set_password(employee=personas.alice, password="Fresh-start-2027", actor=None)
    client = from_address("10.0.0.1")
    sign_in(client, "A001", "Fresh-start-2027")
    assert signed_in(client)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: threads with their own connections racing on one row",
)
@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_MAX_FAILURES=5)
def test_simultaneous_failures_never_test_more_passwords_than_the_limit(
    personas: Personas, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import django.contrib.auth.base_user as base_user

    checked: list[int] = []
    lock = threading.Lock()

    def counting_check_password(raw: str, encoded: str, setter: Any = None) -> bool:
        with lock:
            checked.append(1)
        return real_check_password(raw, encoded, setter)

    monkeypatch.setattr(base_user, "check_password", counting_check_password)
    threads = 16
    barrier = threading.Barrier(threads)

    def attempt(n: int) -> None:
        try:
            client = from_address(f"10.0.1.{n}")
            barrier.wait()
            sign_in(client, "A001", "wrong")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert 1 <= len(checked) <= 5
    client = from_address("10.0.0.1")
    sign_in(client, "A001", password)
    assert not signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=50, LOGIN_MAX_FAILURES_PER_ADDRESS=3, TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_limit_applies_to_the_clients_own_address(
    personas: Personas, password: str
) -> None:
    def via_proxy(client_addr: str, forged: str = "") -> Client:
        chain = f"{forged}, {client_addr}" if forged else client_addr
        return Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=chain)

    for n in range(3):  # a forged left-hand entry does not give the guesser a fresh address
        sign_in(via_proxy("203.0.113.7", forged=f"198.51.100.{n}"), f"nobody{n}", "wrong")
    blocked = via_proxy("203.0.113.7")
    sign_in(blocked, "A001", password)
    assert not signed_in(blocked)
    colleague = via_proxy("203.0.113.8")  # same proxy, another client: not refused
    sign_in(colleague, "A001", password)
    assert signed_in(colleague)

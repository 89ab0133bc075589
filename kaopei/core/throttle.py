"""Limits on password guessing, for every way in (issue 8, finding 6).

Two counters, both in the database table of :class:`~kaopei.core.models.SignInCounter`:

- **per account** (``LOGIN_MAX_FAILURES`` in ``LOGIN_LOCKOUT_SECONDS``): the only counter that
  locks an account. It counts attempts on the account from every address, whether or not the
  account exists (so a lock says nothing about which employee numbers are real).
- **per client address** (``LOGIN_MAX_FAILURES_PER_ADDRESS``, much higher): an address over it
  is refused for every username, but its failures never lock an account for sign-ins from
  elsewhere. Behind a reverse proxy every employee shares one address, which is why this
  limit is high and why it blocks only that address.

Every password check goes through :func:`guarded_check`: :class:`ThrottledModelBackend` (so the
Kaopei sign-in form, ``/admin/login/`` and anything that calls ``authenticate`` share it) and
the password change form's old-password check.

Why a table of our own rather than the cache: without Redis the cache is per process
(``LocMemCache``), so four gunicorn workers kept four counts; Django's database cache would be
shared but its ``incr`` reads and then writes, so simultaneous failures lose counts. Here one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (PostgreSQL, and SQLite ≥ 3.35) both
counts an attempt and returns its number, atomically, in every deployment. The attempt is
counted *before* the password is tested: of N simultaneous guesses only the first
``LOGIN_MAX_FAILURES`` numbers are tested at all, the rest are refused unseen.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import ngettext

from kaopei.core.models import SignInCounter

log = logging.getLogger("kaopei.security")

T = TypeVar("T")
ACCOUNT = "account"
ADDRESS = "address"
_REQUEST_ATTR = "_kaopei_sign_in_refused"


class SignInRefused(PermissionDenied):
    """An attempt refused unseen: the account is locked, or the address is over its limit."""

    def __init__(self, *, scope: str, retry_after: int) -> None:
        super().__init__(scope)
        self.scope = scope
        self.retry_after = max(1, retry_after)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        if self.scope == ADDRESS:
            text = ngettext(
                "Too many failed sign-in attempts from your network. Please wait %(minutes)s "
                "minute and try again.",
                "Too many failed sign-in attempts from your network. Please wait %(minutes)s "
                "minutes and try again.",
                self.minutes,
            )
        else:
            text = ngettext(
                "Too many failed sign-in attempts. Please wait %(minutes)s minute and try again.",
                "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again.",
                self.minutes,
            )
        return text % {"minutes": self.minutes}


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from.

    Without proxies (``TRUSTED_PROXIES=0``) that is ``REMOTE_ADDR``. Behind N proxies, each
    appending the address it received from to ``X-Forwarded-For``, it is the N-th entry from
    the right: entries further left were written by the client and may be forged.
    """
    if request is None:
        return ""
    address = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address[:64]


def _account_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"{ACCOUNT}:{digest}"


def _address_key(address: str) -> str:
    return f"{ADDRESS}:{address}"


def _count(key: str) -> tuple[int, int]:
    """Count one attempt on ``key``; return its number in the window and the window's end."""
    now = int(time.time())
    ops = connection.ops
    table = ops.quote_name(SignInCounter._meta.db_table)
    key_col, count_col, expires_col = (ops.quote_name(c) for c in ("key", "count", "expires"))
    sql = (
        f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key_col}) DO UPDATE SET "
        f"{count_col} = CASE WHEN {table}.{expires_col} <= %s THEN 1 "
        f"ELSE {table}.{count_col} + 1 END, "
        f"{expires_col} = CASE WHEN {table}.{expires_col} <= %s THEN excluded.{expires_col} "
        f"ELSE {table}.{expires_col} END "
        f"RETURNING {count_col}, {expires_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now + settings.LOGIN_LOCKOUT_SECONDS, now, now])
        count, expires = cursor.fetchone()
    if count == 1:
        # A new window: a good moment to drop the windows that have ended.
        SignInCounter.objects.filter(expires__lte=now).delete()
    return int(count), int(expires)


def _current(key: str) -> tuple[int, int]:
    now = int(time.time())
    row = SignInCounter.objects.filter(key=key, expires__gt=now).values_list("count", "expires")
    found = row.first()
    return (int(found[0]), int(found[1])) if found else (0, now)


def guarded_check(
    *, request: HttpRequest | None, username: str, check: Callable[[], T | None]
) -> T | None:
    """Run ``check`` (a password test for ``username``: a result on success, None on failure)
    under the sign-in limits.

    Raises :class:`SignInRefused`, without calling ``check``, when the client address is over
    its limit or the account has used up its attempts; the refusal is also remembered on the
    request (see :func:`refusal`). A failure counts against the account and the address; a
    success clears the account's count.
    """
    now = int(time.time())
    address = client_address(request)
    if address:
        failures, expires = _current(_address_key(address))
        if failures >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            raise _refuse(request, SignInRefused(scope=ADDRESS, retry_after=expires - now))
    attempt, expires = _count(_account_key(username))
    if attempt > settings.LOGIN_MAX_FAILURES:
        if address:
            _count(_address_key(address))
        if attempt == settings.LOGIN_MAX_FAILURES + 1:
            log.warning("Sign-in locked for an account after %s failures", attempt - 1)
        raise _refuse(request, SignInRefused(scope=ACCOUNT, retry_after=expires - now))
    result = check()
    if result is None:
        if address:
            _count(_address_key(address))
    else:
        account_clear(username=username)
    return result


def _refuse(request: HttpRequest | None, exc: SignInRefused) -> SignInRefused:
    if request is not None:
        setattr(request, _REQUEST_ATTR, exc)
    return exc


def refusal(request: HttpRequest | None) -> SignInRefused | None:
    """The refusal :func:`guarded_check` gave this request, if it gave one."""
    return getattr(request, _REQUEST_ATTR, None) if request is not None else None


def account_clear(*, username: str) -> None:
    """Forget the failures counted against ``username`` (after a success or a reset by HR)."""
    SignInCounter.objects.filter(key=_account_key(username)).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend behind :func:`guarded_check`, so that every
    sign-in path that calls ``authenticate`` (Kaopei's form, the admin's) shares the limits.

    A refusal raises PermissionDenied, which makes ``authenticate`` stop and return None."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        return guarded_check(
            request=request,
            username=str(username),
            check=lambda: super(ThrottledModelBackend, self).authenticate(
                request, username=username, password=password, **kwargs
            ),
        )


def cache_tries(key: str, window: int) -> int:
    """Count one try under ``key`` in the cache for ``window`` seconds and return its number
    (1 for the first). For soft limits on lookups by code (receipts, certificates), where a
    per-process cache without Redis is good enough — unlike the sign-in counters above."""
    from django.core.cache import cache

    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1

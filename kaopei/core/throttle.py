"""Throttle repeated failed logins per username and per client address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    ip = request.META.get("REMOTE_ADDR", "")
    user_hash = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{user_hash}", f"login-fail:ip:{ip}"]


def login_locked(request: HttpRequest, username: str) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    # The address gets a more generous allowance than a single username.
    user_key, ip_key = _keys(request, username)
    return (cache.get(user_key, 0) >= limit) or (cache.get(ip_key, 0) >= limit * 4)


def login_failed(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0])

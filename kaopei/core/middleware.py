"""Sessions expire after ``SESSION_IDLE_SECONDS`` without a request, on pages and on the API.

Bearer tokens of the API are not sessions: they have their own expiry and are unaffected.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

_KEY = "kaopei_last_seen"
API_PREFIX = "/api/"


def _refresh_every() -> int:
    """Seconds between writes of the last-seen time: at most once a minute, to keep session
    writes cheap, and often enough that activity keeps even a short idle timeout alive."""
    return min(60, max(1, settings.SESSION_IDLE_SECONDS // 4))


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.user comes from the session here (AuthenticationMiddleware); a bearer token
        # is read later by the API itself, so token calls never reach this branch.
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                # The API answers 401 JSON (the caller is anonymous now); pages say why.
                if not request.path.startswith(API_PREFIX):
                    messages.info(request, _("Your session expired after a period of inactivity."))
            elif last is None or now - int(last) >= _refresh_every():
                request.session[_KEY] = now
        return self.get_response(request)

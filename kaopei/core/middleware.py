"""Sessions expire after ``SESSION_IDLE_SECONDS`` without a request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

_KEY = "kaopei_last_seen"


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("Your session expired after a period of inactivity."))
            else:
                # Write at most once a minute to keep session writes cheap.
                if last is None or now - int(last) >= 60:
                    request.session[_KEY] = now
        return self.get_response(request)

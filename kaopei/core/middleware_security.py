"""The Content-Security-Policy header (issue 8, finding 11).

Django 5.2 has no CSP of its own. Every response gets ``settings.KAOPEI_CSP``: scripts and
styles only from our own origin, so an injected ``<script>``, ``onclick=`` or
``javascript:`` link does not run. Templates therefore hold no inline script or event
handler (tests/core/test_production.py greps them); page behaviour lives in static files.

``settings.KAOPEI_CSP_PATHS`` may give a path prefix its own policy — the one declared
place for exceptions. A response that already carries a policy keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Policy = Mapping[str, str]


def policy_header(policy: Policy) -> str:
    """``{"default-src": "'self'", ...}`` as a header value."""
    return "; ".join(f"{name} {value}".strip() for name, value in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.default = policy_header(settings.KAOPEI_CSP)
        self.by_path = [
            (prefix, policy_header(policy))
            for prefix, policy in getattr(settings, "KAOPEI_CSP_PATHS", {}).items()
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self._for(request.path)
        return response

    def _for(self, path: str) -> str:
        for prefix, header in self.by_path:
            if path.startswith(prefix):
                return header
        return self.default

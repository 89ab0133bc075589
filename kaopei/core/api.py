"""API plumbing shared by every router: authentication and error mapping (DESIGN.md §4.3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from kaopei.core.errors import ApplicationError
from kaopei.core.models import ApiToken
from kaopei.core.services import hash_token

# A token's "last used" is written at most this often, to keep API calls from writing a row each.
LAST_USED_PRECISION = timedelta(minutes=1)


class BearerToken(HttpBearer):
    """A personal API token (kaopei.core.models.ApiToken): refused when unknown, revoked,
    expired or of an inactive user. Session idle time does not apply to it."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        record = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .first()
        )
        if record is None:
            return None
        if record.last_used_at is None or record.last_used_at <= now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


def docs_require_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap ninja's schema and docs views: signed-in users only (session or bearer token).

    Anonymous callers get 401 JSON for the schema (``…/openapi.json``) and a redirect to the
    login page for the docs page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in = request.user.is_authenticated or BearerToken()(request) is not None
        if not signed_in:
            if request.path.endswith(".json"):
                return JsonResponse(
                    {"detail": "Authentication required.", "errors": []}, status=401
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = []


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def install_error_handlers(api: NinjaAPI) -> None:
    """Map domain errors to JSON ``{"detail": ..., "errors": [...]}`` in one place."""
    import logging

    from django.db import DataError

    logger = logging.getLogger(__name__)

    def app_error(request: HttpRequest, exc: ApplicationError) -> Any:
        return api.create_response(
            request, {"detail": str(exc.message), "errors": exc.errors}, status=exc.status
        )

    def not_found(request: HttpRequest, exc: Exception) -> Any:
        return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)

    def denied(request: HttpRequest, exc: Exception) -> Any:
        return api.create_response(
            request,
            {"detail": "You do not have permission to do this.", "errors": []},
            status=403,
        )

    def unauthenticated(request: HttpRequest, exc: Exception) -> Any:
        return api.create_response(
            request, {"detail": "Authentication required.", "errors": []}, status=401
        )

    def invalid(request: HttpRequest, exc: NinjaValidationError) -> Any:
        errors = [
            {
                k: (str(v) if k != "loc" else [str(x) for x in v])
                for k, v in e.items()
                if k in ("loc", "msg", "type")
            }
            for e in exc.errors
        ]
        return api.create_response(
            request, {"detail": "Invalid request.", "errors": errors}, status=422
        )

    def http_error(request: HttpRequest, exc: HttpError) -> Any:
        return api.create_response(
            request, {"detail": str(exc), "errors": []}, status=exc.status_code
        )

    def data_error(request: HttpRequest, exc: DataError) -> Any:
        # Last resort: every parameter is bounded where it is declared, so a value the
        # database cannot hold is a bug to fix there. The caller gets the JSON 400 of bad
        # input; the log gets the database's words (never the response).
        logger.error("The database refused a value on %s", request.path, exc_info=exc)
        return api.create_response(
            request, {"detail": "Invalid request.", "errors": []}, status=400
        )

    handlers: list[tuple[type[Exception], Any]] = [
        (ApplicationError, app_error),
        (Http404, not_found),
        (PermissionDenied, denied),
        (AuthenticationError, unauthenticated),
        (NinjaValidationError, invalid),
        (HttpError, http_error),
        (DataError, data_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


AUTH = [BearerToken(), SessionAuth()]


def api_urls(api: NinjaAPI) -> Any:
    """The API's URLs, exempt from LoginRequiredMiddleware: ninja authenticates itself
    (bearer token or session) and answers 401 in JSON instead of redirecting to a page."""
    patterns, app_name, namespace = api.urls

    def exempt(items: list[Any]) -> None:
        for item in items:
            if hasattr(item, "url_patterns"):
                exempt(item.url_patterns)
            elif hasattr(item, "callback"):
                item.callback.login_required = False

    exempt(patterns)
    return patterns, app_name, namespace

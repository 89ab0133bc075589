"""Writes of the core app."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from kaopei.core.models import ApiToken


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the record and the raw token (shown once)."""
    raw = "kp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], prefix=raw[3:11], key_hash=hash_token(raw)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: Any) -> ApiToken:
    """Revoke one of the user's own tokens."""
    from kaopei.core.errors import ApplicationError

    if token.user_id != getattr(user, "pk", None):
        raise ApplicationError("Not your token.", status=404)
    token.revoked = True
    token.save(update_fields=["revoked"])
    return token

"""Writes of the core app."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError
from kaopei.core.models import ApiToken, RevokeReason

log = logging.getLogger("kaopei.security")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _actor_pk(actor: Any) -> int | None:
    return actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def api_token_create(
    *, user: Any, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the record and the raw token (shown once).

    ``expires_at`` (aware; None for no expiry) must be in the future, else ApplicationError.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(
            _("The expiry must be in the future."),
            errors=[{"field": "expires_on", "message": _("The expiry must be in the future.")}],
        )
    raw = "kp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=raw[3:11],
        key_hash=hash_token(raw),
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: Any) -> ApiToken:
    """Revoke one of the user's own tokens (404 for anyone else's)."""
    if token.user_id != getattr(user, "pk", None):
        raise ApplicationError(_("Not found."), status=404)
    token.revoked = True
    token.revoked_at = timezone.now()
    token.revoked_by_id = _actor_pk(user)
    token.revoke_reason = RevokeReason.OWNER
    token.save(update_fields=["revoked", "revoked_at", "revoked_by", "revoke_reason"])
    log.info("API token %s of user %s revoked by its owner", token.pk, token.user_id)
    return token


@transaction.atomic
def api_tokens_revoke_for_user(*, user: Any, actor: Any, reason: RevokeReason) -> int:
    """Revoke every live token of ``user`` (after their password changed or was reset), with
    who did it (``actor``: the user, HR, or None for a command) and why, on each token and in
    the ``kaopei.security`` log. Returns how many tokens were revoked."""
    revoked = ApiToken.objects.filter(user=user, revoked=False).update(
        revoked=True,
        revoked_at=timezone.now(),
        revoked_by_id=_actor_pk(actor),
        revoke_reason=reason,
    )
    if revoked:
        log.info(
            "%s API token(s) of user %s revoked (%s) by user %s",
            revoked,
            user.pk,
            reason.value,
            _actor_pk(actor),
        )
    return revoked

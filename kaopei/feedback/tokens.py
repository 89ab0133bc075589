"""Single-use links for people without an account (customer 360 invitations, survey links).

A raw token is shown (or mailed) once and never stored: the database keeps only its
SHA-256 (``hash_token``), so a leaked database reveals no working link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# The path of the public page where a customer answers a 360 invitation.
CUSTOMER_ANSWER_PATH = "/feedback/answer/{token}/"

# How long a link lives when its round has no deadline.
DEFAULT_TOKEN_DAYS = 30

TOKEN_BYTES = 32


def hash_token(raw: str) -> str:
    """The stored form of a raw token (hex SHA-256)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token: ``(raw, hash)``. Show or send ``raw`` once; store ``hash``."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, hash_token(raw)


def customer_answer_path(raw: str) -> str:
    """The path (no host) of the answering page for a raw customer token."""
    return CUSTOMER_ANSWER_PATH.format(token=raw)


def token_expiry(deadline: date | None, *, now: datetime | None = None) -> datetime:
    """When a link expires: the end of the deadline day in the site's time zone, or
    ``DEFAULT_TOKEN_DAYS`` from now without a deadline."""
    if deadline is None:
        return (now or timezone.now()) + timedelta(days=DEFAULT_TOKEN_DAYS)
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=zone) - timedelta(
        microseconds=1
    )

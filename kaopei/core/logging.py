"""A logging filter that keeps secrets in URLs out of every log line.

Some public pages carry a single-use secret in their path (a customer's answer link). Django
logs the path of some requests on its own (a CSRF failure, the development server's access
log), so the filter rewrites any message matching one of ``settings.LOG_REDACT_PATTERNS``
— regular expressions whose first group is kept and whose remainder is replaced — before a
handler writes it. Apps name their patterns in settings; this module knows none.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.conf import settings

REDACTED = "[redacted]"


@cache
def _patterns(raw: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in raw)


def redact(text: str) -> str:
    """``text`` with every secret the configured patterns find replaced."""
    for pattern in _patterns(tuple(getattr(settings, "LOG_REDACT_PATTERNS", ()))):
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's problem, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

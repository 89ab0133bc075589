"""Secrets in public paths never reach a log line (kaopei.core.logging)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from kaopei.core.logging import REDACTED, RedactSecretPaths, redact

TOKEN = "s3cr3t-Token_value-0123456789abcdef"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(RedactSecretPaths())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def csrf_log() -> Iterator[Collect]:
    handler = Collect()
    logger = logging.getLogger("django.security.csrf")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_the_filter_redacts_answer_and_survey_links_and_keeps_the_rest() -> None:
    assert redact(f"GET /feedback/answer/{TOKEN}/ 200") == f"GET /feedback/answer/{REDACTED}/ 200"
    assert redact(f"POST /feedback/survey/{TOKEN}/") == f"POST /feedback/survey/{REDACTED}/"
    assert TOKEN not in redact(f"/api/v1/feedback/answer/{TOKEN}?x=1")
    assert TOKEN not in redact(f"GET /api/v1/feedback/suggestions/receipt/{TOKEN} 404")
    assert redact("GET /feedback/tasks/12/ 200") == "GET /feedback/tasks/12/ 200"


def test_a_record_with_arguments_is_redacted_after_formatting() -> None:
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "Forbidden (%s): %s", None, None)
    record.args = ("CSRF cookie not set.", f"/feedback/survey/{TOKEN}/")
    assert RedactSecretPaths().filter(record)
    assert TOKEN not in record.getMessage() and REDACTED in record.getMessage()


@pytest.mark.django_db
def test_a_csrf_failure_on_a_customer_link_logs_no_token(csrf_log: Collect) -> None:
    client = Client(enforce_csrf_checks=True)
    for path in (f"/feedback/answer/{TOKEN}/", f"/feedback/survey/{TOKEN}/"):
        assert client.post(path, {"x": "1"}).status_code == 403
    assert csrf_log.lines, "the CSRF failure was logged"
    assert all(TOKEN not in line for line in csrf_log.lines)

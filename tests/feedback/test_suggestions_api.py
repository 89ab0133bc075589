"""The suggestion box through the API: a receipt code once, the reply read with it, the same
anonymity as the pages (no author in any write), wrong codes and throttling."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from kaopei.core.services import api_token_create
from kaopei.feedback.models import Suggestion
from kaopei.feedback.selectors.suggestions import RECEIPT_TRIES_PER_HOUR
from kaopei.feedback.services import suggestions as services
from tests.conftest import Personas

URL = "/api/v1/feedback/suggestions"
TEXT = "Please publish the credit turnaround times per loan type."


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def bearer(who: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=who.user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_posting_returns_the_code_once_and_the_code_reads_the_reply(personas: Personas) -> None:
    headers = bearer(personas.bob)
    response = Client().post(
        URL, {"about": "process", "text": TEXT}, content_type="application/json", **headers
    )
    assert response.status_code == 201
    code = response.json()["receipt_code"]
    suggestion = Suggestion.objects.get()
    services.suggestion_reply(
        suggestion=suggestion, reply="Published next month.", seen_reply="", user=None
    )
    read = Client().get(f"{URL}/receipt/{code}", **headers)
    assert read.status_code == 200
    assert read.json()["reply"] == "Published next month."
    assert read.json()["status"] == "answered"
    assert "author" not in read.json() and "handled_by" not in read.json()


def test_the_api_writes_nothing_that_names_the_poster(personas: Personas) -> None:
    headers = bearer(personas.bob)
    bob = personas.bob
    texts = {bob.user.username, bob.employee_no, bob.name}
    writes: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            writes.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        Client().post(
            URL, {"about": "process", "text": TEXT}, content_type="application/json", **headers
        )
    for sql, params in writes:
        if "core_apitoken" in sql:
            continue  # the token's "last used" time: every call's bookkeeping
        values = [str(v) for v in (params or ())]
        assert not any(t in v for t in texts for v in values), sql
        if "core_notification" not in sql:
            assert bob.user.pk not in (params or ()) and bob.pk not in (params or ()), sql


@pytest.mark.parametrize(
    "body",
    [
        {"about": "process", "text": "short"},
        {"about": "nonsense", "text": TEXT},
        {"about": "team", "text": TEXT, "unit": "NOPE"},
        {"about": "person", "text": TEXT, "employee_no": "NOBODY"},
        {"text": TEXT},
        {"about": "team", "text": TEXT, "unit": "BJ\x00"},
        {"about": "person", "text": TEXT, "employee_no": "A001\x00"},
    ],
    ids=[
        "short",
        "unknown about",
        "unknown team",
        "unknown person",
        "no about",
        "NUL in the team",
        "NUL in the person",
    ],
)
def test_bad_input_is_refused_and_nothing_stored(personas: Personas, body: dict[str, str]) -> None:
    response = Client().post(URL, body, content_type="application/json", **bearer(personas.alice))
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert not Suggestion.objects.exists()


def test_wrong_codes_are_404_and_guessing_is_throttled(personas: Personas) -> None:
    _suggestion, code = services.suggestion_post(about="other", text=TEXT)
    headers = bearer(personas.alice)
    for _ in range(RECEIPT_TRIES_PER_HOUR):
        assert Client().get(f"{URL}/receipt/AAAA-BBBB-CCCC-DDDD", **headers).status_code == 404
    assert Client().get(f"{URL}/receipt/{code}", **headers).status_code == 429

"""No author is stored anywhere (DESIGN.md §7): posting a suggestion writes nothing that
names the poster — not in the suggestion, not in an audit history, not in HR's
notification, not in a log line, not in the admin's log, not in the session.

The one row the posting request writes that belongs to the poster is their own session
(``django_session``): the idle-timeout middleware refreshes its "last seen" time at most
once a minute on *every* request, whatever the page. It holds the sign-in keys and that
time — the same as before the post — and never the receipt code or the suggestion (the
code is shown in the answer to the POST, not through the session's messages). The test
checks exactly that.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from kaopei.core.models import Notification
from kaopei.feedback.models import Suggestion
from tests.conftest import Personas

TEXT = "Entering every call twice, in CRM and in the branch log, costs us an hour a day."


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def identity(personas: Personas) -> tuple[set[str], set[int]]:
    """What names Alice: her login, number, name, e-mail; her user and employee ids."""
    alice = personas.alice
    alice.user.email = "an.li@bank.example"
    alice.user.save()
    texts = {alice.user.username, alice.employee_no, alice.name, alice.user.email}
    return {t for t in texts if t}, {alice.user.pk, alice.pk}


class Writes:
    """Every INSERT/UPDATE/DELETE with its parameters, as the driver receives them."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            rows = params if many else [params]
            for row in rows or [()]:
                self.statements.append((sql, tuple(row or ())))
        return execute(sql, params, many, context)


def flat(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in flat(item)]
    return [value]


def test_posting_writes_nothing_that_names_the_poster(personas: Personas) -> None:
    texts, ids = identity(personas)
    client = personas.client(personas.alice)
    client.get(reverse("feedback:suggestion_post"))  # the session's last-seen time is fresh
    writes = Writes()
    with connection.execute_wrapper(writes):
        response = client.post(
            reverse("feedback:suggestion_post"), {"about": "process", "text": TEXT}
        )
    assert response.status_code == 200
    code = response.context["code"]
    tables = set()
    for sql, params in writes.statements:
        table = sql.split('"')[1] if '"' in sql else sql
        tables.add(table)
        if table == "django_session":
            continue  # checked below: no code, no suggestion, nothing new
        for value in flat(params):
            if isinstance(value, str):
                assert not any(t in value for t in texts), f"{table} stores {value!r}"
            if table == "core_notification":
                continue  # its user ids are the HR recipients, checked below
            if isinstance(value, int) and not isinstance(value, bool):
                assert value not in ids, f"{table} stores the poster's id {value}"
    # Only the suggestion and HR's notification were written (and the session, maybe).
    assert tables <= {"feedback_suggestion", "core_notification", "django_session"}, tables
    assert "feedback_suggestion" in tables
    # The notification goes to HR and says nothing of the poster.
    for note in Notification.objects.all():
        assert note.user_id == personas.hr.user.pk
        assert not any(t in note.text_zh + note.text_en + note.url for t in texts)
    # The suggestion row has no field that could hold an author.
    row = Suggestion.objects.values().get()
    assert row["about_employee_id"] is None and row["handled_by_id"] is None
    assert not any(isinstance(v, str) and any(t in v for t in texts) for v in row.values())
    assert not hasattr(Suggestion, "history")
    assert not LogEntry.objects.exists()
    # The session holds the sign-in keys and the last-seen time; no code, no suggestion.
    session = Session.objects.get(session_key=client.session.session_key).get_decoded()
    assert set(session) <= {
        "_auth_user_id",
        "_auth_user_backend",
        "_auth_user_hash",
        "kaopei_last_seen",
    }, set(session)
    assert code.replace("-", "") not in str(session) and code not in str(session)
    assert str(row["id"]) not in str(session)


def test_posting_logs_nothing_that_names_the_poster(
    personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    texts, _ids = identity(personas)
    client = personas.client(personas.alice)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("feedback:suggestion_post"), {"about": "process", "text": TEXT})
        client.post(reverse("feedback:suggestion_post"), {"about": "process", "text": "short"})
    assert Suggestion.objects.count() == 1
    for record in caplog.records:
        message = record.getMessage()
        assert not any(t in message for t in texts), message


def test_hr_pages_show_no_author(personas: Personas) -> None:
    texts, _ids = identity(personas)
    personas.client(personas.alice).post(
        reverse("feedback:suggestion_post"), {"about": "process", "text": TEXT}
    )
    suggestion = Suggestion.objects.get()
    hr = personas.client(personas.hr)
    for url in (
        reverse("feedback:suggestion_triage"),
        reverse("feedback:suggestion_detail", args=[suggestion.pk]),
        reverse("notifications:list"),
    ):
        page = hr.get(url).content.decode()
        assert not any(t in page for t in texts), url

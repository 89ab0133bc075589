"""Notifications in the app and by e-mail: the service (kaopei.core.notifications), the
list (reading writes nothing; marking read and opening are POSTs), the top bar's count and
the e-mail settings."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy, gettext_noop

from kaopei.core.models import Notification, UserPreferences
from kaopei.core.notifications import (
    notification_kinds,
    notification_unread_count,
    notify,
    register_kind,
)
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

LIST = "/accounts/notifications/"
SETTINGS = "/accounts/notifications/settings/"
KIND = "test_kind"
OTHER = "test_other"


@pytest.fixture(autouse=True)
def kinds() -> Iterator[None]:
    register_kind(KIND, gettext_lazy("Assessment cycle published"))
    register_kind(OTHER, gettext_lazy("My appeal answered"))
    yield
    from kaopei.core import notifications

    notifications._KINDS.pop(KIND, None)
    notifications._KINDS.pop(OTHER, None)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def en(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def with_email(*people: Any) -> None:
    for person in people:
        person.user.email = f"{person.employee_no.lower()}@bank.example"
        person.user.save(update_fields=["email"])


def send(users: list[Any], *, capture: Any, url: str = "/assessment/my/", kind: str = KIND) -> int:
    with capture(execute=True):
        return notify(
            users=users,
            kind=kind,
            message=gettext_noop(
                "Your %(cycle)s scorecard is final. Please read and acknowledge it."
            ),
            params={"cycle": "2026Q1"},
            url=url,
        )


# --- The service ------------------------------------------------------------------------------


def test_a_notification_is_stored_in_both_languages_for_each_recipient_once(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    assert (
        send(
            [p.alice.user, p.bob.user.pk, p.alice.user, None],
            capture=django_capture_on_commit_callbacks,
        )
        == 2
    )
    notes = Notification.objects.order_by("user_id")
    assert {n.user_id for n in notes} == {p.alice.user_id, p.bob.user_id}
    note = notes.get(user=p.alice.user)
    assert note.kind == KIND and note.url == "/assessment/my/" and note.read_at is None
    assert note.text_en == "Your 2026Q1 scorecard is final. Please read and acknowledge it."
    assert note.text_zh == "您的 2026Q1 考核结果已定稿，请查阅并签字确认。"


def test_an_unknown_kind_is_a_programming_error(personas: Personas) -> None:
    with pytest.raises(LookupError):
        notify(users=[personas.alice.user], kind="no_such_kind", message="x")
    assert not Notification.objects.exists()


def test_the_email_goes_after_the_commit_to_those_with_an_address_in_their_language(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    with_email(p.alice, p.bob)
    UserPreferences.objects.create(user=p.bob.user, language="en")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        notify(
            users=[p.alice.user, p.bob.user, p.sup.user],  # Sun Pei has no address
            kind=KIND,
            message=gettext_noop(
                "Your %(cycle)s scorecard is final. Please read and acknowledge it."
            ),
            params={"cycle": "2026Q1"},
            url="/assessment/my/",
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in pending:
        callback()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"a001@bank.example", "b001@bank.example"}
    alice, bob = by_to["a001@bank.example"], by_to["b001@bank.example"]
    assert (
        alice.subject == "考培：您的 2026Q1 考核结果已定稿，请查阅并签字确认。"
    )  # the site's language
    assert "http://kaopei.test/assessment/my/" in alice.body
    assert "http://kaopei.test/accounts/notifications/settings/" in alice.body
    assert bob.subject == "Kaopei: Your 2026Q1 scorecard is final. Please read and acknowledge it."
    assert "Turn it off in your notification settings" in bob.body


def test_people_who_turned_a_kind_off_get_it_in_the_app_only(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    with_email(p.alice, p.bob)
    UserPreferences.objects.create(user=p.alice.user, email_off=[KIND])
    send([p.alice.user, p.bob.user], capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["b001@bank.example"]]
    assert Notification.objects.filter(user=p.alice.user).count() == 1
    mail.outbox.clear()
    send([p.alice.user], capture=django_capture_on_commit_callbacks, kind=OTHER)
    assert [m.to for m in mail.outbox] == [["a001@bank.example"]]  # only that kind is off


def test_a_failing_mail_server_fails_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any, settings: Any, caplog: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.core.test_notifications.BrokenBackend"
    with_email(personas.alice)
    assert send([personas.alice.user], capture=django_capture_on_commit_callbacks) == 1
    assert Notification.objects.count() == 1
    assert "sending the test_kind notification e-mails failed" in caplog.text


class BrokenBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("connection refused")


# --- The list, the top bar and reading ----------------------------------------------------------


def notes_for(person: Any, n: int = 1, url: str = "/assessment/my/") -> list[Notification]:
    return [
        Notification.objects.create(
            user=person.user, kind=KIND, text_zh=f"通知{i}", text_en=f"Notice {i}", url=url
        )
        for i in range(n)
    ]


def test_the_list_shows_ones_own_notifications_and_reading_it_writes_nothing(
    personas: Personas,
) -> None:
    p = personas
    notes_for(p.alice, 2)
    Notification.objects.create(user=p.bob.user, text_zh="给白波", text_en="For Bob only")
    client = en(p.client(p.alice))
    with CaptureQueriesContext(connection) as ctx:
        body = text(client.get(LIST))
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert [w for w in writes if "django_session" not in w] == []
    assert "Notice 0" in body and "Notice 1" in body and "For Bob only" not in body
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    assert "通知0" in text(p.client(p.alice).get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans"))


def test_the_list_filters_unread_and_refuses_a_bad_filter(personas: Personas) -> None:
    p = personas
    first, second = notes_for(p.alice, 2)
    first.read_at = first.created_at
    first.save()
    client = en(p.client(p.alice))
    body = text(client.get(LIST, {"show": "unread"}))
    assert "Notice 1" in body and "Notice 0" not in body
    assert client.get(LIST, {"show": "everything"}).status_code == 400
    assert client.get(LIST, {"page": "x"}).status_code == 400


def test_the_list_is_paginated(personas: Personas) -> None:
    notes_for(personas.alice, 30)
    client = en(personas.client(personas.alice))
    assert "Page 1 of 2 (30 in all)" in text(client.get(LIST))
    assert "Notice 0" in text(client.get(LIST, {"page": 2}))


def test_marking_read_is_a_post_on_ones_own_notification(personas: Personas) -> None:
    p = personas
    (note,) = notes_for(p.alice)
    url = f"/accounts/notifications/{note.pk}/read/"
    assert en(p.client(p.alice)).get(url).status_code == 405
    assert en(p.client(p.bob)).post(url).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    response = en(p.client(p.alice)).post(url, {"next": "/accounts/notifications/?show=unread"})
    assert (
        response.status_code == 302
        and response["Location"] == "/accounts/notifications/?show=unread"
    )
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_all_read_marks_only_ones_own(personas: Personas) -> None:
    p = personas
    notes_for(p.alice, 3)
    notes_for(p.bob, 1)
    response = en(p.client(p.alice)).post(
        "/accounts/notifications/read-all/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST  # an outside address is never followed
    assert notification_unread_count(user=p.alice.user) == 0
    assert notification_unread_count(user=p.bob.user) == 1


def test_opening_marks_read_and_goes_to_its_page(personas: Personas) -> None:
    p = personas
    (note,) = notes_for(p.alice, url="/assessment/cycles/2026Q1/scorecards/A001/")
    url = f"/accounts/notifications/{note.pk}/open/"
    assert en(p.client(p.alice)).get(url).status_code == 405
    assert en(p.client(p.sup)).post(url).status_code == 404  # even her supervisor's
    response = en(p.client(p.alice)).post(url)
    assert response.status_code == 302
    assert response["Location"] == "/assessment/cycles/2026Q1/scorecards/A001/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "bad", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"]
)
def test_opening_never_follows_a_link_outside_kaopei(personas: Personas, bad: str) -> None:
    p = personas
    (note,) = notes_for(p.alice, url=bad)
    response = en(p.client(p.alice)).post(f"/accounts/notifications/{note.pk}/open/", follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "leads outside Kaopei: not followed" in text(response)


def test_the_top_bar_counts_unread_in_one_query(personas: Personas) -> None:
    p = personas
    notes_for(p.alice, 3)
    with CaptureQueriesContext(connection) as ctx:
        assert notification_unread_count(user=p.alice.user) == 3
    assert len(ctx.captured_queries) == 1
    body = text(en(p.client(p.alice)).get("/accounts/me/"))
    assert 'aria-label="3 unread">3</span>' in body
    assert 'href="/accounts/notifications/"' in body
    assert "unread" not in text(en(p.client(p.bob)).get("/accounts/me/")).split("<main")[0]


def test_the_list_page_makes_a_fixed_number_of_queries(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    client = en(personas.client(personas.alice))
    client.get(LIST)  # the session is warm
    notes_for(personas.alice, 5)
    # session, user, roles, employee, top-bar count, list count, list page
    with django_assert_num_queries(7):
        client.get(LIST)
    notes_for(personas.alice, 10)
    with django_assert_num_queries(7):
        client.get(LIST)


def test_the_pages_need_a_login(personas: Personas) -> None:
    for url in (LIST, SETTINGS):
        response = Client().get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


# --- Settings -----------------------------------------------------------------------------------


def test_the_settings_page_lists_every_kind_ticked_and_saves_the_choice(personas: Personas) -> None:
    p = personas
    client = en(p.client(p.alice))
    body = text(client.get(SETTINGS))
    assert not UserPreferences.objects.exists()  # reading writes nothing
    for kind in notification_kinds():
        assert f'value="{kind.code}"' in body and str(kind.label) in body
    assert body.count("checked") >= len(notification_kinds())
    assert "Kaopei has no e-mail address for you" in body
    kept = [k.code for k in notification_kinds() if k.code != KIND]
    response = client.post(SETTINGS, {"email": kept, "language": "en"})
    assert response.status_code == 302
    prefs = UserPreferences.objects.get(user=p.alice.user)
    assert prefs.email_off == [KIND] and prefs.language == "en"
    assert f'value="{KIND}" id' in text(client.get(SETTINGS))


def test_the_settings_refuse_an_unknown_kind_or_language(personas: Personas) -> None:
    client = en(personas.client(personas.alice))
    response = client.post(SETTINGS, {"email": ["nonsense"], "language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not UserPreferences.objects.exists()


def test_the_language_a_person_chooses_is_remembered_for_their_emails(personas: Personas) -> None:
    p = personas
    client = p.client(p.alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/me/"})
    assert UserPreferences.objects.get(user=p.alice.user).language == "en"
    client.post("/i18n/setlang/", {"language": "xx"})
    assert UserPreferences.objects.get(user=p.alice.user).language == "en"
    assert Client().post("/i18n/setlang/", {"language": "en"}).status_code == 302
    assert UserPreferences.objects.count() == 1


def test_notifications_made_while_emails_are_held_are_stored_but_not_mailed(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from kaopei.core.notifications import emails_held

    with_email(personas.alice)
    with emails_held():
        assert send([personas.alice.user], capture=django_capture_on_commit_callbacks) == 1
    assert Notification.objects.filter(user=personas.alice.user).count() == 1
    assert mail.outbox == []
    send([personas.alice.user], capture=django_capture_on_commit_callbacks)  # held no more
    assert len(mail.outbox) == 1

"""The suggestion box round trip: post, keep the receipt code, read HR's reply with it;
HR's triage (filters, theme, review, reply, close with confirmation); guessing is throttled."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.models import Notification
from kaopei.feedback.models import Suggestion
from kaopei.feedback.selectors.suggestions import RECEIPT_TRIES_PER_HOUR
from kaopei.feedback.services import suggestions as services
from tests.conftest import Personas

CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b")
TEXT = "The customer follow-up process after a complaint is unclear: who calls back, and when?"


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def post(client: Any, **data: str) -> Any:
    return client.post(
        reverse("feedback:suggestion_post"), {"about": "process", "text": TEXT, **data}
    )


def read(client: Any, code: str) -> Any:
    return client.post(reverse("feedback:suggestion_receipt"), {"code": code})


def test_a_receipt_code_has_at_least_80_bits_from_an_unambiguous_alphabet() -> None:
    assert len(services.RECEIPT_ALPHABET) == 32
    assert not set("01IO") & set(services.RECEIPT_ALPHABET)
    assert services.RECEIPT_LENGTH * math.log2(len(services.RECEIPT_ALPHABET)) >= 80
    code = services.receipt_display(services._receipt_new())
    assert CODE.fullmatch(code)


def test_anyone_employed_posts_and_reads_the_reply_with_the_receipt_code(
    personas: Personas,
) -> None:
    client = personas.client(personas.alice)
    response = post(client)
    assert response.status_code == 200
    match = CODE.search(response.content.decode())
    assert match is not None
    code = match.group(1)
    suggestion = Suggestion.objects.get()
    assert suggestion.receipt_hash == services.receipt_hash(code.replace("-", ""))
    assert suggestion.text == TEXT
    assert suggestion.posted_on == timezone.localdate()
    assert suggestion.status == Suggestion.Status.NEW
    services.suggestion_reply(
        suggestion=suggestion,
        reply="Thank you: the branch will call back within two working days.",
        seen_reply="",
        user=personas.hr.user,
    )
    # Typed in lower case with spaces: still the code.
    page = read(client, code.lower().replace("-", " "))
    assert page.status_code == 200
    assert page.context["suggestion"] == suggestion
    assert "within two working days" in page.content.decode()


def test_a_wrong_code_gets_one_clear_message(personas: Personas) -> None:
    client = personas.client(personas.bob)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for code in ("AAAA-BBBB-CCCC-DDDD", "short", "0000-1111-IIII-OOOO", "x" * 5000):
        page = read(client, code)
        assert page.status_code == 200
        assert page.context["suggestion"] is None
        assert "errorlist" in page.content.decode()


def test_guessing_is_throttled_per_user(personas: Personas) -> None:
    _suggestion, code = services.suggestion_post(about="process", text=TEXT)
    client = personas.client(personas.bob)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(RECEIPT_TRIES_PER_HOUR):
        read(client, "AAAA-BBBB-CCCC-DDDD")
    blocked = read(client, code)
    assert blocked.context["suggestion"] is None
    assert "Too many codes were tried" in blocked.content.decode()
    # Another person is not held back by Bob's tries.
    assert read(personas.client(personas.alice), code).context["suggestion"] is not None


@pytest.mark.parametrize(
    "data",
    [
        {"text": "too short"},
        {"text": "x" * 4001},
        {"about": "nonsense"},
        {"about": "team"},
        {"about": "person", "about_employee_no": "NOBODY"},
    ],
    ids=["9 characters", "4001 characters", "unknown about", "team missing", "unknown person"],
)
def test_bad_input_shows_the_form_again_and_stores_nothing(
    personas: Personas, data: dict[str, str]
) -> None:
    response = post(personas.client(personas.alice), **data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not CODE.search(response.content.decode())
    assert not Suggestion.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_bad_input(db: None) -> None:
    for kwargs in (
        {"about": "process", "text": " " * 20},
        {"about": "team", "text": TEXT},
        {"about": "person", "text": TEXT},
        {"about": "other", "text": "y" * 4001},
    ):
        with pytest.raises(ApplicationError):
            services.suggestion_post(**kwargs)  # type: ignore[arg-type]


def test_a_suggestion_about_a_team_or_a_person_keeps_only_that_target(
    personas: Personas,
) -> None:
    client = personas.client(personas.bob)
    post(client, about="team", about_unit=str(personas.bj_t1.pk), about_employee_no="A001")
    post(client, about="person", about_employee_no="A001", about_unit=str(personas.bj_t1.pk))
    team = Suggestion.objects.get(about="team")
    person = Suggestion.objects.get(about="person")
    assert (team.about_unit, team.about_employee) == (personas.bj_t1, None)
    assert (person.about_unit, person.about_employee) == (None, personas.alice)


def test_hr_hears_of_new_suggestions_once_a_day_never_when_one_is_posted(
    personas: Personas,
) -> None:
    post(personas.client(personas.alice))
    post(personas.client(personas.bob))
    assert not Notification.objects.exists()  # its time would date the post
    today = timezone.localdate()
    assert services.suggestions_digest_send(today=today) == 0  # posted today: tomorrow
    tomorrow = today + timedelta(days=1)
    assert services.suggestions_digest_send(today=tomorrow) == 2
    note = Notification.objects.get()
    assert note.user == personas.hr.user
    assert note.kind == services.SUGGESTION_NEW
    assert note.url == reverse("feedback:suggestion_triage")
    assert services.suggestions_digest_send(today=tomorrow) == 0  # counted once


def test_a_suggestion_about_a_person_is_shown_to_hr_only(personas: Personas) -> None:
    suggestion, _code = services.suggestion_post(
        about="person", about_employee=personas.alice, text=TEXT
    )
    url = reverse("feedback:suggestion_detail", args=[suggestion.pk])
    for who in (personas.alice, personas.sup, personas.exec, personas.bob):
        assert personas.client(who).get(url).status_code == 403
        listing = personas.client(who).get(reverse("feedback:suggestion_triage"))
        assert listing.status_code == 403
    assert personas.client(personas.hr).get(url).status_code == 200


def test_hr_triages_with_filters_theme_review_reply_and_a_confirmed_close(
    personas: Personas,
) -> None:
    crm, _c1 = services.suggestion_post(
        about="process", text="CRM data entry takes an hour a day; fields are asked twice."
    )
    team, _c2 = services.suggestion_post(
        about="team", about_unit=personas.sh_t1, text="Our team meeting runs too long."
    )
    client = personas.client(personas.hr)
    triage = reverse("feedback:suggestion_triage")

    def listed(query: str = "") -> set[Any]:
        return {s.pk for s in client.get(triage + query).context["page_obj"]}

    assert listed() == {crm.pk, team.pk}
    assert listed("?about=team") == {team.pk}
    assert listed("?q=CRM") == {crm.pk}
    client.post(reverse("feedback:suggestion_theme", args=[crm.pk]), {"theme": "CRM"})
    assert listed("?theme=CRM") == {crm.pk}
    client.post(reverse("feedback:suggestion_review", args=[crm.pk]))
    assert listed("?status=in_review") == {crm.pk}
    client.post(
        reverse("feedback:suggestion_reply", args=[crm.pk]),
        {"reply": "We are removing the duplicate fields in May.", "theme": "CRM", "seen_reply": ""},
    )
    crm.refresh_from_db()
    assert crm.status == Suggestion.Status.ANSWERED
    assert crm.handled_by == personas.hr.user
    assert crm.replied_on == timezone.localdate()
    close = reverse("feedback:suggestion_close", args=[crm.pk])
    assert client.get(close).status_code == 200
    crm.refresh_from_db()
    assert crm.status == Suggestion.Status.ANSWERED
    assert client.post(close).status_code == 302
    crm.refresh_from_db()
    assert crm.status == Suggestion.Status.CLOSED
    with pytest.raises(ConflictError):
        services.suggestion_reply(suggestion=crm, reply="More", seen_reply=crm.reply, user=None)
    assert client.get(triage + "?page=x").status_code == 400


def test_a_reply_written_over_another_admins_reply_is_refused(personas: Personas) -> None:
    suggestion, _code = services.suggestion_post(about="other", text=TEXT)
    services.suggestion_reply(
        suggestion=suggestion, reply="First answer", seen_reply="", user=personas.hr.user
    )
    with pytest.raises(ConflictError):
        services.suggestion_reply(
            suggestion=suggestion, reply="Second answer", seen_reply="", user=personas.hr.user
        )
    suggestion.refresh_from_db()
    assert suggestion.reply == "First answer"


def test_the_list_is_ordered_by_day_then_a_random_key_never_by_arrival(
    personas: Personas,
) -> None:
    posted = [services.suggestion_post(about="other", text=f"{TEXT} #{i}")[0] for i in range(8)]
    page = personas.client(personas.hr).get(reverse("feedback:suggestion_triage"))
    shown = [s.pk for s in page.context["page_obj"]]
    by_hash = [s.pk for s in sorted(posted, key=lambda s: s.receipt_hash)]
    assert shown == by_hash

"""Customer surveys by link: sending (links shown once, e-mailed after the commit), the
customer's public page, single use, the same page for every unusable link, bad answers,
withdrawing, the list, and the answers counting in ``nps`` like imported ones."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kaopei.assessment.models import ScoreLine
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.errors import ApplicationError
from kaopei.facts.models import Customer, SurveyResponse
from kaopei.feedback.models import SurveyInvitation
from kaopei.feedback.services import surveys as services
from kaopei.feedback.tokens import hash_token
from tests.conftest import Personas

LINK = re.compile(r"/feedback/survey/([A-Za-z0-9_-]{20,})/")


@pytest.fixture
def customers(world: Personas) -> dict[str, Customer]:
    p = world
    lost = Customer.objects.create(
        customer_no="C009",
        name="丙公司",
        owner=p.alice,
        acquired_on=date(2024, 1, 1),
        lost_on=date(2025, 6, 1),
    )
    second = Customer.objects.create(
        customer_no="C003", name="丁公司", owner=p.alice, acquired_on=date(2025, 2, 1)
    )
    return {
        "alice": Customer.objects.get(customer_no="C001"),
        "alice2": second,
        "lost": lost,
        "bob": Customer.objects.get(customer_no="C002"),
    }


def send(p: Personas, customer: Customer, **kwargs: Any) -> tuple[SurveyInvitation, str]:
    kwargs.setdefault("emails", {customer.pk: "buyer@example.com"})
    sent = services.survey_invitations_send(
        employee=customer.owner, customer_ids=[customer.pk], user=p.sup.user, **kwargs
    )
    match = LINK.search(sent[0].url)
    assert match is not None
    return sent[0].invitation, match.group(1)


def answer_page(token: str) -> str:
    return reverse("feedback:survey_answer", args=[token])


# --- Sending -----------------------------------------------------------------------------------


def test_a_supervisor_sends_surveys_by_mail_and_never_sees_a_link(
    world: Personas, customers: dict[str, Customer], django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client(world.sup)
    data = {
        "person": "A001",
        "customers": [customers["alice"].pk, customers["alice2"].pk],
        f"email_{customers['alice'].pk}": "buyer@example.com",
        "ask_csat": "on",
        "expiry_days": "14",
    }
    # Every chosen customer needs an address: a link goes to the customer only.
    refused = client.post(reverse("feedback:survey_send"), data)
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert not SurveyInvitation.objects.exists()
    data[f"email_{customers['alice2'].pk}"] = "owner@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:survey_send"), data)
    assert response.status_code == 200
    assert not LINK.findall(response.content.decode())  # staff never see a link
    invitations = SurveyInvitation.objects.filter(employee=world.alice)
    assert invitations.count() == 2
    assert len(mail.outbox) == 2
    tokens = [t for m in mail.outbox for t in LINK.findall(m.body)]
    assert len(set(tokens)) == 2
    # Only the hashes are stored.
    stored = {i.token_hash for i in invitations}
    assert stored == {hash_token(t) for t in set(tokens)}
    assert not SurveyInvitation.objects.filter(
        Q(token_hash__in=tokens) | Q(email__in=tokens)
    ).exists()
    first = invitations.get(customer=customers["alice"])
    assert first.sent_by == world.sup.user
    assert first.expires_at - timezone.now() > timedelta(days=13)
    # Each customer receives their link, in Chinese and English.
    message = next(m for m in mail.outbox if m.to == ["buyer@example.com"])
    assert any(t in message.body for t in tokens)
    assert "客户经理" in message.subject and "account manager" in message.subject
    # The list shows no link: it cannot be shown again.
    listing = client.get(reverse("feedback:survey_list")).content.decode()
    assert not LINK.search(listing)


def test_no_mail_leaves_when_the_send_is_refused(
    world: Personas, customers: dict[str, Customer], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        services.survey_invitations_send(
            employee=world.alice,
            customer_ids=[customers["alice"].pk, customers["bob"].pk],
            emails={customers["alice"].pk: "buyer@example.com"},
            user=world.sup.user,
        )
    assert not SurveyInvitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("which", "days"),
    [("bob", 30), ("lost", 30), ("alice", 0), ("alice", 91)],
    ids=["another's customer", "a lost customer", "expiry 0", "expiry 91"],
)
def test_a_survey_goes_only_to_a_current_customer_for_1_to_90_days(
    world: Personas, customers: dict[str, Customer], which: str, days: int
) -> None:
    with pytest.raises(ApplicationError):
        services.survey_invitations_send(
            employee=world.alice,
            customer_ids=[customers[which].pk],
            expiry_days=days,
            user=world.sup.user,
        )
    assert not SurveyInvitation.objects.exists()


def test_the_send_page_refuses_a_customer_of_someone_else_without_storing(
    world: Personas, customers: dict[str, Customer]
) -> None:
    client = world.client(world.sup)
    response = client.post(
        reverse("feedback:survey_send"),
        {"person": "A001", "customers": [customers["bob"].pk], "expiry_days": "30"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_a_supervisor_cannot_survey_outside_their_chain_nor_an_account_manager_at_all(
    world: Personas, customers: dict[str, Customer]
) -> None:
    url = reverse("feedback:survey_send") + "?person=A001"
    assert world.client(world.sup2).get(url).status_code == 404
    assert world.client(world.sup).get(url).status_code == 200
    assert world.client(world.hr).get(url).status_code == 200
    assert world.client(world.alice).get(url).status_code == 403
    # A supervisor does not survey about themself.
    own = reverse("feedback:survey_send") + "?person=S001"
    assert world.client(world.sup).get(own).status_code == 404


# --- The customer's page -----------------------------------------------------------------------


def test_the_customer_page_shows_the_account_manager_and_nothing_else(
    world: Personas, customers: dict[str, Customer]
) -> None:
    _invitation, token = send(world, customers["alice"])
    page = Client().get(answer_page(token)).content.decode()
    assert world.alice.name in page
    for hidden in ("C001", "A001", world.sup.name, "BJ-T1", world.alice.user.username):
        assert hidden not in page
    assert 'name="nps"' in page and 'name="csat"' in page


def test_a_customer_answers_once_and_the_answer_becomes_a_link_survey_fact(
    world: Personas, customers: dict[str, Customer]
) -> None:
    invitation, token = send(world, customers["alice"])
    response = Client().post(answer_page(token), {"nps": "9", "csat": "4"})
    assert response.status_code == 200
    fact = SurveyResponse.objects.get()
    assert fact.source == SurveyResponse.Source.LINK
    assert re.fullmatch(r"LINK-[0-9A-F]{12}", fact.response_id)
    assert (fact.employee, fact.customer, fact.nps, fact.csat) == (
        world.alice,
        customers["alice"],
        9,
        4,
    )
    assert fact.responded_on == timezone.localdate()
    invitation.refresh_from_db()
    assert invitation.status == SurveyInvitation.Status.ANSWERED
    assert invitation.response == fact
    assert invitation.answered_on == fact.responded_on
    # The link is spent.
    again = Client().post(answer_page(token), {"nps": "0", "csat": "1"})
    assert again.status_code == 410
    assert SurveyResponse.objects.count() == 1


def test_every_unusable_link_gets_the_same_page_and_stores_nothing(
    world: Personas, customers: dict[str, Customer]
) -> None:
    answered, answered_token = send(world, customers["alice"])
    services.survey_answer(raw_token=answered_token, nps=8, csat=4)
    expired, expired_token = send(world, customers["alice"])
    SurveyInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    cancelled, cancelled_token = send(world, customers["alice2"])
    services.survey_invitation_cancel(invitation=cancelled, user=world.sup.user)
    before = SurveyResponse.objects.count()
    bodies = set()
    for token in (answered_token, expired_token, cancelled_token, "unknown-token", "x" * 300):
        for method in ("get", "post"):
            response = getattr(Client(), method)(answer_page(token), {"nps": "10", "csat": "5"})
            assert response.status_code == 410
            # The page's own content (the header's language switch returns to the address).
            body = response.content.decode()
            bodies.add(body[body.index("<main>") :])
    assert len(bodies) == 1
    assert SurveyResponse.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [{"nps": "11", "csat": "4"}, {"nps": "abc", "csat": "4"}, {"csat": "4"}, {"nps": "-1"}],
    ids=["11", "not a number", "missing", "negative"],
)
def test_a_bad_score_shows_a_clear_error_and_stores_nothing(
    world: Personas, customers: dict[str, Customer], data: dict[str, str]
) -> None:
    invitation, token = send(world, customers["alice"])
    with translation.override("en"):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").post(answer_page(token), data)
    assert response.status_code == 200
    assert "Choose a score from 0 to 10." in response.content.decode()
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == SurveyInvitation.Status.SENT


def test_satisfaction_is_required_only_when_the_survey_asks_for_it(
    world: Personas, customers: dict[str, Customer]
) -> None:
    _asked, token = send(world, customers["alice"])
    missing = Client(HTTP_ACCEPT_LANGUAGE="en").post(answer_page(token), {"nps": "7"})
    assert "Choose a satisfaction score from 1 to 5." in missing.content.decode()
    assert not SurveyResponse.objects.exists()
    _plain, plain_token = send(world, customers["alice2"], ask_csat=False)
    page = Client().get(answer_page(plain_token)).content.decode()
    assert 'name="csat"' not in page
    Client().post(answer_page(plain_token), {"nps": "7", "csat": "5"})
    assert SurveyResponse.objects.get().csat is None


def test_the_service_refuses_scores_out_of_range(
    world: Personas, customers: dict[str, Customer]
) -> None:
    _invitation, token = send(world, customers["alice"])
    for nps, csat in ((11, 4), (-1, 4), (8, 0), (8, 6), (8, None)):
        with pytest.raises(ApplicationError):
            services.survey_answer(raw_token=token, nps=nps, csat=csat)
    assert not SurveyResponse.objects.exists()


def test_the_customer_switches_language_without_signing_in(
    world: Personas, customers: dict[str, Customer]
) -> None:
    _invitation, token = send(world, customers["alice"])
    client = Client()
    page = client.get(answer_page(token)).content.decode()
    assert reverse("set_language") in page
    assert "您向朋友" in page or "推荐" in page
    client.post(reverse("set_language"), {"language": "en", "next": answer_page(token)})
    english = client.get(answer_page(token)).content.decode()
    assert "How likely are you to recommend" in english


# --- Withdrawing and the list --------------------------------------------------------------------


def test_a_supervisor_withdraws_an_unanswered_survey_after_confirming(
    world: Personas, customers: dict[str, Customer]
) -> None:
    invitation, token = send(world, customers["alice"])
    client = world.client(world.sup)
    url = reverse("feedback:survey_cancel", args=[invitation.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == SurveyInvitation.Status.SENT
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == SurveyInvitation.Status.CANCELLED
    assert Client().get(answer_page(token)).status_code == 410


def test_an_answered_survey_cannot_be_withdrawn(
    world: Personas, customers: dict[str, Customer]
) -> None:
    invitation, token = send(world, customers["alice"])
    services.survey_answer(raw_token=token, nps=10, csat=5)
    response = world.client(world.hr).post(
        reverse("feedback:survey_cancel", args=[invitation.pk]), follow=True
    )
    invitation.refresh_from_db()
    assert invitation.status == SurveyInvitation.Status.ANSWERED
    assert list(response.context["messages"])


def test_the_list_is_scoped_and_filters_by_status_person_and_search(
    world: Personas, customers: dict[str, Customer]
) -> None:
    answered, token = send(world, customers["alice"])
    services.survey_answer(raw_token=token, nps=10, csat=5)
    waiting, _t = send(world, customers["alice2"])
    services.survey_invitations_send(
        employee=world.bob,
        customer_ids=[customers["bob"].pk],
        emails={customers["bob"].pk: "b@example.com"},
        user=world.sup2.user,
    )
    url = reverse("feedback:survey_list")

    def rows(who: Any, query: str = "") -> set[str]:
        response = world.client(who).get(url + query)
        assert response.status_code == 200
        return {str(i.customer.customer_no) for i in response.context["page_obj"]}

    assert rows(world.hr) == {"C001", "C003", "C002"}
    assert rows(world.sup) == {"C001", "C003"}
    assert rows(world.sup2) == {"C002"}
    assert rows(world.hr, "?status=answered") == {"C001"}
    assert rows(world.hr, "?status=sent") == {"C003", "C002"}
    assert rows(world.hr, "?person=B001") == {"C002"}
    assert rows(world.hr, "?q=丁公司") == {"C003"}
    assert world.client(world.hr).get(url + "?page=abc").status_code == 400
    assert world.client(world.alice).get(url).status_code == 403


# --- The answers count in nps --------------------------------------------------------------------


def _quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def test_a_link_answer_changes_the_persons_nps_after_re_scoring(
    world: Personas, customers: dict[str, Customer]
) -> None:
    today = timezone.localdate()
    template_create_version(
        code="fb-nps",
        level=world.am1,
        cycle_kind="quarterly",
        items=[ItemSpec("nps", Decimal(100))],
    )
    SurveyResponse.objects.create(
        response_id="WJ-1",
        employee=world.alice,
        customer=customers["alice"],
        responded_on=today,
        nps=10,
        csat=5,
    )
    code = _quarter(today)
    cycle_score(code=code, user=world.hr.user, today=today)

    def nps_line() -> ScoreLine:
        return ScoreLine.objects.get(
            scorecard__cycle__code=code, scorecard__employee=world.alice, metric__code="nps"
        )

    assert nps_line().actual == Decimal(100)
    _invitation, token = send(world, customers["alice2"])
    assert Client().post(answer_page(token), {"nps": "2", "csat": "2"}).status_code == 200
    cycle_score(code=code, user=world.hr.user, today=today)
    # One promoter and one detractor: 50% − 50%.
    assert nps_line().actual == Decimal(0)
    # The evidence lists the answer by link like the imported one, and says where it came from.
    client = world.client(world.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    evidence = client.get(
        reverse("assessment:line_evidence", args=[code, "A001", "nps"])
    ).content.decode()
    assert "WJ-1" in evidence and "LINK-" in evidence
    assert "Answered by link" in evidence

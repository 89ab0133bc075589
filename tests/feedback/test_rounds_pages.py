"""The 360 rounds pages and API: who sees what, and that an open round never tells who
has answered (kaopei/feedback/views/rounds.py, api/rounds.py)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.services import api_token_create
from kaopei.feedback.models import FeedbackRound, Invitation, RoundSubject
from kaopei.feedback.services import rounds as svc
from kaopei.feedback.services.responses import Score, response_store
from kaopei.org.models import Competency
from tests.conftest import Personas
from tests.factories import employee_with_login
from tests.matrix.feedback_rounds import make_round, published_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def open_round(personas: Personas) -> FeedbackRound:
    """2026Q1, open, about Alice (peers Carol and Dan) and Bob; Carol has answered."""
    p = personas
    employee_with_login("A002", "陈卡", p.bj_t1, p.am1, ["account_manager"], supervisor=p.sup)
    employee_with_login("A003", "丁丹", p.bj_t1, p.am1, ["account_manager"], supervisor=p.sup)
    q = published_questionnaire()
    r = make_round(cycle_get_or_create(code="2026Q1"), questionnaire=q, user=p.hr.user, units=[])
    RoundSubject.objects.create(round=r, employee=p.alice)
    RoundSubject.objects.create(round=r, employee=p.bob)
    svc.feedback_round_propose_raters(feedback_round=r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    carol = Invitation.objects.get(round=r, rater__employee_no="A002")
    Invitation.objects.filter(pk=carol.pk).update(status=Invitation.Status.COMPLETED)
    response_store(
        feedback_round=r,
        subject_id=p.alice.pk,
        relationship="peer",
        rater_id=None,
        scores={Competency.objects.get(code="R360-C").pk: Score(4)},
    )
    r.refresh_from_db()
    return r


def client(who: Any) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(who.user)
    return c


def api(who: Any) -> Client:
    _token, raw = api_token_create(user=who.user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def test_an_open_rounds_rater_list_shows_names_but_no_status(
    personas: Personas, open_round: FeedbackRound
) -> None:
    for who in (personas.hr, personas.sup):
        page = client(who).get("/feedback/rounds/2026Q1/subjects/A001/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "陈卡" in html and "丁丹" in html  # who was asked
        for word in ("Invited", "Completed", "Proposed<", "Status"):
            assert word not in html
        assert "Answers received" in html
        # Carol (answered) and Dan (not) read exactly alike.
        carol = Invitation.objects.get(rater__employee_no="A002").pk
        dan = Invitation.objects.get(rater__employee_no="A003").pk
        assert row_of(html, "陈卡").replace("陈卡", "X").replace("A002", "N").replace(
            f"/{carol}/", "/ID/"
        ) == row_of(html, "丁丹").replace("丁丹", "X").replace("A003", "N").replace(
            f"/{dan}/", "/ID/"
        )


def row_of(html: str, name: str) -> str:
    """The table row naming ``name``, without the per-form CSRF token."""
    match = re.search(r"<tr>(?:(?!</tr>).)*" + name + r"(?:(?!</tr>).)*</tr>", html, re.S)
    assert match is not None
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", match.group(0))


def test_the_round_page_shows_counts_per_person_in_the_supervisors_scope_only(
    personas: Personas, open_round: FeedbackRound
) -> None:
    html = client(personas.sup).get("/feedback/rounds/2026Q1/").content.decode()
    assert "安丽" in html and "白波" not in html
    html = client(personas.hr).get("/feedback/rounds/2026Q1/").content.decode()
    assert "安丽" in html and "白波" in html
    assert "1 answers received from" in html


def test_the_api_gives_counts_and_no_rater(personas: Personas, open_round: FeedbackRound) -> None:
    body = api(personas.sup).get("/api/v1/feedback/rounds/2026Q1").json()
    assert [p["employee_no"] for p in body["people"]] == ["A001"]
    alice = body["people"][0]
    assert (alice["raters"], alice["answered"]) == (4, 1)  # self, Sun Pei, Carol, Dan
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("陈卡", "丁丹", "A002", "A003", "completed", "invited"):
        assert secret not in text
    listing = api(personas.sup2).get("/api/v1/feedback/rounds").json()
    assert [(r["cycle"], r["subjects"]) for r in listing] == [("2026Q1", 1)]


def test_an_account_manager_sees_no_round_page_and_no_api(
    personas: Personas, open_round: FeedbackRound
) -> None:
    assert client(personas.alice).get("/feedback/rounds/2026Q1/").status_code == 403
    assert api(personas.alice).get("/api/v1/feedback/rounds").status_code == 403


def test_hr_closes_a_round_through_the_api_and_a_second_close_is_a_conflict(
    personas: Personas, open_round: FeedbackRound
) -> None:
    c = api(personas.hr)
    assert c.post("/api/v1/feedback/rounds/2026Q1/close").json()["status"] == "closed"
    second = c.post("/api/v1/feedback/rounds/2026Q1/close")
    assert second.status_code == 409 and "closed" in second.json()["detail"]
    assert api(personas.sup).post("/api/v1/feedback/rounds/2026Q1/close").status_code == 403


def test_hr_creates_a_round_and_a_second_one_for_the_cycle_is_explained(
    personas: Personas,
) -> None:
    q = published_questionnaire()
    cycle_get_or_create(code="2026Q3")
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = {"cycle": "2026Q3", "questionnaire": q.pk, "deadline": deadline}
    first = client(personas.hr).post("/feedback/rounds/new/", data)
    assert first.status_code == 302 and first["Location"] == "/feedback/rounds/2026Q3/"
    again = client(personas.hr).post("/feedback/rounds/new/", data)
    assert again.status_code == 200
    assert "already has a 360 round" in again.content.decode()
    assert FeedbackRound.objects.count() == 1


def test_opening_mails_customer_links_and_never_shows_them(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    # Whoever holds a customer's link can answer as the customer: staff never see one.
    from datetime import date

    from kaopei.facts.models import Customer

    p = personas
    with_mail = Customer.objects.create(
        customer_no="C1", name="甲公司", owner=p.alice, acquired_on=date(2025, 1, 1)
    )
    Customer.objects.create(
        customer_no="C2", name="乙公司", owner=p.alice, acquired_on=date(2025, 1, 1)
    )
    r = make_round(
        cycle_get_or_create(code="2026Q1"),
        questionnaire=published_questionnaire(),
        user=p.hr.user,
        units=[p.bj_t1],
    )
    Invitation.objects.filter(round=r, customer=with_mail).update(customer_email="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        page = client(p.hr).post(f"/feedback/rounds/{r.cycle.code}/open/", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "/feedback/answer/" not in html
    assert "1 customers were sent" in html and "1 customers have no e-mail address" in html
    assert [m.to for m in mail.outbox if "/feedback/answer/" in m.body] == [["a@example.com"]]
    statuses = dict(
        Invitation.objects.filter(round=r, customer__isnull=False).values_list(
            "customer__customer_no", "status"
        )
    )
    assert statuses == {"C1": "invited", "C2": "proposed"}
    subject = client(p.hr).get(f"/feedback/rounds/{r.cycle.code}/subjects/A001/").content.decode()
    assert "No e-mail address: not invited" in subject and "/feedback/answer/" not in subject


def test_a_subject_nominates_a_peer_from_their_own_page(personas: Personas) -> None:
    p = personas
    r = make_round(
        cycle_get_or_create(code="2026Q1"),
        questionnaire=published_questionnaire(),
        user=p.hr.user,
        units=[],
    )
    RoundSubject.objects.create(round=r, employee=p.alice)
    c = client(p.alice)
    assert "Round 2026Q1" in c.get("/feedback/rounds/mine/").content.decode()
    c.post("/feedback/rounds/2026Q1/nominate/", {"employee_no": "B001"})
    assert Invitation.objects.get(round=r, rater=p.bob).status == Invitation.Status.NOMINATED
    assert "Awaiting your supervisor" in c.get("/feedback/rounds/mine/").content.decode()
    bad = c.post("/feedback/rounds/2026Q1/nominate/", {"employee_no": "NOPE"}, follow=True)
    assert "No current colleague has this number." in bad.content.decode()
    assert (
        client(p.bob).post("/feedback/rounds/2026Q1/nominate/", {"employee_no": "A001"}).status_code
        == 404
    )

"""Running a 360 round: proposing raters, adjusting them, nominations, opening with customer
links, reminders and closing (kaopei/feedback/services/rounds.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from kaopei.assessment.services.cycles import cycle_get_or_create
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.models import Notification
from kaopei.facts.models import Customer
from kaopei.feedback.models import FeedbackRound, Invitation, Questionnaire, RoundSubject
from kaopei.feedback.selectors.rounds import round_accepts_answers, round_progress
from kaopei.feedback.services import rounds as svc
from kaopei.feedback.services.responses import Score, response_store
from kaopei.feedback.tokens import hash_token, new_token, token_expiry
from kaopei.org.models import Competency
from tests.conftest import Personas
from tests.factories import employee_with_login
from tests.matrix.feedback_rounds import make_round, published_questionnaire

pytestmark = pytest.mark.django_db

S = Invitation.Status


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def team(personas: Personas) -> dict[str, Any]:
    """BJ-T1 grows: Carol and Dan report to Sun Pei like Alice; Eve reports to Alice;
    Alice owns a strategic customer, an ordinary one and a lost one."""
    p = personas
    carol = employee_with_login(
        "A002", "陈卡", p.bj_t1, p.am1, ["account_manager"], supervisor=p.sup
    )
    dan = employee_with_login("A003", "丁丹", p.bj_t1, p.am1, ["account_manager"], supervisor=p.sup)
    eve = employee_with_login(
        "A004", "伊芙", p.bj_t1, p.am1, ["account_manager"], supervisor=p.alice
    )
    start = date(2025, 1, 1)
    plain = Customer.objects.create(customer_no="C1", name="甲", owner=p.alice, acquired_on=start)
    strategic = Customer.objects.create(
        customer_no="C2", name="乙", owner=p.alice, acquired_on=start, strategic=True
    )
    lost = Customer.objects.create(
        customer_no="C3", name="丙", owner=p.alice, acquired_on=start, lost_on=date(2026, 2, 1)
    )
    q = published_questionnaire()
    r = make_round(cycle_get_or_create(code="2026Q1"), questionnaire=q, user=p.hr.user, units=[])
    return {
        "carol": carol,
        "dan": dan,
        "eve": eve,
        "plain": plain,
        "strategic": strategic,
        "lost": lost,
        "round": r,
        "q": q,
    }


def add_alice(p: Personas, r: FeedbackRound, *, emails: bool = True) -> None:
    RoundSubject.objects.create(round=r, employee=p.alice)
    svc.feedback_round_propose_raters(feedback_round=r)
    if emails:  # a customer's link goes by e-mail only
        Invitation.objects.filter(round=r, customer__isnull=False).update(
            customer_email="buyer@example.com"
        )


def raters_of(r: FeedbackRound, subject: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for inv in Invitation.objects.filter(round=r, subject=subject).exclude(status=S.DECLINED):
        who = inv.rater.employee_no if inv.rater else inv.customer.customer_no  # type: ignore[union-attr]
        out.setdefault(inv.relationship, []).append(who)
    return {k: sorted(v) for k, v in out.items()}


# --- Creating ---------------------------------------------------------------------------------


def test_a_cycle_has_one_round_and_a_second_is_refused_with_a_clear_message(
    personas: Personas, team: dict[str, Any]
) -> None:
    with pytest.raises(ConflictError, match="already has a 360 round"):
        svc.feedback_round_create(
            cycle=team["round"].cycle, questionnaire=team["q"], deadline=None, user=None
        )
    assert FeedbackRound.objects.count() == 1


def test_a_round_needs_a_published_questionnaire(personas: Personas) -> None:
    q = published_questionnaire()
    Questionnaire.objects.filter(pk=q.pk).update(status=Questionnaire.Status.DRAFT)
    q.refresh_from_db()
    with pytest.raises(ApplicationError, match="published questionnaire"):
        svc.feedback_round_create(
            cycle=cycle_get_or_create(code="2026Q3"), questionnaire=q, deadline=None, user=None
        )
    assert not FeedbackRound.objects.exists()


def test_subjects_are_chosen_by_unit_subtree_and_level(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    n = svc.feedback_round_add_subjects(feedback_round=r, unit=p.bj, level=p.am1)
    subjects = set(
        RoundSubject.objects.filter(round=r).values_list("employee__employee_no", flat=True)
    )
    assert subjects == {"A001", "A002", "A003", "A004"}  # Sun Pei is AM3; SH is another branch
    assert n == 4
    assert svc.feedback_round_add_subjects(feedback_round=r, unit=p.bj, level=p.am1) == 0


def test_all_account_managers_employed_during_the_cycle(
    personas: Personas, team: dict[str, Any]
) -> None:
    team["dan"].left_on = date(2025, 12, 31)
    team["dan"].save()
    svc.feedback_round_add_subjects(feedback_round=team["round"], account_managers=True)
    subjects = set(
        RoundSubject.objects.filter(round=team["round"]).values_list(
            "employee__employee_no", flat=True
        )
    )
    assert "A003" not in subjects  # left before the cycle
    assert {"A001", "B001", "S001", "A002", "A004"} <= subjects
    assert "HR001" not in subjects and "T001" not in subjects


def test_choosing_nothing_is_refused(personas: Personas, team: dict[str, Any]) -> None:
    with pytest.raises(ApplicationError, match="Choose an organisation unit"):
        svc.feedback_round_add_subjects(feedback_round=team["round"])


# --- Proposing --------------------------------------------------------------------------------


def test_raters_are_proposed_self_supervisor_peers_subordinates_and_customers(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    assert raters_of(r, p.alice) == {
        "self": ["A001"],
        "supervisor": ["S001"],
        "peer": ["A002", "A003"],  # same supervisor, same unit; not Eve, her own report
        "subordinate": ["A004"],
        "customer": ["C1", "C2"],  # the lost one is not proposed
    }
    first_customer = (
        Invitation.objects.filter(round=r, subject=p.alice, relationship="customer")
        .order_by("pk")
        .first()
    )
    assert first_customer is not None and first_customer.customer == team["strategic"]
    assert set(Invitation.objects.filter(round=r).values_list("status", flat=True)) == {S.PROPOSED}


def test_someone_without_a_supervisor_gets_no_supervisor_invitation(
    personas: Personas, team: dict[str, Any]
) -> None:
    r = team["round"]
    RoundSubject.objects.create(round=r, employee=personas.sup)
    svc.feedback_round_propose_raters(feedback_round=r)
    assert "supervisor" not in raters_of(r, personas.sup)
    assert raters_of(r, personas.sup)["subordinate"] == ["A001", "A002", "A003"]


def test_peers_are_capped_and_chosen_the_same_way_every_time(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    for i in range(10):
        employee_with_login(
            f"P{i:02d}", f"同事{i}", p.bj_t1, p.am1, ["account_manager"], supervisor=p.sup
        )
    add_alice(p, r)
    peers = raters_of(r, p.alice)["peer"]
    assert len(peers) == svc.PEER_CAP
    assert peers == sorted(["A002", "A003", "P00", "P01", "P02", "P03"])


def test_proposing_again_neither_duplicates_nor_brings_back_a_removed_rater(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    carol = Invitation.objects.get(round=r, subject=p.alice, rater=team["carol"])
    svc.invitation_remove(invitation=carol, user=p.sup.user)
    before = Invitation.objects.count()
    assert svc.feedback_round_propose_raters(feedback_round=r) == 0
    assert Invitation.objects.count() == before
    carol.refresh_from_db()
    assert carol.status == S.DECLINED


# --- Adjusting --------------------------------------------------------------------------------


def test_the_self_assessment_cannot_be_removed(personas: Personas, team: dict[str, Any]) -> None:
    add_alice(personas, team["round"])
    own = Invitation.objects.get(round=team["round"], subject=personas.alice, relationship="self")
    with pytest.raises(ApplicationError, match="self-assessment"):
        svc.invitation_remove(invitation=own, user=personas.hr.user)


def test_a_colleague_reporting_to_the_subject_is_added_as_a_subordinate(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    RoundSubject.objects.create(round=r, employee=p.alice)
    inv, link = svc.invitation_add(
        feedback_round=r, subject=p.alice, user=p.sup.user, rater=team["eve"]
    )
    assert (inv.relationship, inv.status, inv.origin, link) == (
        "subordinate",
        S.PROPOSED,
        Invitation.Origin.SUPERVISOR,
        None,
    )
    with pytest.raises(ConflictError, match="already on the list"):
        svc.invitation_add(feedback_round=r, subject=p.alice, user=p.sup.user, rater=team["eve"])


def test_only_the_subjects_own_customers_can_be_added(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    RoundSubject.objects.create(round=r, employee=p.alice)
    bobs = Customer.objects.create(
        customer_no="C9", name="丁", owner=p.bob, acquired_on=date(2025, 1, 1)
    )
    with pytest.raises(ApplicationError, match="not a customer of"):
        svc.invitation_add(feedback_round=r, subject=p.alice, user=p.hr.user, customer=bobs)
    with pytest.raises(ApplicationError, match="is lost"):
        svc.invitation_add(feedback_round=r, subject=p.alice, user=p.hr.user, customer=team["lost"])
    assert not Invitation.objects.filter(round=r, relationship="customer").exists()


def test_a_nomination_waits_for_the_supervisor_who_approves_or_declines_it(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    RoundSubject.objects.create(round=r, employee=p.alice)
    inv = svc.invitation_nominate(feedback_round=r, subject=p.alice, peer=p.bob)
    assert (inv.status, inv.origin) == (S.NOMINATED, Invitation.Origin.NOMINATED)
    assert Notification.objects.filter(user=p.sup.user, kind="feedback_nomination").exists()
    with pytest.raises(ApplicationError, match="pending nominations"):
        svc.round_subject_approve_raters(feedback_round=r, subject=p.alice, user=p.sup.user)
    svc.invitation_decide(invitation=inv, approve=True, user=p.sup.user)
    inv.refresh_from_db()
    assert inv.status == S.PROPOSED
    with pytest.raises(ConflictError, match="already decided"):
        svc.invitation_decide(invitation=inv, approve=False, user=p.sup.user)
    rs = svc.round_subject_approve_raters(feedback_round=r, subject=p.alice, user=p.sup.user)
    assert rs.raters_approved_by == p.sup.user and rs.raters_approved_at is not None


def test_a_nomination_approved_in_an_open_round_is_invited_at_once(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    inv = svc.invitation_nominate(feedback_round=r, subject=p.alice, peer=p.bob)
    declined = svc.invitation_nominate(feedback_round=r, subject=p.alice, peer=p.trainer)
    svc.invitation_decide(invitation=inv, approve=True, user=p.sup.user)
    svc.invitation_decide(invitation=declined, approve=False, user=p.sup.user)
    inv.refresh_from_db()
    declined.refresh_from_db()
    assert inv.status == S.INVITED and inv.invited_at is not None
    assert declined.status == S.DECLINED
    assert Notification.objects.filter(user=p.bob.user, kind="feedback_invitation").exists()


def test_one_cannot_nominate_oneself_or_ones_supervisor(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    RoundSubject.objects.create(round=r, employee=p.alice)
    for peer in (p.alice, p.sup):
        with pytest.raises(ApplicationError, match="other than yourself"):
            svc.invitation_nominate(feedback_round=r, subject=p.alice, peer=peer)


# --- Opening ----------------------------------------------------------------------------------


def test_opening_invites_everyone_proposed_notifies_employees_and_makes_customer_links(
    personas: Personas, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r, emails=False)
    customer_inv = Invitation.objects.get(round=r, customer=team["plain"])
    customer_inv.customer_email = "buyer@example.com"
    customer_inv.save()
    Invitation.objects.filter(round=r, rater=team["dan"]).update(status=S.DECLINED)
    with django_capture_on_commit_callbacks(execute=True):
        links = svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    r.refresh_from_db()
    assert r.status == FeedbackRound.Status.OPEN and r.opened_at is not None
    statuses = dict(Invitation.objects.filter(round=r).values_list("rater__employee_no", "status"))
    assert statuses["A003"] == S.DECLINED  # removed before opening: never invited
    assert all(s == S.INVITED for k, s in statuses.items() if k is not None and k != "A003")
    # Only the customer with an address is invited; the other waits for one.
    customer_status = dict(
        Invitation.objects.filter(round=r, customer__isnull=False).values_list(
            "customer_id", "status"
        )
    )
    assert customer_status[team["plain"].pk] == S.INVITED
    assert set(customer_status.values()) == {S.INVITED, S.PROPOSED}
    assert len(links) == 1 and links[0].path.startswith("/feedback/answer/")
    for link in links:
        raw = link.path.split("/")[-2]
        inv = Invitation.objects.get(pk=link.invitation_id)
        assert inv.token_hash == hash_token(raw) and raw not in inv.token_hash
        assert inv.token_expires_at == token_expiry(r.deadline)
    invited_users = set(
        Notification.objects.filter(kind="feedback_invitation").values_list(
            "user__username", flat=True
        )
    )
    assert invited_users == {"A001", "S001", "A002", "A004"}
    assert [m.to for m in mail.outbox if m.to == ["buyer@example.com"]] == [["buyer@example.com"]]
    sent = next(m for m in mail.outbox if m.to == ["buyer@example.com"])
    assert "/feedback/answer/" in sent.body


def test_opening_needs_a_deadline_and_people(personas: Personas, team: dict[str, Any]) -> None:
    r = team["round"]
    with pytest.raises(ApplicationError, match="Add the people"):
        svc.feedback_round_open(feedback_round=r, user=personas.hr.user)
    FeedbackRound.objects.filter(pk=r.pk).update(deadline=None)
    add_alice(personas, r)
    with pytest.raises(ApplicationError, match="deadline"):
        svc.feedback_round_open(feedback_round=r, user=personas.hr.user)
    assert FeedbackRound.objects.get(pk=r.pk).status == FeedbackRound.Status.DRAFT


def test_a_customer_added_to_an_open_round_gets_a_link_at_once(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    RoundSubject.objects.create(round=r, employee=p.alice)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    with pytest.raises(ApplicationError, match="e-mail address"):
        svc.invitation_add(
            feedback_round=r, subject=p.alice, user=p.sup.user, customer=team["plain"]
        )
    inv, link = svc.invitation_add(
        feedback_round=r,
        subject=p.alice,
        user=p.sup.user,
        customer=team["plain"],
        customer_email="buyer@example.com",
    )
    assert link is not None and inv.status == S.INVITED
    assert inv.token_hash == hash_token(link.path.split("/")[-2])


def test_a_rater_invited_then_removed_cannot_be_invited_again(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    carol = Invitation.objects.get(round=r, subject=p.alice, rater=team["carol"])
    svc.invitation_remove(invitation=carol, user=p.sup.user)
    with pytest.raises(ConflictError, match="invited once"):
        svc.invitation_add(feedback_round=r, subject=p.alice, user=p.sup.user, rater=team["carol"])


def test_the_deadline_decides_whether_answers_are_accepted(
    personas: Personas, team: dict[str, Any]
) -> None:
    r = team["round"]
    today = timezone.localdate()
    assert not round_accepts_answers(r, today)  # still being prepared
    r.status = FeedbackRound.Status.OPEN
    assert round_accepts_answers(r, r.deadline)
    assert not round_accepts_answers(r, r.deadline + timedelta(days=1))
    r.status = FeedbackRound.Status.CLOSED
    assert not round_accepts_answers(r, today)


def test_tokens_are_random_and_only_their_hash_is_kept() -> None:
    raw, digest = new_token()
    assert len(raw) >= 40 and digest == hash_token(raw) and len(digest) == 64
    assert new_token()[0] != raw


# --- Counts -----------------------------------------------------------------------------------


def test_progress_counts_answers_without_saying_whose(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    competency = Competency.objects.get(code="R360-C")
    response_store(
        feedback_round=r,
        subject_id=p.alice.pk,
        relationship="peer",
        rater_id=None,
        scores={competency.pk: Score(4)},
    )
    r.refresh_from_db()
    progress = round_progress(r, [p.alice.pk])[p.alice.pk]
    assert (progress.raters, progress.answered) == (7, 1)


# --- Reminders --------------------------------------------------------------------------------


def test_hr_reminds_the_ones_who_have_not_answered_at_most_once_a_day(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    Invitation.objects.filter(round=r, rater=team["carol"]).update(status=S.COMPLETED)
    reminded = svc.feedback_round_remind(feedback_round=r, user=p.hr.user)
    assert reminded == 4  # Alice, Sun Pei, Dan, Eve (not Carol, not the customers)
    texts = list(
        Notification.objects.filter(kind="feedback_reminder").values_list("text_en", flat=True)
    )
    assert all("1 of your 360 invitations" in t for t in texts)
    assert not any("陈卡" in t or "Carol" in t for t in texts)  # never who else answered
    assert svc.feedback_round_remind(feedback_round=r, user=p.hr.user) == 0
    carol = Invitation.objects.get(round=r, rater=team["carol"])
    assert carol.reminders == 0
    assert Invitation.objects.get(round=r, rater=team["dan"]).reminders == 1


def test_the_daily_reminder_starts_three_days_before_the_deadline(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    assert svc.feedback_reminders_send(today=r.deadline - timedelta(days=4)) == 0
    assert svc.feedback_reminders_send(today=r.deadline - timedelta(days=3)) == 5
    assert svc.feedback_reminders_send(today=r.deadline - timedelta(days=3)) == 0  # same day
    assert svc.feedback_reminders_send(today=r.deadline + timedelta(days=1)) == 0  # past


def test_the_remind_command_runs_the_daily_reminder(
    personas: Personas, team: dict[str, Any]
) -> None:
    from io import StringIO

    from django.core.management import call_command

    add_alice(personas, team["round"])
    svc.feedback_round_open(feedback_round=team["round"], user=personas.hr.user)
    out = StringIO()
    call_command("feedback-remind", "--today", str(team["round"].deadline), stdout=out)
    assert "5" in out.getvalue()


def test_nobody_who_reads_the_report_may_rate_anonymously(
    personas: Personas, team: dict[str, Any]
) -> None:
    # Someone who reads the report and answered with scores they know could subtract them
    # from a group's mean and recover the others' answers.
    p, r = personas, team["round"]
    add_alice(p, r)
    head = employee_with_login("BH01", "分行长", p.bj, None, ["supervisor"])
    p.sup.supervisor = head
    p.sup.save()
    hr_peer = employee_with_login("HR09", "人事", p.bj_t1, None, ["hr_admin"])
    refused = {
        "yourself": (p.hr, p.hr.user),
        "reporting line": (head, p.hr.user),
        "HR admin": (hr_peer, p.sup.user),
    }
    for message, (rater, user) in refused.items():
        with pytest.raises(ApplicationError, match=message):
            svc.invitation_add(feedback_round=r, subject=p.alice, user=user, rater=rater)
    with pytest.raises(ApplicationError, match="reporting line"):
        svc.invitation_nominate(feedback_round=r, subject=p.alice, peer=head)
    # Nor does Kaopei propose them, though they sit in the subject's unit.
    RoundSubject.objects.filter(round=r).delete()
    Invitation.objects.filter(round=r).delete()
    head.org_unit = p.bj_t1
    head.save()
    add_alice(p, r)
    proposed = set(Invitation.objects.filter(round=r).values_list("rater__employee_no", flat=True))
    assert not proposed & {"BH01", "HR09"}


# --- Closing ----------------------------------------------------------------------------------


def test_closing_invalidates_customer_links_and_tells_subjects_and_supervisors(
    personas: Personas, team: dict[str, Any]
) -> None:
    p, r = personas, team["round"]
    add_alice(p, r)
    svc.feedback_round_open(feedback_round=r, user=p.hr.user)
    svc.feedback_round_close(feedback_round=r, user=p.hr.user)
    r.refresh_from_db()
    assert r.status == FeedbackRound.Status.CLOSED and r.closed_at is not None
    assert not Invitation.objects.filter(round=r).exclude(token_hash="").exists()
    assert Invitation.objects.filter(round=r, status=S.INVITED).count() == 7  # stay unanswered
    closed = set(
        Notification.objects.filter(kind="feedback_round_closed").values_list(
            "user__username", flat=True
        )
    )
    assert closed == {"A001", "S001"}
    with pytest.raises(ConflictError, match="closed"):
        svc.feedback_round_close(feedback_round=r, user=p.hr.user)
    with pytest.raises(ConflictError, match="closed"):
        svc.invitation_add(feedback_round=r, subject=p.alice, user=p.hr.user, rater=p.bob)


def test_closing_an_imported_round_tells_the_people_its_answers_are_about(
    personas: Personas,
) -> None:
    # A round run in another survey tool and imported has answers but no subject list.
    p = personas
    r = FeedbackRound.objects.create(
        cycle=cycle_get_or_create(code="2026Q2"), status=FeedbackRound.Status.OPEN
    )
    talk = Competency.objects.create(code="talk_i", name="沟通")
    response_store(
        feedback_round=r,
        subject_id=p.bob.pk,
        relationship="self",
        rater_id=p.bob.pk,
        scores={talk.pk: Score(4)},
    )
    svc.feedback_round_close(feedback_round=r, user=p.hr.user)
    told = set(
        Notification.objects.filter(kind="feedback_round_closed").values_list(
            "user__username", flat=True
        )
    )
    assert told == {p.bob.user.username, p.sup2.user.username}


def test_a_draft_round_cannot_be_closed(personas: Personas, team: dict[str, Any]) -> None:
    with pytest.raises(ConflictError, match="not open"):
        svc.feedback_round_close(feedback_round=team["round"], user=personas.hr.user)

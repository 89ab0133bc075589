"""Appeals: an account manager disputes a line; the supervisor or HR resolves it."""

from __future__ import annotations

import html
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kaopei.assessment.models import Appeal, Cycle
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def appeal(
    s: Scored,
    who: Any = None,
    whose: Any = None,
    metric: str = "visit_count",
    reason: str = "Two visits on 3 March are missing",
) -> Any:
    p = s.personas
    return s.client(who or p.alice).post(
        s.url(whose or p.alice, "appeal/"), {"metric": metric, "reason": reason}, follow=True
    )


def resolve(s: Scored, who: Any, item: Appeal, decision: str, answer: str) -> Any:
    return s.client(who).post(
        f"/assessment/appeals/{item.pk}/", {"decision": decision, "answer": answer}, follow=True
    )


def test_account_manager_appeals_a_line_supervisor_rejects_and_she_sees_the_answer(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    response = appeal(scored_cycle)
    assert "Your appeal on “Customer visits” was sent." in text(response)
    item = Appeal.objects.get()
    assert (item.status, item.metric.code, item.raised_by) == ("open", "visit_count", p.alice.user)
    assert response.redirect_chain[-1][0] == f"/assessment/appeals/{item.pk}/"
    assert "Appeal open" in text(scored_cycle.client(p.alice).get(scored_cycle.url(p.alice)))

    assert p.alice.name in text(scored_cycle.client(p.sup).get("/assessment/appeals/"))
    page = text(scored_cycle.client(p.sup).get(f"/assessment/appeals/{item.pk}/"))
    assert "Send the answer" in page and "Two visits on 3 March are missing" in page
    response = resolve(scored_cycle, p.sup, item, "reject", "The CRM shows only 8 visits.")
    assert "Appeal rejected with your answer." in text(response)
    item.refresh_from_db()
    assert (item.status, item.resolved_by) == ("rejected", p.sup.user)

    detail = text(scored_cycle.client(p.alice).get(f"/assessment/appeals/{item.pk}/"))
    assert "The CRM shows only 8 visits." in detail and p.sup.name in detail
    assert "Send the answer" not in detail
    card = text(scored_cycle.client(p.alice).get(scored_cycle.url(p.alice)))
    assert "The CRM shows only 8 visits." in card and "Rejected" in card


def test_an_accepted_appeal_rescores_the_cycle_as_a_job_and_shows_before_and_after(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    # The correction: the supervisor adds the two missing visits, then HR accepts.
    for n in (1, 2):
        response = scored_cycle.client(p.sup).post(
            f"/assessment/appeals/{item.pk}/records/add/",
            {
                "activity_id": f"FIX-{n}",
                "customer": "CA1",
                "kind": "visit",
                "occurred_at": "2026-03-03T10:00",
                "reason": "Visit report signed by the customer",
            },
            follow=True,
        )
        assert "Added FIX-" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = resolve(scored_cycle, p.hr, item, "accept", "Two visits were added.")
    assert "Appeal accepted. The cycle is being re-scored" in text(response)
    line = scored_cycle.card(p.alice).lines.get(metric__code="visit_count")
    assert (line.actual, line.points) == (10, 100)
    assert scored_cycle.card(p.alice).total == Decimal("111.11")  # (30×100 + 8111.1) / 100
    item.refresh_from_db()
    assert (item.before["actual"], item.before["points"]) == ("8", "80")
    assert (item.after["actual"], item.after["points"], item.after["total"]) == (
        "10",
        "100",
        "111.11",
    )
    assert item.rescore_job is not None and item.rescore_job.status == "succeeded"
    detail = text(scored_cycle.client(p.alice).get(f"/assessment/appeals/{item.pk}/"))
    assert "Before and after" in detail and "actual 10, target 10" in detail
    card = text(scored_cycle.client(p.alice).get(scored_cycle.url(p.alice)))
    assert "80 points" in card and "100 points (total 111.11" in card


def test_accepting_without_a_correction_is_refused(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    response = resolve(scored_cycle, p.sup, item, "accept", "You are right.")
    assert "Nothing behind this line was corrected yet" in text(response)
    item.refresh_from_db()
    assert item.status == "open"


def test_accepting_with_an_override_counts_it_and_shows_it_on_the_card(
    scored_cycle: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    page = scored_cycle.client(p.sup).post(
        f"/assessment/appeals/{item.pk}/",
        {"decision": "override", "answer": "Visits in the branch log, not in CRM"},
        follow=True,
    )
    assert "Give the value the line should count." in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        scored_cycle.client(p.sup).post(
            f"/assessment/appeals/{item.pk}/",
            {
                "decision": "override",
                "override": "10",
                "answer": "Visits in the branch log, not in CRM",
            },
        )
    line = scored_cycle.card(p.alice).lines.get(metric__code="visit_count")
    assert (line.actual, line.points) == (10, 100)
    card = text(scored_cycle.client(p.alice).get(scored_cycle.url(p.alice)))
    assert "Line overridden" in card and "Visits in the branch log, not in CRM" in card
    assert p.sup.name in card


def test_rejecting_needs_a_reason(scored_cycle: Scored) -> None:
    from kaopei.assessment.services.calibration import appeal_resolve
    from kaopei.core.errors import ApplicationError

    p = scored_cycle.personas
    appeal(scored_cycle)
    with pytest.raises(ApplicationError, match="reason for rejecting"):
        appeal_resolve(appeal=Appeal.objects.get(), accept=False, answer=" ", user=p.sup.user)


def test_an_answer_is_required(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    response = resolve(scored_cycle, p.sup, item, "reject", "")
    assert response.status_code == 200 and "This field is required." in text(response)
    item.refresh_from_db()
    assert item.status == "open"


def test_an_appeal_needs_a_reason(scored_cycle: Scored) -> None:
    assert "at least 5 characters" in text(appeal(scored_cycle, reason="no"))
    assert "This field is required." in text(appeal(scored_cycle, reason=""))
    assert not Appeal.objects.exists()


def test_one_open_appeal_per_line(scored_cycle: Scored) -> None:
    appeal(scored_cycle)
    assert "already an open appeal on this line" in text(appeal(scored_cycle))
    assert Appeal.objects.count() == 1


def test_appeals_close_at_the_deadline(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    Cycle.objects.filter(pk=scored_cycle.cycle.pk).update(
        appeal_deadline=timezone.localdate() - timedelta(days=1)
    )
    assert "Appeal this line" not in text(
        scored_cycle.client(p.alice).get(scored_cycle.url(p.alice))
    )
    assert "The appeal deadline" in text(appeal(scored_cycle))
    assert not Appeal.objects.exists()


def test_only_the_owner_appeals(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    assert "Only the scorecard's owner can appeal it." in text(
        appeal(scored_cycle, who=p.sup, whose=p.alice)
    )
    assert appeal(scored_cycle, who=p.bob, whose=p.alice).status_code == 404
    assert "Appeal this line" not in text(scored_cycle.client(p.sup).get(scored_cycle.url(p.alice)))
    assert not Appeal.objects.exists()
    assert scored_cycle.client(p.alice).get(scored_cycle.url(p.alice, "appeal/")).status_code == 405


def test_a_line_the_card_does_not_have_is_refused(scored_cycle: Scored) -> None:
    assert "no line for that metric" in text(appeal(scored_cycle, metric="csat"))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hr", True),
        ("sup", True),
        ("alice", True),
        ("bob", False),
        ("sup2", False),
    ],
)
def test_the_appeal_list_is_scoped(scored_cycle: Scored, who: str, sees: bool) -> None:
    appeal(scored_cycle)
    p = scored_cycle.personas
    response = scored_cycle.client(getattr(p, who)).get("/assessment/appeals/")
    assert response.status_code == 200
    assert ("Customer visits" in text(response)) is sees
    item = Appeal.objects.get()
    status = scored_cycle.client(getattr(p, who)).get(f"/assessment/appeals/{item.pk}/").status_code
    assert status == (200 if sees else 404)


def test_the_appeal_list_filters_by_status(scored_cycle: Scored) -> None:
    appeal(scored_cycle)
    client = scored_cycle.client(scored_cycle.personas.hr)
    assert "Customer visits" in text(client.get("/assessment/appeals/?status=open"))
    assert "No appeal matches this filter." in text(
        client.get("/assessment/appeals/?status=rejected")
    )


@pytest.mark.parametrize("who", ["trainer", "exec"])
def test_trainers_and_executives_have_no_appeals_page(scored_cycle: Scored, who: str) -> None:
    response = scored_cycle.client(getattr(scored_cycle.personas, who)).get("/assessment/appeals/")
    assert response.status_code == 403


def test_appeal_pages_need_a_login(scored_cycle: Scored) -> None:
    assert scored_cycle.client(None).get("/assessment/appeals/").status_code == 302
    assert scored_cycle.client(None).get("/assessment/appeals/1/").status_code == 302


def test_the_appellant_cannot_resolve_their_own_appeal(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    assert resolve(scored_cycle, p.alice, item, "accept", "I agree with me").status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


# --- One open appeal per line, one answer per appeal (issue 8, finding 2) --------------------
# The simultaneous requests are in test_concurrency.py (PostgreSQL).


def test_the_database_keeps_one_open_appeal_per_line(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    visits = card.lines.get(metric__code="visit_count").metric
    first = Appeal.objects.create(scorecard=card, metric=visits, reason="Missing visits")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(scorecard=card, metric=visits, reason="Missing visits again")
    Appeal.objects.filter(pk=first.pk).update(status=Appeal.Status.REJECTED)
    Appeal.objects.create(scorecard=card, metric=visits, reason="New visits found")  # open again
    other_line = card.lines.get(metric__code="sales_amount").metric
    Appeal.objects.create(scorecard=card, metric=other_line, reason="A sale is missing")
    assert Appeal.objects.filter(status=Appeal.Status.OPEN).count() == 2


def test_a_new_appeal_is_possible_once_the_last_one_is_answered(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    resolve(scored_cycle, p.sup, Appeal.objects.get(), "reject", "The CRM shows only 8 visits.")
    assert "was sent" in text(appeal(scored_cycle, reason="Here is the visit report"))
    assert Appeal.objects.filter(status=Appeal.Status.OPEN).count() == 1


def test_an_appeal_answered_meanwhile_is_not_answered_again(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    resolve(scored_cycle, p.sup, item, "reject", "The CRM shows only 8 visits.")

    # HR had the page open too and answers a moment later.
    response = resolve(scored_cycle, p.hr, item, "accept", "Two visits were added.")

    assert response.status_code == 200
    assert "This appeal has already been answered (Rejected); your answer was not saved." in text(
        response
    )
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolution) == (
        "rejected",
        p.sup.user,
        "The CRM shows only 8 visits.",
    )
    assert resolve(scored_cycle, p.bob, item, "accept", "Not mine to answer").status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_constraint_migration_keeps_only_the_oldest_open_appeal_per_line_open(
    scored_cycle: Scored,
) -> None:
    p = scored_cycle.personas
    card = scored_cycle.card(p.alice)
    visits = card.lines.get(metric__code="visit_count").metric
    sales = card.lines.get(metric__code="sales_amount").metric
    before = ("assessment", "0005_scorecard_indexes")
    # Every app's latest migration: going back unapplies the apps that build on assessment.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate([before])  # as the data was before the constraint
    # The model as it was then (later migrations add columns).
    old = executor.loader.project_state([before]).apps.get_model("assessment", "Appeal")
    oldest, *duplicates = [
        Appeal(
            pk=old.objects.create(
                scorecard_id=card.pk, metric_id=visits.pk, reason=f"Missing visits {i}"
            ).pk
        )
        for i in range(3)
    ]
    other = Appeal(
        pk=old.objects.create(
            scorecard_id=card.pk, metric_id=sales.pk, reason="A sale is missing"
        ).pk
    )

    MigrationExecutor(connection).migrate(latest)

    assert set(Appeal.objects.filter(status=Appeal.Status.OPEN)) == {oldest, other}
    for item in duplicates:
        item.refresh_from_db()
        assert item.status == Appeal.Status.REJECTED and item.resolved_at is not None
        assert f"#{oldest.pk}" in item.resolution
        assert item.history.latest("history_id").status == Appeal.Status.REJECTED  # type: ignore[attr-defined]
    with pytest.raises(IntegrityError):
        Appeal.objects.create(scorecard=card, metric=visits, reason="Missing visits again")


def test_an_accepted_appeal_does_not_join_a_scoring_run_that_may_have_read_the_old_data(
    scored_cycle: Scored,
) -> None:
    from kaopei.assessment.services.calibration import appeal_resolve
    from kaopei.core.models import Job

    p = scored_cycle.personas
    appeal(scored_cycle)
    item = Appeal.objects.get()
    running = Job.objects.create(
        kind="score", handler="x", params={"code": "2026Q1"}, status=Job.Status.RUNNING
    )
    appeal_resolve(
        appeal=item, accept=True, answer="Checked the branch log", override=Decimal(10),
        user=p.sup.user,
    )  # fmt: skip
    item.refresh_from_db()
    assert item.rescore_job is not None and item.rescore_job != running
    queued = Job.objects.create(
        kind="score", handler="x", params={"code": "2026Q1"}, status=Job.Status.QUEUED
    )
    from kaopei.assessment.tasks import score_cycle_enqueue

    # A job not yet started reads after the correction: it is joined.
    assert score_cycle_enqueue(code="2026Q1", user=p.hr.user, join_running=False).job == queued


def test_a_card_kept_only_for_the_record_cannot_be_appealed_nor_told_it_is_final(
    scored_cycle: Scored,
) -> None:
    from django.utils import translation

    from kaopei.assessment.models import Scorecard
    from kaopei.assessment.services.calibration import appeal_create
    from kaopei.assessment.services.notifications import notify_cycle_final
    from kaopei.core.errors import ConflictError
    from kaopei.core.models import Notification

    p = scored_cycle.personas
    Scorecard.objects.filter(pk=scored_cycle.card(p.alice).pk).update(eligible=False)
    with translation.override("en"), pytest.raises(ConflictError, match="kept for the record"):
        appeal_create(
            scorecard=scored_cycle.card(p.alice),
            metric_code="visit_count",
            reason="Two visits are missing",
            user=p.alice.user,
        )
    notify_cycle_final(cycle=scored_cycle.cycle)
    assert not Notification.objects.filter(user=p.alice.user).exists()
    assert Notification.objects.filter(user=p.bob.user).exists()

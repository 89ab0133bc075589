"""The demo is a believable bank anchored to the day it is built (here 6 May 2026: 2026Q1
ended 36 days before and is still in calibration, 2026Q2 is running)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import translation

from kaopei.assessment.models import (
    Appeal,
    Calibration,
    Cycle,
    ManualScore,
    Scorecard,
    ScoreLine,
    Template,
)
from kaopei.core.demo import DEMO_PASSWORD, DemoContext
from kaopei.core.management.commands.demo import Command, display_width
from kaopei.core.models import Notification
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    Opportunity,
    Receivable,
    Sale,
    SurveyResponse,
)
from kaopei.org.models import Employee, OrgUnit
from tests.demo_build import demo_for_module

TODAY = dt.date(2026, 5, 6)
DATES = [
    (Activity, "occurred_on"),
    (Opportunity, "created_on"),
    (Opportunity, "closed_on"),
    (Sale, "signed_on"),
    (Receivable, "invoiced_on"),
    (Receivable, "paid_on"),
    (Complaint, "opened_on"),
    (Complaint, "resolved_on"),
    (SurveyResponse, "responded_on"),
    (ComplianceIncident, "occurred_on"),
    (Customer, "acquired_on"),
    (Customer, "lost_on"),
]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    """The demo, built once for this module in a transaction rolled back at the end."""
    yield from demo_for_module(django_db_blocker, TODAY)


def test_demo_builds_a_believable_bank_that_every_persona_can_use(
    demo: DemoContext, db: None, client: Any
) -> None:
    assert OrgUnit.objects.filter(kind="branch").count() == 4
    assert OrgUnit.objects.filter(kind="team").count() == 12
    ams = Employee.objects.filter(user__groups__name="account_manager").exclude(
        user__groups__name="supervisor"
    )
    assert 110 <= ams.count() <= 130
    assert set(ams.values_list("level__code", flat=True)) == {"AM1", "AM2", "AM3"}
    assert len(demo.personas) == 5
    for _, login, _ in demo.personas:
        assert client.login(username=login, password=DEMO_PASSWORD), login
        assert client.get(reverse("home")).status_code == 200, login
    grades = set(Scorecard.objects.filter(cycle__kind="quarterly").values_list("grade", flat=True))
    assert {"A", "B", "C", "UNQUALIFIED", "INSUFFICIENT"} <= grades


def test_no_record_is_dated_after_the_day_the_demo_is_built(demo: DemoContext, db: None) -> None:
    for model, field in DATES:
        latest = model.objects.aggregate(m=Max(field))["m"]
        assert latest is None or latest <= TODAY, (model.__name__, field, latest)
    last_visit = Activity.objects.aggregate(m=Max("occurred_at"))["m"]
    assert last_visit.date() <= TODAY


def test_records_cover_two_years_for_year_on_year_comparisons(demo: DemoContext, db: None) -> None:
    span = Activity.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    assert span["first"] <= dt.date(2025, 1, 10)
    assert span["last"] >= TODAY - dt.timedelta(days=7)
    assert Sale.objects.filter(signed_on__year=2025).exists()
    assert Sale.objects.filter(signed_on__year=2026).exists()


def test_cycles_are_in_the_state_they_would_be_in_on_that_day(demo: DemoContext, db: None) -> None:
    status = dict(Cycle.objects.values_list("code", "status"))
    assert status == {
        "2025Q1": "final",
        "2025Q2": "final",
        "2025Q3": "final",
        "2025Q4": "final",
        "2025": "final",
        "2026Q1": "calibrating",
        "2026Q2": "scored",
        "2026": "scored",
        "2026Q3": "draft",
    }
    for cycle in Cycle.objects.filter(status="final"):
        assert cycle.finalised_at is not None
        assert cycle.end < cycle.finalised_at.date() <= TODAY
        assert cycle.opened_at.date() == cycle.start
        assert cycle.scored_at < cycle.finalised_at
    running = Cycle.objects.get(code="2026Q2")
    card = Scorecard.objects.filter(cycle=running).exclude(projection={}).first()
    assert card is not None
    assert card.projection["elapsed"] < "1"


def test_team_leads_are_scored_with_their_own_template_and_a_supervisor_rating(
    demo: DemoContext, db: None
) -> None:
    leads = Employee.objects.filter(level__code="MGR")
    assert leads.count() == 12
    template = Template.objects.get(level__code="MGR", cycle_kind="quarterly", current=True)
    assert "supervisor_rating" in template.items.values_list("metric__code", flat=True)
    for code in ("2025Q4", "2026Q1", "2026Q2"):
        assert Scorecard.objects.filter(cycle__code=code, employee__in=leads).count() == 12
    rating = ScoreLine.objects.filter(
        scorecard__cycle__code="2026Q1",
        scorecard__employee__level__code="MGR",
        metric__code="supervisor_rating",
    )
    assert rating.count() == 12 and all(line.has_data for line in rating)
    assert ManualScore.objects.filter(metric__code="supervisor_rating").exists()


def test_only_non_sales_levels_are_left_unscored(demo: DemoContext, db: None) -> None:
    scored = Scorecard.objects.filter(cycle__code="2026Q1").values("employee_id")
    unscored = Employee.objects.exclude(pk__in=scored)
    assert set(unscored.values_list("level__code", flat=True)) == {"BRH", "STAFF"}


def test_appeals_are_in_every_state_with_answers(demo: DemoContext, db: None) -> None:
    states = set(Appeal.objects.values_list("status", flat=True))
    assert states == {"open", "accepted", "rejected"}
    assert not Appeal.objects.filter(status="open", scorecard__cycle__status="final").exists()
    for appeal in Appeal.objects.exclude(status="open"):
        assert appeal.resolution and appeal.resolved_at is not None
        assert appeal.resolved_by_id == appeal.scorecard.employee.supervisor.user_id
    persona = Employee.objects.get(employee_no=demo.personas[2][1])
    assert Appeal.objects.filter(scorecard__employee=persona, status="open").exists()
    for accepted in Appeal.objects.filter(status="accepted"):  # each with its correction
        assert accepted.corrections.filter(action="target").exists()
        assert accepted.before and accepted.after
        assert accepted.after["points"] != accepted.before["points"] or (
            accepted.after["total"] != accepted.before["total"]
        )


def test_calibrations_carry_reasons(demo: DemoContext, db: None) -> None:
    calibrations = Calibration.objects.all()
    assert calibrations.count() >= 5
    for c in calibrations:
        assert len(c.reason) >= 5 and c.from_grade != c.to_grade
        assert c.scorecard.grade == c.to_grade
    assert calibrations.filter(scorecard__cycle__code="2026Q1").exists()


def test_final_cycles_notified_everyone_and_most_people_acknowledged(
    demo: DemoContext, db: None
) -> None:
    final = Cycle.objects.get(code="2025Q4")
    cards = Scorecard.objects.filter(cycle=final)
    notes = Notification.objects.filter(kind="cycle_final", url__contains="/2025Q4/")
    assert notes.count() == cards.filter(employee__user__isnull=False).count()
    assert all(n.created_at == final.finalised_at for n in notes)
    acknowledged = cards.filter(acknowledged_at__isnull=False).count()
    assert 0.5 * cards.count() < acknowledged < cards.count()
    persona = Employee.objects.get(employee_no=demo.personas[2][1])
    assert cards.get(employee=persona).acknowledged_at is None


def test_banner_aligns_chinese_persona_labels_by_display_width(demo: DemoContext, db: None) -> None:
    out = io.StringIO()
    with translation.override("zh-hans"):
        command = Command(stdout=out)
        command._print_logins(None)
    rows = [line for line in out.getvalue().splitlines() if DEMO_PASSWORD not in line][1:6]
    logins = [login for _, login, _ in demo.personas]
    columns = {
        display_width(row[: row.index(login)]) for row, login in zip(rows, logins, strict=True)
    }
    assert len(columns) == 1, out.getvalue()
    assert "团队负责人" in out.getvalue()


def test_demo_command_prints_the_personas(demo: DemoContext, db: None) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already loaded" in out.getvalue()
    assert demo.personas[0][1] in out.getvalue()


def test_no_event_is_dated_after_the_day_the_demo_is_built(demo: DemoContext, db: None) -> None:
    from django.utils import timezone

    end = timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time()))
    stamps = [
        (Cycle, "opened_at"),
        (Cycle, "scored_at"),
        (Cycle, "finalised_at"),
        (Calibration, "at"),
        (Appeal, "created_at"),
        (Appeal, "resolved_at"),
        (Scorecard, "acknowledged_at"),
        (Notification, "created_at"),
        (Notification, "read_at"),
    ]
    for model, field in stamps:
        latest = model.objects.aggregate(m=Max(field))["m"]
        assert latest is None or latest < end, (model.__name__, field, latest)

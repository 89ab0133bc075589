"""Proof (issue 10): no report page, export, API response, heatmap, audit row or error
message lets anyone — HR admins and superusers included — tell a withheld group's scores or
comments, or a rater, not even by subtracting one figure from another.

The set-up (tests/feedback/reports_factories.py): Bob's two peers are withheld (a pool of
2); their comments carry ``SECRET``. Every surface is read, the withheld answers are then
changed (scores and comments), and every surface is read again: nothing moves.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from kaopei.assessment.metrics import compute_metrics
from kaopei.core.periods import parse_period
from kaopei.feedback.anonymity import ALL_RATERS, NON_SELF
from kaopei.feedback.models import Answer, FeedbackRound
from kaopei.feedback.selectors import report_pages
from kaopei.feedback.selectors.report_heatmap import round_heatmap
from kaopei.feedback.selectors.reports import round_report_rows
from tests.assessment.factories_config import build_hand_example
from tests.conftest import Personas
from tests.feedback.reports_factories import SECRET, alice_and_bob, answer, close

pytestmark = pytest.mark.django_db

# Each response carries a freshly masked CSRF token: the one difference that is allowed.
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def ordered(items: list[Any]) -> None:
    items.sort(key=lambda c: (c.competency.code, c.group, c.text))


@pytest.fixture(autouse=True)
def comments_in_a_fixed_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_pages, "shuffle_comments", ordered)


@pytest.fixture
def superuser() -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-12345678")


def readers(p: Personas, superuser: Any) -> list[Any]:
    return [p.hr.user, superuser, p.bob.user, p.sup2.user, p.exec.user, p.sup.user]


PAGES = (
    "/feedback/cycles/2026Q1/reports/B001/",
    "/feedback/cycles/2026Q1/reports/A001/",
    "/feedback/cycles/2026Q1/reports/",
    "/feedback/cycles/2026Q1/heatmap/",
    "/feedback/cycles/2026Q1/heatmap/export.csv",
    "/feedback/cycles/2026Q1/rater-bias/",
    "/feedback/cycles/2026Q1/nine-box/",
    "/assessment/cycles/2026Q1/calibration/",
    "/api/v1/feedback/reports/2026Q1",
    "/api/v1/feedback/reports/2026Q1/B001",
    "/api/v1/feedback/reports/2026Q1/A001",
    "/api/v1/feedback/heatmap/2026Q1",
)


def everything(users: list[Any]) -> dict[tuple[str, str], bytes]:
    out = {}
    for user in users:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        for path in PAGES:
            response = client.get(path)
            out[(user.get_username(), path)] = CSRF.sub(r"\1", response.content.decode()).encode()
    return out


def change_the_withheld_answers() -> int:
    return Answer.objects.filter(comment__contains=SECRET).update(
        total=5, comment="changed " + SECRET
    )


def test_no_surface_shows_or_moves_with_a_withheld_answer(
    personas: Personas, superuser: Any
) -> None:
    build_hand_example(personas)
    data = alice_and_bob(personas)
    users = readers(personas, superuser)
    before = everything(users)
    for (who, path), body in before.items():
        assert SECRET.encode() not in body, (who, path)
    metrics = compute_metrics(
        ["competency_360", "team_collaboration"],
        period=parse_period("2026Q1"),
        cycle_id=data["cycle"].pk,
    )
    assert change_the_withheld_answers() == 4  # 2 peers × 2 competencies
    assert everything(users) == before
    assert (
        compute_metrics(
            ["competency_360", "team_collaboration"],
            period=parse_period("2026Q1"),
            cycle_id=data["cycle"].pk,
        )
        == metrics
    )


def test_all_raters_is_exactly_the_sum_of_the_shown_groups(personas: Personas) -> None:
    data = alice_and_bob(personas)
    rows = round_report_rows(data["round"].pk)
    keys = {(r.subject_id, r.competency_id) for r in rows}
    for key in keys:
        mine = {r.group: r for r in rows if (r.subject_id, r.competency_id) == key}
        shown = [mine[g] for g in NON_SELF if g in mine]
        # all_raters × n − Σ shown groups' totals = 0: nothing withheld is left to find.
        assert mine[ALL_RATERS].total == sum((r.total for r in shown), Fraction(0))
        assert mine[ALL_RATERS].responses == sum(r.responses for r in shown)


def test_a_unit_cell_is_the_sum_of_its_peoples_displayed_rows(personas: Personas) -> None:
    data = alice_and_bob(personas)
    rows = [r for r in round_report_rows(data["round"].pk) if r.group == ALL_RATERS]
    heat = round_heatmap(feedback_round=data["round"])
    by_code = {row.unit.code: row for row in heat.rows}
    for unit, subject in (("SH-T1", personas.bob), ("BJ-T1", personas.alice)):
        for competency, cell in zip(heat.competencies, by_code[unit].cells, strict=True):
            (row,) = [
                r for r in rows if r.subject_id == subject.pk and r.competency_id == competency.pk
            ]
            assert (cell.responses, cell.total) == (row.responses, row.total)


def test_while_the_round_is_open_one_more_answer_shows_nowhere(
    personas: Personas, superuser: Any
) -> None:
    build_hand_example(personas)
    data = alice_and_bob(personas, closed=False)
    users = readers(personas, superuser)
    before = everything(users)
    for body in before.values():
        assert b"4.67" not in body and b"3.71" not in body and b"peer says" not in body
    answer(data["round"], personas.alice, "peer", {data["talk"]: 1}, comment="one more")
    assert everything(users) == before
    assert compute_metrics(
        ["competency_360"], period=parse_period("2026Q1"), cycle_id=data["cycle"].pk
    ) == {"competency_360": {}}
    close(data["round"])
    after = everything(users)
    assert after != before


def test_no_audit_history_records_a_response_or_an_answer(personas: Personas) -> None:
    historical = {m.__name__ for m in apps.get_models() if m.__name__.startswith("Historical")}
    for name in ("Response", "Answer", "Invitation"):
        assert f"Historical{name}" not in historical
    counts = {
        m: m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical")
    }
    alice_and_bob(personas)
    changed = [
        m.__name__
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m.objects.count() != counts[m]
    ]
    # Only the round and the reference data written by the set-up have history.
    assert set(changed) <= {
        "HistoricalFeedbackRound",
        "HistoricalCycle",
        "HistoricalCompetency",
        "HistoricalLevelExpectation",
    }


def test_refusals_and_errors_name_no_rater(personas: Personas) -> None:
    alice_and_bob(personas)
    # The raters who could be named: the supervisors (the viewer sees their own name only).
    names = [personas.sup.name, personas.sup2.name, "S001", "S002"]
    checks: list[tuple[Any, str]] = [
        (personas.bob, "/api/v1/feedback/reports/2026Q1/A001"),
        (personas.bob, "/feedback/cycles/2026Q1/reports/A001/"),
        (personas.exec, "/api/v1/feedback/reports/2026Q1/B001"),
        (personas.alice, "/feedback/cycles/2026Q1/rater-bias/"),
        (personas.alice, "/api/v1/feedback/heatmap/2026Q1"),
    ]
    for who, path in checks:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(who.user)
        response = client.get(path)
        assert response.status_code in (403, 404)
        body = response.content.decode()
        assert not any(name in body for name in names), (path, body[:200])


def test_a_report_read_by_hr_or_a_superuser_holds_no_withheld_comment(
    personas: Personas, superuser: Any
) -> None:
    data = alice_and_bob(personas)
    rnd: FeedbackRound = data["round"]
    for user in (personas.hr.user, superuser):
        subject = report_pages.report_subject_get_for_user(
            user=user, feedback_round=rnd, employee_no="B001"
        )
        report = report_pages.subject_report(feedback_round=rnd, subject=subject)
        assert all(SECRET not in c.text for c in report.comments)
        assert {c.group for c in report.comments} <= {"self", "supervisor", "customers"}

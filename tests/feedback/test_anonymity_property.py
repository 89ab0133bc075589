"""Property (issue 10, Proof): for random answer sets, every figure the reports show is a
function of the displayed scores only — changing the scores and comments of WITHHELD
answers changes nothing in the report rows, the 360 metrics, the heatmap, the report
selector, rater bias or the API's JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaopei.assessment.metrics import compute_metrics
from kaopei.core.periods import parse_period
from kaopei.feedback.anonymity import GROUP_OF, Cell, shown_groups
from kaopei.feedback.models import Answer, Response
from kaopei.feedback.selectors import report_pages
from kaopei.feedback.selectors.report_bias import supervisor_bias
from kaopei.feedback.selectors.report_heatmap import round_heatmap
from kaopei.feedback.selectors.reports import round_report_rows
from tests.conftest import Personas
from tests.feedback.reports_factories import a_round, answer, two_competencies

pytestmark = pytest.mark.django_db

SUBJECTS = ("alice", "bob", "sup", "sup2")
ANONYMOUS = ("peer", "subordinate", "customer")
METRICS = ["competency_360", "team_collaboration"]

# One response: per competency (index 0 or 1) a score (total over 1–3 items) or nothing.
score = st.integers(1, 3).flatmap(
    lambda items: st.tuples(st.integers(items, 5 * items), st.just(items))
)
response = st.lists(st.one_of(st.none(), score), min_size=2, max_size=2).filter(
    lambda scores: any(s is not None for s in scores)
)
subject_answers = st.fixed_dictionaries(
    {
        "self": st.one_of(st.none(), response),
        "supervisor": st.one_of(st.none(), response),
        **{rel: st.lists(response, min_size=0, max_size=5) for rel in ANONYMOUS},
    }
)
answer_sets = st.dictionaries(st.sampled_from(SUBJECTS), subject_answers, min_size=1, max_size=4)
new_scores = st.lists(st.integers(1, 5), min_size=1, max_size=400)


def ordered(items: list[Any]) -> None:
    items.sort(key=lambda c: (c.competency.code, c.group, c.text))


def build(p: Personas, data: dict[str, Any]) -> Any:
    rnd = a_round()
    competencies = two_competencies()
    supervisor_of = {"alice": p.sup, "bob": p.sup2, "sup": p.hr, "sup2": p.hr}
    for name, answers in data.items():
        subject = getattr(p, name)

        def store(
            relationship: str,
            scores: list[Any],
            rater: Any = None,
            n: int = 0,
            subject: Any = subject,
        ) -> None:
            given_scores = {c: s for c, s in zip(competencies, scores, strict=True) if s}
            answer(
                rnd,
                subject,
                relationship,
                given_scores,
                rater=rater,
                comment=f"{relationship} {n}",
            )

        if answers["self"]:
            store("self", answers["self"], rater=subject)
        if answers["supervisor"]:
            store("supervisor", answers["supervisor"], rater=supervisor_of[name])
        for relationship in ANONYMOUS:
            for n, scores in enumerate(answers[relationship]):
                store(relationship, scores, n=n)
    return rnd


def withheld_answer_ids(rnd: Any) -> list[Any]:
    """The answers whose group is not displayed for their subject and competency."""
    cells: dict[tuple[int, int], dict[str, Cell]] = {}
    answers = list(
        Answer.objects.filter(response__round=rnd).values_list(
            "pk",
            "response__subject_id",
            "competency_id",
            "response__relationship",
            "total",
            "items",
        )
    )
    for _pk, subject, competency, relationship, _total, _items in answers:
        group = GROUP_OF[relationship]
        bucket = cells.setdefault((subject, competency), {})
        bucket[group] = bucket.get(group, Cell(0, 0)) + Cell(1, 0)  # type: ignore[arg-type]
    out = []
    for pk, subject, competency, relationship, _total, _items in answers:
        if GROUP_OF[relationship] not in shown_groups(cells[(subject, competency)]):
            out.append(pk)
    return out


def figures(p: Personas, rnd: Any, client: Client) -> Any:
    rows = round_report_rows(rnd.pk)
    metrics = compute_metrics(METRICS, period=parse_period("2026Q1"), cycle_id=rnd.cycle_id)
    heat = round_heatmap(feedback_round=rnd)
    reports = []
    for name in SUBJECTS:
        subject = getattr(p, name)
        report = report_pages.subject_report(feedback_round=rnd, subject=subject, shuffle=ordered)
        reports.append(
            (
                report.rows,
                [(b.competency.code, b.self_mean, b.groups, b.gap) for b in report.competencies],
                [b.competency.code for b in report.strengths],
                [b.competency.code for b in report.development],
                [(c.competency.code, c.group, c.text) for c in report.comments],
                report.something_withheld,
            )
        )
    bias = [(x.rater.pk, x.mean, x.others_mean, x.diff, x.bands) for x in supervisor_bias(rnd)]
    api = []
    for name in SUBJECTS:
        body = client.get(f"/api/v1/feedback/reports/2026Q1/{getattr(p, name).employee_no}")
        if body.status_code == 200:
            data = body.json()
            data["comments"] = sorted(json.dumps(c, sort_keys=True) for c in data["comments"])
            api.append(data)
    api.append(client.get("/api/v1/feedback/heatmap/2026Q1").json())
    return rows, metrics, heat, reports, bias, api


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=answer_sets, replacements=new_scores)
def test_changing_withheld_answers_changes_no_figure(
    personas: Personas, data: dict[str, Any], replacements: list[int]
) -> None:
    client = Client()
    client.force_login(personas.hr.user)
    with transaction.atomic():
        rnd = build(personas, data)
        before = figures(personas, rnd, client)
        changed = withheld_answer_ids(rnd)
        for i, pk in enumerate(changed):
            row = Answer.objects.get(pk=pk)
            value = replacements[i % len(replacements)]
            Answer.objects.filter(pk=pk).update(
                total=value * row.items, comment=f"withheld {value} {i}"
            )
        assert figures(personas, rnd, client) == before
        assert (
            Response.objects.filter(round=rnd, rater__isnull=False)
            .exclude(relationship__in=("self", "supervisor"))
            .count()
            == 0
        )
        transaction.set_rollback(True)

"""Scoring one quarterly cycle end to end against the "SQL floor".

The floor: the same metric values computed by hand-written grouped SQL, one query per
metric, reading only. Scoring: ``cycle_score`` (metrics, engine, saving scorecards, lines
and history). Target: scoring ≤ 1.5 × floor, peak memory < 1 GB. Both run in this process
on the same database, on a warm cache; each is timed ``--repeat`` times and the medians are
compared. "First" scores a cycle without scorecards; "re-score" replaces what it wrote.

    .venv/bin/python benchmarks/bench_scoring.py --scale 0.1 [--reuse] [--repeat 3] [--with-training]

``--with-training`` adds enrolments and scored quiz attempts scaled with the people
(``benchmarks/training_data.py``) and puts ``training_hours`` and ``quiz_score`` in every
template; the floor computes both too, and is first checked against the product's values.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb, setup_django, timed  # noqa: E402

S, E = "%(s)s", "%(e)s"
# The same values as the metric library: records voided by hand count in no metric.
FLOOR_SQL = {
    "visit_count": f"""SELECT employee_id, count(*) FROM facts_activity
        WHERE voided_at IS NULL AND kind = 'visit' AND occurred_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "response_hours": f"""SELECT employee_id,
        (percentile_disc(0.5) WITHIN GROUP (ORDER BY response_hours)
         + percentile_disc(0.5) WITHIN GROUP (ORDER BY response_hours DESC)) / 2
        FROM facts_activity WHERE voided_at IS NULL AND occurred_on BETWEEN {S} AND {E}
        AND response_hours IS NOT NULL GROUP BY employee_id""",
    "opportunity_win_rate": f"""SELECT employee_id,
        count(*) FILTER (WHERE status = 'won') * 100.0 / count(*) FROM facts_opportunity
        WHERE voided_at IS NULL AND closed_on BETWEEN {S} AND {E} AND status IN ('won', 'lost') GROUP BY employee_id""",
    "new_customers": f"""SELECT owner_id, count(*) FROM facts_customer
        WHERE voided_at IS NULL AND acquired_on BETWEEN {S} AND {E} GROUP BY owner_id""",
    "complaint_resolution_rate": f"""SELECT employee_id,
        count(*) FILTER (WHERE resolved_on <= {E}) * 100.0 / count(*) FROM facts_complaint
        WHERE voided_at IS NULL AND opened_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "nps": f"""SELECT employee_id, (count(*) FILTER (WHERE nps >= 9)
        - count(*) FILTER (WHERE nps <= 6)) * 100.0 / count(*) FROM facts_surveyresponse
        WHERE voided_at IS NULL AND responded_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "csat": f"""SELECT employee_id, count(*) FILTER (WHERE csat >= 4) * 100.0 / count(*)
        FROM facts_surveyresponse WHERE voided_at IS NULL AND responded_on BETWEEN {S} AND {E}
        AND csat IS NOT NULL GROUP BY employee_id""",
    "compliance_incidents": f"""SELECT employee_id, count(*) FROM facts_complianceincident
        WHERE voided_at IS NULL AND occurred_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "sales_amount": f"""SELECT employee_id, sum(amount) FROM facts_sale
        WHERE voided_at IS NULL AND signed_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "profit_contribution": f"""SELECT employee_id, sum(profit) FROM facts_sale
        WHERE voided_at IS NULL AND signed_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    "customer_growth_rate": f"""SELECT owner_id,
        count(*) FILTER (WHERE acquired_on < {S} AND (lost_on IS NULL OR lost_on >= {S})),
        count(*) FILTER (WHERE lost_on IS NULL OR lost_on > {E})
        FROM facts_customer WHERE voided_at IS NULL AND acquired_on <= {E} GROUP BY owner_id""",
    "collection_days": f"""SELECT employee_id,
        sum(amount) FILTER (WHERE paid_on IS NULL OR paid_on > {E}),
        sum(amount) FILTER (WHERE invoiced_on >= {S})
        FROM facts_receivable WHERE voided_at IS NULL AND invoiced_on <= {E} GROUP BY employee_id""",
    "strategic_coverage": f"""SELECT c.owner_id, count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM facts_activity a WHERE a.voided_at IS NULL AND a.customer_id = c.id AND a.employee_id = c.owner_id
        AND a.kind IN ('visit', 'meeting') AND a.occurred_on BETWEEN {S} AND {E}))
        FROM facts_customer c WHERE c.voided_at IS NULL AND c.strategic AND c.acquired_on <= {E}
        AND (c.lost_on IS NULL OR c.lost_on > {E}) GROUP BY c.owner_id""",
    # Completed enrolments (only a confirmed place can be completed) dated in the period; people
    # without any have 0 with data, filled in by the product as for the other sums.
    "training_hours": f"""SELECT employee_id, sum(hours) FROM training_enrolment
        WHERE completed AND session_on BETWEEN {S} AND {E} GROUP BY employee_id""",
    # The best score on each quiz taken in the period, averaged: scored attempts by their
    # submission date in the organisation's time zone, imported post-test scores on their
    # session date as attempts at the course's post-test (a course without one: its own key).
    "quiz_score": f"""WITH taken AS (
        SELECT employee_id, 'quiz' AS k, quiz_id AS id, score FROM training_quizattempt
        WHERE score IS NOT NULL AND submitted_at >= ({S}::date::timestamp AT TIME ZONE %(tz)s)
        AND submitted_at < (({E}::date + 1)::timestamp AT TIME ZONE %(tz)s)
        UNION ALL
        SELECT e.employee_id, CASE WHEN q.id IS NULL THEN 'course' ELSE 'quiz' END,
        coalesce(q.id, e.course_id), e.post_score FROM training_enrolment e
        LEFT JOIN training_quiz q ON q.course_id = e.course_id AND q.kind = 'post'
        WHERE e.source = 'import' AND e.post_score IS NOT NULL AND e.session_on BETWEEN {S} AND {E}
        ) SELECT employee_id, avg(best) FROM (SELECT employee_id, k, id, max(score) AS best
        FROM taken GROUP BY employee_id, k, id) b GROUP BY employee_id""",
}
TRAINING = ("training_hours", "quiz_score")


def _params(start: object, end: object) -> dict[str, object]:
    from django.conf import settings

    return {"s": start, "e": end, "tz": settings.TIME_ZONE}


def floor(codes: list[str], start: object, end: object) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cur:
        for code in codes:
            cur.execute(FLOOR_SQL[code], _params(start, end))
            rows += len(cur.fetchall())
    return rows


def check_floor(codes: list[str], period: Any) -> None:
    """The floor computes what the product does: for the training metrics, the same people
    with the same values (means to 10 decimals: the product divides in 28 digits)."""
    from decimal import Decimal

    from django.db import connection

    from kaopei.assessment.metrics import compute_metrics

    places = Decimal("1e-10")
    for code in [c for c in codes if c in TRAINING]:
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL[code], _params(period.start, period.end))
            expected = {emp: Decimal(v).quantize(places) for emp, v in cur.fetchall()}
        got = {
            emp: v.actual.quantize(places)
            for emp, v in compute_metrics([code], period=period)[code].items()
            if v.has_data and v.actual is not None
        }
        if got != expected:
            wrong = sorted(e for e in got.keys() | expected.keys() if got.get(e) != expected.get(e))
            sys.exit(
                f"{code}: the floor differs from the product for {len(wrong)} people, e.g. "
                + ", ".join(f"{e}: {expected.get(e)} vs {got.get(e)}" for e in wrong[:5])
            )
        print(f"  {code}: the floor's values equal the product's ({len(got):,} people)")


def vacuum(tables: list[str]) -> None:
    """What autovacuum does between real scoring runs: without it, the rows deleted by the
    previous run of this script slow the next one down (dead index entries)."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scale", type=float, default=0.1, help="1 = 10,000 AMs and 10M activities (default 0.1)"
    )
    parser.add_argument(
        "--activities", type=int, default=None, help="override the number of activities"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the data of a previous run")
    parser.add_argument(
        "--with-training",
        action="store_true",
        help="also generate enrolments and quiz attempts and put training_hours and quiz_score "
        "in the templates (ignored with --reuse: the data decides)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="time each step this many times (median; default 3)"
    )
    parser.add_argument(
        "--curve",
        default="",
        help="comma-separated activity totals, e.g. 1000000,3000000,10000000: "
        "measure at each, adding activities between measurements",
    )
    args = parser.parse_args()
    if args.curve:
        points = [int(x) for x in args.curve.split(",")]
        args.activities = points[0]
    else:
        points = []
    setup_django(fresh=not args.reuse)
    from kaopei.core.bulk import allow_fast_switching

    allow_fast_switching()  # a bulk process, like `kaopei score` and the workers
    from benchmarks.scale_data import add_activities, generate
    from kaopei.facts.models import Activity

    times: dict[str, float] = {}
    if not args.reuse:
        with timed("generate data", times):
            print(
                " ", generate(args.scale, activities=args.activities, training=args.with_training)
            )
    for i, total in enumerate(points or [None]):
        if total is not None and i > 0:
            with timed(f"add activities up to {total:,}", times):
                add_activities(total - Activity.objects.count())
        measure(times, args.repeat)


def measure(times: dict[str, float], repeat: int) -> None:
    """Time the SQL floor and scoring (first and re-score) on the data as it is.

    Each is timed ``repeat`` times, alternating (floor, first scoring, re-score), and the
    medians are compared: one run on a shared machine varies by ±5–10 %.
    """
    from kaopei.assessment.models import Scorecard, TemplateItem
    from kaopei.assessment.services.scoring import cycle_score
    from kaopei.core.periods import parse_period
    from kaopei.facts.models import Activity
    from kaopei.org.models import Employee
    from kaopei.training.models import Enrolment, QuizAttempt

    n_emp = Employee.objects.count()
    n_act = Activity.objects.count()
    period = parse_period("2026Q1")
    codes = sorted(set(TemplateItem.objects.values_list("metric__code", flat=True)))
    print(f"Scale: {n_emp:,} employees, {n_act:,} activities; metrics: {', '.join(codes)}")
    if set(TRAINING) & set(codes):
        print(
            f"  with {Enrolment.objects.count():,} enrolments, {QuizAttempt.objects.count():,} attempts"
        )
        check_floor(codes, period)
    floor(codes, period.start, period.end)  # warm the cache
    runs: dict[str, list[float]] = {"floor": [], "first": [], "rescore": []}
    for _ in range(repeat):
        Scorecard.objects.filter(cycle__code="2026Q1").delete()
        vacuum(["assessment_scorecard", "assessment_scoreline", "assessment_historicalscorecard"])
        with timed("SQL floor", times):
            floor(codes, period.start, period.end)
        runs["floor"].append(times["SQL floor"])
        with timed("scoring (first)", times):
            summary = cycle_score(code="2026Q1")
        runs["first"].append(times["scoring (first)"])
        with timed("scoring (re-score)", times):
            cycle_score(code="2026Q1")
        runs["rescore"].append(times["scoring (re-score)"])
    floor_s, first, again = (statistics.median(runs[k]) for k in ("floor", "first", "rescore"))
    print(f"Scored {summary.scored:,}: {summary.grades}")
    print(
        f"RESULT employees={n_emp} activities={n_act} runs={repeat} (medians) "
        f"floor={floor_s:.2f}s score={first:.2f}s rescore={again:.2f}s "
        f"ratio={first / floor_s:.2f} rescore_ratio={again / floor_s:.2f} "
        f"peak_rss={peak_rss_mb():.0f}MB (target ratio <= 1.5, peak < 1024MB)",
        flush=True,
    )


if __name__ == "__main__":
    main()

"""The training-effect figures (DESIGN.md §8 ⚑) of one quarter for every course, through the
product's selectors and core, against hand-written SQL computing the same figures on the
same PostgreSQL in the same run (issue 11, Performance).

Data at ``--scale 1`` (seeded ``random()``, generated in PostgreSQL by ``INSERT … SELECT``):
10,000 people, 200 courses (each naming 1 competency and 2 metrics), 500,000 enrolments
from 2025Q3 to 2026Q4 (80 % completed, most with a reaction and both test scores), 2,000,000
quiz attempts (a pre- and a post-test per course), scorecards of 2026Q1 (B) and 2026Q3 (A)
for 95 % of the people with 5 lines each (10 % without data), and closed 360 rounds of B and
A (self, supervisor, 1–4 peers, 0–2 customers on 8 competencies, so some groups are pooled
into ``others`` and some withheld).

- **product**: :func:`kaopei.training.selectors.effect.cycle_effect_rows` for 2026Q2 — the
  code path of the export, the pages and the API;
- **SQL**: one hand-written query per level (L1 and L2 grouped, L3 with the report rule of
  §7 — groups, pooling, ``all_raters``, means rounded to 2 decimals — and L4 with the groups
  by anti-joins), executed and fetched, values rounded half-up in SQL.

Both are timed ``--repeat`` times (median); the script prints the times, the ratio (target
≤ 2) and whether the rows agree.

    .venv/bin/python benchmarks/bench_training.py [--scale 1] [--repeat 3] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb, setup_django, timed  # noqa: E402
from benchmarks.training_data import (  # noqa: E402
    insert_attempts,
    insert_enrolments,
    insert_quizzes,
)

P = "2026Q2"
METRICS = ("opportunity_win_rate", "visit_count", "sales_amount", "nps", "response_hours")
COMPETENCIES = 8
SCALE = 2520  # kaopei.feedback.models.rounds.SCALE (asserted in generate)

# The all_raters means of a round's reports, in hundredths (the rule of bench_feedback.py).
REPORT_SQL = f"""
cells_{{x}} AS (
    SELECT r.subject_id, a.competency_id, r.relationship,
           count(*) AS n, sum(a.total * {SCALE} / a.items) AS scaled
    FROM feedback_answer a JOIN feedback_response r ON r.id = a.response_id
    WHERE r.round_id = %({{x}}_round)s
    GROUP BY r.subject_id, a.competency_id, r.relationship
), pool_{{x}} AS (
    SELECT subject_id, competency_id, sum(n) AS n, sum(scaled) AS scaled
    FROM cells_{{x}} WHERE relationship IN ('peer', 'subordinate', 'customer') AND n < 3
    GROUP BY subject_id, competency_id
), shown_{{x}} AS (
    SELECT subject_id, competency_id, n, scaled FROM cells_{{x}}
    WHERE relationship = 'supervisor'
       OR (relationship IN ('peer', 'subordinate', 'customer') AND n >= 3)
    UNION ALL
    SELECT subject_id, competency_id, n, scaled FROM pool_{{x}} WHERE n >= 3
), rep_{{x}} AS (
    SELECT subject_id AS person, competency_id,
           div(200 * sum(scaled) + sum(n) * {SCALE}, 2 * sum(n) * {SCALE}) / 100.0 AS v
    FROM shown_{{x}} GROUP BY subject_id, competency_id
)"""

HAND_SQL = (
    """
WITH in_p AS (
    SELECT course_id, employee_id, session_on, reaction, pre_score, post_score
    FROM training_enrolment
    WHERE completed AND session_on BETWEEN %(p_start)s AND %(p_end)s
), trained AS (SELECT DISTINCT course_id, employee_id FROM in_p
), ever AS (
    SELECT DISTINCT course_id, employee_id FROM training_enrolment
    WHERE completed AND session_on <= %(a_end)s AND course_id IN (SELECT course_id FROM in_p)
), both_scored AS (
    SELECT employee_id FROM assessment_scorecard WHERE cycle_id = %(b)s AND eligible
    INTERSECT
    SELECT employee_id FROM assessment_scorecard WHERE cycle_id = %(a)s AND eligible
), l1 AS (
    SELECT course_id, 'L1' AS level, '' AS item, count(reaction) AS t, NULL::bigint AS u,
           avg(reaction::numeric) AS v
    FROM in_p GROUP BY course_id HAVING count(reaction) > 0
), l2 AS (
    SELECT course_id, 'L2', '', count(*), NULL::bigint, avg(post_score - pre_score)
    FROM (SELECT DISTINCT ON (course_id, employee_id) course_id, post_score, pre_score
          FROM in_p WHERE pre_score IS NOT NULL AND post_score IS NOT NULL
          ORDER BY course_id, employee_id, session_on DESC) x
    GROUP BY course_id
), line_change AS (
    SELECT lb.metric_id, sb.employee_id AS person, la.attainment - lb.attainment AS d
    FROM assessment_scoreline lb
    JOIN assessment_scorecard sb ON sb.id = lb.scorecard_id AND sb.cycle_id = %(b)s
         AND sb.eligible
    JOIN assessment_scorecard sa ON sa.employee_id = sb.employee_id AND sa.cycle_id = %(a)s
         AND sa.eligible
    JOIN assessment_scoreline la ON la.scorecard_id = sa.id AND la.metric_id = lb.metric_id
    WHERE lb.has_data AND la.has_data AND lb.attainment IS NOT NULL
          AND la.attainment IS NOT NULL
),"""
    + REPORT_SQL.format(x="b")
    + ","
    + REPORT_SQL.format(x="a")
    + """, rep_change AS (
    SELECT b.competency_id, b.person, a.v - b.v AS d
    FROM rep_b b JOIN rep_a a ON a.person = b.person AND a.competency_id = b.competency_id
), items AS (
    SELECT c.id AS course_id, 'L3' AS level, k.code AS item, k.id AS item_id
    FROM training_course c JOIN training_course_competencies cc ON cc.course_id = c.id
    JOIN org_competency k ON k.id = cc.competency_id
    WHERE c.id IN (SELECT course_id FROM trained)
    UNION ALL
    SELECT c.id, 'L4', m.code, m.id
    FROM training_course c JOIN training_course_metrics cm ON cm.course_id = c.id
    JOIN assessment_metric m ON m.id = cm.metric_id
    WHERE c.id IN (SELECT course_id FROM trained)
), changes AS (
    SELECT 'L3' AS level, competency_id AS item_id, person, d FROM rep_change
    UNION ALL
    SELECT 'L4', metric_id, person, d FROM line_change
), t_side AS (
    SELECT i.course_id, i.level, i.item, count(ch.d) AS n, avg(ch.d) AS m
    FROM items i JOIN trained t ON t.course_id = i.course_id
    LEFT JOIN changes ch ON ch.level = i.level AND ch.item_id = i.item_id
                        AND ch.person = t.employee_id
    GROUP BY i.course_id, i.level, i.item
), u_side AS (
    SELECT i.course_id, i.level, i.item, count(ch.d) AS n, avg(ch.d) AS m
    FROM items i
    LEFT JOIN changes ch ON ch.level = i.level AND ch.item_id = i.item_id
         AND ch.person IN (SELECT employee_id FROM both_scored)
         AND NOT EXISTS (SELECT 1 FROM ever e WHERE e.course_id = i.course_id
                         AND e.employee_id = ch.person)
    GROUP BY i.course_id, i.level, i.item
), l34 AS (
    SELECT t.course_id, t.level, t.item, t.n, u.n,
           CASE WHEN t.n >= 3 AND u.n >= 3 THEN t.m - u.m END
    FROM t_side t JOIN u_side u USING (course_id, level, item)
), every_row AS (
    SELECT * FROM l1 UNION ALL SELECT * FROM l2 UNION ALL SELECT * FROM l34
)
SELECT c.code, r.level, r.item, r.t, r.u, round(r.v, 4)
FROM every_row r JOIN training_course c ON c.id = r.course_id
ORDER BY c.code COLLATE "C", r.level, r.item COLLATE "C"
"""
)


def sizes(scale: float) -> dict[str, int]:
    return {
        "people": max(30, int(10_000 * scale)),
        "courses": max(4, int(200 * scale)),
        "enrolments": max(300, int(500_000 * scale)),
        "attempts": max(300, int(2_000_000 * scale)),
    }


def generate(scale: float) -> None:
    """Everything the figures read, seeded: the same rows on every run at one scale."""
    from django.db import connection, transaction

    from kaopei.assessment.models import Metric, Template
    from kaopei.assessment.services.cycles import cycle_get_or_create
    from kaopei.feedback.models import FeedbackRound
    from kaopei.feedback.models.rounds import SCALE as PRODUCT_SCALE
    from kaopei.org.models import Competency, JobLevel, OrgUnit
    from kaopei.training.models import Course

    assert PRODUCT_SCALE == SCALE
    n = sizes(scale)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT setseed(0.11)")
        unit = OrgUnit.objects.create(code="BENCH", name="基准", kind="team")
        level = JobLevel.objects.create(code="BAM1", name="基准职级", rank=1)
        boss = unit.employees.create(employee_no="BOSS", name="主管", level=level)
        cur.execute(
            "INSERT INTO org_employee (employee_no, name, org_unit_id, level_id, supervisor_id,"
            " email, active, created_at, updated_at)"
            " SELECT 'P' || lpad(g::text, 6, '0'), '员工' || g, %s, %s, %s, '', true, now(),"
            " now() FROM generate_series(1, %s) g",
            [unit.pk, level.pk, boss.pk, n["people"]],
        )
        competencies = [
            Competency.objects.create(code=f"k{i}", name=f"能力{i}") for i in range(COMPETENCIES)
        ]
        metrics = [Metric.objects.get(code=code) for code in METRICS]
        for i in range(n["courses"]):
            course = Course.objects.create(
                code=f"C{i:03d}", title=f"课程{i}", module="other", format="lecture", hours=4
            )
            course.competencies.add(competencies[i % COMPETENCIES])
            course.metrics.add(metrics[i % 5], metrics[(i + 2) % 5])
        cur.execute("SELECT min(id) FROM org_employee WHERE employee_no LIKE %s", ["P%"])
        e0 = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM training_course")
        c0 = cur.fetchone()[0]
        insert_enrolments(
            cur,
            e0=e0,
            people=n["people"],
            c0=c0,
            courses=n["courses"],
            count=n["enrolments"],
            first_day="2025-07-01",
            days=549,
        )
        insert_quizzes(cur)
        insert_attempts(
            cur, e0=e0, people=n["people"], count=n["attempts"], first_day="2025-07-01", days=549
        )
        template = Template.objects.create(
            code="bench", version=1, level=level, cycle_kind="quarterly"
        )
        for code in ("2026Q1", "2026Q3"):
            cycle = cycle_get_or_create(code=code)
            cur.execute(
                "INSERT INTO assessment_scorecard (created_at, updated_at, computed_grade, grade,"
                " veto_reason, renormalised, weight_with_data, weight_total, inputs_hash,"
                " projection, cycle_id, employee_id, level_id, org_unit_id, template_id,"
                " eligible, ineligible_reason, total)"
                " SELECT now(), now(), 'B', 'B', '', false, 100, 100, 'x', '{}'::jsonb, %s,"
                " e.id, %s, %s, %s, true, '', 100"
                " FROM org_employee e WHERE e.employee_no LIKE 'P%%' AND random() < 0.95",
                [cycle.pk, level.pk, unit.pk, template.pk],
            )
            cur.execute(
                "INSERT INTO assessment_scoreline (weight, cap, has_data, warning, position,"
                " metric_id, scorecard_id, attainment)"
                " SELECT 20, 1.5, h, '', 0, m.id, s.id,"
                " CASE WHEN h THEN round((random() * 2)::numeric, 8) END"
                " FROM assessment_scorecard s"
                " CROSS JOIN (SELECT id, random() < 0.9 AS h FROM assessment_metric"
                "             WHERE code = ANY(%s)) m"
                " WHERE s.cycle_id = %s",
                [list(METRICS), cycle.pk],
            )
            rnd = FeedbackRound.objects.create(cycle=cycle, status=FeedbackRound.Status.CLOSED)
            cur.execute(
                "INSERT INTO feedback_response (id, round_id, subject_id, relationship,"
                " rater_id, source)"
                " SELECT gen_random_uuid(), %(round)s, s.id, r.rel,"
                " CASE r.rel WHEN 'self' THEN s.id WHEN 'supervisor' THEN %(boss)s END,"
                " 'kaopei'"
                " FROM (SELECT id, 1 + floor(random() * 4)::int AS peers,"
                "       floor(random() * 3)::int AS cust"
                "       FROM org_employee WHERE employee_no LIKE 'P%%') s"
                " CROSS JOIN LATERAL (SELECT 'self' AS rel UNION ALL SELECT 'supervisor'"
                "   UNION ALL SELECT 'peer' FROM generate_series(1, s.peers)"
                "   UNION ALL SELECT 'customer' FROM generate_series(1, s.cust)) r",
                {"round": rnd.pk, "boss": boss.pk},
            )
            cur.execute(
                "INSERT INTO feedback_answer (id, response_id, competency_id, total, items,"
                " comment)"
                " SELECT gen_random_uuid(), x.rid, x.cid,"
                " x.items + floor(random() * (4 * x.items + 1))::int, x.items, ''"
                " FROM (SELECT r.id AS rid, c.id AS cid,"
                "       CASE WHEN random() < 0.2 THEN 3 ELSE 1 END AS items"
                "       FROM feedback_response r CROSS JOIN org_competency c"
                "       WHERE r.round_id = %s AND c.code LIKE 'k%%' AND random() > 0.05) x",
                [rnd.pk],
            )
    with connection.cursor() as cur:
        for table in (
            "training_enrolment",
            "training_quizattempt",
            "assessment_scorecard",
            "assessment_scoreline",
            "feedback_response",
            "feedback_answer",
            "org_employee",
        ):
            cur.execute(f"ANALYZE {table}")


Row = tuple[str, str, str, int, int | None, Decimal | None]


def product() -> list[Row]:
    from kaopei.core.periods import parse_period
    from kaopei.training.selectors.effect import cycle_effect_rows

    return [
        (r.course, r.level, r.item, r.trained, r.comparison, r.value)
        for r in cycle_effect_rows(parse_period(P))
    ]


def hand() -> list[Row]:
    from django.db import connection

    from kaopei.assessment.models import Cycle
    from kaopei.core.periods import parse_period
    from kaopei.feedback.models import FeedbackRound

    period = parse_period(P)
    b, a = Cycle.objects.get(code="2026Q1"), Cycle.objects.get(code="2026Q3")
    rounds = {r.cycle_id: r.pk for r in FeedbackRound.objects.filter(cycle__in=[a, b])}
    params: dict[str, Any] = {
        "p_start": period.start,
        "p_end": period.end,
        "a_end": a.end,
        "b": b.pk,
        "a": a.pk,
        "b_round": rounds.get(b.pk),
        "a_round": rounds.get(a.pk),
    }
    with connection.cursor() as cur:
        cur.execute(HAND_SQL, params)
        out: list[Row] = []
        for code, level, item, t, u, v in cur.fetchall():
            value = None if v is None else (v.copy_abs() if v.is_zero() else v)
            out.append((code, level, item, t, u, value))
    return out


def measure(repeat: int, times: dict[str, float]) -> dict[str, Any]:
    runs: dict[str, list[float]] = {"sql": [], "product": []}
    hand()  # warm the cache
    for _ in range(repeat):
        with timed("hand-written SQL", times):
            expected = hand()
        runs["sql"].append(times["hand-written SQL"])
        with timed("product (selectors + core)", times):
            got = product()
        runs["product"].append(times["product (selectors + core)"])
    sql_s, product_s = statistics.median(runs["sql"]), statistics.median(runs["product"])
    mismatches = [(x, y) for x, y in zip(got, expected, strict=False) if x != y]
    return {
        "rows": len(got),
        "sql": sql_s,
        "product": product_s,
        "ratio": product_s / sql_s if sql_s else float("inf"),
        "identical": len(got) == len(expected) and not mismatches,
        "mismatches": mismatches[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 people (1)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per step (median; 3)")
    parser.add_argument("--reuse", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kaopei_bench_training"
    )
    setup_django(fresh=not args.reuse)
    from kaopei.training.models import Enrolment, QuizAttempt

    times: dict[str, float] = {}
    if not args.reuse:
        with timed("generate data", times):
            generate(args.scale)
    enrolments, attempts = Enrolment.objects.count(), QuizAttempt.objects.count()
    print(f"Scale: {sizes(args.scale)}; {enrolments:,} enrolments, {attempts:,} attempts")
    result = measure(args.repeat, times)
    print(
        f"RESULT scale={args.scale} enrolments={enrolments} attempts={attempts} "
        f"rows={result['rows']} runs={args.repeat} (medians) sql={result['sql']:.2f}s "
        f"product={result['product']:.2f}s ratio={result['ratio']:.2f} "
        f"identical={result['identical']} peak_rss={peak_rss_mb():.0f}MB (target ratio <= 2)",
        flush=True,
    )
    if not result["identical"]:
        sys.exit(
            f"The product's figures differ from the hand-written SQL's: {result['mismatches']}"
        )


if __name__ == "__main__":
    main()

"""The whole 360 round's report rows, computed and exported, against one hand-written SQL
query computing the same rows (DESIGN.md §7 ⚑; issue 10, Performance).

Data: ``--subjects`` people (default 10,000), each rated by themselves, their supervisor,
1–5 peers, 0–4 subordinates and 1–5 customers (≈ 10 raters), on 8 competencies: ≈ 800,000
answers, a fifth of them questionnaire means of 3 items (so the sums are exact fractions),
in a closed round — generated in PostgreSQL by ``INSERT … SELECT`` (seeded ``random()``).

- **product**: :func:`kaopei.assessment.exports.export_cycle` with ``feedback`` — the code
  path of ``kaopei export feedback CYCLE -o FILE.csv``: the report rows of the round (the
  anonymity rule of ``kaopei.feedback.anonymity``) written as the export's CSV;
- **SQL**: one query with the thresholds, the pooling into ``others`` and ``all_raters``
  (GROUP BY, FILTER and CASE), the means rounded half-up, sorted as the export — executed
  and fetched.

Each is timed ``--repeat`` times (median); the script prints both times, their ratio
(target ≤ 2) and whether the rows are identical.

    .venv/bin/python benchmarks/bench_feedback.py [--subjects 10000] [--repeat 3] [--reuse]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb, setup_django, timed  # noqa: E402

CYCLE = "2026Q1"
COMPETENCIES = 8
SCALE = 2520  # kaopei.feedback.models.rounds.SCALE (asserted in generate)

HAND_SQL = f"""
WITH cells AS (
    SELECT r.subject_id, a.competency_id, r.relationship,
           count(*) AS n, sum(a.total * {SCALE} / a.items) AS scaled
    FROM feedback_answer a JOIN feedback_response r ON r.id = a.response_id
    WHERE r.round_id = %(round)s
    GROUP BY r.subject_id, a.competency_id, r.relationship
), pool AS (
    SELECT subject_id, competency_id, sum(n) AS n, sum(scaled) AS scaled
    FROM cells WHERE relationship IN ('peer', 'subordinate', 'customer') AND n < 3
    GROUP BY subject_id, competency_id
), shown AS (
    SELECT subject_id, competency_id,
           CASE relationship WHEN 'self' THEN 'self' WHEN 'supervisor' THEN 'supervisor'
                WHEN 'peer' THEN 'peers' WHEN 'subordinate' THEN 'subordinates'
                ELSE 'customers' END AS grp, n, scaled
    FROM cells WHERE relationship IN ('self', 'supervisor') OR n >= 3
    UNION ALL
    SELECT subject_id, competency_id, 'others', n, scaled FROM pool WHERE n >= 3
), rows AS (
    SELECT * FROM shown
    UNION ALL
    SELECT subject_id, competency_id, 'all_raters', sum(n), sum(scaled)
    FROM shown WHERE grp <> 'self' GROUP BY subject_id, competency_id
)
SELECT e.employee_no, k.code, w.grp, w.n,
       div(200 * w.scaled + w.n * {SCALE}, 2 * w.n * {SCALE})::bigint AS cents
FROM rows w
JOIN org_employee e ON e.id = w.subject_id
JOIN org_competency k ON k.id = w.competency_id
ORDER BY e.employee_no, k.code, array_position(ARRAY['self', 'supervisor', 'peers',
    'subordinates', 'customers', 'others', 'all_raters'], w.grp)
"""


def generate(subjects: int) -> int:
    """The organisation, the competencies and a closed round with ≈ 10 responses of 8
    answers per subject; returns the round's id. Seeded: the same rows on every run."""
    from django.db import connection, transaction

    from kaopei.assessment.services.cycles import cycle_get_or_create
    from kaopei.feedback.models import FeedbackRound
    from kaopei.feedback.models.rounds import SCALE as PRODUCT_SCALE
    from kaopei.org.models import Competency, JobLevel, OrgUnit

    assert PRODUCT_SCALE == SCALE
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT setseed(0.36)")
        unit = OrgUnit.objects.create(code="BENCH", name="基准", kind="team")
        level = JobLevel.objects.create(code="BAM1", name="基准职级", rank=1)
        boss = unit.employees.create(employee_no="BOSS", name="主管", level=level)
        cur.execute(
            "INSERT INTO org_employee (employee_no, name, org_unit_id, level_id, supervisor_id,"
            " email, active, created_at, updated_at)"
            " SELECT 'S' || lpad(g::text, 6, '0'), '员工' || g, %s, %s, %s, '', true, now(),"
            " now() FROM generate_series(1, %s) g",
            [unit.pk, level.pk, boss.pk, subjects],
        )
        for i in range(COMPETENCIES):
            Competency.objects.create(code=f"k{i}", name=f"能力{i}")
        rnd = FeedbackRound.objects.create(
            cycle=cycle_get_or_create(code=CYCLE), status=FeedbackRound.Status.CLOSED
        )
        cur.execute(
            "INSERT INTO feedback_response (id, round_id, subject_id, relationship, rater_id,"
            " source)"
            " SELECT gen_random_uuid(), %(round)s, s.id, r.rel,"
            " CASE r.rel WHEN 'self' THEN s.id WHEN 'supervisor' THEN %(boss)s END, 'kaopei'"
            " FROM (SELECT id, 1 + floor(random() * 5)::int AS peers,"
            "       floor(random() * 5)::int AS subs, 1 + floor(random() * 5)::int AS cust"
            "       FROM org_employee WHERE employee_no LIKE 'S%%') s"
            " CROSS JOIN LATERAL (SELECT 'self' AS rel UNION ALL SELECT 'supervisor'"
            "   UNION ALL SELECT 'peer' FROM generate_series(1, s.peers)"
            "   UNION ALL SELECT 'subordinate' FROM generate_series(1, s.subs)"
            "   UNION ALL SELECT 'customer' FROM generate_series(1, s.cust)) r",
            {"round": rnd.pk, "boss": boss.pk},
        )
        cur.execute(
            "INSERT INTO feedback_answer (id, response_id, competency_id, total, items, comment)"
            " SELECT gen_random_uuid(), x.rid, x.cid,"
            " x.items + floor(random() * (4 * x.items + 1))::int, x.items, ''"
            " FROM (SELECT r.id AS rid, c.id AS cid,"
            "       CASE WHEN random() < 0.2 THEN 3 ELSE 1 END AS items"
            "       FROM feedback_response r CROSS JOIN org_competency c"
            "       WHERE r.round_id = %s AND random() > 0.03) x",
            [rnd.pk],
        )
    with connection.cursor() as cur:
        for table in ("feedback_response", "feedback_answer", "org_employee"):
            cur.execute(f"ANALYZE {table}")
    return int(rnd.pk)


def product(path: Path) -> int:
    """The export through the product's code path; returns the rows written."""
    from kaopei.assessment.exports import export_cycle
    from kaopei.assessment.models import Cycle

    with path.open("wb") as stream:
        return export_cycle(
            cycle=Cycle.objects.get(code=CYCLE), what="feedback", fmt="csv", stream=stream
        )


def hand(round_id: int) -> list[tuple[Any, ...]]:
    """The rows by the hand-written query, as the export writes them."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(HAND_SQL, {"round": round_id})
        return [
            (CYCLE, no, code, group, str(n), f"{cents // 100}.{cents % 100:02d}")
            for no, code, group, n, cents in cur.fetchall()
        ]


def exported(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [tuple(row) for row in csv.reader(handle)][1:]


def measure(round_id: int, repeat: int, times: dict[str, float]) -> dict[str, Any]:
    """Time both ``repeat`` times, alternating; the medians, their ratio, and whether the
    rows agree."""
    runs: dict[str, list[float]] = {"sql": [], "product": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feedback.csv"
        hand(round_id)  # warm the cache
        for _ in range(repeat):
            with timed("hand-written SQL", times):
                expected = hand(round_id)
            runs["sql"].append(times["hand-written SQL"])
            with timed("product (report rows + CSV)", times):
                written = product(path)
            runs["product"].append(times["product (report rows + CSV)"])
        identical = exported(path) == expected
    sql_s, product_s = statistics.median(runs["sql"]), statistics.median(runs["product"])
    return {
        "rows": written,
        "sql": sql_s,
        "product": product_s,
        "ratio": product_s / sql_s if sql_s else float("inf"),
        "identical": identical,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=10_000, help="people rated (10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per step (median; 3)")
    parser.add_argument("--reuse", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kaopei_bench_feedback"
    )
    setup_django(fresh=not args.reuse)
    from kaopei.feedback.models import Answer, FeedbackRound

    times: dict[str, float] = {}
    if args.reuse:
        round_id = FeedbackRound.objects.get(cycle__code=CYCLE).pk
    else:
        with timed("generate data", times):
            round_id = generate(args.subjects)
    answers = Answer.objects.filter(response__round_id=round_id).count()
    print(f"Scale: {args.subjects:,} subjects, {answers:,} answers", flush=True)
    result = measure(round_id, args.repeat, times)
    print(
        f"RESULT subjects={args.subjects} answers={answers} rows={result['rows']} "
        f"runs={args.repeat} (medians) sql={result['sql']:.2f}s product={result['product']:.2f}s "
        f"ratio={result['ratio']:.2f} identical={result['identical']} "
        f"peak_rss={peak_rss_mb():.0f}MB (target ratio <= 2)",
        flush=True,
    )
    if not result["identical"]:
        sys.exit("The product's rows differ from the hand-written query's.")


if __name__ == "__main__":
    main()

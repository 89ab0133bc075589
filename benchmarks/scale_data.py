"""Scale data for benchmarks, generated inside PostgreSQL (generate_series, fixed seed).

At scale 1: 10,000 account managers, 10,000,000 activities and 1,000,000 rows of every
other fact kind (customers, opportunities, sales, receivables, complaints, surveys,
incidents), quarterly templates for three levels and targets for one cycle.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

# Sizes at scale 1.
EMPLOYEES = 10_000
ACTIVITIES = 10_000_000
OTHERS = 1_000_000

FACT_TABLES = [
    "facts_customer",
    "facts_activity",
    "facts_opportunity",
    "facts_sale",
    "facts_receivable",
    "facts_complaint",
    "facts_surveyresponse",
    "facts_complianceincident",
]


# With training (``--with-training``), per person and year: about 5 completed enrolments
# (80 % of the enrolments are completed), 10 scored quiz attempts; courses at scale 1.
ENROLMENTS_PER_PERSON = 6.25
ATTEMPTS_PER_PERSON = 10
COURSES = 200
# The training metrics' weights in each level's template, taken from its first item.
TRAINING_ITEMS = [("training_hours", 5), ("quiz_score", 5)]
TRAINING_TARGETS = {"training_hours": 8, "quiz_score": 80}


def generate(
    scale: float, *, activities: int | None = None, year: int = 2026, training: bool = False
) -> dict[str, int]:
    from kaopei.assessment.services.cycles import cycle_get_or_create
    from kaopei.assessment.services.templates import ItemSpec, template_create_version
    from kaopei.org.models import JobLevel, OrgUnit

    n_emp = max(10, int(EMPLOYEES * scale))
    n_act = activities if activities is not None else max(100, int(ACTIVITIES * scale))
    n_oth = max(100, int(OTHERS * scale))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        hq = OrgUnit.objects.create(code="HQ", name="总行", kind="hq")
        levels = [
            JobLevel.objects.create(code=f"AM{i}", name=f"客户经理{i}", rank=i) for i in (1, 2, 3)
        ]
        teams = [
            OrgUnit.objects.create(code=f"T{i:03d}", name=f"团队{i}", parent=hq, kind="team")
            for i in range(max(1, n_emp // 20))
        ]
        t0, tn = teams[0].pk, len(teams)
        l0 = levels[0].pk
        cur.execute(
            "INSERT INTO org_employee (employee_no, name, org_unit_id, level_id, email, active,"
            " created_at, updated_at)"
            " SELECT 'E' || lpad(g::text, 7, '0'), '员工' || g, %s + (g %% %s), %s + (g %% 3), '',"
            " true, now(), now() FROM generate_series(1, %s) g",
            [t0, tn, l0, n_emp],
        )
        cur.execute("SELECT min(id) FROM org_employee")
        e0 = cur.fetchone()[0]
        # The generated records are plain imports: nobody voided them by hand.
        for table in FACT_TABLES:
            cur.execute(f"ALTER TABLE {table} ALTER COLUMN void_reason SET DEFAULT ''")
        emp = f"({e0} + floor(random() * {n_emp})::int)"
        cur.execute(
            "INSERT INTO facts_customer (customer_no, name, owner_id, segment, strategic,"
            " acquired_on, lost_on)"
            f" SELECT 'C' || g, '客户' || g, {e0} + (g %% %s), '', random() < 0.15,"
            " date %s - (random() * 2000)::int,"
            " CASE WHEN random() < 0.05 THEN date %s + (random() * 360)::int END"
            " FROM generate_series(1, %s) g",
            [n_emp, f"{year}-12-31", f"{year}-01-01", n_oth],
        )
        cur.execute("SELECT min(id), max(id) FROM facts_customer")
        c0, c1 = cur.fetchone()
        _insert_activities(cur, start=1, count=n_act, e0=e0, n_emp=n_emp, c0=c0, c1=c1, year=year)
        common = f"{emp}, {c0} + floor(random() * {c1 - c0 + 1})::int"
        day = f"date '{year}-01-01' + (random() * 364)::int"
        cur.execute(
            "INSERT INTO facts_opportunity (opportunity_id, employee_id, customer_id, created_on,"
            " closed_on, status, amount)"
            f" SELECT 'O' || g, {common}, d, CASE WHEN s <> 'open' THEN d + (random() * 60)::int END,"
            " s, round((random() * 1e6)::numeric, 2) FROM (SELECT g, " + day + " AS d,"
            " (ARRAY['open','won','lost'])[1 + floor(random() * 3)::int] AS s"
            " FROM generate_series(1, %s) g) x",
            [n_oth],
        )
        cur.execute(
            "INSERT INTO facts_sale (contract_no, employee_id, customer_id, signed_on, amount, profit)"
            f" SELECT 'S' || g, {common}, {day}, a, round(a * (random() * 0.3 - 0.05)::numeric, 2)"
            " FROM (SELECT g, round((random() * 1e6)::numeric, 2) AS a"
            " FROM generate_series(1, %s) g) x",
            [n_oth],
        )
        cur.execute(
            "INSERT INTO facts_receivable (invoice_no, employee_id, customer_id, invoiced_on, amount,"
            " paid_on)"
            f" SELECT 'F' || g, {common}, d, round((random() * 1e6)::numeric, 2),"
            " CASE WHEN random() < 0.9 THEN d + (random() * 120)::int END"
            f" FROM (SELECT g, {day} AS d FROM generate_series(1, %s) g) x",
            [n_oth],
        )
        cur.execute(
            "INSERT INTO facts_complaint (complaint_id, employee_id, customer_id, opened_on,"
            " resolved_on)"
            f" SELECT 'P' || g, {common}, d, CASE WHEN random() < 0.8 THEN d + (random() * 40)::int END"
            f" FROM (SELECT g, {day} AS d FROM generate_series(1, %s) g) x",
            [n_oth],
        )
        cur.execute(
            "INSERT INTO facts_surveyresponse (response_id, employee_id, customer_id, responded_on,"
            " nps, csat)"
            f" SELECT 'R' || g, {common}, {day}, floor(random() * 11)::int,"
            " CASE WHEN random() < 0.8 THEN 1 + floor(random() * 5)::int END"
            " FROM generate_series(1, %s) g",
            [n_oth],
        )
        cur.execute(
            "INSERT INTO facts_complianceincident (incident_id, employee_id, occurred_on, category,"
            " confirmed, description)"
            f" SELECT 'I' || g, {emp}, {day},"
            " (ARRAY['bribery','aml','data_privacy','other'])[1 + (g %% 4)], random() < 0.02, ''"
            " FROM generate_series(1, %s) g",
            [n_oth],
        )
        sizes = {"employees": n_emp, "activities": n_act, "other_facts_each": n_oth}
        if training:
            sizes.update(_insert_training(cur, e0=e0, n_emp=n_emp, scale=scale, year=year))
        templates = {
            "AM1": [
                ("visit_count", 30),
                ("response_hours", 15),
                ("opportunity_win_rate", 15),
                ("new_customers", 10),
                ("complaint_resolution_rate", 10),
                ("nps", 10),
                ("compliance_incidents", 10),
            ],
            "AM2": [
                ("visit_count", 20),
                ("opportunity_win_rate", 20),
                ("sales_amount", 15),
                ("response_hours", 10),
                ("csat", 10),
                ("nps", 10),
                ("customer_growth_rate", 5),
                ("compliance_incidents", 10),
            ],
            "AM3": [
                ("strategic_coverage", 25),
                ("profit_contribution", 15),
                ("opportunity_win_rate", 15),
                ("sales_amount", 15),
                ("nps", 10),
                ("collection_days", 10),
                ("compliance_incidents", 10),
            ],
        }
        if training:
            for items in templates.values():
                code, weight = items[0]
                items[0] = (code, weight - sum(w for _, w in TRAINING_ITEMS))
                items.extend(TRAINING_ITEMS)
        for level in levels:
            template_create_version(
                code=f"{level.code.lower()}-q",
                level=level,
                cycle_kind="quarterly",
                items=[ItemSpec(m, Decimal(w)) for m, w in templates[level.code]],
            )
        cycle = cycle_get_or_create(code=f"{year}Q1")
        targets = {
            "visit_count": 60,
            "response_hours": 24,
            "opportunity_win_rate": 33,
            "new_customers": 2,
            "complaint_resolution_rate": 70,
            "nps": 5,
            "compliance_incidents": 0,
            "sales_amount": 5_000_000,
            "csat": 50,
            "customer_growth_rate": 5,
            "strategic_coverage": 50,
            "profit_contribution": 600_000,
            "collection_days": 60,
            **(TRAINING_TARGETS if training else {}),
        }
        for code, value in targets.items():
            cur.execute(
                "INSERT INTO assessment_target (cycle_id, employee_id, metric_id, value,"
                " created_at, updated_at)"
                " SELECT %s, e.id, m.id, %s, now(), now() FROM org_employee e,"
                " assessment_metric m WHERE m.code = %s",
                [cycle.pk, value, code],
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return sizes


def _insert_training(cur: Any, *, e0: int, n_emp: int, scale: float, year: int) -> dict[str, int]:
    """Courses, their quizzes (every fifth course without a post-test), enrolments over the
    year (half imported, 0.5–8 hours) and scored attempts, scaled with the people."""
    from benchmarks.training_data import insert_attempts, insert_enrolments, insert_quizzes
    from kaopei.training.models import Course

    n_courses = max(5, int(COURSES * scale))
    Course.objects.bulk_create(
        Course(code=f"K{i:04d}", title=f"课程{i}", module="other", format="lecture", hours=4)
        for i in range(n_courses)
    )
    cur.execute("SELECT min(id) FROM training_course")
    c0 = cur.fetchone()[0]
    first, days = f"{year}-01-01", 365
    n_enr = int(n_emp * ENROLMENTS_PER_PERSON)
    insert_enrolments(
        cur,
        e0=e0,
        people=n_emp,
        c0=c0,
        courses=n_courses,
        count=n_enr,
        first_day=first,
        days=days,
        imported=0.5,
        hours="0.5 * (1 + g %% 16)",
    )
    insert_quizzes(cur, without_post_every=5)
    insert_attempts(
        cur, e0=e0, people=n_emp, count=n_emp * ATTEMPTS_PER_PERSON, first_day=first, days=days
    )
    return {"courses": n_courses, "enrolments": n_enr, "attempts": n_emp * ATTEMPTS_PER_PERSON}


def _insert_activities(
    cur: Any, *, start: int, count: int, e0: int, n_emp: int, c0: int, c1: int, year: int
) -> None:
    """Activities ``start`` … ``start + count − 1``, spread over the year; each goes to a
    customer of its employee's neighbourhood (customer ids are round-robin per employee)."""
    emp = f"({e0} + floor(random() * {n_emp})::int)"
    cur.execute(
        "INSERT INTO facts_activity (activity_id, employee_id, customer_id, kind,"
        " occurred_at, occurred_on, response_hours)"
        " SELECT 'A' || g, e, %s + ((e - %s) + %s * (g %% 10)) %% %s,"
        " (ARRAY['visit','call','meeting','request'])[1 + (g %% 4)],"
        " ts, (ts AT TIME ZONE 'Asia/Shanghai')::date,"
        " CASE WHEN g %% 4 = 3 THEN round((random() * 48)::numeric, 2) END"
        " FROM (SELECT g, " + emp + " AS e,"
        " timestamptz %s + random() * interval '365 days' AS ts"
        " FROM generate_series(%s, %s) g) s",
        [c0, e0, n_emp, c1 - c0 + 1, f"{year}-01-01 00:00+08", start, start + count - 1],
    )


def add_activities(count: int, *, year: int = 2026) -> int:
    """Add ``count`` activities to generated data; returns the new total."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT count(*), min(id) FROM org_employee")
        n_emp, e0 = cur.fetchone()
        cur.execute("SELECT min(id), max(id) FROM facts_customer")
        c0, c1 = cur.fetchone()
        cur.execute("SELECT count(*) FROM facts_activity")
        have = cur.fetchone()[0]
        _insert_activities(
            cur, start=have + 1, count=count, e0=e0, n_emp=n_emp, c0=c0, c1=c1, year=year
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE facts_activity")
    return have + count


if __name__ == "__main__":
    from benchmarks.common import setup_django

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    setup_django(fresh=True)
    print(generate(args.scale))

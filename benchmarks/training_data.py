"""Training data for benchmarks, generated inside PostgreSQL (``INSERT … SELECT``, seeded by
the caller's ``setseed``): enrolments, the courses' quizzes and scored quiz attempts.

Used by ``bench_training.py`` (the training-effect figures) and by ``bench_scoring.py
--with-training`` (``training_hours`` and ``quiz_score`` in the templates). People and
courses are given as the first id and a count: their ids must be consecutive.
"""

from __future__ import annotations

from typing import Any


def insert_enrolments(
    cur: Any,
    *,
    e0: int,
    people: int,
    c0: int,
    courses: int,
    count: int,
    first_day: str,
    days: int,
    imported: float = 1.0,
    hours: str = "4",
) -> None:
    """About ``count`` enrolments (duplicates of course, person and date are skipped), dated
    ``first_day`` + 0 … ``days`` − 1: 80 % completed, most of those with a reaction and both
    test scores. ``imported`` is the share recorded as imported (the rest in Kaopei);
    ``hours`` is an SQL expression over the row number ``g``."""
    source = (
        "'import'"
        if imported >= 1
        else f"CASE WHEN random() < {imported} THEN 'import' ELSE 'kaopei' END"
    )
    cur.execute(
        "INSERT INTO training_enrolment (created_at, updated_at, session_on, status,"
        " completed, hours, reaction, reaction_comment, pre_score, post_score, source,"
        " course_id, employee_id)"
        " SELECT now(), now(), x.d, 'enrolled', x.done, x.h,"
        " CASE WHEN x.done AND random() < 0.9 THEN 1 + floor(random() * 5)::int END, '',"
        " CASE WHEN x.done AND random() < 0.85 THEN x.pre END,"
        " CASE WHEN x.done AND random() < 0.9 THEN least(100, x.pre + floor(random() * 40)"
        f"   - 10) END, {source}, x.c, x.e"
        " FROM (SELECT date %(first)s + floor(random() * %(days)s)::int AS d,"
        "       random() < 0.8 AS done, 30 + floor(random() * 50)::int AS pre,"
        "       %(c0)s + floor(random() * %(courses)s)::int AS c,"
        f"      %(e0)s + floor(random() * %(people)s)::int AS e, {hours} AS h"
        "       FROM generate_series(1, %(count)s) g) x"
        " ON CONFLICT DO NOTHING",
        {
            "first": first_day,
            "days": days,
            "c0": c0,
            "courses": courses,
            "e0": e0,
            "people": people,
            "count": count,
        },
    )


def insert_quizzes(cur: Any, *, without_post_every: int = 0) -> None:
    """A published pre- and post-test for every course; with ``without_post_every`` = n,
    the courses whose id is a multiple of n have a pre-test only."""
    where = (
        f" WHERE k = 'pre' OR mod(c.id, {without_post_every}) <> 0" if without_post_every else ""
    )
    cur.execute(
        "INSERT INTO training_quiz (created_at, updated_at, kind, title, title_en, pass_mark,"
        " max_attempts, shuffle_questions, shuffle_options, published, course_id)"
        " SELECT now(), now(), k, '测验', '', 60, 3, true, true, true, c.id"
        " FROM training_course c CROSS JOIN (VALUES ('pre'), ('post')) v(k)" + where
    )


def insert_attempts(
    cur: Any, *, e0: int, people: int, count: int, first_day: str, days: int
) -> None:
    """``count`` scored attempts at random quizzes (their ids must be consecutive), submitted
    at random moments from ``first_day`` 00:00 (the session's time zone) over ``days``."""
    cur.execute(
        "INSERT INTO training_quizattempt (created_at, updated_at, number, started_at,"
        " submitted_at, score, passed, layout, employee_id, quiz_id)"
        " SELECT now(), now(), row_number() OVER (PARTITION BY q, e ORDER BY t), t, t, s,"
        " s >= 60, '[]'::jsonb, e, q"
        " FROM (SELECT timestamptz %(first)s + random() * %(days)s * interval '1 day' AS t,"
        "       floor(random() * 101)::int AS s,"
        "       %(e0)s + floor(random() * %(people)s)::int AS e,"
        "       (SELECT min(id) FROM training_quiz)"
        "         + floor(random() * (SELECT count(*) FROM training_quiz))::int AS q"
        "       FROM generate_series(1, %(count)s)) x",
        {"first": first_day, "days": days, "e0": e0, "people": people, "count": count},
    )

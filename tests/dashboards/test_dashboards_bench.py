"""The dashboards benchmark at a tiny scale: data generated and scored, gunicorn serving the
three pages to a few concurrent users, figures printed (PostgreSQL: the data generator writes
PostgreSQL SQL, and gunicorn must see the committed data)."""

from __future__ import annotations

import pytest
from django.db import connection

from benchmarks.bench_dashboards import prepare, report, run

pytestmark = [
    # serialized_rollback: the metric library (a data migration) is back after other
    # transactional tests emptied the tables.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL"),
]


def test_the_benchmark_serves_the_dashboards_under_load(capsys: pytest.CaptureFixture[str]) -> None:
    prepare(0.002, reuse=False)
    figures = run(users=3, requests=2, workers=1, threads=3, supervisor_url="/home/")
    assert set(figures) == {"bare", "supervisor", "org"}
    assert all(f["n"] == 6 for f in figures.values())
    report(figures, 3)
    assert "RESULT users=3" in capsys.readouterr().out

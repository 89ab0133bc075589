"""The training benchmark's functions on a tiny scale: its data, its hand-written SQL and the
product's selectors and core agree (PostgreSQL: the script generates with PostgreSQL SQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from benchmarks.bench_training import generate, hand, measure, product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL"),
]


def test_the_benchmark_sql_and_the_product_give_the_same_figures() -> None:
    generate(0.005)
    rows = product()
    assert rows == hand()
    levels = {row[1] for row in rows}
    assert levels == {"L1", "L2", "L3", "L4"}
    result = measure(1, {})
    assert result["identical"] and result["rows"] == len(rows)

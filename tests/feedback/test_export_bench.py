"""The feedback benchmark's functions on a tiny scale: its data, its hand-written query and
the product's export agree (PostgreSQL: the script generates with PostgreSQL SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from benchmarks.bench_feedback import exported, generate, hand, measure, product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL"),
]


def test_the_benchmark_query_and_the_export_give_the_same_rows(tmp_path: Path) -> None:
    round_id = generate(60)
    rows = product(tmp_path / "f.csv")
    expected = hand(round_id)
    assert rows == len(expected) > 60 * 8
    assert exported(tmp_path / "f.csv") == expected
    groups = {row[3] for row in expected}
    assert {"self", "supervisor", "all_raters", "others"} <= groups  # pooling happens
    result = measure(round_id, 1, {})
    assert result["identical"] and result["rows"] == rows

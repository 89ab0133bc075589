"""The report cards benchmark at a tiny scale (PostgreSQL: the data is generated with
PostgreSQL SQL): both sides run and the ratio is computed; the WeasyPrint side is skipped
cleanly when WeasyPrint is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from benchmarks import bench_report_cards as bench
from benchmarks.scale_data import generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL"),
]


def test_the_benchmark_times_both_sides_on_scored_data(tmp_path: Path) -> None:
    from kaopei.assessment.services.scoring import cycle_score

    generate(0.001, activities=2000)
    cycle_score(code="2026Q1")
    out = bench.run(code="2026Q1", cards=3, lang="zh-hans", folder=tmp_path)
    assert out["cards"] == 3 and out["kaopei"] > 0
    if not bench.weasyprint_available():
        pytest.skip(bench.INSTALL_HINT)
    assert out["weasyprint"] > 0 and out["ratio"] == out["kaopei"] / out["weasyprint"]
    html = sorted((tmp_path / "html").glob("*.html"))
    assert len(html) == 3 and "@font-face" in html[0].read_text(encoding="utf-8")
    assert len(list((tmp_path / "html").glob("*.pdf"))) == 3

"""The demo's training history (kaopei/training/demo_effect.py) and the training metrics of the
demo templates (kaopei/assessment/demo.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kaopei.assessment import demo as assessment_demo
from kaopei.assessment import sources
from kaopei.training.demo_effect import history_quarters


def test_the_history_is_the_three_quarters_before_today() -> None:
    codes = [p.code for p in history_quarters(dt.date(2026, 12, 6))]
    assert codes == ["2026Q1", "2026Q2", "2026Q3"]
    assert [p.code for p in history_quarters(dt.date(2027, 2, 1))] == [
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]


def test_templates_take_the_training_metrics_once_they_can_be_scored(monkeypatch: Any) -> None:
    for level, kind in assessment_demo.TEMPLATES:
        assert assessment_demo.template_items(level, kind) == list(
            dict(assessment_demo.TEMPLATES[(level, kind)]).items()
        ) or sources.metric_available(code="training_hours", source="computed")
    monkeypatch.setitem(sources._formulas, "training_hours", lambda ctx: {})
    monkeypatch.setitem(sources._formulas, "quiz_score", lambda ctx: {})
    for level, kind in assessment_demo.TEMPLATES:
        items = dict(assessment_demo.template_items(level, kind))
        assert sum(items.values()) == 100, (level, kind)
    am1 = dict(assessment_demo.template_items("AM1", "quarterly"))
    assert am1["training_hours"] == 5 and am1["quiz_score"] == 5

"""The assessment's import kinds (DESIGN.md §4.2 ⚑): ``targets``, ``manual_scores`` and
``templates``, registered with their loaders (:mod:`kaopei.assessment.loaders`) by
:class:`kaopei.assessment.apps.AssessmentConfig`, which also tells the import pipeline
which cycles are final and which final cycles use the organisation's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing.columns import (
    NO_UNIT,
    Column,
    KindSpec,
    as_choice,
    as_cycle,
    as_decimal,
)
from kaopei.imports.importing.kinds import key_column
from kaopei.imports.importing.parsers import Choices
from kaopei.org.import_kinds import LEVEL_CODE_MAX, employee_column

CODE_MAX = 60  # metric and template codes
CYCLE_KINDS = Choices({"quarterly": ("季度",), "annual": ("年度",)})


TARGETS = KindSpec(
    "targets",
    ("cycle", "employee_no", "metric"),
    (
        Column("cycle", "考核周期", as_cycle),
        employee_column("employee_no", "工号"),
        key_column("metric", "指标代码", max_length=CODE_MAX),
        Column("target", "目标值", as_decimal),
    ),
    label=_("Targets"),
)


MANUAL_SCORES = KindSpec(
    "manual_scores",
    ("cycle", "employee_no", "metric"),
    (
        Column("cycle", "考核周期", as_cycle),
        employee_column("employee_no", "工号"),
        key_column("metric", "指标代码", max_length=CODE_MAX),
        Column("value", "得分", as_decimal),
        employee_column("rater_no", "评分人工号", required=False),
    ),
    label=_("Manual scores"),
)


TEMPLATES = KindSpec(
    "templates",
    ("template", "metric"),
    (
        key_column("template", "模板代码", max_length=CODE_MAX),
        key_column("level", "职级", max_length=LEVEL_CODE_MAX),
        Column("cycle_kind", "周期类型", as_choice, choices=CYCLE_KINDS),
        key_column("metric", "指标代码", max_length=CODE_MAX),
        Column("weight", "权重", as_decimal, minimum=0, maximum=100, unit="%"),
        # A fraction (1.5 = 150 points), so a header unit such as (%) would rescale it.
        Column(
            "cap",
            "封顶",
            as_decimal,
            required=False,
            minimum=0,
            min_exclusive=True,
            default=Decimal("1.5"),
            unit=NO_UNIT,
        ),
    ),
    label=_("Templates"),
    consistent=(("template", ("level", "cycle_kind")),),
)


def final_cycles() -> Iterator[tuple[str, date, date]]:
    """The final cycles as (code, first day, last day), for the import pipeline."""
    from kaopei.assessment.models import Cycle

    yield from Cycle.objects.filter(status=Cycle.Status.FINAL).values_list("code", "start", "end")


def final_scorecards_using(field: str) -> Any:
    """A check for :func:`kaopei.imports.registry.register_final_use`: the final cycles
    whose scorecards name (in ``field``) some of the rows import batches created."""

    def check(created: models.QuerySet[Any]) -> Iterator[tuple[int, str]]:
        from kaopei.assessment.models import Cycle, Scorecard

        yield from (
            Scorecard.objects.filter(cycle__status=Cycle.Status.FINAL, **{f"{field}__in": created})
            .order_by()
            .values_list(f"{field}__import_batch", "cycle__code")
        )

    return check


def register() -> None:
    """Register the assessment's kinds and final cycles (from ``AssessmentConfig.ready``)."""
    from kaopei.assessment.loaders import ManualScoreLoader, TargetLoader, TemplateLoader
    from kaopei.imports.registry import register_final_cycles, register_final_use, register_kind

    register_final_cycles(final_cycles)
    for model, field in (
        ("org.employee", "employee"),
        ("org.orgunit", "org_unit"),
        ("org.joblevel", "level"),
    ):
        register_final_use(model, final_scorecards_using(field))
    register_kind(
        TARGETS,
        TargetLoader,
        description=_("Targets per cycle, employee and metric."),
        notes=_(
            "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
            "whole file."
        ),
        example={
            "cycle": "2026Q1",
            "employee_no": "A001",
            "metric": "sales_amount",
            "target": 1000000,
        },
    )
    register_kind(
        MANUAL_SCORES,
        ManualScoreLoader,
        description=_("Hand-entered scores per cycle, such as supervisor ratings."),
        notes=_(
            "A cycle that does not exist yet is created as a draft; a final cycle refuses the "
            "whole file."
        ),
        example={
            "cycle": "2026Q1",
            "employee_no": "A001",
            "metric": "supervisor_rating",
            "value": 4,
            "rater_no": "S001",
        },
    )
    register_kind(
        TEMPLATES,
        TemplateLoader,
        description=_("Assessment templates: the metrics and weights of each job level."),
        notes=_(
            "The weights of each template in the file must add up to 100, and all rows of a "
            "template must name the same job level and cycle type. Importing a template that "
            "exists makes a new version."
        ),
        example={
            "template": "AM1-Q",
            "level": "AM1",
            "cycle_kind": "季度",
            "metric": "visit_count",
            "weight": 100,
            "cap": 1.5,
        },
    )

"""Role-play test data: a role-play with a rubric, a performance with its assessors, and a
submitted score sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kaopei.org.models import Employee
from kaopei.training.models import AssessorScore, Performance, RolePlay, ToolkitItem, ToolkitVersion
from kaopei.training.services.roleplays import (
    CriterionIn,
    RolePlayIn,
    performance_create,
    roleplay_create,
    score_submit,
)


def roleplay_with_rubric(
    code: str = "RP-TEST",
    weights: Sequence[int | str] = (60, 40),
    *,
    scale: tuple[int, int] = (1, 5),
    threshold: str = "1.5",
    **extra: Any,
) -> RolePlay:
    return roleplay_create(
        data=RolePlayIn(
            code=code,
            title="价格异议处理",
            title_en="Price objection",
            learner_brief="客户认为费率太高。",
            learner_brief_en="The client finds the fee too high.",
            client_brief="坚持要求降价。",
            client_brief_en="Insist on a discount.",
            scale_min=scale[0],
            scale_max=scale[1],
            disagreement_threshold=Decimal(threshold),
            **extra,
        ),
        criteria=[
            CriterionIn(name=f"标准{i}", name_en=f"Criterion {i}", weight=Decimal(str(w)))
            for i, w in enumerate(weights, start=1)
        ],
    )


def performance_of(
    roleplay: RolePlay,
    performer: Employee,
    assessors: Sequence[Employee],
    on: dt.date = dt.date(2026, 10, 15),
) -> Performance:
    return performance_create(
        roleplay=roleplay, performer=performer, performed_on=on, assessors=list(assessors)
    )


def submit(
    performance: Performance,
    assessor: Employee,
    values: Sequence[int | str],
    **extra: Any,
) -> AssessorScore:
    criteria = list(performance.roleplay.criteria.order_by("order", "pk"))
    return score_submit(
        performance=performance,
        assessor=assessor,
        values={c.pk: Decimal(str(v)) for c, v in zip(criteria, values, strict=True)},
        **extra,
    )


def toolkit_version(code: str = "TK-RP-TEST") -> ToolkitVersion:
    item = ToolkitItem.objects.create(
        code=code, kind="script", title="价格异议话术", title_en="Price objection script"
    )
    return ToolkitVersion.objects.create(item=item, number=1, body="先认同，再转向价值。")

"""Cases and toolkit items for the library's tests."""

from __future__ import annotations

from typing import Any

from kaopei.training.models import (
    Case,
    CaseKind,
    DiscussionQuestion,
    Industry,
    ToolkitItem,
    ToolkitKind,
    ToolkitVersion,
)


def make_case(code: str = "CASE-FABE", **kw: Any) -> Case:
    questions = kw.pop("questions", [])
    defaults: dict[str, Any] = {
        "kind": CaseKind.SUCCESS,
        "industry": Industry.MANUFACTURING,
        "title": "价格敏感客户的异议处理",
        "title_en": "Handling a price-sensitive client's objection",
        "situation": "客户认为我行结算费率偏高。",
        "situation_en": "The client found our settlement fees too high.",
        "lessons": "用 FABE 讲价值，而不是降价。",
        "lessons_en": "Sell value with FABE instead of cutting the price.",
    }
    defaults.update(kw)
    case = Case.objects.create(code=code, **defaults)
    for i, text in enumerate(questions, start=1):
        DiscussionQuestion.objects.create(case=case, order=i, text=text)
    return case


def make_item(code: str = "TK-SPIN", versions: int = 1, **kw: Any) -> ToolkitItem:
    defaults: dict[str, Any] = {
        "kind": ToolkitKind.SCRIPT,
        "title": "SPIN 提问话术",
        "title_en": "SPIN question script",
    }
    defaults.update(kw)
    item = ToolkitItem.objects.create(code=code, **defaults)
    for n in range(1, versions + 1):
        ToolkitVersion.objects.create(item=item, number=n, body=f"第{n}版 背景问题", note=f"v{n}")
    return item

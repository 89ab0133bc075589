"""The toolkit: everyone employed downloads a published version; an inactive item's
versions only for trainers and HR (404 for the rest)."""

from __future__ import annotations

from typing import Any

from kaopei.training.models import ToolkitItem, ToolkitKind, ToolkitVersion
from tests.access import OK, answer, case, row


def build(world: Any) -> dict[str, object]:
    live = ToolkitItem.objects.create(code="MTX-TK", kind=ToolkitKind.SCRIPT, title="矩阵话术")
    gone = ToolkitItem.objects.create(
        code="MTX-TK-OLD", kind=ToolkitKind.CHECKLIST, title="停用清单", active=False
    )
    return {
        "toolkit_version": ToolkitVersion.objects.create(item=live, number=1, body="开场白"),
        "toolkit_version_inactive": ToolkitVersion.objects.create(item=gone, number=1, body="x"),
    }


PAGES = {
    "training:toolkit_download": row(
        case("live", OK, post=answer(405), pk="@toolkit_version"),
        case(
            "inactive",
            answer(404, trainer=200, hr=200),
            post=answer(405),
            pk="@toolkit_version_inactive",
        ),
    ),
}

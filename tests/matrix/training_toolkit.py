"""The toolkit: everyone employed browses the library and downloads a published version;
an inactive item and its versions only for trainers and HR (404 for the rest), who also
create items, edit their tags, publish versions and deactivate."""

from __future__ import annotations

import json
from typing import Any

from kaopei.training.models import ToolkitItem, ToolkitKind, ToolkitVersion
from tests.access import GET_ONLY, JSON, OK, answer, case, one, row

MANAGERS = answer(403, trainer=200, hr=200)
MANAGERS_ACT = answer(403, trainer=302, hr=302)
MANAGERS_SEE_OLD = answer(404, trainer=200, hr=200)


def build(world: Any) -> dict[str, object]:
    live = ToolkitItem.objects.create(code="MTX-TK", kind=ToolkitKind.SCRIPT, title="矩阵话术")
    gone = ToolkitItem.objects.create(
        code="MTX-TK-OLD", kind=ToolkitKind.CHECKLIST, title="停用清单", active=False
    )
    return {
        "toolkit_version": ToolkitVersion.objects.create(item=live, number=1, body="开场白"),
        "toolkit_version_inactive": ToolkitVersion.objects.create(item=gone, number=1, body="x"),
    }


NEW_ITEM = json.dumps({"code": "MTX-TK-NEW", "kind": "checklist", "title": "新清单"})
NEW_VERSION = json.dumps({"body": "第二版", "note": "补充结束语"})

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
    "training:toolkit_list": one(OK, post=GET_ONLY),
    "training:toolkit_detail": row(
        case("active", OK, post=GET_ONLY, code="MTX-TK"),
        case("deactivated", MANAGERS_SEE_OLD, post=answer(405), code="MTX-TK-OLD"),
    ),
    # POSTs without data: the form again with its errors, nothing stored.
    "training:toolkit_create": one(MANAGERS),
    "training:toolkit_edit": one(MANAGERS, code="MTX-TK"),
    "training:toolkit_publish": one(MANAGERS, code="MTX-TK"),
    "training:toolkit_deactivate": one(MANAGERS, post=MANAGERS_ACT, code="MTX-TK"),
}

API = {
    "GET /api/v1/training/toolkit": one(answer(200, anon=401)),
    "GET /api/v1/training/toolkit/{code}": row(
        case("active", answer(200, anon=401), code="MTX-TK"),
        case("deactivated", answer(404, anon=401, trainer=200, hr=200), code="MTX-TK-OLD"),
    ),
    "POST /api/v1/training/toolkit": row(
        case("no body", answer(400, anon=401)),
        case("a new item", answer(403, anon=401, trainer=201, hr=201), data={JSON: NEW_ITEM}),
    ),
    "PUT /api/v1/training/toolkit/{code}": one(answer(403, anon=401), code="MTX-TK"),
    "POST /api/v1/training/toolkit/{code}/versions": row(
        case("no body", answer(400, anon=401), code="MTX-TK"),
        case(
            "a new version",
            answer(403, anon=401, trainer=201, hr=201),
            data={JSON: NEW_VERSION},
            code="MTX-TK",
        ),
    ),
}

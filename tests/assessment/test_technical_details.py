"""Hashes are for support, not for the people a page is about: they sit folded away under
"技术信息 / Technical details"."""

from __future__ import annotations

from typing import Any

from tests.assessment.conftest import Scored


def text(response: Any) -> str:
    return response.content.decode()


def test_the_inputs_hash_is_under_technical_details(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    client = scored_cycle.personas.client(p.alice)
    page = text(client.get(scored_cycle.url(p.alice), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    details = page[page.index('<details class="kp-tech">') : page.index("</details>")]
    assert "技术信息" in details and "输入数据校验值" in details
    assert "输入数据校验值" not in page.replace(details, "")

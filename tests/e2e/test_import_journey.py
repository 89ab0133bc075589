"""An HR admin imports a GB18030 CSV with Chinese headers in the browser: upload, the
column mapping, a dry run that writes nothing, then the import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kaopei.facts.models import Customer
from tests.conftest import Personas
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

CSV = (
    "客户编号,客户名称,客户经理工号,客户类型,战略客户,获客日期\r\n"
    "C9001,北京安华贸易有限公司,A001,批发零售,是,2026/3/5\r\n"
    "C9002,上海白云物流有限公司,B001,物流运输,否,2026/3/6\r\n"
).encode("gb18030")


def test_hr_admin_checks_then_imports_a_chinese_csv(
    live_server: Any, personas: Personas, password: str, page_for: Any, tmp_path: Path,
    settings: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = tmp_path / "客户.csv"
    upload.write_bytes(CSV)
    page = page_for("zh-CN")
    login(page, live_server.url, "HR001", password)
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[type=file]", str(upload))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "客户编号" in page.content()  # the mapping of the file's headers

    with page.expect_navigation():
        page.click("button[value=check]")
    assert Customer.objects.count() == 0  # a dry run writes nothing
    with page.expect_navigation():
        page.click("text=立即导入")
    assert sorted(Customer.objects.values_list("customer_no", flat=True)) == ["C9001", "C9002"]
    assert Customer.objects.get(customer_no="C9001").strategic is True

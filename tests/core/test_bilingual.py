"""Every page reads in Chinese and in English: master data in the reader's language (with a
fallback to the other one), units in words, the language selector in each language's own
name, names before codes, and page downloads with Chinese headers for a
Chinese reader while the command line keeps the ⚑ English ones."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from kaopei.core.i18n import localized, unit_label
from kaopei.org import demo_i18n
from kaopei.org.models import Competency, CompetencyAnchor, JobLevel, OrgUnit
from kaopei.org.services import competency_create
from tests.assessment.factories_config import build_hand_example

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


def reader(personas: Any, who: str, language: str) -> Client:
    client = personas.client(getattr(personas, who))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def text(response: Any) -> str:
    return response.content.decode()


def build_competency() -> Competency:
    return competency_create(
        code="listening",
        name="倾听",
        name_en="Listening",
        category="soft",
        description="听懂客户真正的需求。",
        description_en="Hears what the customer really needs.",
        anchors=["偶尔倾听", "能复述", "能追问", "能总结", "能引导"],
        anchors_en=["Listens now and then", "Restates", "Asks back", "Sums up", "Leads"],
    )


# --- master data in both languages ----------------------------------------------------------


def test_a_competency_reads_in_the_language_of_its_reader(personas: Any) -> None:
    build_competency()
    zh = text(reader(personas, "alice", "zh-hans").get("/org/competencies/listening/"))
    en = text(reader(personas, "alice", "en").get("/org/competencies/listening/"))
    assert "倾听" in zh and "听懂客户真正的需求。" in zh and "能复述" in zh
    assert "Hears what the customer really needs." not in zh and "Restates" not in zh
    assert "Listening" in en and "Hears what the customer really needs." in en
    assert "Restates" in en and "听懂客户真正的需求。" not in en and "能复述" not in en


def test_master_data_written_in_one_language_shows_in_both(personas: Any) -> None:
    level = JobLevel.objects.create(code="X9", name="", name_en="Analyst", rank=5)
    unit = OrgUnit.objects.create(code="X9U", name="研究组", kind=OrgUnit.Kind.TEAM)
    with translation.override("zh-hans"):
        assert (localized(level, "name"), unit.local_name) == ("Analyst", "研究组")
    with translation.override("en"):
        assert (level.local_name, localized(unit, "name")) == ("Analyst", "研究组")
        assert str(level) == "Analyst (X9)"


def test_hr_writes_both_names_of_a_job_level(personas: Any) -> None:
    hr = reader(personas, "hr", "en")
    response = hr.post(
        "/org/levels/new/",
        {
            "code": "AM4",
            "name": "资深客户经理",
            "name_en": "Principal account manager",
            "rank": "4",
            "is_sales": "on",
            "description": "带教新人。",
            "description_en": "Coaches new colleagues.",
        },
    )
    assert response.status_code == 302
    level = JobLevel.objects.get(code="AM4")
    assert (level.name, level.name_en) == ("资深客户经理", "Principal account manager")
    assert (level.description, level.description_en) == ("带教新人。", "Coaches new colleagues.")
    assert "Principal account manager" in text(hr.get("/org/levels/"))
    assert "资深客户经理" in text(reader(personas, "hr", "zh-hans").get("/org/levels/"))


def test_hr_writes_the_english_behaviour_anchors_of_a_competency(personas: Any) -> None:
    build_competency()
    form = {
        "name": "倾听",
        "name_en": "Active listening",
        "category": "soft",
        "description": "",
        "description_en": "",
        "active": "on",
        **{f"anchor_{p}": f"第{p}级" for p in range(1, 6)},
        **{f"anchor_en_{p}": f"Point {p}" for p in range(1, 6)},
    }
    response = reader(personas, "hr", "en").post("/org/competencies/listening/edit/", form)
    assert response.status_code == 302
    anchors = CompetencyAnchor.objects.filter(competency__code="listening").order_by("level")
    assert [(a.behaviour, a.behaviour_en) for a in anchors][:2] == [
        ("第1级", "Point 1"),
        ("第2级", "Point 2"),
    ]
    assert Competency.objects.get(code="listening").name_en == "Active listening"


def test_the_demo_map_gives_levels_competencies_and_units_their_other_language(
    personas: Any,
) -> None:
    level = JobLevel.objects.create(code="MGR", name="团队负责人", rank=4, description="x")
    branch = OrgUnit.objects.create(code="GZ", name="广州分行", kind=OrgUnit.Kind.BRANCH)
    team = OrgUnit.objects.create(code="GZ-T3", name="广州分行跨境金融组", parent=branch)
    competency_create(
        code="crisis_handling", name="危机处理", category="soft", anchors=list("一二三四五")
    )
    demo_i18n.translate_master_data()
    level.refresh_from_db()
    team.refresh_from_db()
    assert (level.name_en, level.description) == (
        "Team lead",
        "团队负责人：带领客户经理团队，并经营自己的重点客户。",
    )
    assert team.name_en == "Guangzhou branch, cross-border finance team"
    anchors = CompetencyAnchor.objects.filter(competency__code="crisis_handling")
    assert anchors.get(level=1).behaviour_en == "Reports complaints promptly"


# --- the words around the data -------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_language_selector_names_each_language_in_itself(personas: Any, language: str) -> None:
    page = text(reader(personas, "alice", language).get("/", follow=True))
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page)
    assert ("zh-hans", "简体中文") in options and ("en", "English") in options
    assert "英语" not in page


def test_units_are_words_of_the_reader(personas: Any) -> None:
    with translation.override("zh-hans"):
        assert [unit_label(u) for u in ("count", "hours", "days", "points", "元")] == [
            "次/个",
            "小时",
            "天",
            "分",
            "元",
        ]
        assert unit_label("km") == "km"  # a unit of its own stays as written
    with translation.override("en"):
        assert unit_label("hours") == "hours"
    zh = text(reader(personas, "hr", "zh-hans").get("/assessment/metrics/"))
    assert "<td>小时</td>" in zh and "<td>天</td>" in zh and "<td>hours</td>" not in zh


def test_names_lead_and_codes_follow_on_the_metric_library(personas: Any) -> None:
    page = text(reader(personas, "hr", "en").get("/assessment/metrics/"))
    row = page[page.index('id="metric-visit_count"') :]
    row = row[: row.index("</tr>")]
    assert row.index("Customer visits") < row.index('<div class="kp-code">visit_count</div>')


def test_a_name_of_a_thing_is_not_a_persons_name() -> None:
    with translation.override("zh-hans"):
        assert translation.pgettext("item", "Name") == "名称"
        assert translation.gettext("Name") == "姓名"


def test_no_page_or_message_cites_the_design_document() -> None:
    templates = [p for p in (ROOT / "kaopei").rglob("*.html") if "设计文档" in p.read_text()]
    assert templates == []
    assert "设计文档" not in PO.read_text()
    assert not any(
        "DESIGN" in line
        for p in (ROOT / "kaopei").rglob("templates/**/*.html")
        for line in p.read_text().splitlines()
        if "translate" in line
    )


# --- downloads -------------------------------------------------------------------------------


def test_a_chinese_reader_downloads_scorecards_with_chinese_headers(personas: Any) -> None:
    build_hand_example(personas)
    url = "/assessment/cycles/2026Q1/export/scorecards.csv"
    zh = reader(personas, "hr", "zh-hans").get(url).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(zh)))
    assert header == [
        "工号",
        "姓名",
        "机构代码",
        "职级代码",
        "考核周期",
        "总分",
        "等级",
        "否决原因",
    ]
    en = reader(personas, "hr", "en").get(url).content.decode("utf-8-sig")
    assert en.startswith("employee_no,name,org_unit,level,cycle,total,grade,veto_reason")


def test_the_command_line_keeps_the_english_headers_whatever_the_language(
    personas: Any, tmp_path: Path
) -> None:
    build_hand_example(personas)
    out = tmp_path / "lines.csv"
    with translation.override("zh-hans"):
        call_command("export", "score-lines", "2026Q1", "-o", str(out))
    assert out.read_text(encoding="utf-8-sig").startswith(
        "employee_no,metric,actual,target,attainment,points,weight,has_data"
    )

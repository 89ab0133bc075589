"""The built-in metric library (DESIGN.md §5, ⚑ contract) and its loader, which also loads
the default grade policy (``grades.DEFAULT_POLICY``).

This is the one place that lists them; a data migration loads them, so they exist after
``migrate`` alone. Formulas are in ``metrics.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kaopei.assessment.grades import DEFAULT_POLICY


@dataclass(frozen=True)
class LibraryMetric:
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: str  # higher | lower
    mode: str  # ratio | band | direct
    category: str
    definition_zh: str
    definition_en: str
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    source: str = "computed"
    cumulative: bool = False


LIBRARY: list[LibraryMetric] = [
    LibraryMetric(
        "sales_amount",
        "销售额",
        "Sales amount",
        "元",
        "higher",
        "ratio",
        "result",
        "周期内签约合同金额合计。",
        "Sum of sales amounts signed in the period.",
        cumulative=True,
    ),
    LibraryMetric(
        "profit_contribution",
        "利润贡献",
        "Profit contribution",
        "元",
        "higher",
        "ratio",
        "key_account",
        "周期内签约合同的模拟利润合计(财务提供)。",
        "Sum of simulated profit of sales signed in the period (as supplied by finance).",
        cumulative=True,
    ),
    LibraryMetric(
        "new_customers",
        "新增客户数",
        "New customers",
        "count",
        "higher",
        "ratio",
        "result",
        "周期内获客日期落在周期内、归属本人的客户数。",
        "Customers owned with an acquisition date in the period.",
        cumulative=True,
    ),
    LibraryMetric(
        "customer_growth_rate",
        "客户增长率",
        "Customer growth rate",
        "%",
        "higher",
        "band",
        "result",
        "(期末客户数 − 期初客户数) / 期初客户数 × 100;期初客户数为 0 时无数据。",
        "(N_end − N_start) / N_start × 100; no data when N_start is 0.",
        floor=Decimal("-100"),
    ),
    LibraryMetric(
        "visit_count",
        "客户拜访量",
        "Customer visits",
        "count",
        "higher",
        "ratio",
        "process",
        "周期内类型为拜访的活动数。",
        "Activities of kind visit in the period.",
        cumulative=True,
    ),
    LibraryMetric(
        "response_hours",
        "响应时长",
        "Response time",
        "hours",
        "lower",
        "ratio",
        "process",
        "周期内有响应时长的活动的响应时长中位数;无则无数据。",
        "Median response time of activities in the period that have one; no data if none.",
    ),
    LibraryMetric(
        "opportunity_win_rate",
        "商机转化率",
        "Opportunity win rate",
        "%",
        "higher",
        "ratio",
        "process",
        "周期内关闭的商机中赢单 / (赢单 + 输单) × 100。",
        "Won / (won + lost) × 100 over opportunities closed in the period.",
    ),
    LibraryMetric(
        "collection_days",
        "回款周期",
        "Collection days (DSO)",
        "days",
        "lower",
        "ratio",
        "result",
        "期末应收余额 / 周期内开票金额 × 周期天数。",
        "Receivables outstanding at the end / credit sales invoiced in the period × "
        "days in the period.",
    ),
    LibraryMetric(
        "complaint_resolution_rate",
        "投诉解决率",
        "Complaint resolution rate",
        "%",
        "higher",
        "ratio",
        "customer",
        "周期内受理且在期末前解决的投诉 / 周期内受理的投诉 × 100。",
        "Complaints opened in the period and resolved by its end / complaints opened "
        "in the period × 100.",
    ),
    LibraryMetric(
        "nps",
        "净推荐值",
        "NPS",
        "points",
        "higher",
        "band",
        "customer",
        "推荐者(9–10 分)占比 − 贬损者(0–6 分)占比。",
        "% of responses scoring 9–10 minus % scoring 0–6.",
        floor=Decimal("-100"),
    ),
    LibraryMetric(
        "csat",
        "客户满意度",
        "Customer satisfaction",
        "%",
        "higher",
        "ratio",
        "customer",
        "满意度为 4 或 5 的问卷 / 有满意度的问卷 × 100。",
        "Responses with CSAT 4 or 5 / responses with a CSAT × 100.",
    ),
    LibraryMetric(
        "strategic_coverage",
        "战略客户覆盖率",
        "Strategic customer coverage",
        "%",
        "higher",
        "ratio",
        "key_account",
        "期末名下战略客户中周期内有拜访或会议的比例 × 100。",
        "Strategic customers owned at the end with at least one visit or meeting in "
        "the period / strategic customers owned at the end × 100.",
    ),
    LibraryMetric(
        "compliance_incidents",
        "合规事件数",
        "Compliance incidents",
        "count",
        "lower",
        "band",
        "compliance",
        "周期内发生的合规事件数(含未确认)。",
        "Incidents in the period, confirmed or not.",
        ceiling=Decimal("3"),
    ),
    LibraryMetric(
        "training_hours",
        "培训学时",
        "Training hours",
        "hours",
        "higher",
        "ratio",
        "development",
        "周期内参加并完成的培训学时。",
        "Hours of sessions attended and completed in the period.",
        cumulative=True,
    ),
    LibraryMetric(
        "quiz_score",
        "测验成绩",
        "Quiz score",
        "0–100",
        "higher",
        "ratio",
        "development",
        "周期内每个测验最好成绩的平均分。",
        "Mean of the best attempt per quiz taken in the period.",
    ),
    LibraryMetric(
        "scenario_score",
        "情景模拟",
        "Scenario simulation",
        "0–100",
        "higher",
        "ratio",
        "development",
        "周期内完成的角色扮演结果(加权评分占满分的百分比,各评委取平均)与决策沙盘结果(占情景满分的百分比)的平均值。",
        "Mean of role-play results (the weighted rubric total as % of its maximum, averaged "
        "over assessors) and decision-sandbox results (% of the scenario's maximum) completed "
        "in the period.",
    ),
    LibraryMetric(
        "competency_360",
        "360 度能力评分",
        "360° competency rating",
        "1–5",
        "higher",
        "band",
        "development",
        "本周期 360 评估中他人评分的平均值(不含自评)。",
        "Mean of 360 ratings about the person in the cycle's round, self excluded.",
        floor=Decimal("1"),
    ),
    LibraryMetric(
        "team_collaboration",
        "团队协作贡献度",
        "Team collaboration",
        "1–5",
        "higher",
        "band",
        "development",
        "本周期 360 评估中“协作”类能力的他人评分平均值(不含自评)。",
        "As the 360° competency rating, over the competencies of the collaboration category only.",
        floor=Decimal("1"),
    ),
    LibraryMetric(
        "supervisor_rating",
        "上级评价",
        "Supervisor rating",
        "1–5",
        "higher",
        "band",
        "process",
        "直属上级给出的评分(手工导入)。",
        "The supervisor's rating (manual scores).",
        floor=Decimal("1"),
        source="manual",
    ),
    LibraryMetric(
        "quarterly_average",
        "季度平均分",
        "Quarterly average",
        "points",
        "higher",
        "direct",
        "result",
        "仅年度周期:本人当年各季度考核总分的平均值。",
        "Annual cycles only: mean total of the person's quarterly scorecards in that year.",
    ),
]


def sync_library(metric_model: Any, policy_model: Any, band_model: Any) -> None:
    """Create or update the built-in metrics and the default grade policy.

    Takes the model classes so that a migration can pass its historical models.
    """
    for m in LIBRARY:
        metric_model.objects.update_or_create(
            code=m.code,
            defaults={
                "name_zh": m.name_zh,
                "name_en": m.name_en,
                "unit": m.unit,
                "direction": m.direction,
                "mode": m.mode,
                "floor": m.floor,
                "ceiling": m.ceiling,
                "source": m.source,
                "category": m.category,
                "definition_zh": m.definition_zh,
                "definition_en": m.definition_en,
                "cumulative": m.cumulative,
                "builtin": True,
            },
        )
    policy, created = policy_model.objects.get_or_create(
        code=DEFAULT_POLICY["code"],
        defaults={"name": DEFAULT_POLICY["name"], "is_default": True},
    )
    if created:
        for order, (grade, minimum, lzh, len_, bzh, ben) in enumerate(DEFAULT_POLICY["bands"]):
            band_model.objects.create(
                policy=policy,
                grade=grade,
                min_total=minimum,
                label_zh=lzh,
                label_en=len_,
                behaviour_zh=bzh,
                behaviour_en=ben,
                order=order,
            )

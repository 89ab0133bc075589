"""Demo data: the suggestion box — suggestions in Chinese and English on the topics a
bank's account managers raise, in every status, with HR's replies. No author, as always.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.contrib.auth import get_user_model

from kaopei.core.demo import SEED, DemoContext, demo_step
from kaopei.core.roles import Role
from kaopei.feedback.models import Suggestion
from kaopei.org.models import OrgUnit

S = Suggestion.Status
A = Suggestion.About
# (about, theme, text, reply, status, days ago)
SUGGESTIONS: list[tuple[str, str, str, str, str, int]] = [
    (
        A.PROCESS,
        "客户跟进",
        "客户投诉之后的跟进流程不清楚：由谁回电、多久之内回电都没有规定，客户经常问我们进展。",
        "感谢建议。自下月起投诉由原客户经理在两个工作日内回电，客服中心同步抄送。",
        S.ANSWERED,
        40,
    ),
    (
        A.PROCESS,
        "CRM",
        "CRM data entry takes close to an hour a day: the same visit has to be logged in CRM "
        "and again in the branch's spreadsheet.",
        "Agreed. The branch spreadsheet is retired from next quarter; CRM becomes the only log.",
        S.CLOSED,
        120,
    ),
    (
        A.PROCESS,
        "CRM",
        "CRM 手机端经常登录超时，外出拜访时无法及时录入拜访记录。",
        "已反馈给科技部，新版本将延长会话时间，预计下月上线。",
        S.ANSWERED,
        25,
    ),
    (
        A.PROCESS,
        "考核",
        "季度考核的目标下达太晚，季度过了一个月才知道目标，很难提前规划。",
        "",
        S.IN_REVIEW,
        12,
    ),
    (
        A.PROCESS,
        "Assessment",
        "Please show how the NPS line is computed on the scorecard; several of us could not "
        "reconcile it with the surveys we saw.",
        "The evidence page of each line now lists every survey answer behind it, "
        "imported or answered by link.",
        S.CLOSED,
        200,
    ),
    (
        A.TEAM,
        "协作",
        "团队内部客户分配不透明，新客户总是分给同几个人，希望公开分配规则。",
        "",
        S.NEW,
        3,
    ),
    (
        A.TEAM,
        "Meetings",
        "Our Monday team meeting runs past an hour and mostly repeats the CRM dashboard.",
        "Thanks. The team lead will keep it to 30 minutes and send the figures beforehand.",
        S.ANSWERED,
        60,
    ),
    (
        A.PROCESS,
        "培训",
        "希望增加跨境结算和外汇避险方面的产品培训，现在的课程偏基础。",
        "培训中心已排入下季度课程计划，届时通知报名。",
        S.ANSWERED,
        80,
    ),
    (
        A.OTHER,
        "Workplace",
        "The meeting rooms at the branch are always booked by the same teams; a booking limit "
        "would help us meet customers on site.",
        "",
        S.NEW,
        1,
    ),
    (
        A.PROCESS,
        "授信审批",
        "授信审批材料清单每次都不一样，客户需要反复补材料，影响体验。",
        "",
        S.IN_REVIEW,
        20,
    ),
    (
        A.PROCESS,
        "Credit",
        "Could credit publish expected turnaround times per loan type? Customers ask us and "
        "we guess.",
        "Credit will publish target times on the intranet from next month.",
        S.ANSWERED,
        35,
    ),
    (
        A.OTHER,
        "福利",
        "外勤交通补贴标准多年未调整，建议按城市重新核定。",
        "已转人力资源部薪酬组评估，年底前答复。",
        S.CLOSED,
        150,
    ),
    (
        A.PERSON,
        "",
        "A senior colleague often takes over customers we brought in without telling us.",
        "",
        S.NEW,
        5,
    ),
    (
        A.PROCESS,
        "客户跟进",
        "大客户年度回访没有统一模板，每个人的记录方式不同，交接时信息丢失。",
        "感谢建议，将在客户访谈功能中统一记录要点。",
        S.ANSWERED,
        50,
    ),
    (
        A.PROCESS,
        "Compliance",
        "The AML refresher quiz repeats the same questions every year; case-based questions "
        "would be more useful.",
        "",
        S.IN_REVIEW,
        9,
    ),
]


@demo_step(45)
def build_suggestions(ctx: DemoContext) -> None:
    """About fifteen suggestions in both languages, in every status, with replies."""
    rng = random.Random(SEED + 45)
    hr = (
        get_user_model()
        .objects.filter(groups__name=Role.HR_ADMIN.value)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    teams = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).order_by("code"))
    people = list(
        get_user_model()
        .objects.filter(groups__name=Role.ACCOUNT_MANAGER.value, employee__isnull=False)
        .order_by("pk")
        .values_list("employee__pk", flat=True)
    )
    rows = []
    for about, theme, text, reply, status, days_ago in SUGGESTIONS:
        posted = max(ctx.first_day, ctx.today - dt.timedelta(days=days_ago))
        replied = min(ctx.today, posted + dt.timedelta(days=rng.randint(1, 6))) if reply else None
        rows.append(
            Suggestion(
                receipt_hash=hashlib.sha256(rng.randbytes(16)).hexdigest(),
                about=about,
                about_unit=rng.choice(teams) if about == A.TEAM and teams else None,
                about_employee_id=rng.choice(people) if about == A.PERSON and people else None,
                text=text,
                posted_on=posted,
                announced=posted < ctx.today,
                status=status,
                theme=theme,
                reply=reply,
                replied_on=replied,
                handled_by_id=hr if status != S.NEW else None,
            )
        )
    Suggestion.objects.bulk_create(rows)
    ctx.log(f"suggestion box: {len(rows)} suggestions, {sum(1 for r in rows if r.reply)} replied")

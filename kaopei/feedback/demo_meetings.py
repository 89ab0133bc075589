"""Demo data: performance interviews and review meetings after each quarter (order 45, after
the assessment's 30).

- Every quarter that ended: most account managers had their interview with their team
  lead about two weeks after the quarter, wrote a self-summary, heard the feedback, agreed
  one or two actions and both acknowledged — except in the latest ended quarter, where some
  interviews are held and await acknowledgements and some are only planned (in the coming
  days). The account-manager persona has one awaiting their acknowledgement.
- Every team held its review meeting after each ended quarter: findings, improvement
  suggestions and actions with owners; older actions are mostly done, recent ones open.

Writes go through the services (they check, lock, keep history and notify); the dates of
past events are set afterwards, since the services stamp the time they run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from kaopei.assessment.models import Cycle, Scorecard
from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.models import Notification
from kaopei.feedback.models import ActionItem, Interview, ReviewMeeting
from kaopei.feedback.services import meetings as svc
from kaopei.org.models import Employee

SHARE = 0.85  # of account managers interviewed each ended quarter
INTERVIEW_AFTER = 14  # days after the quarter's end, give or take a few
MEETING_AFTER = 20

SUMMARY_GOOD = [
    "本季度完成了销售目标,新拓展了{n}家对公客户,其中一家为区域重点企业。拜访频次保持稳定,商机转化率比上季度有所提高。不足是回款跟进偏慢,有两笔应收账款超期。下季度希望在供应链金融产品上得到更多支持。",
    "季度内重点维护了存量战略客户,续签了主要合同,客户满意度回访结果较好。新客户拓展数量达标。需要改进的是CRM记录的及时性,部分拜访登记滞后。",
    "本季度业绩超出目标,主要来自两笔授信项目落地。与产品经理配合顺畅。希望下季度参加结构化融资方面的培训。",
]
SUMMARY_WEAK = [
    "本季度销售额未达目标,主要原因是一家重点客户的项目延期到下季度。拜访量达标,但商机推进不够,有几个商机长期停留在初期阶段。我需要在需求挖掘和方案呈现上加强。",
    "季度内花了较多时间处理客户投诉,新客户拓展只完成了{n}家,低于目标。回款情况良好。希望主管在大客户谈判上给予带教。",
    "本季度刚接手新的客户群,熟悉客户花了时间,业绩偏低。已完成所有客户的首次拜访,建立了跟进清单。",
]
FEEDBACK_GOOD = [
    "本季度表现稳定,目标完成情况好,客户关系维护扎实,特别是在重点客户续约上发挥了作用。需要关注的是回款跟进和CRM登记的及时性,这两项会影响团队整体数据质量。下季度可以承担一个新的重点客户,同时带一名新同事熟悉业务。",
    "业绩突出,商机管理规范,值得在团队内分享经验。建议下季度在交叉销售上设定更高的目标,并注意工作节奏,避免月末集中冲量。",
]
FEEDBACK_WEAK = [
    "本季度业绩未达预期,主要差距在商机转化和新客户拓展。拜访量是够的,但拜访质量需要提高:每次拜访前要明确目标,拜访后在24小时内记录下一步。我会每两周和你一起复盘商机清单。",
    "客户投诉处理认真,但占用了大量时间,需要学会借助中后台资源。新客户拓展需要更有计划,建议从现有客户的上下游入手。下季度重点提升需求挖掘能力,可以报名公司的顾问式销售课程。",
]
ACTIONS_PERSON = [
    "每周一更新商机清单,标注下一步和预计时间",
    "拜访后24小时内在CRM中登记拜访记录和下一步",
    "完成顾问式销售课程并在团队会上分享一次",
    "梳理超期应收账款,逐笔制定催收计划",
    "从现有客户的上下游中筛选5家目标客户并完成首次拜访",
    "准备一份重点客户的综合服务方案",
]
ACTIONS_LEAD = [
    "每两周与员工一起复盘商机进展",
    "安排一次大客户谈判的陪同拜访",
    "协调产品经理参加重点客户的方案讨论",
]
EMPLOYEE_COMMENTS = ["认同,会按计划改进。", "谢谢主管的指导。", "", "", ""]
FINDINGS = [
    "客户跟进流程不清晰:拜访后没有统一记录下一步,客户的需求在交接时丢失,部分商机因此停滞。",
    "回款管理滞后:本季度超期应收账款增加,催收主要靠个人记忆,没有统一的提醒。",
    "新客户拓展集中在季度末,前两个月活动量偏低,导致季度末业绩波动大。",
    "客户投诉响应时间偏长,周末和节假日的客户请求无人及时处理。",
    "团队内部信息共享不足:同一客户被两位客户经理重复拜访,客户体验不好。",
]
SUGGESTIONS = [
    "统一使用CRM的跟进任务功能:每次拜访后24小时内登记下一步和负责人;团队周会过一遍停滞超过30天的商机。",
    "建立应收账款周报,超期7天自动提醒客户经理和团队负责人。",
    "把季度目标拆分到月,每月第一周团队负责人与每位客户经理确认当月拓展计划。",
    "设立周末值班表,客户请求在4个工作小时内响应。",
    "客户归属以CRM为准,拜访前先查看客户的最近记录。",
]
MEETING_ACTIONS = [
    "在团队周会上固定加入停滞商机复盘环节",
    "整理客户跟进的统一模板并发给全组",
    "每周一发送超期应收账款清单",
    "排出下季度的周末值班表",
    "清理CRM中归属不清的客户并重新分配",
]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZoneInfo(settings.TIME_ZONE))


def _last_note() -> int:
    return Notification.objects.aggregate(m=Max("pk"))["m"] or 0


def _backdate_notes(after: int, day: dt.date, *, read: bool) -> None:
    when = _moment(day, 10)
    Notification.objects.filter(pk__gt=after).update(
        created_at=when, read_at=when + dt.timedelta(hours=2) if read else None
    )


def _backdate_history(model: Any, pks: list[int], day: dt.date) -> None:
    """The audit records of these rows dated on ``day`` (in their order, an hour apart)."""
    historical = model.history.model
    records = list(historical.objects.filter(id__in=pks).order_by("history_id"))
    for n, record in enumerate(records):
        record.history_date = _moment(day, 9) + dt.timedelta(minutes=n)
    historical.objects.bulk_update(records, ["history_date"], batch_size=500)


def _ended_quarters(ctx: DemoContext) -> list[Cycle]:
    return list(
        Cycle.objects.filter(
            kind=Cycle.Kind.QUARTERLY,
            status__in=[Cycle.Status.FINAL, Cycle.Status.CALIBRATING],
            end__lt=ctx.today,
        ).order_by("end")
    )


def _interviews(ctx: DemoContext, cycle: Cycle, *, latest: bool) -> None:
    users = ctx.data["users"]
    persona = ctx.data["persona_am"]
    cards = _cards(cycle)
    yesterday = ctx.today - dt.timedelta(days=1)
    for card in cards:
        person = card.employee
        is_persona = person.pk == persona.pk
        if not is_persona and ctx.rng.random() > SHARE:
            continue
        lead = person.supervisor
        assert lead is not None
        lead_user = users[lead.pk]
        person_user = users[person.pk]
        # What becomes of it: in the latest quarter some are only planned, some await
        # acknowledgements; before, nearly all are acknowledged by both.
        fate = "acknowledged"
        if latest:
            fate = "held" if is_persona else ctx.rng.choice(["planned", "held", "held", "one"])
        day = min(
            cycle.end + dt.timedelta(days=INTERVIEW_AFTER + ctx.rng.randint(-4, 6)), yesterday
        )
        if fate == "planned":
            day = ctx.today + dt.timedelta(days=ctx.rng.randint(2, 12))
        planned_on = max(cycle.end + dt.timedelta(days=2), day - dt.timedelta(days=10))
        planned_on = min(planned_on, yesterday)
        mark = _last_note()
        interview = svc.interview_plan(
            employee=person, cycle=cycle, scheduled_on=day, user=lead_user
        )
        good = card.grade in ("A", "B")
        summary = ctx.rng.choice(SUMMARY_GOOD if good else SUMMARY_WEAK)
        svc.interview_self_summary_save(
            interview=interview, text=summary.format(n=ctx.rng.randint(1, 4)), user=person_user
        )
        if fate == "planned":
            _backdate_notes(mark, planned_on, read=False)
            _backdate_history(Interview, [interview.pk], planned_on)
            Interview.objects.filter(pk=interview.pk).update(created_at=_moment(planned_on, 9))
            continue
        svc.interview_record(
            interview=interview,
            scheduled_on=day,
            feedback=ctx.rng.choice(FEEDBACK_GOOD if good else FEEDBACK_WEAK),
            held=True,
            user=lead_user,
        )
        actions = [
            svc.interview_action_add(
                interview=interview,
                text=text,
                owner=person,
                due_on=day + dt.timedelta(days=ctx.rng.choice([30, 45, 60])),
                user=lead_user,
            )
            for text in ctx.rng.sample(ACTIONS_PERSON, 1 if good else 2)
        ]
        if not good:
            actions.append(
                svc.interview_action_add(
                    interview=interview,
                    text=ctx.rng.choice(ACTIONS_LEAD),
                    owner=lead,
                    due_on=day + dt.timedelta(days=30),
                    user=lead_user,
                )
            )
        acknowledged = min(day + dt.timedelta(days=ctx.rng.randint(1, 3)), yesterday)
        if fate in ("acknowledged", "one"):
            svc.interview_acknowledge(
                interview=interview,
                user=person_user,
                comment=ctx.rng.choice(EMPLOYEE_COMMENTS),
            )
        if fate == "acknowledged":
            svc.interview_acknowledge(interview=interview, user=lead_user)
        fields: dict[str, Any] = {"created_at": _moment(planned_on, 9)}
        if fate in ("acknowledged", "one"):
            fields["employee_acknowledged_at"] = _moment(acknowledged, 11)
        if fate == "acknowledged":
            fields["interviewer_acknowledged_at"] = _moment(acknowledged, 16)
        Interview.objects.filter(pk=interview.pk).update(**fields)
        _backdate_history(Interview, [interview.pk], planned_on)
        _follow_up(ctx, actions, day)
        _backdate_history(ActionItem, [a.pk for a in actions], day)
        _backdate_notes(mark, day, read=not latest)


def _interviews_on_record(ctx: DemoContext, cycle: Cycle) -> None:
    """An older quarter's interviews, all held and acknowledged, written in bulk with their
    audit history (the services' checks are the same as for the latest quarter's; this only
    keeps the demo quick to build)."""
    users = ctx.data["users"]
    persona = ctx.data["persona_am"]
    yesterday = ctx.today - dt.timedelta(days=1)
    interviews: list[Interview] = []
    agreed: list[tuple[int, list[tuple[str, Employee, int]]]] = []
    for card in _cards(cycle):
        person = card.employee
        if person.pk != persona.pk and ctx.rng.random() > SHARE:
            continue
        lead = person.supervisor
        assert lead is not None
        day = min(
            cycle.end + dt.timedelta(days=INTERVIEW_AFTER + ctx.rng.randint(-4, 6)), yesterday
        )
        acknowledged = min(day + dt.timedelta(days=ctx.rng.randint(1, 3)), yesterday)
        good = card.grade in ("A", "B")
        interview = Interview(
            cycle=cycle,
            employee=person,
            interviewer=lead,
            scheduled_on=day,
            status=Interview.Status.ACKNOWLEDGED,
            self_summary=ctx.rng.choice(SUMMARY_GOOD if good else SUMMARY_WEAK).format(
                n=ctx.rng.randint(1, 4)
            ),
            supervisor_feedback=ctx.rng.choice(FEEDBACK_GOOD if good else FEEDBACK_WEAK),
            employee_acknowledged_at=_moment(acknowledged, 11),
            employee_comment=ctx.rng.choice(EMPLOYEE_COMMENTS),
            interviewer_acknowledged_at=_moment(acknowledged, 16),
            created_at=_moment(max(cycle.end, day - dt.timedelta(days=10)), 9),
        )
        interview._history_user = users[lead.pk]  # type: ignore[attr-defined]
        interview._history_date = _moment(acknowledged, 16)  # type: ignore[attr-defined]
        interviews.append(interview)
        todo = [
            (t, person, ctx.rng.choice([30, 45, 60]))
            for t in ctx.rng.sample(ACTIONS_PERSON, 1 if good else 2)
        ]
        if not good:
            todo.append((ctx.rng.choice(ACTIONS_LEAD), lead, 30))
        agreed.append((person.pk, todo))
    created = bulk_create_with_history(interviews, Interview, batch_size=500)
    by_person = {i.employee_id: i for i in created}
    actions: list[ActionItem] = []
    for person_id, todo in agreed:
        interview = by_person[person_id]
        day = interview.scheduled_on
        assert day is not None
        for text, owner, days in todo:
            due = day + dt.timedelta(days=days)
            done = due < ctx.today and ctx.rng.random() > 0.15
            done_on = min(due + dt.timedelta(days=ctx.rng.randint(-10, 5)), ctx.today)
            action = ActionItem(
                interview=interview,
                text=text,
                owner=owner,
                due_on=due,
                status=ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
                done_on=max(done_on, day) if done else None,
            )
            action._history_user = users[interview.interviewer_id]  # type: ignore[attr-defined]
            action._history_date = _moment(day, 15)  # type: ignore[attr-defined]
            actions.append(action)
    bulk_create_with_history(actions, ActionItem, batch_size=500)


def _cards(cycle: Cycle) -> Any:
    return (
        Scorecard.objects.filter(
            cycle=cycle,
            employee__active=True,
            employee__level__code__in=["AM1", "AM2", "AM3"],
            employee__supervisor__isnull=False,
        )
        .select_related("employee", "employee__supervisor")
        .order_by("employee__employee_no")
    )


def _follow_up(ctx: DemoContext, actions: list[ActionItem], day: dt.date) -> None:
    """Actions whose due date has passed are mostly done (on time or a little late); a few
    stay open, overdue."""
    for action in actions:
        if action.due_on >= ctx.today or ctx.rng.random() < 0.15:
            continue
        owner = ctx.data["users"][action.owner_id]
        svc.action_item_set_status(action=action, status="done", user=owner)
        done = min(action.due_on + dt.timedelta(days=ctx.rng.randint(-10, 5)), ctx.today)
        ActionItem.objects.filter(pk=action.pk).update(done_on=max(done, day))


def _meetings(ctx: DemoContext, cycle: Cycle) -> None:
    users = ctx.data["users"]
    leads: dict[str, Employee] = ctx.data["team_leads"]
    yesterday = ctx.today - dt.timedelta(days=1)
    for team in ctx.data["teams"]:
        lead = leads[team.code]
        members = list(
            Employee.objects.filter(org_unit=team, active=True, hire_date__lte=cycle.end).order_by(
                "employee_no"
            )
        )
        if len(members) < 2:
            continue
        day = min(cycle.end + dt.timedelta(days=MEETING_AFTER + ctx.rng.randint(-5, 5)), yesterday)
        pick = ctx.rng.sample(range(len(FINDINGS)), 2)
        mark = _last_note()
        meeting = svc.meeting_create(
            cycle=cycle,
            unit=team,
            held_on=day,
            participants=members,
            findings="\n".join(f"{n}. {FINDINGS[i]}" for n, i in enumerate(pick, 1)),
            suggestions="\n".join(f"{n}. {SUGGESTIONS[i]}" for n, i in enumerate(pick, 1)),
            user=users[lead.pk],
        )
        owners = [m for m in members if m.pk != lead.pk]
        actions = [
            svc.meeting_action_add(
                meeting=meeting,
                text=MEETING_ACTIONS[i],
                owner=lead if n == 0 else ctx.rng.choice(owners),
                due_on=day + dt.timedelta(days=ctx.rng.choice([14, 30, 45])),
                user=users[lead.pk],
            )
            for n, i in enumerate(pick)
        ]
        if ctx.rng.random() < 0.2 and actions[-1].due_on < ctx.today:
            svc.action_item_set_status(action=actions[-1], status="dropped", user=users[lead.pk])
            actions = actions[:-1]
        _follow_up(ctx, actions, day)
        ReviewMeeting.objects.filter(pk=meeting.pk).update(created_at=_moment(day, 17))
        _backdate_history(ReviewMeeting, [meeting.pk], day)
        _backdate_history(ActionItem, [a.pk for a in meeting.actions.all()], day)
        _backdate_notes(mark, day, read=cycle.end < ctx.today - dt.timedelta(days=60))


@demo_step(45)
def build_meetings(ctx: DemoContext) -> None:
    """Interviews and review meetings after every quarter that ended."""
    quarters = _ended_quarters(ctx)
    for cycle in quarters:
        if cycle == quarters[-1]:
            _interviews(ctx, cycle, latest=True)
        else:
            _interviews_on_record(ctx, cycle)
        _meetings(ctx, cycle)

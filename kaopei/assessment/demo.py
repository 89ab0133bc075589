"""Demo assessment, anchored to the day the demo is built (``ctx.today``).

Templates for every sales level (team leads included: their own key accounts plus their
branch head's ``supervisor_rating``), targets, and every quarter and year from the first
day of records to the current one, each in the state it would be in on that day:

- ended more than ``FINAL_AFTER`` days ago: final, with the dates it was opened, scored and
  finalised, calibrations with reasons, appeals answered (accepted and rejected), most
  people's acknowledgements and the "your scorecard is final" notifications;
- ended lately: calibrating, with calibrations and open appeals;
- running: scored, with projections to its end (and open appeals when no ended cycle is
  still open for them);
- the next quarter: a draft.

Writes go through the services (they lock, check and keep history); only the dates of past
events are set afterwards, since the services stamp the time they run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kaopei.assessment.grades import SPECIAL
from kaopei.assessment.library import sync_library
from kaopei.assessment.models import (
    Appeal,
    Calibration,
    Cycle,
    GradeBand,
    GradePolicy,
    ManualScore,
    Metric,
    Scorecard,
    ScoreLine,
    Target,
)
from kaopei.assessment.services import notifications
from kaopei.assessment.services.calibration import (
    appeal_create,
    appeal_resolve,
    scorecard_acknowledge,
    scorecard_calibrate,
)
from kaopei.assessment.services.corrections import appeal_target_correct, appeals_record_after
from kaopei.assessment.services.cycles import (
    cycle_get_or_create,
    cycle_set_status,
    cycle_update_settings,
)
from kaopei.assessment.services.scoring import cycle_score
from kaopei.assessment.services.targets import targets_set
from kaopei.assessment.services.templates import ItemSpec, template_create_version
from kaopei.core.demo import DemoContext, demo_refill, demo_step
from kaopei.core.models import Notification
from kaopei.core.periods import parse_period
from kaopei.org.models import Employee, JobLevel

D = Decimal
# Quarterly templates weigh process metrics; AM1 puts 60 on execution (visits, response,
# win rate), AM3 puts 40 on key-account management (strategic coverage, profit).
TEMPLATES = {
    ("AM1", "quarterly"): [
        ("visit_count", 25),
        ("response_hours", 15),
        ("opportunity_win_rate", 15),
        ("new_customers", 10),
        ("complaint_resolution_rate", 10),
        ("nps", 10),
        ("compliance_incidents", 10),
        ("competency_360", 5),
    ],
    ("AM2", "quarterly"): [
        ("visit_count", 15),
        ("opportunity_win_rate", 20),
        ("sales_amount", 15),
        ("response_hours", 10),
        ("new_customers", 10),
        ("nps", 10),
        ("competency_360", 5),
        ("team_collaboration", 5),
        ("compliance_incidents", 10),
    ],
    ("AM3", "quarterly"): [
        ("strategic_coverage", 25),
        ("profit_contribution", 15),
        ("opportunity_win_rate", 15),
        ("sales_amount", 15),
        ("nps", 10),
        ("collection_days", 5),
        ("compliance_incidents", 10),
        ("competency_360", 5),
    ],
    # Team leads: their own key accounts, and their branch head's rating of how they lead.
    ("MGR", "quarterly"): [
        ("sales_amount", 20),
        ("strategic_coverage", 15),
        ("profit_contribution", 15),
        ("supervisor_rating", 10),
        ("opportunity_win_rate", 10),
        ("nps", 10),
        ("compliance_incidents", 10),
        ("competency_360", 5),
        ("team_collaboration", 5),
    ],
    ("AM1", "annual"): [
        ("quarterly_average", 35),
        ("sales_amount", 25),
        ("new_customers", 20),
        ("customer_growth_rate", 10),
        ("csat", 10),
    ],
    ("AM2", "annual"): [
        ("quarterly_average", 30),
        ("sales_amount", 25),
        ("profit_contribution", 15),
        ("customer_growth_rate", 10),
        ("collection_days", 10),
        ("csat", 10),
    ],
    ("AM3", "annual"): [
        ("profit_contribution", 25),
        ("quarterly_average", 25),
        ("strategic_coverage", 15),
        ("sales_amount", 15),
        ("collection_days", 10),
        ("customer_growth_rate", 10),
    ],
    ("MGR", "annual"): [
        ("quarterly_average", 35),
        ("sales_amount", 20),
        ("profit_contribution", 20),
        ("supervisor_rating", 15),
        ("customer_growth_rate", 10),
    ],
}
# The training metrics join the quarterly templates once the training capability provides
# them (DESIGN.md §5): each takes its weight from the item named last, so every template
# still weighs 100. Until then the templates stay as above.
TRAINING_ITEMS = {
    ("AM1", "quarterly"): [("training_hours", 5, "visit_count"), ("quiz_score", 5, "nps")],
    ("AM2", "quarterly"): [
        ("training_hours", 5, "visit_count"),
        ("quiz_score", 5, "nps"),
        ("scenario_score", 5, "visit_count"),
    ],
    ("AM3", "quarterly"): [("quiz_score", 5, "nps"), ("scenario_score", 5, "strategic_coverage")],
}
TRAINING_TARGETS = {"training_hours": 8, "quiz_score": 80, "scenario_score": 75}


def template_items(level: str, kind: str) -> list[tuple[str, int]]:
    """The demo template of ``level`` and ``kind``: TEMPLATES with the training metrics that
    can be scored (weights summing to 100 either way)."""
    from kaopei.assessment.sources import metric_available

    items = dict(TEMPLATES[(level, kind)])
    for code, weight, source in TRAINING_ITEMS.get((level, kind), []):
        if metric_available(code=code, source="computed"):
            items[source] -= weight
            items[code] = weight
    return list(items.items())


# Quarterly targets by level; cumulative ones are multiplied by 4 for the year.
TARGETS = {
    "AM1": {
        "visit_count": 30,
        "response_hours": 8,
        "opportunity_win_rate": 38,
        "new_customers": 2,
        "complaint_resolution_rate": 75,
        "nps": 20,
        "compliance_incidents": 0,
        "sales_amount": 420_000,
        "customer_growth_rate": 160,
        "csat": 70,
        "competency_360": 4,
    },
    "AM2": {
        "visit_count": 25,
        "response_hours": 7,
        "opportunity_win_rate": 38,
        "new_customers": 2,
        "complaint_resolution_rate": 78,
        "nps": 25,
        "compliance_incidents": 0,
        "sales_amount": 880_000,
        "profit_contribution": 95_000,
        "customer_growth_rate": 60,
        "collection_days": 45,
        "csat": 72,
        "competency_360": 4,
        "team_collaboration": 4,
    },
    "AM3": {
        "strategic_coverage": 70,
        "profit_contribution": 160_000,
        "opportunity_win_rate": 36,
        "sales_amount": 1_600_000,
        "nps": 20,
        "collection_days": 48,
        "compliance_incidents": 0,
        "customer_growth_rate": 18,
        "competency_360": 4,
    },
    "MGR": {
        "sales_amount": 1_300_000,
        "strategic_coverage": 70,
        "profit_contribution": 130_000,
        "supervisor_rating": 4,
        "opportunity_win_rate": 36,
        "nps": 20,
        "compliance_incidents": 0,
        "customer_growth_rate": 15,
        "competency_360": 4,
        "team_collaboration": 4,
    },
}
ANNUAL_X4 = {"sales_amount", "profit_contribution", "new_customers", "visit_count"}
SEASON = {1: D("0.85"), 2: D("1.0"), 3: D("0.95"), 4: D("1.2")}
GROWTH = D("1.05")  # this year's targets against last year's
FINAL_AFTER = 40  # days after its end by which a cycle is final
SCORED_AFTER = 7  # days after its end when a cycle is scored
FINALISED_AFTER = 35  # days after its end when it was finalised
# The demo's calibrations name grades of the default policy (grades.default_policy).
CALIBRATION_REASONS = [
    ("A", "季度内突破两家战略客户,带动团队完成重点项目。"),
    ("B", "销售额主要来自一笔续约合同,综合表现与B档一致。"),
    ("B", "下半季度客户拓展明显改善,给予B档以资鼓励。"),
]
APPEAL_REASONS = {
    "visit_count": "有两次客户拜访在CRM中登记晚了,未计入本期。",
    "sales_amount": "月底签约的一笔合同未计入本期销售额。",
    "response_hours": "一条客户请求的响应时间按周末计算,应按工作时间。",
    "opportunity_win_rate": "一个商机已赢单,但系统中仍为进行中。",
    "nps": "一份问卷是发给其他客户经理的客户,不应计入。",
    "strategic_coverage": "一家战略客户的拜访记录被登记在同事名下。",
}
APPEAL_REASON = "本项数据与我的记录不一致,请核实。"
ACCEPTED = "已核实:记录有误,已更正并重新计算。"
TARGET_CORRECTION = "该目标制定时包含了已移交其他团队的客户,按移交后的客户数下调一成。"
REJECTED = "经核对CRM记录,该笔业务发生在考核期之外,本期不予计入。"


@dataclass
class Planned:
    cycle: Cycle
    state: str  # final | calibrating | current | draft
    start: dt.date
    end: dt.date


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZoneInfo(settings.TIME_ZONE))


def _plan(ctx: DemoContext) -> list[Planned]:
    """Every cycle of the demo and its state on ``ctx.today``: quarters in order, then years,
    then the next quarter (a draft)."""
    today = ctx.today
    codes = [
        f"{y}Q{q}"
        for y in (ctx.year - 1, ctx.year)
        for q in (1, 2, 3, 4)
        if parse_period(f"{y}Q{q}").start <= today
    ]
    codes += [str(ctx.year - 1), str(ctx.year)]
    following = parse_period(codes[len(codes) - 3]).end + dt.timedelta(days=1)
    codes.append(f"{following.year}Q{(following.month - 1) // 3 + 1}")
    out = []
    for code in codes:
        period = parse_period(code)
        if period.start > today:
            state = "draft"
        elif period.end >= today:
            state = "current"
        elif (today - period.end).days > FINAL_AFTER:
            state = "final"
        else:
            state = "calibrating"
        out.append(Planned(cycle_get_or_create(code=code), state, period.start, period.end))
    return out


def _targets(
    planned: Planned, people: list[Employee], metrics: dict[str, Metric], ctx: DemoContext
) -> dict[tuple[int, int], Decimal]:
    kind = planned.cycle.kind
    q = (planned.start.month - 1) // 3 + 1
    growth = GROWTH if planned.start.year == ctx.year else D(1)
    newcomers = {e.pk for e in people[5:7]}  # joined late: their first targets were never set
    first = planned.start == ctx.first_day and kind == Cycle.Kind.QUARTERLY
    values = {}
    for e in people:
        if e.hire_date and e.hire_date > planned.end:
            continue
        level = e.level.code  # type: ignore[union-attr]
        in_template = dict(template_items(level, kind))
        for code, base in {**TARGETS[level], **TRAINING_TARGETS}.items():
            if code not in in_template:
                continue
            if first and e.pk in newcomers and code != "visit_count":
                continue
            value = D(base)
            if code in ANNUAL_X4:
                value *= growth * (4 if kind == Cycle.Kind.ANNUAL else SEASON[q])
            values[(e.pk, metrics[code].pk)] = value.quantize(D("1"))
    return values


def _ratings(
    planned: Planned, leads: list[Employee], metric: Metric, ctx: DemoContext
) -> list[ManualScore]:
    """The branch head's supervisor_rating of each team lead (1–5), once the cycle ended."""
    performer = ctx.data.get("performer", {})
    heads = ctx.data["branch_heads"]
    return [
        ManualScore(
            cycle=planned.cycle,
            employee=lead,
            metric=metric,
            value=D(str(min(5, max(2, round(ctx.rng.gauss(3.6 + 2 * (p - 1), 0.4), 1))))),
            rater=heads[lead.org_unit.code[:2]],
        )
        for lead in leads
        for p in [performer.get(lead.pk, 1.0)]
    ]


def _calibrate(planned: Planned, ctx: DemoContext) -> None:
    """A few grades moved by the team lead (by the branch head for a team lead), with reasons."""
    users = ctx.data["users"]
    cards = list(
        Scorecard.objects.filter(cycle=planned.cycle)
        .exclude(grade__in=SPECIAL)
        .select_related("employee", "employee__supervisor", "cycle")
        .order_by("-total", "employee__employee_no")
    )
    picks = [
        next((c for c in cards if c.grade == "B" and c.total and c.total >= 110), None),
        next((c for c in cards if c.grade == "A" and c.total and c.total < 130), None),
        next((c for c in reversed(cards) if c.grade == "C" and c.total and c.total >= 90), None),
    ]
    for card, (to_grade, reason) in zip(picks, CALIBRATION_REASONS, strict=True):
        boss = card.employee.supervisor if card else None
        if card is None or boss is None or card.grade == to_grade:
            continue
        scorecard_calibrate(scorecard=card, to_grade=to_grade, reason=reason, user=users[boss.pk])


def _appeal(card: Scorecard, ctx: DemoContext) -> Appeal:
    """The owner appeals the weakest line on their card that has data and some points."""
    line = (
        ScoreLine.objects.filter(
            scorecard=card, has_data=True, points__gt=0, metric__source="computed"
        )
        .exclude(metric__code__in=("compliance_incidents", "quarterly_average"))
        .select_related("metric")
        .order_by("points", "position")
        .first()
    )
    code = line.metric.code if line else "visit_count"
    return appeal_create(
        scorecard=card,
        metric_code=code,
        reason=APPEAL_REASONS.get(code, APPEAL_REASON),
        user=ctx.data["users"][card.employee_id],
    )


def _correct_target(appeal: Appeal, user: Any) -> None:
    """The correction behind the demo's accepted appeal: the appealed line's target, set
    before a customer moved to another team, comes down by a tenth."""
    target = Target.objects.filter(
        cycle=appeal.scorecard.cycle, employee_id=appeal.scorecard.employee_id, metric=appeal.metric
    ).first()
    if target is None or target.value <= 0:
        return
    lower = (target.value * Decimal("0.9")).quantize(Decimal("0.01"))
    appeal_target_correct(appeal=appeal, value=lower, reason=TARGET_CORRECTION, user=user)


def _appeals(planned: Planned, ctx: DemoContext, *, answered: bool) -> None:
    """Appeals from the account-manager persona's team and one other team: answered by the
    team lead (one accepted, one rejected) or left open."""
    users = ctx.data["users"]
    teams = ctx.data["teams"]
    cards = list(
        Scorecard.objects.filter(
            cycle=planned.cycle,
            org_unit__in=[teams[0], teams[4]],
            employee__level__code__in=("AM1", "AM2", "AM3"),
        )
        .exclude(
            grade__in=SPECIAL,
        )
        .select_related("employee", "cycle")
        .order_by("employee__employee_no")
    )
    persona = ctx.data["persona_am"]
    mine = [c for c in cards if c.employee_id == persona.pk]
    others = [c for c in cards if c.employee_id != persona.pk]
    if answered:
        chosen = (mine + others)[:1] + others[3:4]
        for card, accept in zip(chosen, (True, False), strict=False):
            appeal = _appeal(card, ctx)
            boss = users[card.employee.supervisor_id]
            if accept:  # accepting needs a correction: the team lead lowers the target
                _correct_target(appeal, boss)
            appeal_resolve(
                appeal=appeal,
                accept=accept,
                answer=ACCEPTED if accept else REJECTED,
                user=boss,
                rescore=False,  # re-scored below, in this process, not as a background job
            )
            if accept:
                cycle_score(code=planned.cycle.code, user=boss, today=ctx.today)
                appeals_record_after(cycle_code=planned.cycle.code)
    else:
        for card in (mine + others[1:2] + others[-1:])[:3]:
            _appeal(card, ctx)


def _last_note() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _backdate(planned: Planned, ctx: DemoContext, first_note: int) -> None:
    """The services stamp the time they run: move each event to the day it happened."""
    cycle, end = planned.cycle, planned.end
    # Nothing is dated after the day the demo is built (nor after the present moment).
    latest = min(_moment(ctx.today, 12), timezone.now())

    def at(moment: dt.datetime) -> dt.datetime:
        return min(moment, latest)

    scored = at(_moment(min(end + dt.timedelta(days=SCORED_AFTER), ctx.today), 7))
    fields: dict[str, Any] = {"opened_at": at(_moment(planned.start, 9)), "scored_at": scored}
    if planned.state == "final":
        final = _moment(end + dt.timedelta(days=FINALISED_AFTER), 17)
        fields["finalised_at"] = final
    Cycle.objects.filter(pk=cycle.pk).update(**fields)
    calibrated = at(scored + dt.timedelta(days=10, hours=2))
    Calibration.objects.filter(scorecard__cycle=cycle).update(at=calibrated)
    appealed, answered = (
        at(scored + dt.timedelta(days=3, hours=1)),
        at(scored + dt.timedelta(days=8, hours=4)),
    )
    appeals = Appeal.objects.filter(scorecard__cycle=cycle)
    appeals.update(created_at=appealed)
    appeals.exclude(status=Appeal.Status.OPEN).update(resolved_at=answered)
    # What the services told people while this cycle was handled, on the same days.
    told = Notification.objects.filter(pk__gte=first_note)
    for kind, moment in (
        (notifications.CALIBRATION, calibrated),
        (notifications.APPEAL_FILED, appealed),
        (notifications.APPEAL_ANSWERED, answered),
    ):
        told.filter(kind=kind).update(created_at=moment)
    if planned.state == "final":
        notes = told.filter(kind=notifications.CYCLE_FINAL, url__contains=f"/{cycle.code}/")
        notes.update(created_at=final)
        acknowledged = Scorecard.objects.filter(cycle=cycle, acknowledged_at__isnull=False)
        acknowledged.update(acknowledged_at=final + dt.timedelta(days=2, hours=1))
        notes.filter(user__employee__in=acknowledged.values("employee_id")).update(
            read_at=final + dt.timedelta(days=2)
        )


def _acknowledge(planned: Planned, ctx: DemoContext, latest: bool) -> None:
    """Most people acknowledge a final card: of the latest final cycle about three in four
    have done so yet (each through the service, as they would), of older ones nearly
    everyone (one statement: they are history, dated by ``_backdate``)."""
    users = ctx.data["users"]
    persona = ctx.data["persona_am"]
    cards = Scorecard.objects.filter(cycle=planned.cycle, employee__user__isnull=False).order_by(
        "employee__employee_no"
    )
    if latest:
        share = 0.75
        for card in cards.select_related("employee", "cycle"):
            # The account-manager persona still has this one to acknowledge.
            if ctx.rng.random() < share and card.employee_id != persona.pk:
                scorecard_acknowledge(scorecard=card, user=users[card.employee_id])
    else:
        chosen = [pk for pk in cards.values_list("pk", flat=True) if ctx.rng.random() < 0.95]
        Scorecard.objects.filter(pk__in=chosen).update(acknowledged_at=_moment(planned.end, 12))


@demo_step(30)
def build_assessment(ctx: DemoContext) -> None:
    """Templates, targets and two years of cycles: final, calibrating, current and next."""
    levels = {lv.code: lv for lv in JobLevel.objects.all()}
    for level, kind in TEMPLATES:
        items = template_items(level, kind)
        template_create_version(
            code=f"{level.lower()}-{kind}",
            level=levels[level],
            cycle_kind=kind,
            items=[ItemSpec(m, D(w)) for m, w in items],
            note="默认模板 / default",
        )
    metrics = {m.code: m for m in Metric.objects.all()}
    people = list(
        Employee.objects.filter(level__code__in=TARGETS, hire_date__lte=ctx.today)
        .select_related("level", "org_unit")
        .order_by("employee_no")
    )
    leads = [e for e in people if e.level is not None and e.level.code == "MGR"]
    hr = ctx.data["hr_user"]
    plan = _plan(ctx)
    scored = [p for p in plan if p.state != "draft"]
    ratings: list[ManualScore] = []
    for planned in scored:
        targets_set(cycle=planned.cycle, values=_targets(planned, people, metrics, ctx), user=hr)
        if planned.state != "current":
            ratings += _ratings(planned, leads, metrics["supervisor_rating"], ctx)
    ManualScore.objects.bulk_create(ratings)
    for planned in scored:  # quarters before years: a year averages its quarters
        published = _last_note()
        cycle_set_status(cycle=planned.cycle, status=Cycle.Status.OPEN, user=hr)
        Notification.objects.filter(pk__gt=published).update(
            created_at=min(_moment(planned.start, 9), _moment(ctx.today, 12), timezone.now())
        )
        cycle_score(code=planned.cycle.code, user=hr, today=ctx.today)
    ended = [p for p in scored if p.state in ("final", "calibrating")]
    latest_final = max(
        (p for p in ended if p.state == "final" and p.cycle.kind == Cycle.Kind.QUARTERLY),
        key=lambda p: p.end,
        default=None,
    )
    open_for_appeals = next(
        (p for p in reversed(scored) if p.state == "calibrating"),
        next(p for p in scored if p.state == "current"),
    )
    for planned in scored:
        first_note = _last_note() + 1
        if planned in ended:
            _calibrate(planned, ctx)
        if planned.state == "final" and planned.cycle.kind == Cycle.Kind.QUARTERLY:
            _appeals(planned, ctx, answered=True)
        if planned is open_for_appeals:
            _appeals(planned, ctx, answered=False)
        if planned.state == "final":
            deadline = planned.end + dt.timedelta(days=30)
        else:
            deadline = max(planned.end + dt.timedelta(days=45), ctx.today + dt.timedelta(days=14))
        cycle_update_settings(cycle=planned.cycle, appeal_deadline=deadline, user=hr)
        if planned.state == "final":
            if not Calibration.objects.filter(scorecard__cycle=planned.cycle).exists():
                cycle_set_status(cycle=planned.cycle, status=Cycle.Status.CALIBRATING, user=hr)
            cycle_set_status(cycle=planned.cycle, status=Cycle.Status.FINAL, user=hr)
            _acknowledge(planned, ctx, latest=planned is latest_final)
        _backdate(planned, ctx, first_note)


@demo_refill
def refill_library() -> None:
    """After a flush: the metric library and the default grade policy (a data migration's)."""
    sync_library(Metric, GradePolicy, GradeBand)


# Branch (unit) targets: their own step, registered on import.
from kaopei.assessment import demo_unit_targets  # noqa: E402, F401

"""Demo data: customer surveys answered by link and customer interview notes.

The step runs at order 25 — after the facts (20), before the assessment scores the cycles
(30) — so that the answers by link count in the ``nps`` and ``csat`` lines like imported
ones. It draws from a random generator of its own, leaving the shared one (and so every
later step's data) as it was. Nothing is dated after the day the demo is built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from kaopei.core.bulk import insert_rows
from kaopei.core.demo import SEED, DemoContext, demo_step
from kaopei.core.roles import Role
from kaopei.facts.demo import demo_quarters
from kaopei.facts.models import Customer, SurveyResponse
from kaopei.feedback.models import CustomerInterview, SurveyInvitation
from kaopei.org.models import Employee

SURVEYED_SHARE = 0.5  # of the account managers, whose customers answer surveys by link
INTERVIEW_NOTES = [
    (
        5,
        "客户对开户和授信流程的响应速度非常满意，希望保持每月一次拜访。",
        "下季度安排一次财资方案交流。",
    ),
    (
        4,
        "Happy with the relationship overall; asked for clearer fee statements.",
        "Send the new fee schedule with an example.",
    ),
    (3, "客户反映投诉后的跟进不够及时，不清楚由谁回电。", "明确投诉回访责任人，一周内回电。"),
    (
        2,
        "Frustrated by slow loan approval and repeated document requests.",
        "Escalate the pending approval; ask credit for a checklist.",
    ),
    (4, "客户认可客户经理的专业度，希望增加线上渠道的支持。", "介绍企业网银的新功能。"),
    (None, "Discussed expansion plans; no satisfaction score asked this time.", ""),
    (5, "客户称赞跨境结算方案节省了成本。", "整理成案例分享给团队。"),
    (
        3,
        "Visits feel like sales calls; customer would like more advice on cash management.",
        "Prepare a cash-management review before the next visit.",
    ),
]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZoneInfo(settings.TIME_ZONE))


def _hash(rng: random.Random) -> str:
    return hashlib.sha256(rng.randbytes(32)).hexdigest()


def _senders() -> tuple[dict[int, int], int | None]:
    """Each employee's supervisor's user id, and an HR admin's (for those without one)."""
    hr = (
        get_user_model()
        .objects.filter(groups__name=Role.HR_ADMIN.value)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    by_employee = dict(
        Employee.objects.filter(supervisor__user__isnull=False).values_list(
            "pk", "supervisor__user_id"
        )
    )
    return by_employee, hr


@demo_step(25)
def build_survey_links(ctx: DemoContext) -> None:
    """Customer surveys by link for the past quarters (answered, a few still waiting, a few
    expired, one withdrawn) and customer interview notes."""
    rng = random.Random(SEED + 25)
    today = ctx.today
    ams = list(
        Employee.objects.filter(
            level__code__in=("AM1", "AM2", "AM3"), active=True, hire_date__lte=today
        ).order_by("employee_no")
    )
    if not ams:
        return
    chosen = sorted(rng.sample(ams, max(1, round(len(ams) * SURVEYED_SHARE))), key=lambda e: e.pk)
    performer = ctx.data.get("performer", {})
    senders, hr = _senders()
    owned: dict[int, list[Customer]] = {}
    for c in Customer.objects.filter(owner__in=chosen).order_by("customer_no"):
        owned.setdefault(c.owner_id, []).append(c)

    responses: list[SurveyResponse] = []
    invitations: list[dict[str, Any]] = []
    n = 0
    for e in chosen:
        p = performer.get(e.pk, 1.0)
        sender = senders.get(e.pk, hr)
        for _year, _q, start, end in demo_quarters(ctx):
            last = min(end, today)
            if last < start:
                continue
            for _ in range(rng.randint(1, 3)):
                day = start + dt.timedelta(days=rng.randint(0, (last - start).days))
                live = [
                    c
                    for c in owned.get(e.pk, [])
                    if c.acquired_on <= day and (c.lost_on is None or c.lost_on > day)
                ]
                if not live:
                    continue
                customer = rng.choice(live)
                n += 1
                nps = max(0, min(10, round(rng.gauss(8.0 + 2.2 * (p - 1), 1.7))))
                ask_csat = rng.random() < 0.8
                csat = max(1, min(5, round(nps / 2 + rng.uniform(-0.6, 0.6)))) if ask_csat else None
                response_id = f"LINK-{n:012X}"
                responses.append(
                    SurveyResponse(
                        response_id=response_id,
                        employee=e,
                        customer=customer,
                        responded_on=day,
                        nps=nps,
                        csat=csat,
                        source=SurveyResponse.Source.LINK,
                    )
                )
                sent = max(ctx.first_day, day - dt.timedelta(days=rng.randint(1, 6)))
                invitations.append(
                    {
                        "employee_id": e.pk,
                        "customer_id": customer.pk,
                        "email": "",
                        "ask_csat": ask_csat,
                        "token_hash": _hash(rng),
                        "expires_at": _moment(sent + dt.timedelta(days=30), 9),
                        "status": SurveyInvitation.Status.ANSWERED,
                        "sent_by_id": sender,
                        "answered_on": day,
                        "response_id": response_id,  # replaced by the stored row's id below
                        "created_at": _moment(sent, 9),
                        "updated_at": _moment(day, 15),
                    }
                )
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    ids = dict(
        SurveyResponse.objects.filter(source=SurveyResponse.Source.LINK).values_list(
            "response_id", "pk"
        )
    )
    for row in invitations:
        row["response_id"] = ids[row["response_id"]]

    # Links still waiting for an answer, some expired, one withdrawn.
    waiting = 0
    for i, e in enumerate(chosen[:6]):
        customers = [c for c in owned.get(e.pk, []) if c.lost_on is None]
        if not customers:
            continue
        sent = today - dt.timedelta(days=(3 + i) if i < 3 else (45 + i))
        status = SurveyInvitation.Status.CANCELLED if i == 5 else SurveyInvitation.Status.SENT
        waiting += 1
        invitations.append(
            {
                "employee_id": e.pk,
                "customer_id": rng.choice(customers).pk,
                "email": f"finance{i + 1}@customer.example",
                "ask_csat": True,
                "token_hash": _hash(rng),
                "expires_at": _moment(sent + dt.timedelta(days=30), 9),
                "status": status,
                "sent_by_id": senders.get(e.pk, hr),
                "answered_on": None,
                "response_id": None,
                "created_at": _moment(sent, 10),
                "updated_at": _moment(sent, 10),
            }
        )
    columns = list(invitations[0]) if invitations else []
    insert_rows(SurveyInvitation, columns, [[row[c] for c in columns] for row in invitations])

    interviews = []
    for i, e in enumerate(chosen[: min(len(chosen), 24)]):
        customers = owned.get(e.pk, [])
        if not customers:
            continue
        satisfaction, notes, follow_up = INTERVIEW_NOTES[i % len(INTERVIEW_NOTES)]
        held = today - dt.timedelta(days=rng.randint(3, 300))
        held = max(held, ctx.first_day)
        interviews.append(
            [
                e.pk,
                rng.choice(customers).pk,
                held,
                senders.get(e.pk, hr),
                satisfaction,
                notes,
                follow_up,
                _moment(held, 17),
                _moment(held, 17),
            ]
        )
    insert_rows(
        CustomerInterview,
        [
            "employee_id",
            "customer_id",
            "held_on",
            "interviewer_id",
            "satisfaction",
            "notes",
            "follow_up",
            "created_at",
            "updated_at",
        ],
        interviews,
    )
    ctx.log(
        f"customer surveys by link: {len(responses)} answered, {waiting} not answered; "
        f"{len(interviews)} customer interviews"
    )

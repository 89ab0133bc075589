"""Demo data of sessions and enrolment: the Kaopei sessions of the current quarter (held
ones with attendance, completion and reactions; upcoming ones with enrolments and a full
one with a waitlist), the yearly compliance rules, and the persona journey — the demo
account manager sits today's AML-101 session, which started this morning, so the trainer
can take attendance and the account manager can then rate it. Earlier quarters are the
effect area's (imported history). Dates derive from ``ctx.today``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kaopei.core.demo import DemoContext, demo_step
from kaopei.org.models import Employee, JobLevel
from kaopei.training.demo_catalogue import demo_courses
from kaopei.training.models import Course, Enrolment, MandatoryRule, Session

# The courses this step schedules (their content: the catalogue's demo).
SESSION_COURSES = ("SPIN-101", "FABE-201", "NEG-202", "AML-101", "PRIV-101", "CRM-101")

# Reaction ratings with a comment a participant of that course would write (or none).
COMMENTS: dict[str, list[tuple[int, str]]] = {
    "SPIN-101": [
        (5, "SPIN 提问练习很有收获，暗示问题那一段回去就能用。"),
        (4, "希望多一些分组演练，真实客户的场景再多几个。"),
        (5, "Practising implication questions on our own clients was the most useful part."),
        (3, "内容偏理论，希望增加本行真实案例。"),
    ],
    "FABE-201": [
        (5, "异议处理的角色扮演很真实，价格异议终于有了章法。"),
        (4, "FABE 话术模板很实用，证据部分希望多给一些行业数据。"),
        (4, "Role-play with real objections was the most useful part."),
        (3, "Useful, but the room was crowded and the afternoon ran late."),
    ],
    "PRIV-101": [
        (4, "最小必要原则讲得清楚，客户授权的留痕要求以前没注意。"),
        (5, "敏感个人信息的案例很有警示作用。"),
        (3, "线上课程时间偏长，希望拆成两次。"),
        (4, "Clear on consent records; a checklist to print would help."),
    ],
    "CRM-101": [
        (5, "客户画像标签体系讲得很透，回去就更新了重点客户的画像。"),
        (4, "Good checklists; I would like more time on the CRM exercise."),
        (3, "沙盘操作节奏快，部分同事跟不上。"),
        (4, "BI 与 CRM 联动的演示很直观。"),
    ],
    "AML-101": [
        (5, "反洗钱案例分析很有启发，可疑交易识别更有把握了。"),
        (4, "受益所有人穿透的练习很实用。"),
    ],
}
GENERIC_COMMENTS = [(5, "讲师经验丰富，案例贴近对公业务。"), (4, ""), (5, "")]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _session(
    course: Course, day: dt.date, hour: int, hours: int, trainer: Any, **kw: Any
) -> Session:
    return Session.objects.create(
        course=course,
        starts_at=_at(day, hour),
        ends_at=_at(day, hour + max(hours, 1)),
        trainer=trainer,
        capacity=kw.pop("capacity", 20),
        hours=course.hours,
        place=kw.pop("place", "总行培训中心 301 教室"),
        **kw,
    )


@demo_step(27)
def sessions_of_the_quarter(ctx: DemoContext) -> None:
    today = ctx.today
    rng = ctx.rng
    q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    trainer = Employee.objects.filter(employee_no="TR001").first()
    levels = list(JobLevel.objects.filter(code__in=["AM1", "AM2", "AM3"]))
    ams = list(Employee.objects.filter(level__in=levels, active=True).order_by("employee_no"))
    persona = ctx.data.get("persona_am") or (ams[0] if ams else None)
    if not ams or persona is None:
        return
    others = [e for e in ams if e.pk != persona.pk]
    courses = demo_courses(SESSION_COURSES)
    year_end = dt.date(today.year, 12, 31)

    # Yearly compliance duties of every account-manager level, due at each year's end
    # (the first one last year: whoever has not completed since is overdue).
    MandatoryRule.objects.bulk_create(
        [
            MandatoryRule(
                course=courses[code],
                level=level,
                due_on=dt.date(today.year - 1, 12, 31),
                renew_months=12,
            )
            for code in ("AML-101", "PRIV-101")
            for level in levels
        ],
        ignore_conflicts=True,
    )

    enrolments: list[Enrolment] = []

    # Held sessions of the quarter so far (weekdays before today).
    days = [
        q_start + dt.timedelta(days=i)
        for i in range((today - q_start).days)
        if (q_start + dt.timedelta(days=i)).weekday() < 5
    ]
    if len(days) < 4:
        days = [today - dt.timedelta(days=k) for k in (12, 9, 6, 3)]
    held_days = sorted(rng.sample(days, 4))
    for code, day in zip(("SPIN-101", "FABE-201", "PRIV-101", "CRM-101"), held_days, strict=True):
        course = courses[code]
        s = _session(
            course, day, 9, int(course.hours), trainer, capacity=24, status=Session.Status.COMPLETED
        )
        for person in rng.sample(others, min(len(others), rng.randint(14, 20))):
            attended = rng.random() < 0.9
            rated = attended and rng.random() < 0.75
            score, comment = (
                rng.choice(COMMENTS.get(code, []) + GENERIC_COMMENTS) if rated else (None, "")
            )
            enrolments.append(
                Enrolment(
                    course=course,
                    session=s,
                    employee=person,
                    session_on=day,
                    hours=course.hours,
                    attended=attended,
                    completed=attended,
                    reaction=score,
                    reaction_comment=comment,
                    due_on=year_end if code == "PRIV-101" else None,
                )
            )

    # The persona journey: today's AML-101 session is under way (it started within the last
    # hour — 09:00 on a day other than the real one — so the trainer can take attendance).
    aml = courses["AML-101"]
    today_session = _session(aml, today, 9, 3, trainer, capacity=20, place="总行培训中心 502 教室")
    local_now = timezone.localtime()
    if local_now.date() == today:
        start = max(
            local_now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1),
            _at(today, 0),
        )
        today_session.starts_at, today_session.ends_at = start, start + dt.timedelta(hours=3)
        today_session.save(update_fields=["starts_at", "ends_at"])
    for person in [persona, *rng.sample(others, min(len(others), 11))]:
        enrolments.append(
            Enrolment(
                course=aml,
                session=today_session,
                employee=person,
                session_on=today,
                hours=aml.hours,
                due_on=year_end,
            )
        )

    # Upcoming sessions: one full with a waitlist, one online, one more compliance class.
    now = timezone.now()
    upcoming = [
        ("NEG-202", today + dt.timedelta(days=5), 12, {}),
        (
            "PRIV-101",
            today + dt.timedelta(days=9),
            30,
            {"place": "", "link": "https://meeting.example.cn/kaopei-priv"},
        ),
        ("AML-101", today + dt.timedelta(days=14), 25, {}),
    ]
    for code, day, capacity, kw in upcoming:
        while day.weekday() >= 5:  # sessions run on weekdays
            day += dt.timedelta(days=1)
        course = courses[code]
        hour = 9 if course.hours > 4 else 14  # a long course takes the whole day
        s = _session(course, day, hour, int(course.hours), trainer, capacity=capacity, **kw)
        wanted = capacity + 3 if code == "NEG-202" else rng.randint(capacity // 3, capacity - 2)
        for i, person in enumerate(rng.sample(others, min(len(others), wanted))):
            waiting = i >= capacity
            enrolments.append(
                Enrolment(
                    course=course,
                    session=s,
                    employee=person,
                    session_on=day,
                    hours=course.hours,
                    status=Enrolment.Status.WAITLISTED if waiting else Enrolment.Status.ENROLLED,
                    waitlisted_at=now + dt.timedelta(minutes=i) if waiting else None,
                    due_on=year_end if code in ("AML-101", "PRIV-101") else None,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=1000, ignore_conflicts=True)
    ctx.data["session_today"] = today_session
    ctx.log(f"training sessions: {Session.objects.count()}, enrolments: {len(enrolments)}")

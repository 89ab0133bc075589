"""Demo data of the training-effect area: the training **history** of the three quarters
before the current one, as if loaded from the bank's LMS (``source=import``): completed
enrolments with the course's hours, a reaction (mostly 4–5) and pre/post test scores (post
higher on average), for many courses — so ``training_hours`` and ``quiz_score`` have data in
those quarters and the Kirkpatrick figures (DESIGN.md §8) of the middle quarter are there.

The flagship courses SPIN-101, FABE-201 and AML-101 each train 12–18 people in the middle
quarter (P), none of whom took the same course in the quarters around it. Courses come from
the catalogue's demo step (26); when it has not run, the few this step needs are created
with the competencies and metrics they name (the catalogue's rows win when both exist).
Only enrolments are written (bulk), no notification is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kaopei.core.demo import DemoContext, demo_step
from kaopei.core.periods import QUARTERLY, Period, period_containing, previous_period
from kaopei.facts.models import Opportunity
from kaopei.org.models import Employee
from kaopei.training.demo_catalogue import demo_courses
from kaopei.training.models import Enrolment

LEVELS = ("AM1", "AM2", "AM3", "MGR")
FLAGSHIP = ("SPIN-101", "FABE-201", "AML-101")
# The courses of the imported history (their content: the catalogue's demo).
HISTORY_COURSES = (
    "SPIN-101",
    "FABE-201",
    "AML-101",
    "PRIV-101",
    "ABC-101",
    "CRM-101",
    "NEG-202",
    "PROD-101",
)
REACTIONS = (5, 5, 5, 5, 4, 4, 4, 4, 3, 2)


def history_quarters(today: dt.date) -> list[Period]:
    """The three quarters before the one ``today`` is in, oldest first."""
    current = period_containing(today, QUARTERLY)
    out = [previous_period(current)]
    for _ in range(2):
        out.append(previous_period(out[-1]))
    return out[::-1]


def _weekday(ctx: DemoContext, period: Period) -> dt.date:
    while True:
        day = period.start + dt.timedelta(days=ctx.rng.randrange(period.days - 7))
        if day.weekday() < 5:
            return day


def _scores(ctx: DemoContext) -> tuple[Decimal | None, Decimal | None]:
    if ctx.rng.random() < 0.1:  # the LMS lost one of the two tests
        return None, None
    pre = ctx.rng.randint(45, 78)
    post = min(100, pre + ctx.rng.choice((-5, 0, 5, 10, 10, 15, 15, 20, 20, 25, 30)))
    return Decimal(pre), Decimal(post)


def _win_rates(period: Period) -> dict[int, float]:
    """Each person's share of won opportunities among those closed in ``period``."""
    counts: dict[int, list[int]] = {}
    closed = Opportunity.objects.filter(
        closed_on__gte=period.start,
        closed_on__lte=period.end,
        status__in=[Opportunity.Status.WON, Opportunity.Status.LOST],
    ).values_list("employee_id", "status")
    for person, status in closed:
        won_lost = counts.setdefault(person, [0, 0])
        won_lost[0 if status == Opportunity.Status.WON else 1] += 1
    return {p: won / (won + lost) for p, (won, lost) in counts.items()}


# The persona's own history: course code → index of the history quarter.
PERSONA_HISTORY = {"SPIN-101": 1, "CRM-101": 2}


@demo_step(29)
def build_training_history(ctx: DemoContext) -> None:
    """Imported LMS records of the three quarters before the current one."""
    quarters = history_quarters(ctx.today)
    people = list(
        Employee.objects.filter(level__code__in=LEVELS, active=True)
        .filter(hire_date__lte=quarters[0].start)
        .order_by("employee_no")
    )
    by_code = demo_courses(HISTORY_COURSES)
    courses = [by_code[code] for code in HISTORY_COURSES]
    rates = _win_rates(quarters[0])
    rows: list[Enrolment] = []
    persona = ctx.data.get("persona_am")
    persona_pk = persona.pk if persona is not None else None
    for course in courses:
        taken: set[int] = set()  # nobody takes the same course twice in the history
        for i, period in enumerate(quarters):
            flagship_p = course.code in FLAGSHIP and i == 1
            size = ctx.rng.randint(12, 18) if flagship_p else ctx.rng.randint(4, 12)
            # The persona's history is their own (below): their compliance duties stay
            # overdue until today's session, the journey of the demo.
            pool = [e for e in people if e.pk not in taken and e.pk != persona_pk]
            if flagship_p and course.code != "AML-101":
                # Those whose win rate lagged in the quarter before are sent first.
                pool.sort(key=lambda e: (rates.get(e.pk, 2.0), e.employee_no))
                pool = pool[: max(size, len(pool) * 3 // 4)]
            chosen = ctx.rng.sample(pool, min(size, len(pool)))
            dates = sorted({_weekday(ctx, period) for _ in range(ctx.rng.randint(1, 3))})
            for person in chosen:
                taken.add(person.pk)
                pre, post = _scores(ctx)
                rows.append(
                    Enrolment(
                        course=course,
                        employee=person,
                        session_on=ctx.rng.choice(dates),
                        status=Enrolment.Status.ENROLLED,
                        attended=True,
                        completed=True,
                        hours=course.hours,
                        reaction=ctx.rng.choice(REACTIONS) if ctx.rng.random() < 0.9 else None,
                        pre_score=pre,
                        post_score=post,
                        source=Enrolment.Source.IMPORT,
                    )
                )
    # The account-manager persona has a learning history of their own to look at.
    if persona is not None:
        had = {r.course_id for r in rows if r.employee_id == persona.pk}
        for course in courses:
            if course.code in PERSONA_HISTORY and course.pk not in had:
                pre, post = Decimal("62"), Decimal("88")  # passed: a certificate to show
                rows.append(
                    Enrolment(
                        course=course,
                        employee=persona,
                        session_on=_weekday(ctx, quarters[PERSONA_HISTORY[course.code]]),
                        status=Enrolment.Status.ENROLLED,
                        attended=True,
                        completed=True,
                        hours=course.hours,
                        reaction=5,
                        pre_score=pre,
                        post_score=post,
                        source=Enrolment.Source.IMPORT,
                    )
                )
    Enrolment.objects.bulk_create(rows, batch_size=1000)
    ctx.log(
        f"  training history: {len(rows)} imported enrolments in {len(courses)} courses, "
        f"{quarters[0].code}–{quarters[-1].code}"
    )

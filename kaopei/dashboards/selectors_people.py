"""Read-only figures of the people dashboards: one person's (the account manager's home, and
what their supervisor chain, HR and executives see when they drill into that person) and a
supervisor's team. Reads only; every function makes a fixed number of queries whatever the
number of people (tests/dashboards/test_people_dashboards.py pins them).

Pure helpers (``rank_band``, ``attainment_percent``) work on plain values and are tested
without the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaopei.assessment.explain import scorecard_gaps
from kaopei.assessment.models import Cycle, Metric, Scorecard, ScoreLine
from kaopei.assessment.presenters import fmt_value
from kaopei.assessment.selectors import PUBLISHED, scorecard_scope_ids
from kaopei.core.rules import is_executive, is_hr_admin
from kaopei.dashboards.selectors import (
    CardGlance,
    SupervisorHome,
    _bands,
    _latest_published,
    card_glance,
    supervisor_home,
)
from kaopei.feedback.anonymity import ALL_RATERS, SELF
from kaopei.feedback.models import FeedbackRound, Interview
from kaopei.feedback.selectors.meetings import OpenAction, open_actions_for
from kaopei.feedback.selectors.reports import round_report_rows
from kaopei.feedback.selectors.rounds import Progress, round_totals
from kaopei.org.models import Competency, Employee, LevelExpectation, OrgUnit
from kaopei.org.selectors import employee_for_user, subordinate_ids
from kaopei.org.services.leaderboard import leaderboard_setting_get
from kaopei.training import mandatory
from kaopei.training.models import Course, Enrolment
from kaopei.training.selectors.mandatory import duties_for

HUNDRED = Decimal(100)

# --- Pure helpers ------------------------------------------------------------------------------


def attainment_percent(attainment: Decimal | None) -> Decimal | None:
    """A line's attainment (1 = on target) as a percentage with one decimal."""
    if attainment is None:
        return None
    return (attainment * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The bands a person is told, best first: "top 10 %" means at most 10 % of the group did
# better. Nobody's name or exact rank is ever shown.
BANDS = (10, 25, 50)


@dataclass(frozen=True)
class RankBand:
    band: int | None  # 10, 25 or 50 ("top n %"), None: the lower half
    group_size: int


def rank_band(total: Decimal | None, totals: list[Decimal | None]) -> RankBand | None:
    """The band of ``total`` among ``totals`` (its own included): the share of the group
    with a strictly higher total, plus one, decides the smallest band it fits in. None
    without a total or with fewer than 3 people (a band among 2 would name the other)."""
    known = [t for t in totals if t is not None]
    if total is None or len(known) < 3:
        return None
    better = sum(1 for t in known if t > total)
    position = (better + 1) * 100 / len(known)
    for band in BANDS:
        if position <= band:
            return RankBand(band, len(known))
    return RankBand(None, len(known))


# --- One person's dashboard --------------------------------------------------------------------


@dataclass(frozen=True)
class Gauge:
    code: str
    name: str
    actual: Decimal | None
    target: Decimal | None
    percent: Decimal | None  # attainment in %, None without data
    points: Decimal | None
    weight: Decimal
    actual_text: str = "—"  # the actual and the target as a scorecard shows them (fmt_value)
    target_text: str = "—"


@dataclass(frozen=True)
class TrendPoint:
    code: str
    total: Decimal | None
    grade: str


@dataclass(frozen=True)
class RadarAxis:
    competency: Competency
    self_mean: Decimal | None
    others_mean: Decimal | None  # the all-raters row as displayed; None when withheld
    expected: int | None

    @property
    def name(self) -> str:
        return self.competency.local_name

    @property
    def below(self) -> bool:
        return (
            self.others_mean is not None
            and self.expected is not None
            and self.others_mean < self.expected
        )


@dataclass(frozen=True)
class Recommendation:
    course: Course
    reasons: list[str]


@dataclass(frozen=True)
class Improver:
    name: str
    previous: Decimal
    current: Decimal

    @property
    def delta(self) -> Decimal:
        return self.current - self.previous


@dataclass(frozen=True)
class PersonDashboard:
    person: Employee
    glance: CardGlance | None
    gauges: list[Gauge]
    gaps: list[dict[str, Any]]
    trend: list[TrendPoint]
    last_year: TrendPoint | None  # the same quarter (or year) a year before the current one
    radar_round: FeedbackRound | None
    radar: list[RadarAxis]
    recommended: list[Recommendation]
    actions: list[OpenAction]
    rank: RankBand | None
    improvers: list[Improver] | None = None  # None: the improvement board is off

    @property
    def card(self) -> Scorecard | None:
        return self.glance.card if self.glance else None


def person_get_for_user(*, user: Any, pk: int) -> Employee:
    """A person whose dashboard ``user`` may open: themself, the people below them in the
    supervisor chain, anyone for HR admins and executives; 404 otherwise (existence outside
    one's scope does not leak)."""
    if not (is_hr_admin(user) or is_executive(user)):
        me = employee_for_user(user)
        if me is None or (pk != me.pk and pk not in subordinate_ids(me.pk)):
            raise Http404
    person = Employee.objects.select_related("org_unit", "level", "supervisor").filter(pk=pk)
    found = person.first()
    if found is None:
        raise Http404
    return found


def _gauges(card: Scorecard) -> list[Gauge]:
    """The card's lines (prefetched with their metrics, in order) as gauges."""
    return [
        Gauge(
            code=line.metric.code,
            name=line.metric.name,
            actual=line.actual,
            target=line.target,
            percent=attainment_percent(line.attainment) if line.has_data else None,
            points=line.points,
            weight=line.weight,
            actual_text=fmt_value(line.actual, line.metric.unit),
            target_text=fmt_value(line.target, line.metric.unit),
        )
        for line in card.lines.all()
    ]


def _last_year_code(cycle: Cycle) -> str:
    code = cycle.code
    try:
        year = int(code[:4])
    except ValueError:
        return ""
    return f"{year - 1}{code[4:]}"


def _latest_closed_round(person: Employee) -> FeedbackRound | None:
    """The newest closed 360 round with anything about the person (one query)."""
    return (
        FeedbackRound.objects.filter(status=FeedbackRound.Status.CLOSED)
        .filter(Q(subjects__employee=person) | Q(responses__subject=person))
        .select_related("cycle")
        .order_by("-cycle__end", "-cycle__start")
        .distinct()
        .first()
    )


def _radar(person: Employee, feedback_round: FeedbackRound | None) -> list[RadarAxis]:
    """Self, all raters (only as the report displays them: §7's withheld groups are absent
    from ``round_report_rows``) and the level's expectation, per competency."""
    if feedback_round is None:
        return []
    shown: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in round_report_rows(feedback_round.pk, [person.pk]):
        shown[row.competency_id][row.group] = row.mean
    expected: dict[int, int] = {}
    if person.level_id is not None:
        expected = dict(
            LevelExpectation.objects.filter(level_id=person.level_id).values_list(
                "competency_id", "expected"
            )
        )
    ids = set(shown)
    competencies = Competency.objects.in_bulk(list(ids))
    axes = [
        RadarAxis(
            competency=competencies[cid],
            self_mean=shown[cid].get(SELF),
            others_mean=shown[cid].get(ALL_RATERS),
            expected=expected.get(cid),
        )
        for cid in ids
        if cid in competencies
    ]
    axes.sort(key=lambda a: (a.competency.category, a.competency.code))
    return axes


def recommended_courses_for(
    person: Employee, card: Scorecard | None, radar: list[RadarAxis] | None = None
) -> list[Recommendation]:
    """Active courses linked to the metrics whose lines of ``card`` are below target and to
    the competencies the latest 360 report shows below the level's expectation, each with
    the reason in words (the development plans will replace this selector). Three queries."""
    weak: dict[int, tuple[str, Decimal]] = {}
    if card is not None:
        for metric_id, name_zh, name_en, attainment in ScoreLine.objects.filter(
            scorecard=card, has_data=True, attainment__lt=1
        ).values_list("metric_id", "metric__name_zh", "metric__name_en", "attainment"):
            metric = Metric(name_zh=name_zh, name_en=name_en)
            pct = attainment_percent(attainment)
            weak[metric_id] = (metric.name, pct if pct is not None else Decimal(0))
    if radar is None:
        radar = _radar(person, _latest_closed_round(person))
    low = {a.competency.pk: a for a in radar if a.below}
    if not weak and not low:
        return []
    courses = (
        Course.objects.filter(active=True)
        .filter(Q(metrics__in=list(weak)) | Q(competencies__in=list(low)))
        .distinct()
        .prefetch_related("metrics", "competencies")
        .order_by("code")
    )
    out = []
    for course in courses:
        reasons = []
        for metric in course.metrics.all():
            if metric.pk in weak:
                name, pct = weak[metric.pk]
                reasons.append(
                    _("%(metric)s is at %(pct)s%% of target") % {"metric": name, "pct": pct}
                )
        for competency in course.competencies.all():
            if competency.pk in low:
                axis = low[competency.pk]
                reasons.append(
                    _("Others rate %(competency)s %(mean)s; your level expects %(expected)s")
                    % {
                        "competency": axis.name,
                        "mean": f"{axis.others_mean:.2f}",
                        "expected": axis.expected,
                    }
                )
        if reasons:
            out.append(Recommendation(course, reasons))
    return out


def _branch_of(unit_id: int, units: Mapping[int, tuple[int | None, str]]) -> int:
    uid: int | None = unit_id
    while uid is not None and units[uid][1] != OrgUnit.Kind.BRANCH:
        uid = units[uid][0]
    return uid if uid is not None else unit_id


def _rank(card: Scorecard) -> RankBand | None:
    """The card's rank band within its level in its branch, in its cycle (two queries)."""
    units = {
        pk: (parent, kind)
        for pk, parent, kind in OrgUnit.objects.values_list("pk", "parent_id", "kind")
    }
    branch = _branch_of(card.org_unit_id, units)
    rows = Scorecard.objects.filter(
        cycle_id=card.cycle_id, level_id=card.level_id, eligible=True
    ).values_list("org_unit_id", "total")
    totals = [total for unit_id, total in rows if _branch_of(unit_id, units) == branch]
    return rank_band(card.total, totals)


BOARD_SIZE = 5


def improvement_board(card: Scorecard) -> list[Improver]:
    """The people of the card's unit (as scored) who improved their total most since the
    previous published cycle of the same kind: at most BOARD_SIZE, improvements only. Shown
    only when HR has switched the board on (``LeaderboardSetting``). Two queries."""
    previous = (
        Cycle.objects.filter(kind=card.cycle.kind, status__in=PUBLISHED, end__lt=card.cycle.start)
        .order_by("-end")
        .first()
    )
    if previous is None:
        return []
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    names: dict[int, str] = {}
    for cycle_id, employee_id, name, total in Scorecard.objects.filter(
        cycle_id__in=[card.cycle_id, previous.pk],
        org_unit_id=card.org_unit_id,
        eligible=True,
        total__isnull=False,
    ).values_list("cycle_id", "employee_id", "employee__name", "total"):
        if total is None:
            continue
        totals[employee_id][cycle_id] = total
        names[employee_id] = name
    board = [
        Improver(names[pk], by_cycle[previous.pk], by_cycle[card.cycle_id])
        for pk, by_cycle in totals.items()
        if previous.pk in by_cycle and card.cycle_id in by_cycle
    ]
    board = [b for b in board if b.delta > 0]
    board.sort(key=lambda b: (-b.delta, b.name))
    return board[:BOARD_SIZE]


def person_dashboard(*, person: Employee) -> PersonDashboard:
    """One person's dashboard, as they see it on their home (the caller has authorised the
    reader with ``person_get_for_user`` or is the person). Assigned training comes from
    ``learning_for``, which the pages already read."""
    mine = Scorecard.objects.filter(employee=person).select_related("cycle", "employee")
    lines = ScoreLine.objects.select_related("metric").order_by("position")
    current = _latest_published(mine).prefetch_related(Prefetch("lines", queryset=lines)).first()
    glance = card_glance(current) if current is not None else None
    gauges: list[Gauge] = []
    gaps: list[dict[str, Any]] = []
    trend: list[TrendPoint] = []
    last_year = None
    rank = None
    improvers: list[Improver] | None = None
    if current is not None:
        gauges = _gauges(current)
        names = {g.code: g.name for g in gauges}
        gaps = [dict(g, name=names.get(g["metric"], g["metric"])) for g in scorecard_gaps(current)]
        history = (
            mine.filter(cycle__status__in=PUBLISHED, cycle__kind=current.cycle.kind)
            .order_by("cycle__start")
            .values_list("cycle__code", "total", "grade")
        )
        trend = [TrendPoint(code, total, grade) for code, total, grade in history]
        wanted = _last_year_code(current.cycle)
        last_year = next((p for p in trend if p.code == wanted), None)
        rank = _rank(current)
        if leaderboard_setting_get().improvement_board:
            improvers = improvement_board(current)
    feedback_round = _latest_closed_round(person)
    radar = _radar(person, feedback_round)
    return PersonDashboard(
        person=person,
        glance=glance,
        gauges=gauges,
        gaps=gaps,
        trend=trend,
        last_year=last_year,
        radar_round=feedback_round,
        radar=radar,
        recommended=recommended_courses_for(person, current, radar),
        actions=open_actions_for(person.pk),
        rank=rank,
        improvers=improvers,
    )


# --- A supervisor's team -----------------------------------------------------------------------


@dataclass(frozen=True)
class HeatRow:
    person: Employee
    card: Scorecard
    cells: list[Decimal | None]  # attainment % per metric of ``TeamDashboard.metrics``


@dataclass(frozen=True)
class GradeShare:
    grade: str
    label: str
    people: int
    percent: Decimal
    guideline: Decimal | None  # the calibration guideline (top grade only), in %


@dataclass(frozen=True)
class TrainingRow:
    person: Employee
    overdue: int
    due: int
    hours: Decimal


@dataclass(frozen=True)
class TeamDashboard:
    home: SupervisorHome
    metrics: list[Metric]
    heat: list[HeatRow]
    shares: list[GradeShare]
    without_interview: list[Employee]
    feedback_round: FeedbackRound | None
    feedback: Progress | None
    training: list[TrainingRow]
    overdue_total: int
    hours_total: Decimal

    @property
    def cycle(self) -> Cycle | None:
        return self.home.cycle


def team_ids_for(user: Any) -> set[int]:
    """Everyone below the user in the supervisor chain (HR admins: nobody here, they have the
    organisation dashboard)."""
    me = employee_for_user(user)
    if me is None:
        return set()
    scope = scorecard_scope_ids(user)
    return (scope or set()) - {me.pk}


def _shares(home: SupervisorHome) -> list[GradeShare]:
    cycle = home.cycle
    if cycle is None:
        return []
    bands = _bands(cycle)
    labels = {b.grade: b.label for b in bands}
    top = bands[0].grade if bands else ""
    total = sum(n for _g, n in home.grades)
    grades = list(home.grades)
    if top and top not in dict(grades):  # the guideline is about the top grade: always shown
        grades.insert(0, (top, 0))
    return [
        GradeShare(
            grade=grade,
            label=str(labels.get(grade, grade)),
            people=n,
            percent=(Decimal(n) * HUNDRED / total).quantize(Decimal("0.1"))
            if total
            else Decimal(0),
            guideline=(cycle.max_a_share * HUNDRED).quantize(Decimal("0.1"))
            if grade == top
            else None,
        )
        for grade, n in grades
    ]


def team_dashboard(*, user: Any, today: date | None = None) -> TeamDashboard:
    """The supervisor's team (everyone below them in the chain): the heatmap of attainment
    per person and metric in the team's latest published cycle, the grade shares against
    the calibration guideline, who is projected below the "meets targets" line, appeals and
    acknowledgements (``supervisor_home``), who has no interview in the cycle yet, the 360
    round's completion (counts only, §7) and mandatory training and hours this cycle."""
    today = today or timezone.localdate()
    home = supervisor_home(user=user)
    team = team_ids_for(user)
    people = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=team, active=True)
        .select_related("org_unit", "level")
        .order_by("employee_no")
    }
    cycle = home.cycle
    heat: list[HeatRow] = []
    metrics: list[Metric] = []
    without: list[Employee] = []
    feedback_round = None
    feedback = None
    if cycle is not None:
        lines = (
            ScoreLine.objects.filter(scorecard__cycle=cycle, scorecard__employee_id__in=team)
            .select_related("metric", "scorecard")
            .order_by("scorecard__employee__employee_no", "position")
        )
        cards: dict[int, Scorecard] = {}
        cells: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
        seen: dict[int, Metric] = {}
        for line in lines:
            cards.setdefault(line.scorecard.employee_id, line.scorecard)
            seen.setdefault(line.metric_id, line.metric)
            cells[line.scorecard.employee_id][line.metric_id] = (
                attainment_percent(line.attainment) if line.has_data else None
            )
        metrics = sorted(seen.values(), key=lambda m: m.code)
        heat = [
            HeatRow(people[pk], card, [cells[pk].get(m.pk) for m in metrics])
            for pk, card in cards.items()
            if pk in people
        ]
        planned = set(
            Interview.objects.filter(cycle=cycle, employee_id__in=team).values_list(
                "employee_id", flat=True
            )
        )
        without = [e for e in people.values() if e.pk not in planned]
        feedback_round = FeedbackRound.objects.filter(cycle=cycle).first()
        if feedback_round is not None:
            feedback = round_totals(feedback_round, team)
    duties = duties_for(employees=people.values(), today=today)
    overdue: dict[int, int] = defaultdict(int)
    due: dict[int, int] = defaultdict(int)
    for duty in duties:
        if duty.status == mandatory.OVERDUE:
            overdue[duty.employee_id] += 1
        elif duty.status == mandatory.DUE:
            due[duty.employee_id] += 1
    start = cycle.start if cycle is not None else date(today.year, 1, 1)
    end = cycle.end if cycle is not None else today
    hours = dict(
        Enrolment.objects.filter(
            employee_id__in=team, completed=True, session_on__gte=start, session_on__lte=end
        )
        .order_by()
        .values_list("employee_id")
        .annotate(h=Sum("hours"))
    )
    training = [
        TrainingRow(e, overdue[e.pk], due[e.pk], hours.get(e.pk) or Decimal(0))
        for e in people.values()
    ]
    return TeamDashboard(
        home=home,
        metrics=metrics,
        heat=heat,
        shares=_shares(home),
        without_interview=without,
        feedback_round=feedback_round,
        feedback=feedback,
        training=training,
        overdue_total=sum(overdue.values()),
        hours_total=sum((r.hours for r in training), Decimal(0)),
    )


__all__ = [
    "Gauge",
    "PersonDashboard",
    "RankBand",
    "TeamDashboard",
    "attainment_percent",
    "person_dashboard",
    "person_get_for_user",
    "rank_band",
    "recommended_courses_for",
    "team_dashboard",
    "team_ids_for",
]

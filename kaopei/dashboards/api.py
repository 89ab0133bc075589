"""Dashboards API: the people dashboards' figures as JSON, scoped as the pages.

- ``GET /dashboards/me``: the signed-in person's dashboard (404 without an employee record);
- ``GET /dashboards/team``: the supervisor's team (403 for anyone who is not a supervisor).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from kaopei.core.api import ERRORS
from kaopei.core.rules import is_supervisor
from kaopei.dashboards.selectors_people import TrendPoint, person_dashboard, team_dashboard
from kaopei.org.selectors import employee_for_user

router = Router(tags=["dashboards"])


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class GaugeOut(Schema):
    metric: str
    name: str
    actual: float | None
    target: float | None
    attainment_percent: float | None
    points: float | None
    weight: float


class CardTrendOut(Schema):
    cycle: str
    total: float | None
    grade: str


class RadarOut(Schema):
    competency: str
    name: str
    self_mean: float | None
    others_mean: float | None
    expected: int | None


class RecommendationOut(Schema):
    course: str
    title: str
    reasons: list[str]


class DashboardActionOut(Schema):
    text: str
    due_on: str
    source_kind: str


class ImproverOut(Schema):
    name: str
    previous: float
    current: float


class MyDashboardOut(Schema):
    employee_no: str
    cycle: str | None
    grade: str | None
    total: float | None
    points_to_next: float | None
    next_grade: str | None
    projected_total: float | None
    projected_grade: str | None
    gauges: list[GaugeOut]
    trend: list[CardTrendOut]
    same_period_last_year: CardTrendOut | None
    radar_cycle: str | None
    radar: list[RadarOut]
    rank_band_top_percent: int | None
    rank_group_size: int | None
    recommended: list[RecommendationOut]
    open_actions: list[DashboardActionOut]
    improvement_board: list[ImproverOut] | None  # None: HR has not switched it on


class TeamHeatRowOut(Schema):
    employee_no: str
    name: str
    grade: str
    attainment_percent: list[float | None]


class ShareOut(Schema):
    grade: str
    people: int
    percent: float
    guideline_percent: float | None


class AtRiskOut(Schema):
    employee_no: str
    projected_total: float | None


class TrainingOut(Schema):
    employee_no: str
    overdue: int
    due: int
    hours: float


class TeamDashboardOut(Schema):
    cycle: str | None
    metrics: list[str]
    heatmap: list[TeamHeatRowOut]
    grades: list[ShareOut]
    at_risk: list[AtRiskOut]
    open_appeals: int
    acknowledged: int
    to_acknowledge: int
    without_interview: list[str]
    feedback_raters: int | None
    feedback_answered: int | None
    training: list[TrainingOut]


def _trend(point: TrendPoint) -> CardTrendOut:
    return CardTrendOut(cycle=point.code, total=_f(point.total), grade=point.grade)


@router.get("/dashboards/me", response={200: MyDashboardOut, **ERRORS})
def dashboard_me(request: HttpRequest) -> MyDashboardOut:
    """The signed-in person's dashboard: this cycle's card, trend, 360 radar (as the report
    displays it), rank band (no names), recommended training and open actions."""
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    dash = person_dashboard(person=me)
    g = dash.glance
    card = dash.card
    return MyDashboardOut(
        employee_no=me.employee_no,
        cycle=card.cycle.code if card else None,
        grade=card.grade if card else None,
        total=_f(card.total) if card else None,
        points_to_next=_f(g.points_to_next) if g else None,
        next_grade=g.next_grade.grade if g and g.next_grade else None,
        projected_total=_f(g.projected_total) if g else None,
        projected_grade=(g.projected_grade or None) if g else None,
        gauges=[
            GaugeOut(
                metric=x.code,
                name=x.name,
                actual=_f(x.actual),
                target=_f(x.target),
                attainment_percent=_f(x.percent),
                points=_f(x.points),
                weight=float(x.weight),
            )
            for x in dash.gauges
        ],
        trend=[_trend(p) for p in dash.trend],
        same_period_last_year=_trend(dash.last_year) if dash.last_year else None,
        radar_cycle=dash.radar_round.cycle.code if dash.radar_round else None,
        radar=[
            RadarOut(
                competency=a.competency.code,
                name=a.name,
                self_mean=_f(a.self_mean),
                others_mean=_f(a.others_mean),
                expected=a.expected,
            )
            for a in dash.radar
        ],
        rank_band_top_percent=dash.rank.band if dash.rank else None,
        rank_group_size=dash.rank.group_size if dash.rank else None,
        recommended=[
            RecommendationOut(course=r.course.code, title=r.course.local_title, reasons=r.reasons)
            for r in dash.recommended
        ],
        open_actions=[
            DashboardActionOut(text=a.text, due_on=a.due_on.isoformat(), source_kind=a.source_kind)
            for a in dash.actions
        ],
        improvement_board=None
        if dash.improvers is None
        else [
            ImproverOut(name=b.name, previous=float(b.previous), current=float(b.current))
            for b in dash.improvers
        ],
    )


@router.get("/dashboards/team", response={200: TeamDashboardOut, **ERRORS})
def dashboard_team(request: HttpRequest) -> TeamDashboardOut:
    """The supervisor's team (everyone below them in the chain): heatmap, grade shares
    against the guideline, projected below the "meets targets" line, appeals,
    acknowledgements, interviews to hold, 360 completion (counts only) and training."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    team = team_dashboard(user=request.user)
    home = team.home
    return TeamDashboardOut(
        cycle=team.cycle.code if team.cycle else None,
        metrics=[m.code for m in team.metrics],
        heatmap=[
            TeamHeatRowOut(
                employee_no=r.person.employee_no,
                name=r.person.name,
                grade=r.card.grade,
                attainment_percent=[_f(v) for v in r.cells],
            )
            for r in team.heat
        ],
        grades=[
            ShareOut(
                grade=s.grade,
                people=s.people,
                percent=float(s.percent),
                guideline_percent=_f(s.guideline),
            )
            for s in team.shares
        ],
        at_risk=[
            AtRiskOut(
                employee_no=m.card.employee.employee_no, projected_total=_f(m.projected_total)
            )
            for m in home.below
        ],
        open_appeals=len(home.open_appeals),
        acknowledged=home.acknowledged,
        to_acknowledge=len(home.not_acknowledged),
        without_interview=[e.employee_no for e in team.without_interview],
        feedback_raters=team.feedback.raters if team.feedback else None,
        feedback_answered=team.feedback.answered if team.feedback else None,
        training=[
            TrainingOut(
                employee_no=r.person.employee_no,
                overdue=r.overdue,
                due=r.due,
                hours=float(r.hours),
            )
            for r in team.training
        ],
    )

"""Reading the decision sandbox: which scenarios and runs a user may see, the review of a
run (where the path went wrong) and a scenario's results (one grouped query per figure,
never one per run)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user, visible_employee_ids
from kaopei.training.models import (
    Choice,
    SandboxRun,
    SandboxRunMember,
    SandboxRunStep,
    Scenario,
    Step,
)
from kaopei.training.rules import (
    can_manage_scenarios,
    can_play_scenarios,
    can_see_sandbox_results,
)
from kaopei.training.selectors.sessions import record_scope


def reader_employee(user: Any) -> Employee | None:
    return employee_for_user(user) if getattr(user, "is_authenticated", False) else None


# --- Scenarios ---------------------------------------------------------------------------------


def scenario_list_visible_to(
    *, user: Any, q: str = "", status: str = "", course_id: int | None = None
) -> QuerySet[Scenario]:
    """Published scenarios for players; every scenario for managers."""
    if not can_play_scenarios(user) and not can_manage_scenarios(user):
        raise PermissionDenied
    rows = Scenario.objects.annotate(
        step_count=Count("steps", distinct=True),
        run_count=Count("runs", distinct=True),
    ).order_by("code")
    if not can_manage_scenarios(user):
        rows = rows.filter(status=Scenario.Status.PUBLISHED)
    if q:
        rows = rows.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(title_en__icontains=q)
            | Q(brief__icontains=q)
        )
    if status:
        rows = rows.filter(status=status)
    if course_id:
        rows = rows.filter(courses__id=course_id)
    return rows


def scenario_get_for_user(*, user: Any, pk: int) -> Scenario:
    """A published scenario for players; any for managers (404 otherwise)."""
    if not can_play_scenarios(user) and not can_manage_scenarios(user):
        raise PermissionDenied
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None or (
        scenario.status != Scenario.Status.PUBLISHED and not can_manage_scenarios(user)
    ):
        raise Http404
    return scenario


def scenario_get_for_manager(*, user: Any, pk: int) -> Scenario:
    if not can_manage_scenarios(user):
        raise PermissionDenied
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario


def step_get_for_manager(*, user: Any, pk: int) -> Step:
    if not can_manage_scenarios(user):
        raise PermissionDenied
    step = Step.objects.select_related("scenario").filter(pk=pk).first()
    if step is None:
        raise Http404
    return step


def choice_get_for_manager(*, user: Any, pk: int) -> Choice:
    if not can_manage_scenarios(user):
        raise PermissionDenied
    choice = Choice.objects.select_related("step", "step__scenario").filter(pk=pk).first()
    if choice is None:
        raise Http404
    return choice


def scenario_steps(scenario: Scenario) -> list[Step]:
    """The steps with their choices (start step first), for the editor and the API."""
    return list(
        Step.objects.filter(scenario=scenario)
        .prefetch_related("choices__next_step")
        .order_by("-is_start", "key")
    )


def scenario_history(scenario: Scenario, limit: int = 20) -> list[Any]:
    return list(scenario.history.select_related("history_user").order_by("-history_date")[:limit])


def course_scenarios(*, course: Any, user: Any) -> list[Scenario]:
    rows = Scenario.objects.filter(courses=course).order_by("code")
    if not can_manage_scenarios(user):
        rows = rows.filter(status=Scenario.Status.PUBLISHED)
    return list(rows)


def best_choice_ids(scenario: Scenario) -> dict[int, set[int]]:
    """Per step id, the ids of its best choices: those the author marked best, else the
    ones on a path with the most points from there."""
    steps = scenario_steps(scenario)
    by_id = {s.pk: s for s in steps}
    memo: dict[int, int] = {}

    def best_from(step_id: int, depth: int = 0) -> int:
        if step_id in memo:
            return memo[step_id]
        if depth > len(by_id):  # a cycle (drafts only): stop rather than loop
            return 0
        values = [
            c.points + (best_from(c.next_step_id, depth + 1) if c.next_step_id in by_id else 0)
            for c in by_id[step_id].choices.all()
        ]
        memo[step_id] = max(values) if values else 0
        return memo[step_id]

    out: dict[int, set[int]] = {}
    for s in steps:
        choices = list(s.choices.all())
        marked = {c.pk for c in choices if c.is_best}
        if marked:
            out[s.pk] = marked
            continue
        if not choices:
            out[s.pk] = set()
            continue
        scores = {
            c.pk: c.points + (best_from(c.next_step_id) if c.next_step_id in by_id else 0)
            for c in choices
        }
        top = max(scores.values())
        out[s.pk] = {pk for pk, v in scores.items() if v == top}
    return out


# --- Runs ----------------------------------------------------------------------------------------


def _runs() -> QuerySet[SandboxRun]:
    return SandboxRun.objects.select_related("scenario", "started_by", "current_step")


def run_get_for_user(*, user: Any, pk: int) -> SandboxRun:
    """A run for its members, trainers and HR admins, and supervisors of a member (their
    chain); 404 for everyone else."""
    run = _runs().filter(pk=pk).first()
    if run is None:
        raise Http404
    me = reader_employee(user)
    members = set(run.members.values_list("employee_id", flat=True))
    if me is not None and me.pk in members:
        return run
    if can_see_sandbox_results(user):
        scope = record_scope(user)
        if scope is None or members & scope:
            return run
    raise Http404


def run_is_member(*, run: SandboxRun, user: Any) -> bool:
    me = reader_employee(user)
    return me is not None and run.members.filter(employee=me).exists()


def run_members(run: SandboxRun) -> list[Employee]:
    return [m.employee for m in run.members.select_related("employee").order_by("employee__name")]


def runs_of_employee(*, user: Any, status: str = "") -> QuerySet[SandboxRun]:
    """ "My sandbox runs": every run the reader played in, newest first."""
    me = reader_employee(user)
    if me is None:
        return SandboxRun.objects.none()
    rows = _runs().filter(members__employee=me).order_by("-started_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    return rows


def group_candidates(*, user: Any) -> QuerySet[Employee]:
    """Whom a player may name for a group run: active colleagues of their own unit and
    the people they may see (their chain; everyone for HR and executives)."""
    me = reader_employee(user)
    if me is None:
        return Employee.objects.none()
    rows = Employee.objects.filter(active=True).exclude(pk=me.pk)
    seen = visible_employee_ids(user)
    if seen is not None:
        rows = rows.filter(Q(org_unit_id=me.org_unit_id) | Q(pk__in=seen))
    return rows.order_by("employee_no")


@dataclass
class ReviewLine:
    order: int
    step: Step
    choice: Choice
    chosen_by: Employee
    chosen_at: Any
    best: list[Choice]
    wrong: bool


def run_review(run: SandboxRun) -> list[ReviewLine]:
    """The run's path, each decision with the step's best choices and whether the path
    went wrong there (a choice not among the best)."""
    best = best_choice_ids(run.scenario)
    choices = {c.pk: c for c in Choice.objects.filter(step__scenario=run.scenario)}
    out = []
    for rs in run.path.select_related("step", "choice", "chosen_by").order_by("order"):
        ids = best.get(rs.step_id, set())
        out.append(
            ReviewLine(
                order=rs.order,
                step=rs.step,
                choice=rs.choice,
                chosen_by=rs.chosen_by,
                chosen_at=rs.chosen_at,
                best=[choices[i] for i in sorted(ids) if i in choices],
                wrong=bool(ids) and rs.choice_id not in ids,
            )
        )
    return out


# --- Results ---------------------------------------------------------------------------------------


def scenario_for_results(*, user: Any, pk: int) -> Scenario:
    if not can_see_sandbox_results(user):
        raise PermissionDenied
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario


def visible_runs(*, user: Any, scenario: Scenario | None = None) -> QuerySet[SandboxRun]:
    """Runs whose results ``user`` may read: all for trainers and HR admins, those with a
    member in a supervisor's chain for supervisors."""
    if not can_see_sandbox_results(user):
        raise PermissionDenied
    rows = _runs()
    if scenario is not None:
        rows = rows.filter(scenario=scenario)
    scope = record_scope(user)
    if scope is not None:
        rows = rows.filter(
            Exists(SandboxRunMember.objects.filter(run=OuterRef("pk"), employee_id__in=scope))
        )
    return rows


def run_list_filtered(
    runs: QuerySet[SandboxRun], *, q: str = "", status: str = "", mode: str = ""
) -> QuerySet[SandboxRun]:
    if q:
        rows = SandboxRunMember.objects.filter(
            Q(employee__name__icontains=q) | Q(employee__employee_no__icontains=q)
        ).values("run_id")
        runs = runs.filter(pk__in=rows)
    if status:
        runs = runs.filter(status=status)
    if mode:
        runs = runs.filter(mode=mode)
    return runs.prefetch_related("members__employee").order_by("-started_at", "-pk")


@dataclass
class ChoiceStat:
    choice: Choice
    count: int
    pct: float
    best: bool


@dataclass
class StepStat:
    step: Step
    decided: int
    choices: list[ChoiceStat] = field(default_factory=list)

    @property
    def best_pct(self) -> float | None:
        if not self.decided:
            return None
        return round(sum(c.count for c in self.choices if c.best) / self.decided * 100, 1)


@dataclass
class Results:
    runs: int
    finished: int
    mean_score: float | None
    mean_seconds: float | None
    steps: list[StepStat]
    mistakes: list[tuple[StepStat, ChoiceStat]]


def scenario_results(*, user: Any, scenario: Scenario) -> Results:
    runs = visible_runs(user=user, scenario=scenario)
    finished = [
        (r.points, r.max_points, (r.finished_at - r.started_at).total_seconds())  # type: ignore[operator]
        for r in runs.filter(status=SandboxRun.Status.FINISHED, finished_at__isnull=False)
        .select_related(None)
        .only("points", "max_points", "started_at", "finished_at")
    ]
    counts: dict[int, int] = defaultdict(int)
    for choice_id, n in (
        SandboxRunStep.objects.filter(run__in=runs.values("pk"))
        .values_list("choice_id")
        .annotate(n=Count("pk"))
    ):
        counts[choice_id] = n
    best = best_choice_ids(scenario)
    steps: list[StepStat] = []
    for s in scenario_steps(scenario):
        choices = sorted(s.choices.all(), key=lambda c: (c.order, c.pk))
        decided = sum(counts[c.pk] for c in choices)
        stat = StepStat(step=s, decided=decided)
        for c in choices:
            n = counts[c.pk]
            stat.choices.append(
                ChoiceStat(
                    choice=c,
                    count=n,
                    pct=round(n / decided * 100, 1) if decided else 0.0,
                    best=c.pk in best.get(s.pk, set()),
                )
            )
        steps.append(stat)
    mistakes = sorted(
        ((st, cs) for st in steps for cs in st.choices if not cs.best and cs.count),
        key=lambda pair: (-pair[1].count, pair[0].step.key),
    )[:5]
    return Results(
        runs=runs.count(),
        finished=len(finished),
        mean_score=round(sum(p / m * 100 for p, m, _ in finished) / len(finished), 1)
        if finished
        else None,
        mean_seconds=round(sum(t for *_, t in finished) / len(finished)) if finished else None,
        steps=steps,
        mistakes=mistakes,
    )


def results_chart(
    results: Results, *, title: str, best_label: str, other_label: str
) -> dict[str, Any]:
    """ECharts options: per step, how many decisions took a best choice and how many not."""
    keys = [s.step.key for s in results.steps]
    good = [sum(c.count for c in s.choices if c.best) for s in results.steps]
    bad = [sum(c.count for c in s.choices if not c.best) for s in results.steps]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 40, "right": 16, "top": 40, "bottom": 48},
        "xAxis": {"type": "category", "data": keys},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": best_label, "type": "bar", "stack": "n", "data": good},
            {"name": other_label, "type": "bar", "stack": "n", "data": bad},
        ],
    }

"""Training API: the decision sandbox. Scenarios (published ones for players, all for
managers), starting a run, making a choice, reading a run (its members, trainers and HR,
supervisors of a member) and a scenario's results (trainers, HR, supervisors for their
chain) — the same visibility as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from kaopei.core.api import ERRORS
from kaopei.core.errors import ApplicationError
from kaopei.org.models import Employee
from kaopei.training.rules import can_manage_scenarios
from kaopei.training.selectors import sandbox as sel
from kaopei.training.services import sandbox as services

router = Router(tags=["training"])


class ScenarioOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    status: str
    version: int
    time_limit: int | None = Field(description="Minutes; None: no limit.")


class ChoiceOut(Schema):
    id: int
    order: int
    text: str
    text_en: str


class ManagedChoiceOut(ChoiceOut):
    next_step: str | None = Field(description="The key of the step it leads to; None: ends.")
    points: int
    is_best: bool


class StepOut(Schema):
    id: int
    key: str
    text: str
    text_en: str
    is_start: bool
    choices: list[ManagedChoiceOut]


class ScenarioDetailOut(ScenarioOut):
    brief: str
    brief_en: str
    steps: list[StepOut] | None = Field(description="Managers only: the whole graph.")
    problems: list[str] | None = Field(description="Managers only: what stops publishing.")


class PathOut(Schema):
    order: int
    step: str
    choice_id: int
    choice: str
    points: int
    consequence: str
    feedback: str
    chosen_by: str = Field(description="Employee number of who decided.")
    chosen_at: dt.datetime
    went_wrong: bool | None = Field(description="Once the run has ended: not a best choice.")


class CurrentStepOut(Schema):
    id: int
    key: str
    text: str
    choices: list[ChoiceOut]


class RunOut(Schema):
    id: int
    scenario_id: int
    scenario_version: int
    mode: str
    status: str
    members: list[str] = Field(description="Employee numbers of every player.")
    started_at: dt.datetime
    finished_at: dt.datetime | None
    deadline: dt.datetime | None
    points: int
    max_points: int
    score: float | None = Field(description="points / max_points × 100 once finished.")
    current_step: CurrentStepOut | None
    path: list[PathOut]


class StartIn(Schema):
    members: list[str] = Field(
        default_factory=list, description="Employee numbers of the other players (group run)."
    )


class ChoiceIn(Schema):
    step_id: int = Field(description="The step the player saw (its id).")
    choice_id: int


class ChoiceStatOut(Schema):
    choice_id: int
    text: str
    best: bool
    count: int
    percent: float


class StepStatOut(Schema):
    key: str
    decided: int
    choices: list[ChoiceStatOut]


class SandboxResultsOut(Schema):
    runs: int
    finished: int
    mean_score: float | None
    mean_seconds: float | None
    steps: list[StepStatOut]


def _scenario_out(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "title": s.title,
        "title_en": s.title_en,
        "status": s.status,
        "version": s.version,
        "time_limit": s.time_limit,
    }


def _run_out(run: Any) -> RunOut:
    ended = run.status != run.Status.IN_PROGRESS
    wrong = {line.order: line.wrong for line in sel.run_review(run)} if ended else {}
    step = run.current_step
    return RunOut(
        id=run.pk,
        scenario_id=run.scenario_id,
        scenario_version=run.scenario_version,
        mode=run.mode,
        status=run.status,
        members=[e.employee_no for e in sel.run_members(run)],
        started_at=run.started_at,
        finished_at=run.finished_at,
        deadline=services.run_deadline(run),
        points=run.points,
        max_points=run.max_points,
        score=run.score,
        current_step=CurrentStepOut(
            id=step.pk,
            key=step.key,
            text=step.local_text,
            choices=[
                ChoiceOut(id=c.pk, order=c.order, text=c.text, text_en=c.text_en)
                for c in step.choices.order_by("order", "pk")
            ],
        )
        if step is not None and not ended
        else None,
        path=[
            PathOut(
                order=rs.order,
                step=rs.step.key,
                choice_id=rs.choice_id,
                choice=rs.choice.local_text,
                points=rs.choice.points,
                consequence=rs.choice.local_consequence,
                feedback=rs.choice.local_feedback,
                chosen_by=rs.chosen_by.employee_no,
                chosen_at=rs.chosen_at,
                went_wrong=wrong.get(rs.order) if ended else None,
            )
            for rs in run.path.select_related("step", "choice", "chosen_by").order_by("order")
        ],
    )


@router.get("/training/sandbox/scenarios", response={200: list[ScenarioOut], **ERRORS})
def scenario_list(request: HttpRequest, q: str = "") -> Any:
    """Published scenarios (every scenario for trainers and HR admins)."""
    return [_scenario_out(s) for s in sel.scenario_list_visible_to(user=request.user, q=q)]


@router.get(
    "/training/sandbox/scenarios/{scenario_id}", response={200: ScenarioDetailOut, **ERRORS}
)
def scenario_get(request: HttpRequest, scenario_id: int) -> Any:
    """A scenario; managers also get its steps, choices and the check's problems."""
    s = sel.scenario_get_for_user(user=request.user, pk=scenario_id)
    manager = can_manage_scenarios(request.user)
    steps = None
    if manager:
        steps = [
            StepOut(
                id=st.pk,
                key=st.key,
                text=st.text,
                text_en=st.text_en,
                is_start=st.is_start,
                choices=[
                    ManagedChoiceOut(
                        id=c.pk,
                        order=c.order,
                        text=c.text,
                        text_en=c.text_en,
                        next_step=c.next_step.key if c.next_step else None,
                        points=c.points,
                        is_best=c.is_best,
                    )
                    for c in st.choices.all()
                ],
            )
            for st in sel.scenario_steps(s)
        ]
    return ScenarioDetailOut(
        **_scenario_out(s),
        brief=s.brief,
        brief_en=s.brief_en,
        steps=steps,
        problems=services.scenario_problems(s) if manager else None,
    )


@router.post(
    "/training/sandbox/scenarios/{scenario_id}/runs",
    response={200: RunOut, 201: RunOut, **ERRORS},
)
def run_start(request: HttpRequest, scenario_id: int, payload: StartIn) -> Any:
    """Start a run (201); with ``members`` a group run. An open solo run is handed back
    instead (200). 400 for a member the caller may not name."""
    scenario = sel.scenario_get_for_user(user=request.user, pk=scenario_id)
    me = sel.reader_employee(request.user)
    if me is None:
        raise PermissionDenied
    members: list[Employee] = []
    if payload.members:
        allowed = {e.employee_no: e for e in sel.group_candidates(user=request.user)}
        unknown = [no for no in payload.members if no not in allowed and no != me.employee_no]
        if unknown:
            raise ApplicationError(
                _("You cannot name these people for a group run: %(nos)s.")
                % {"nos": ", ".join(unknown)}
            )
        members = [allowed[no] for no in payload.members if no in allowed]
    run, resumed = services.run_start(
        scenario=scenario, employee=me, members=members, group=bool(payload.members)
    )
    return Status(200 if resumed else 201, _run_out(run))


@router.get("/training/sandbox/runs/{run_id}", response={200: RunOut, **ERRORS})
def run_get(request: HttpRequest, run_id: int) -> Any:
    """A run: its members, trainers and HR admins, supervisors of a member."""
    run = services.run_expire(run=sel.run_get_for_user(user=request.user, pk=run_id))
    return _run_out(run)


@router.post("/training/sandbox/runs/{run_id}/choices", response={200: RunOut, **ERRORS})
def run_choose(request: HttpRequest, run_id: int, payload: ChoiceIn) -> Any:
    """Make the (group's) choice at the current step. 409 when that step is already
    decided or the run has ended; 400 for a choice not of the current step or after the
    time limit (the run then closes); 403 for someone who does not play in it."""
    run = sel.run_get_for_user(user=request.user, pk=run_id)
    me = sel.reader_employee(request.user)
    if me is None or not sel.run_is_member(run=run, user=request.user):
        raise PermissionDenied
    services.run_choose(run=run, employee=me, step_id=payload.step_id, choice_id=payload.choice_id)
    run.refresh_from_db()
    return _run_out(run)


@router.get(
    "/training/sandbox/scenarios/{scenario_id}/results", response={200: SandboxResultsOut, **ERRORS}
)
def scenario_results(request: HttpRequest, scenario_id: int) -> Any:
    """Runs, mean score, average time and per step the choices taken (trainers, HR;
    supervisors: their chain's runs)."""
    scenario = sel.scenario_for_results(user=request.user, pk=scenario_id)
    r = sel.scenario_results(user=request.user, scenario=scenario)
    return SandboxResultsOut(
        runs=r.runs,
        finished=r.finished,
        mean_score=r.mean_score,
        mean_seconds=r.mean_seconds,
        steps=[
            StepStatOut(
                key=st.step.key,
                decided=st.decided,
                choices=[
                    ChoiceStatOut(
                        choice_id=c.choice.pk,
                        text=c.choice.local_text,
                        best=c.best,
                        count=c.count,
                        percent=c.pct,
                    )
                    for c in st.choices
                ],
            )
            for st in r.steps
        ],
    )

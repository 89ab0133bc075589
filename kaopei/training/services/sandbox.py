"""The decision sandbox: writing scenarios (steps and choices), publishing them, and
playing runs, solo or as a group (issue 12).

Every function is keyword-only, atomic, and refuses bad input with an ``ApplicationError``
whose message says what is wrong, having written nothing. The graph rules live in the pure
``kaopei.training.sandbox_graph``.

Editing rule (stated in the editor's help text): steps and choices change only while the
scenario is a draft nobody has played. Once anyone has played it, its structure (steps,
where choices lead, points, best choices) is frozen so that every run stays comparable;
wording may still be corrected. A new structure is a new scenario; the old one is retired.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.org.models import Competency, Employee
from kaopei.training import sandbox_graph
from kaopei.training.models import (
    Choice,
    Course,
    SandboxRun,
    SandboxRunMember,
    SandboxRunStep,
    Scenario,
    Step,
)

# A choice arriving this long after the time limit still counts (network, a slow click).
GRACE = timedelta(seconds=30)
# The most players of a group run.
GROUP_MAX = 8


def _audit(obj: Any, user: Any, reason: str) -> None:
    obj._history_user = user if getattr(user, "pk", None) else None
    obj._change_reason = reason


# --- The graph of a scenario -----------------------------------------------------------------


def scenario_graph(scenario: Scenario) -> sandbox_graph.Graph:
    """The scenario's steps and choices as plain data (two queries)."""
    steps = {s.pk: s.key for s in Step.objects.filter(scenario=scenario)}
    out: dict[str, list[sandbox_graph.ChoiceData]] = {key: [] for key in steps.values()}
    for step_id, next_id, points in Choice.objects.filter(step__scenario=scenario).values_list(
        "step_id", "next_step_id", "points"
    ):
        out[steps[step_id]].append(
            sandbox_graph.ChoiceData(
                next=steps.get(next_id, "?") if next_id else None, points=points
            )
        )
    starts = list(
        Step.objects.filter(scenario=scenario, is_start=True).values_list("key", flat=True)
    )
    return sandbox_graph.Graph(steps=out, starts=starts)


def scenario_problems(scenario: Scenario) -> list[str]:
    """What stops the scenario from being published (empty: nothing)."""
    graph = scenario_graph(scenario)
    problems = sandbox_graph.check(graph)
    if not problems:
        best, _worst = sandbox_graph.points_range(graph, graph.starts[0])
        if best <= 0:
            problems.append(
                _("The best path scores %(points)s points: give the good choices positive points.")
                % {"points": best}
            )
    return problems


def _structure_editable(scenario: Scenario) -> None:
    if scenario.runs.exists():
        raise ApplicationError(
            _(
                "People have played this scenario: its steps and choices can no longer change "
                "(only their wording). Retire it and create a new scenario instead."
            )
        )
    if scenario.status != Scenario.Status.DRAFT:
        raise ApplicationError(
            _("Withdraw the scenario to draft before changing its steps and choices.")
        )


# --- Scenarios -------------------------------------------------------------------------------


@transaction.atomic
def scenario_save(
    *,
    scenario: Scenario | None,
    code: str,
    title: str,
    title_en: str = "",
    brief: str,
    brief_en: str = "",
    time_limit: int | None = None,
    competencies: Sequence[Competency] = (),
    metrics: Sequence[Any] = (),
    courses: Sequence[Course] = (),
    user: Any = None,
) -> Scenario:
    """Create (``scenario`` None, as a draft) or change a scenario's description."""
    code = code.strip()
    if not code or not title.strip() or not brief.strip():
        raise ApplicationError(_("A scenario needs a code, a title and the situation."))
    if time_limit is not None and time_limit < 1:
        raise ApplicationError(_("The time limit is at least one minute (or none)."))
    taken = Scenario.objects.filter(code=code)
    if scenario is not None:
        taken = taken.exclude(pk=scenario.pk)
    if taken.exists():
        raise ApplicationError(_("Another scenario already has this code."))
    s = scenario or Scenario(created_by=user if getattr(user, "pk", None) else None)
    s.code, s.title, s.title_en = code, title.strip(), title_en.strip()
    s.brief, s.brief_en, s.time_limit = brief.strip(), brief_en.strip(), time_limit
    _audit(s, user, "scenario created" if scenario is None else "scenario saved")
    s.save()
    s.competencies.set(competencies)
    s.metrics.set(metrics)
    s.courses.set(courses)
    return s


@transaction.atomic
def scenario_publish(*, scenario: Scenario, user: Any = None) -> Scenario:
    """Publish a draft: refused, listing every problem, while the graph has any."""
    s = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if s.status == Scenario.Status.PUBLISHED:
        return s
    problems = scenario_problems(s)
    if problems:
        raise ApplicationError(
            _("The scenario cannot be published: %(problems)s") % {"problems": " ".join(problems)},
            errors=[{"message": p} for p in problems],
        )
    if s.status == Scenario.Status.RETIRED or s.runs.exists():
        s.version += 1
    s.status = Scenario.Status.PUBLISHED
    _audit(s, user, "scenario published")
    s.save(update_fields=["status", "version", "updated_at"])
    return s


@transaction.atomic
def scenario_withdraw(*, scenario: Scenario, user: Any = None) -> Scenario:
    """Back to draft (to change its steps): only while nobody has played it."""
    s = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if s.runs.exists():
        raise ApplicationError(
            _("People have played this scenario: retire it instead of withdrawing it.")
        )
    s.status = Scenario.Status.DRAFT
    _audit(s, user, "scenario withdrawn")
    s.save(update_fields=["status", "updated_at"])
    return s


@transaction.atomic
def scenario_retire(*, scenario: Scenario, user: Any = None) -> Scenario:
    """Nobody may start it any more; its runs and results stay."""
    s = Scenario.objects.select_for_update().get(pk=scenario.pk)
    s.status = Scenario.Status.RETIRED
    _audit(s, user, "scenario retired")
    s.save(update_fields=["status", "updated_at"])
    return s


@transaction.atomic
def scenario_delete(*, scenario: Scenario, user: Any = None) -> None:
    """Delete a scenario nobody has played; one with runs is retired instead (refused)."""
    s = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if s.runs.exists():
        raise ApplicationError(_("People have played this scenario: retire it instead."))
    _audit(s, user, "scenario deleted")
    s.delete()


# --- Steps and choices -----------------------------------------------------------------------


@transaction.atomic
def step_save(
    *,
    scenario: Scenario,
    step: Step | None,
    key: str,
    text: str,
    text_en: str = "",
    is_start: bool = False,
    user: Any = None,
) -> Step:
    """Add or change a step. Its key and whether it starts are structure; its wording is
    not (see the module's editing rule)."""
    key = key.strip().upper()
    if not key or not text.strip():
        raise ApplicationError(_("A step needs a key and its situation."))
    if len(key) > 20 or not all(ch.isalnum() or ch in "-_" for ch in key):
        raise ApplicationError(_("A step key is up to 20 letters, digits, - or _."))
    structural = step is None or step.key != key or step.is_start != is_start
    if structural:
        _structure_editable(scenario)
    taken = Step.objects.filter(scenario=scenario, key=key)
    if step is not None:
        taken = taken.exclude(pk=step.pk)
    if taken.exists():
        raise ApplicationError(_("The scenario already has a step with this key."))
    s = step or Step(scenario=scenario)
    s.key, s.text, s.text_en, s.is_start = key, text.strip(), text_en.strip(), is_start
    _audit(s, user, "step saved")
    s.save()
    _touch(scenario, user, "step saved")
    return s


@transaction.atomic
def step_delete(*, step: Step, user: Any = None) -> None:
    """Delete a step and its choices; choices leading to it then end the path there
    (the check panel will say so)."""
    _structure_editable(step.scenario)
    _audit(step, user, "step deleted")
    step.delete()
    _touch(step.scenario, user, "step deleted")


@transaction.atomic
def choice_save(
    *,
    step: Step,
    choice: Choice | None,
    order: int,
    text: str,
    text_en: str = "",
    next_step: Step | None,
    points: int,
    consequence: str = "",
    consequence_en: str = "",
    feedback: str = "",
    feedback_en: str = "",
    is_best: bool = False,
    user: Any = None,
) -> Choice:
    """Add or change a choice of ``step``. Where it leads, its points and whether it is
    the best are structure; order and wording are not."""
    if not text.strip():
        raise ApplicationError(_("A choice needs its text."))
    if next_step is not None and next_step.scenario_id != step.scenario_id:
        raise ApplicationError(_("A choice leads to a step of its own scenario only."))
    if next_step is not None and next_step.pk == step.pk:
        raise ApplicationError(
            _("A choice cannot lead back to its own step: the path would never end.")
        )
    if not -1000 <= points <= 1000:
        raise ApplicationError(_("Points are between -1000 and 1000."))
    structural = (
        choice is None
        or choice.next_step_id != (next_step.pk if next_step else None)
        or choice.points != points
        or choice.is_best != is_best
    )
    if structural:
        _structure_editable(step.scenario)
    c = choice or Choice(step=step)
    c.order, c.text, c.text_en = order, text.strip(), text_en.strip()
    c.next_step, c.points, c.is_best = next_step, points, is_best
    c.consequence, c.consequence_en = consequence.strip(), consequence_en.strip()
    c.feedback, c.feedback_en = feedback.strip(), feedback_en.strip()
    _audit(c, user, "choice saved")
    c.save()
    _touch(step.scenario, user, "choice saved")
    return c


@transaction.atomic
def choice_delete(*, choice: Choice, user: Any = None) -> None:
    _structure_editable(choice.step.scenario)
    _audit(choice, user, "choice deleted")
    choice.delete()
    _touch(choice.step.scenario, user, "choice deleted")


def _touch(scenario: Scenario, user: Any, reason: str) -> None:
    """A change of a step or choice is a change of the scenario too (its history)."""
    _audit(scenario, user, reason)
    scenario.save(update_fields=["updated_at"])


# --- Runs --------------------------------------------------------------------------------------


def run_deadline(run: SandboxRun) -> Any:
    minutes = run.scenario.time_limit
    return run.started_at + timedelta(minutes=minutes) if minutes else None


def _is_late(run: SandboxRun, now: Any) -> bool:
    deadline = run_deadline(run)
    return deadline is not None and now > deadline + GRACE


@transaction.atomic
def run_start(
    *,
    scenario: Scenario,
    employee: Employee,
    members: Sequence[Employee] = (),
    group: bool = False,
) -> tuple[SandboxRun, bool]:
    """Start a run (``True`` second: an open solo run of this person was resumed instead).
    A group run names its other ``members`` (the caller checks whom the starter may name);
    the starter always plays."""
    if scenario.status != Scenario.Status.PUBLISHED:
        raise ApplicationError(_("This scenario is not open."), status=404)
    others = [m for m in members if m.pk != employee.pk]
    if len({m.pk for m in others}) != len(others):
        raise ApplicationError(_("A team member is named twice."))
    if group and not others:
        raise ApplicationError(_("Name at least one colleague for a group run."))
    if not group and others:
        raise ApplicationError(_("A solo run has no other members."))
    if len(others) + 1 > GROUP_MAX:
        raise ApplicationError(_("A group run has at most %(n)s players.") % {"n": GROUP_MAX})
    if any(not m.active for m in others):
        raise ApplicationError(_("A team member has left the bank."))
    # One start at a time per person: a double click never makes two runs.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    now = timezone.now()
    if not group:
        open_run = (
            SandboxRun.objects.select_related("scenario")
            .filter(
                scenario=scenario,
                mode=SandboxRun.Mode.SOLO,
                started_by=employee,
                status=SandboxRun.Status.IN_PROGRESS,
            )
            .first()
        )
        if open_run is not None:
            if not _is_late(open_run, now):
                return open_run, True
            _time_out(open_run, now)
    graph = scenario_graph(scenario)
    start = Step.objects.filter(scenario=scenario, is_start=True).first()
    if start is None or sandbox_graph.check(graph):
        raise ApplicationError(_("This scenario cannot be played: its steps are incomplete."))
    best, _worst = sandbox_graph.points_range(graph, start.key)
    if best <= 0:
        raise ApplicationError(_("This scenario cannot be played: its steps are incomplete."))
    run = SandboxRun.objects.create(
        scenario=scenario,
        scenario_version=scenario.version,
        mode=SandboxRun.Mode.GROUP if group else SandboxRun.Mode.SOLO,
        started_by=employee,
        started_at=now,
        max_points=best,
        current_step=start,
    )
    SandboxRunMember.objects.bulk_create(
        SandboxRunMember(run=run, employee=e) for e in [employee, *others]
    )
    return run, False


def _time_out(run: SandboxRun, now: Any) -> None:
    run.status = SandboxRun.Status.TIMED_OUT
    run.finished_at = now
    run.current_step = None
    run.save(update_fields=["status", "finished_at", "current_step", "updated_at"])


class TimeIsUp(ApplicationError):
    """A choice after the time limit and its grace: the run closed as timed out."""


def run_expire(*, run: SandboxRun) -> SandboxRun:
    """Close the run as timed out when its time is up (a page or the API looking at it)."""
    if run.status != SandboxRun.Status.IN_PROGRESS or not _is_late(run, timezone.now()):
        return run
    with transaction.atomic():
        locked = (
            SandboxRun.objects.select_for_update(of=("self",))
            .select_related("scenario")
            .get(pk=run.pk)
        )
        if locked.status == SandboxRun.Status.IN_PROGRESS and _is_late(locked, timezone.now()):
            _time_out(locked, timezone.now())
    run.refresh_from_db()
    return run


def run_choose(
    *, run: SandboxRun, employee: Employee, step_id: int, choice_id: int
) -> SandboxRunStep:
    """Record ``employee``'s choice at ``step_id`` (the step they saw). The run is locked:
    the first submission for a step wins and a second one (double click, another tab,
    another team member) is refused with 409, naming that the step is decided. Refused
    too: not a member (403), a finished run, a choice not of the current step, and a
    choice after the time limit (the run then closes as timed out)."""
    late = False
    with transaction.atomic():
        locked = (
            SandboxRun.objects.select_for_update(of=("self",))
            .select_related("scenario")
            .get(pk=run.pk)
        )
        if not SandboxRunMember.objects.filter(run=locked, employee=employee).exists():
            raise PermissionDenied
        if locked.status != SandboxRun.Status.IN_PROGRESS:
            raise ConflictError(_("This run has ended: no more choices can be made."))
        now = timezone.now()
        if _is_late(locked, now):
            _time_out(locked, now)
            late = True
        else:
            if locked.current_step_id != step_id:
                if SandboxRunStep.objects.filter(run=locked, step_id=step_id).exists():
                    raise ConflictError(
                        _("This step has already been decided: the run has moved on.")
                    )
                raise ApplicationError(
                    _("That step is not where this run stands: reload the run and choose again.")
                )
            choice = Choice.objects.select_related("next_step").filter(pk=choice_id).first()
            if choice is None or choice.step_id != locked.current_step_id:
                raise ApplicationError(_("That choice is not one of the current step's choices."))
            order = SandboxRunStep.objects.filter(run=locked).count() + 1
            taken = SandboxRunStep.objects.create(
                run=locked,
                order=order,
                step_id=step_id,
                choice=choice,
                chosen_by=employee,
                chosen_at=now,
            )
            locked.points += choice.points
            locked.current_step = choice.next_step
            fields = ["points", "current_step", "updated_at"]
            if choice.next_step is None:
                locked.status = SandboxRun.Status.FINISHED
                locked.finished_at = now
                fields += ["status", "finished_at"]
            locked.save(update_fields=fields)
    if late:
        raise TimeIsUp(_("Time is up: the run closed without a score."))
    run.refresh_from_db()
    return taken


@transaction.atomic
def run_abandon(*, run: SandboxRun, employee: Employee) -> SandboxRun:
    """Give up a run in progress (any member); it keeps no score."""
    locked = SandboxRun.objects.select_for_update().get(pk=run.pk)
    if not SandboxRunMember.objects.filter(run=locked, employee=employee).exists():
        raise PermissionDenied
    if locked.status != SandboxRun.Status.IN_PROGRESS:
        raise ConflictError(_("This run has ended already."))
    locked.status = SandboxRun.Status.ABANDONED
    locked.finished_at = timezone.now()
    locked.current_step = None
    locked.save(update_fields=["status", "finished_at", "current_step", "updated_at"])
    return locked

"""Decision-sandbox pages: the scenario list, the editor (trainers and HR), playing a run
solo or in a group, its result with where the path went wrong, a scenario's results
(trainers, HR, supervisors for their chain) and "My sandbox runs"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.training.forms_sandbox import (
    ChoiceForm,
    RunFilterForm,
    ScenarioFilterForm,
    ScenarioForm,
    StartForm,
    StepForm,
)
from kaopei.training.models import SandboxRun, Scenario
from kaopei.training.rules import can_manage_scenarios, can_see_sandbox_results
from kaopei.training.selectors import sandbox as sel
from kaopei.training.services import sandbox as services

PER_PAGE = 30


def _error(form: Any, exc: ApplicationError) -> None:
    form.add_error(None, str(exc.message))


# --- Scenarios -------------------------------------------------------------------------------


@require_GET
def sandbox_list(request: HttpRequest) -> HttpResponse:
    form = ScenarioFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = sel.scenario_list_visible_to(
        user=request.user, q=data.get("q", ""), status=data.get("status", "")
    )
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "training/sandbox/list.html",
        {
            "form": form,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": query_string,
            "filtered": filtered,
            "manager": can_manage_scenarios(request.user),
            "results": can_see_sandbox_results(request.user),
        },
    )


def _scenario_form_page(request: HttpRequest, scenario: Scenario | None) -> HttpResponse:
    form = (
        ScenarioForm(request.POST, scenario=scenario)
        if request.method == "POST"
        else ScenarioForm(scenario=scenario)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.scenario_save(
                scenario=scenario,
                code=d["code"],
                title=d["title"],
                title_en=d["title_en"],
                brief=d["brief"],
                brief_en=d["brief_en"],
                time_limit=d["time_limit"],
                competencies=list(d["competencies"]),
                metrics=list(d["metrics"]),
                courses=list(d["courses"]),
                user=request.user,
            )
        except ApplicationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The scenario is saved."))
            return redirect("training:sandbox_detail", pk=saved.pk)
    return render(
        request,
        "training/sandbox/form.html",
        {
            "form": form,
            "title": _("Edit the scenario") if scenario else _("New scenario"),
            "back": scenario,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_scenarios(request.user):
        raise PermissionDenied
    return _scenario_form_page(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _scenario_form_page(request, sel.scenario_get_for_manager(user=request.user, pk=pk))


@never_cache
@require_GET
def sandbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scenario: its situation and a start form for players; the editor with the
    check panel and the history for managers."""
    scenario = sel.scenario_get_for_user(user=request.user, pk=pk)
    manager = can_manage_scenarios(request.user)
    me = sel.reader_employee(request.user)
    context: dict[str, Any] = {
        "scenario": scenario,
        "manager": manager,
        "can_play": me is not None and scenario.status == Scenario.Status.PUBLISHED,
        "results": can_see_sandbox_results(request.user),
    }
    if context["can_play"]:
        context["start_form"] = StartForm(candidates=sel.group_candidates(user=request.user))
    if manager:
        context["steps"] = sel.scenario_steps(scenario)
        context["problems"] = services.scenario_problems(scenario)
        context["has_runs"] = scenario.runs.exists()
        context["history"] = sel.scenario_history(scenario)
    return render(request, "training/sandbox/detail.html", context)


@require_POST
def sandbox_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish (``action=publish``) or withdraw to draft (``action=withdraw``)."""
    scenario = sel.scenario_get_for_manager(user=request.user, pk=pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.scenario_withdraw(scenario=scenario, user=request.user)
            messages.success(request, _("The scenario is back to draft."))
        else:
            services.scenario_publish(scenario=scenario, user=request.user)
            messages.success(request, _("The scenario is published."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("training:sandbox_detail", pk=scenario.pk)


def _confirm(
    request: HttpRequest, *, title: str, question: str, button: str, back: str
) -> HttpResponse:
    return render(
        request,
        "training/sandbox/confirm.html",
        {"title": title, "question": question, "button": button, "back": back},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_retire(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_get_for_manager(user=request.user, pk=pk)
    if request.method == "POST":
        services.scenario_retire(scenario=scenario, user=request.user)
        messages.success(request, _("The scenario is retired."))
        return redirect("training:sandbox_detail", pk=scenario.pk)
    return _confirm(
        request,
        title=_("Retire the scenario"),
        question=_("Nobody will be able to start it any more; its runs and results stay."),
        button=_("Retire"),
        back=scenario.get_absolute_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_get_for_manager(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.scenario_delete(scenario=scenario, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("training:sandbox_detail", pk=scenario.pk)
        messages.success(request, _("The scenario is deleted."))
        return redirect("training:sandbox_list")
    return _confirm(
        request,
        title=_("Delete the scenario"),
        question=_("Delete this scenario with its steps and choices? This cannot be undone."),
        button=_("Delete"),
        back=scenario.get_absolute_url(),
    )


# --- Steps and choices -----------------------------------------------------------------------


def _step_form_page(request: HttpRequest, scenario: Scenario, step: Any) -> HttpResponse:
    form = StepForm(request.POST, step=step) if request.method == "POST" else StepForm(step=step)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.step_save(
                scenario=scenario,
                step=step,
                key=d["key"],
                text=d["text"],
                text_en=d["text_en"],
                is_start=d["is_start"],
                user=request.user,
            )
        except ApplicationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The step is saved."))
            return redirect("training:sandbox_detail", pk=scenario.pk)
    return render(
        request,
        "training/sandbox/form.html",
        {"form": form, "title": _("Edit the step") if step else _("Add a step"), "back": scenario},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_form_page(request, sel.scenario_get_for_manager(user=request.user, pk=pk), None)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = sel.step_get_for_manager(user=request.user, pk=pk)
    return _step_form_page(request, step.scenario, step)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = sel.step_get_for_manager(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.step_delete(step=step, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The step is deleted."))
        return redirect("training:sandbox_detail", pk=step.scenario_id)
    return _confirm(
        request,
        title=_("Delete step %(key)s") % {"key": step.key},
        question=_("Delete this step and its choices? Choices leading to it will end the path."),
        button=_("Delete"),
        back=step.scenario.get_absolute_url(),
    )


def _choice_form_page(request: HttpRequest, step: Any, choice: Any) -> HttpResponse:
    form = (
        ChoiceForm(request.POST, step=step, choice=choice)
        if request.method == "POST"
        else ChoiceForm(step=step, choice=choice)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.choice_save(
                step=step,
                choice=choice,
                order=d["order"],
                text=d["text"],
                text_en=d["text_en"],
                next_step=d["next_step"],
                points=d["points"],
                consequence=d["consequence"],
                consequence_en=d["consequence_en"],
                feedback=d["feedback"],
                feedback_en=d["feedback_en"],
                is_best=d["is_best"],
                user=request.user,
            )
        except ApplicationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The choice is saved."))
            return redirect("training:sandbox_detail", pk=step.scenario_id)
    return render(
        request,
        "training/sandbox/form.html",
        {
            "form": form,
            "title": (
                _("Edit a choice of step %(key)s") if choice else _("Add a choice to step %(key)s")
            )
            % {"key": step.key},
            "back": step.scenario,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_choice_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _choice_form_page(request, sel.step_get_for_manager(user=request.user, pk=pk), None)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_choice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    choice = sel.choice_get_for_manager(user=request.user, pk=pk)
    return _choice_form_page(request, choice.step, choice)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_choice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    choice = sel.choice_get_for_manager(user=request.user, pk=pk)
    scenario = choice.step.scenario
    if request.method == "POST":
        try:
            services.choice_delete(choice=choice, user=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The choice is deleted."))
        return redirect("training:sandbox_detail", pk=scenario.pk)
    return _confirm(
        request,
        title=_("Delete a choice"),
        question=_("Delete the choice “%(text)s”?") % {"text": choice.local_text},
        button=_("Delete"),
        back=scenario.get_absolute_url(),
    )


# --- Playing -----------------------------------------------------------------------------------


@require_POST
def sandbox_start(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_get_for_user(user=request.user, pk=pk)
    me = sel.reader_employee(request.user)
    if me is None:
        raise PermissionDenied
    form = StartForm(request.POST, candidates=sel.group_candidates(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose team members from the list."))
        return redirect("training:sandbox_detail", pk=scenario.pk)
    try:
        run, _resumed = services.run_start(
            scenario=scenario,
            employee=me,
            members=list(form.cleaned_data["members"]),
            group=form.cleaned_data["group"],
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
        return redirect("training:sandbox_detail", pk=scenario.pk)
    return redirect("training:sandbox_run", pk=run.pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Play: the current step and its choices; the last decision's consequence and the
    expert's feedback. Members choose (POST); others who may see the run only watch."""
    run = services.run_expire(run=sel.run_get_for_user(user=request.user, pk=pk))
    member = sel.run_is_member(run=run, user=request.user)
    if request.method == "POST":
        me = sel.reader_employee(request.user)
        if not member or me is None:
            raise PermissionDenied
        step_id, choice_id = _int(request.POST.get("step")), _int(request.POST.get("choice"))
        if step_id is None or choice_id is None:
            messages.error(request, _("Pick one of the choices."))
        else:
            try:
                services.run_choose(run=run, employee=me, step_id=step_id, choice_id=choice_id)
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
        run.refresh_from_db()
        if run.status != SandboxRun.Status.IN_PROGRESS:
            return redirect("training:sandbox_run_result", pk=run.pk)
        return redirect("training:sandbox_run", pk=run.pk)
    if run.status != SandboxRun.Status.IN_PROGRESS:
        return redirect("training:sandbox_run_result", pk=run.pk)
    path = list(run.path.select_related("step", "choice", "chosen_by").order_by("order"))
    step = run.current_step
    return render(
        request,
        "training/sandbox/run.html",
        {
            "run": run,
            "member": member,
            "members": sel.run_members(run),
            "path": path,
            "last": path[-1] if path else None,
            "step": step,
            "choices": list(step.choices.order_by("order", "pk")) if step else [],
            "deadline": services.run_deadline(run),
        },
    )


@never_cache
@require_GET
def sandbox_run_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = services.run_expire(run=sel.run_get_for_user(user=request.user, pk=pk))
    if run.status == SandboxRun.Status.IN_PROGRESS:
        return redirect("training:sandbox_run", pk=run.pk)
    review = sel.run_review(run)
    seconds = round((run.finished_at - run.started_at).total_seconds()) if run.finished_at else None
    return render(
        request,
        "training/sandbox/result.html",
        {
            "run": run,
            "review": review,
            "wrong": [line for line in review if line.wrong],
            "members": sel.run_members(run),
            "seconds": seconds,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    run = sel.run_get_for_user(user=request.user, pk=pk)
    me = sel.reader_employee(request.user)
    if not sel.run_is_member(run=run, user=request.user) or me is None:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.run_abandon(run=run, employee=me)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("training:sandbox_run_result", pk=run.pk)
    return _confirm(
        request,
        title=_("Give up the run"),
        question=_("Stop this run now? It will keep no score."),
        button=_("Give up"),
        back=run.get_absolute_url(),
    )


@require_GET
def sandbox_my_runs(request: HttpRequest) -> HttpResponse:
    form = RunFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = sel.runs_of_employee(user=request.user, status=data.get("status", ""))
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "training/sandbox/my_runs.html",
        {
            "form": form,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": query_string,
            "filtered": filtered,
        },
    )


# --- Results -------------------------------------------------------------------------------------


@require_GET
def sandbox_results(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_for_results(user=request.user, pk=pk)
    results = sel.scenario_results(user=request.user, scenario=scenario)
    form = RunFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    runs = sel.run_list_filtered(
        sel.visible_runs(user=request.user, scenario=scenario),
        q=data.get("q", ""),
        status=data.get("status", ""),
        mode=data.get("mode", ""),
    )
    query_string, filtered = list_filters(request)
    chart = sel.results_chart(
        results,
        title=_("Decisions per step"),
        best_label=_("Best choice"),
        other_label=_("Another choice"),
    )
    return render_list(
        request,
        "training/sandbox/results.html",
        {
            "scenario": scenario,
            "results": results,
            "chart": chart,
            "form": form,
            "page_obj": paginate(request, runs, PER_PAGE),
            "query_string": query_string,
            "filtered": filtered,
        },
    )

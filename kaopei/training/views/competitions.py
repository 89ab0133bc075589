"""Group competitions pages: the list and "my competitions" (anyone employed), a
competition's page (task, rubric, teams, and for each reader what they can do), the
organiser's pages (create, teams, open, start the review phase, close — each phase change
on a confirmation page), a team's submission, a review of an assigned submission, an
expert's score, the leaderboard and a team's own reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.training.forms_competitions import (
    CompetitionFilterForm,
    CompetitionForm,
    ScoreForm,
    SubmissionForm,
    TeamForm,
)
from kaopei.training.rules import can_organise_competitions
from kaopei.training.selectors import competitions as sel
from kaopei.training.services import competitions as services

PER_PAGE = 25


def _list(request: HttpRequest, *, mine: bool) -> HttpResponse:
    form = CompetitionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = sel.competition_list_visible_to(
        user=request.user, q=data.get("q", ""), status=data.get("status", ""), mine=mine
    )
    query_string, filtered = list_filters(request)
    return render_list(
        request,
        "training/competitions/list.html",
        {
            "form": form,
            "mine": mine,
            "page_obj": paginate(request, rows, PER_PAGE),
            "query_string": query_string,
            "filtered": filtered,
            "may_organise": can_organise_competitions(request.user),
        },
    )


@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    return _list(request, mine=False)


@require_GET
def competition_mine(request: HttpRequest) -> HttpResponse:
    return _list(request, mine=True)


@require_http_methods(["GET", "POST"])
def competition_create(request: HttpRequest) -> HttpResponse:
    if not can_organise_competitions(request.user):
        raise PermissionDenied
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            competition = services.competition_create(
                user=request.user,
                code=d["code"],
                title=d["title"],
                title_en=d["title_en"],
                task=d["task"],
                task_en=d["task_en"],
                course=d["course"],
                competencies=d["competencies"],
                experts=d["experts"],
                opens_at=d["opens_at"],
                deadline_at=d["deadline_at"],
                review_deadline_at=d["review_deadline_at"],
                scale_min=d["scale_min"],
                scale_max=d["scale_max"],
                expert_weight=d["expert_weight"],
                peer_weight=d["peer_weight"],
                reviews_per_team=d["reviews_per_team"],
                criteria=d["criteria"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The competition is saved as a draft. Now form its teams."))
            return redirect("training:competition_detail", code=competition.code)
    return render(request, "training/competitions/form.html", {"form": form})


@require_GET
def competition_detail(request: HttpRequest, code: str) -> HttpResponse:
    competition = sel.prefetch_for_detail(
        sel.competition_get_for_user(user=request.user, code=code)
    )
    me = sel.reader_employee(request.user)
    team = sel.team_of(competition=competition, employee=me)
    expert = sel.is_expert(competition=competition, employee=me)
    teams = sel.team_list(competition)
    return render(
        request,
        "training/competitions/detail.html",
        {
            "competition": competition,
            "criteria": list(competition.criteria.all()),
            "teams": teams,
            "team": team,
            "submission": getattr(team, "submission", None) if team else None,
            "assignments": sel.assignments_of(competition=competition, team=team),
            "expert": expert,
            "scored": set(
                competition.expert_scores.filter(assessor=me).values_list("team_id", flat=True)
            )
            if expert
            else set(),
            "organiser": can_organise_competitions(request.user),
            # Who submitted stays with organisers, HR and experts: in the review phase it
            # would tell a team which teams may be reviewing it.
            "show_submitted": expert or can_organise_competitions(request.user),
            "may_see_leaderboard": sel.may_see_leaderboard(
                user=request.user, competition=competition
            ),
            "Status": competition.Status,
        },
    )


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, code: str) -> HttpResponse:
    competition = sel.competition_for_organiser(user=request.user, code=code)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(
                competition=competition,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The team is formed."))
            return redirect("training:competition_detail", code=competition.code)
    return render(
        request, "training/competitions/team_form.html", {"form": form, "competition": competition}
    )


PHASES = {
    "open": (
        services.competition_open,
        gettext_lazy("Open the competition"),
        gettext_lazy("The competition is open."),
    ),
    "review": (
        services.competition_start_review,
        gettext_lazy("Start the review phase"),
        gettext_lazy("The review phase has started: the cross-reviews are assigned."),
    ),
    "close": (
        services.competition_close,
        gettext_lazy("Close the competition"),
        gettext_lazy("The competition is closed."),
    ),
}


def _phase(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    competition = sel.competition_for_organiser(user=request.user, code=code)
    if request.method == "POST":
        action = PHASES[phase][0]
        try:
            action(competition=competition, user=request.user)  # type: ignore[operator]
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, str(PHASES[phase][2]))
        return redirect("training:competition_detail", code=competition.code)
    return render(
        request,
        "training/competitions/confirm.html",
        {"competition": competition, "phase": phase, "title": PHASES[phase][1]},
    )


@require_http_methods(["GET", "POST"])
def competition_open(request: HttpRequest, code: str) -> HttpResponse:
    return _phase(request, code, "open")


@require_http_methods(["GET", "POST"])
def competition_start_review(request: HttpRequest, code: str) -> HttpResponse:
    return _phase(request, code, "review")


@require_http_methods(["GET", "POST"])
def competition_close(request: HttpRequest, code: str) -> HttpResponse:
    return _phase(request, code, "close")


@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, code: str) -> HttpResponse:
    competition = sel.competition_get_for_user(user=request.user, code=code)
    me = sel.reader_employee(request.user)
    team = sel.team_of(competition=competition, employee=me)
    if team is None or me is None:
        raise PermissionDenied
    submission = getattr(team, "submission", None)
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": submission.text if submission else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_save(
                competition=competition,
                employee=me,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your team's work is submitted."))
            return redirect("training:competition_detail", code=competition.code)
    return render(
        request,
        "training/competitions/submission_form.html",
        {"form": form, "competition": competition, "team": team, "submission": submission},
    )


@require_GET
def submission_file_download(request: HttpRequest, pk: int) -> FileResponse:
    f = sel.submission_file_get_for_user(user=request.user, pk=pk)
    return FileResponse(
        f.file.open("rb"),
        as_attachment=True,
        filename=f.original_name,
        content_type=f.content_type,
    )


@require_http_methods(["GET", "POST"])
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = sel.assignment_get_for_user(user=request.user, pk=pk)
    competition = assignment.competition
    criteria = list(competition.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, competition=competition)
    me = sel.reader_employee(request.user)
    if request.method == "POST" and form.is_valid() and me is not None:
        try:
            services.peer_review_submit(
                assignment=assignment,
                employee=me,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your team's review is submitted."))
            return redirect("training:competition_detail", code=competition.code)
    return render(
        request,
        "training/competitions/score_form.html",
        {
            "form": form,
            "competition": competition,
            "submission": assignment.submission,
            "done": hasattr(assignment, "review"),
            "heading": _("Review of an assigned submission"),
        },
    )


@require_http_methods(["GET", "POST"])
def expert_score_form(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    competition = sel.competition_get_for_user(user=request.user, code=code)
    team = sel.team_for_expert(user=request.user, competition=competition, pk=pk)
    criteria = list(competition.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, competition=competition)
    me = sel.reader_employee(request.user)
    if request.method == "POST" and form.is_valid() and me is not None:
        try:
            services.expert_score_submit(
                team=team, employee=me, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your expert score is saved."))
            return redirect("training:competition_detail", code=competition.code)
    return render(
        request,
        "training/competitions/score_form.html",
        {
            "form": form,
            "competition": competition,
            "submission": getattr(team, "submission", None),
            "done": False,
            "heading": _("Expert score of %(team)s") % {"team": team.name},
        },
    )


@require_GET
def competition_leaderboard(request: HttpRequest, code: str) -> HttpResponse:
    competition, standings = sel.leaderboard_for_user(user=request.user, code=code)
    names = [s.name for s in standings]
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Combined %"), _("Expert %"), _("Peer %")]},
        "grid": {"left": 40, "right": 10, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "min": 0, "max": 100},
        "series": [
            {
                "name": label,
                "type": "bar",
                "data": [float(v) if v is not None else None for v in values],
            }
            for label, values in (
                (_("Combined %"), [s.combined for s in standings]),
                (_("Expert %"), [s.expert for s in standings]),
                (_("Peer %"), [s.peer for s in standings]),
            )
        ],
    }
    return render(
        request,
        "training/competitions/leaderboard.html",
        {"competition": competition, "standings": standings, "chart": chart},
    )


@require_GET
def competition_my_reviews(request: HttpRequest, code: str) -> HttpResponse:
    competition, team, received = sel.own_reviews_for_user(user=request.user, code=code)
    if received is None:
        messages.info(
            request,
            _(
                "The reviews of your team's work are shown here once the competition closes "
                "(after the review deadline)."
            ),
        )
        return redirect("training:competition_detail", code=competition.code)
    return render(
        request,
        "training/competitions/my_reviews.html",
        {"competition": competition, "team": team, "received": received},
    )

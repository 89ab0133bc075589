"""Answering 360 questionnaires: an employee's own tasks and the answer form, and the
customers' public page reached by the single-use token of their link.

The customer page shows only the product's name, the account manager's name and the
deadline. Every link that cannot be used — unknown, used, expired, round closed — gets the
same page with status 410, so the answer says nothing of whose link it was or why. Those
410 pages are marked as logged, so Django's request log never writes the token-bearing
path; the success message never repeats a score.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.core.errors import ApplicationError
from kaopei.feedback import rules
from kaopei.feedback.forms_answering import answers_from_post, comments_from_post, form_rows
from kaopei.feedback.models import Invitation
from kaopei.feedback.selectors import answering as sel
from kaopei.feedback.services import answering as services
from kaopei.feedback.services.answering import LINK_UNUSABLE
from kaopei.org.selectors import employee_for_user


def _require_answerer(request: HttpRequest) -> None:
    if not rules.can_answer_feedback(request.user):
        raise PermissionDenied


@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    """My 360 tasks: whom I am asked about, as what, until when; answered ones as done."""
    _require_answerer(request)
    tasks = sel.my_invitations(user=request.user, today=timezone.localdate())
    return render(
        request,
        "feedback/answer/tasks.html",
        {"todo": [t for t in tasks if not t.done], "done": [t for t in tasks if t.done]},
    )


@require_http_methods(["GET", "POST"])
def answer_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire for one of my invitations (another's is a 404)."""
    _require_answerer(request)
    invitation = sel.invitation_get_for_rater(user=request.user, pk=pk)
    groups = sel.answer_groups(invitation)
    accepts = sel.round_accepts_answers(invitation.round, timezone.localdate())
    done = invitation.status == Invitation.Status.COMPLETED
    context: dict[str, Any] = {
        "invitation": invitation,
        "rows": form_rows(groups),
        "accepts": accepts,
        "done": done,
    }
    if request.method == "POST":
        me = employee_for_user(request.user)
        answers = answers_from_post(request.POST, groups)
        comments = comments_from_post(request.POST, groups)
        try:
            services.invitation_answer(
                invitation=invitation,
                rater_id=me.pk if me is not None else 0,
                answers=answers,
                comments=comments,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            if exc.status == 409:
                return redirect("feedback:my_tasks")
            context["rows"] = form_rows(groups, answers, comments)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("feedback:my_tasks")
    elif done:
        messages.info(
            request, _("You have already answered this questionnaire; answers cannot be changed.")
        )
    elif not accepts:
        messages.info(
            request,
            _("This 360 round is not taking answers (it is not open, or its deadline has passed)."),
        )
    return render(request, "feedback/answer/form.html", context)


def unlogged_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django's request log writes every 4xx answer's path ("Gone: /feedback/answer/<token>/");
    a link's token is a credential, so refusals on the token's address are marked as
    already logged and never reach a log line."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Not require_http_methods: it logs the path itself.
        if request.method not in ("GET", "HEAD", "POST"):
            response: HttpResponse = HttpResponseNotAllowed(["GET", "POST"])
        else:
            response = view(request, *args, **kwargs)
        if response.status_code >= 400:
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    return wrapped


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/answer/link_unusable.html", {"detail": LINK_UNUSABLE}, status=410
    )


@login_not_required
@unlogged_refusals
def answer_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's questionnaire (no sign-in): answered once, then the link is spent."""
    now = timezone.now()
    invitation = sel.invitation_by_token(raw=token, now=now)
    if invitation is None:
        return _unusable(request)
    groups = sel.answer_groups(invitation)
    context: dict[str, Any] = {
        "manager": invitation.subject.name,
        "deadline": invitation.round.deadline,
        "rows": form_rows(groups),
    }
    if request.method == "POST":
        answers = answers_from_post(request.POST, groups)
        comments = comments_from_post(request.POST, groups)
        try:
            services.invitation_answer_by_token(
                raw=token, answers=answers, comments=comments, now=now
            )
        except services.LinkUnusable:
            return _unusable(request)
        except ApplicationError as exc:
            context.update(rows=form_rows(groups, answers, comments), error=str(exc.message))
        else:
            return render(request, "feedback/answer/thanks.html", {"manager": context["manager"]})
    return render(request, "feedback/answer/by_token.html", context)

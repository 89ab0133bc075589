"""The learner's page (one's own, or a person's for their supervisor chain, trainers and
HR admins) and the trainer's workspace."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaopei.org.selectors import employee_for_user
from kaopei.training import rules
from kaopei.training.selectors import learning as sel


@require_GET
def my_learning(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    return _page(request, sel.learning_for(person=me), own=True)


@require_GET
def person_learning(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.learner_get_for_user(user=request.user, pk=pk)
    me = employee_for_user(request.user)
    return _page(request, sel.learning_for(person=person), own=me is not None and me.pk == pk)


def _page(request: HttpRequest, learning: sel.Learning, *, own: bool) -> HttpResponse:
    return render(
        request,
        "training/learning/learning.html",
        {"l": learning, "own": own, "certificates": sel.certificates_for(person=learning.person)},
    )


@require_GET
def trainer_workspace(request: HttpRequest) -> HttpResponse:
    if not rules.can_use_trainer_workspace(request.user):
        raise PermissionDenied
    return render(
        request, "training/learning/workspace.html", {"w": sel.workspace_for(user=request.user)}
    )

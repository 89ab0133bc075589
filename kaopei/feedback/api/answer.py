"""Feedback API: answering 360 questionnaires, with the rules and messages of the pages.

- ``GET /feedback/invitations``: my invitations in rounds taking answers.
- ``GET /feedback/invitations/{id}``: one of mine with its questionnaire (404 if not mine).
- ``POST /feedback/invitations/{id}/answers``: answer it (400 half-filled or off the scale,
  404 not mine, 409 already answered or the round takes no answers).
- ``GET``/``POST /feedback/answer/{token}``: the customer's link, no sign-in; every
  unusable link is the same 410.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status

from kaopei.core.api import ERRORS, ErrorOut
from kaopei.core.api_params import object_id
from kaopei.core.errors import ApplicationError
from kaopei.feedback import rules
from kaopei.feedback.models import Invitation
from kaopei.feedback.selectors import answering as sel
from kaopei.feedback.selectors.questionnaires import CompetencyGroup
from kaopei.feedback.services import answering as services
from kaopei.org.selectors import employee_for_user

router = Router(tags=["feedback"])

ANSWER_ERRORS = {**ERRORS, 410: ErrorOut}
MAX_BODY_ITEMS = 1000


class InvitationOut(Schema):
    id: int
    cycle: str
    subject: str
    relationship: str
    deadline: date | None
    answered: bool


class AnchorOut(Schema):
    level: int
    behaviour: str


class ItemOut(Schema):
    item_id: int
    text: str


class CompetencyOut(Schema):
    competency: str
    name: str
    anchors: list[AnchorOut]
    items: list[ItemOut]


class QuestionnaireToAnswer(Schema):
    invitation: InvitationOut
    accepts_answers: bool
    competencies: list[CompetencyOut]


class CustomerQuestionnaire(Schema):
    account_manager: str
    deadline: date | None
    competencies: list[CompetencyOut]


class ItemScore(Schema):
    item_id: int
    score: int


class CompetencyComment(Schema):
    competency: str
    text: str


class AnswersIn(Schema):
    # Bounded so a body cannot make the server work for nothing: no questionnaire has
    # more than MAX_ITEMS items per competency, nor this many competencies.
    answers: list[ItemScore] = Field(max_length=MAX_BODY_ITEMS)
    comments: list[CompetencyComment] = Field(default=[], max_length=MAX_BODY_ITEMS)


class Done(Schema):
    detail: str


def _invitation_out(i: Invitation) -> InvitationOut:
    return InvitationOut(
        id=i.pk,
        cycle=i.round.cycle.code,
        subject=i.subject.name,
        relationship=i.relationship,
        deadline=i.round.deadline,
        answered=i.status == Invitation.Status.COMPLETED,
    )


def _competencies(groups: list[CompetencyGroup]) -> list[CompetencyOut]:
    return [
        CompetencyOut(
            competency=g.competency.code,
            name=g.competency.local_name,
            anchors=[AnchorOut(level=level, behaviour=text) for level, text in g.scale],
            items=[ItemOut(item_id=item.pk, text=item.local_text) for item in g.items],
        )
        for g in groups
    ]


def _inputs(
    body: AnswersIn, groups: list[CompetencyGroup]
) -> tuple[dict[int, object], dict[int, str]]:
    """The body as the service takes it: an item scored twice or a comment on an unknown
    competency is refused here (the rest is the service's)."""
    answers: dict[int, object] = {}
    for a in body.answers:
        if a.item_id in answers:
            raise ApplicationError(_("An item is answered more than once."))
        answers[a.item_id] = a.score
    codes = {g.competency.code: g.competency.pk for g in groups}
    comments: dict[int, str] = {}
    for c in body.comments:
        if c.competency not in codes:
            raise ApplicationError(
                _("A comment is for a competency that is not on this questionnaire.")
            )
        if c.text.strip():
            comments[codes[c.competency]] = c.text
    return answers, comments


def _require_answerer(request: HttpRequest) -> None:
    if not rules.can_answer_feedback(request.user):
        raise PermissionDenied


@router.get("/feedback/invitations", response={200: list[InvitationOut], **ERRORS})
def my_invitations(request: HttpRequest) -> list[InvitationOut]:
    _require_answerer(request)
    tasks = sel.my_invitations(user=request.user, today=timezone.localdate())
    return [_invitation_out(t.invitation) for t in tasks]


@router.get(
    "/feedback/invitations/{invitation_id}", response={200: QuestionnaireToAnswer, **ERRORS}
)
def invitation(request: HttpRequest, invitation_id: int) -> QuestionnaireToAnswer:
    _require_answerer(request)
    i = sel.invitation_get_for_rater(user=request.user, pk=object_id(invitation_id))
    return QuestionnaireToAnswer(
        invitation=_invitation_out(i),
        accepts_answers=sel.round_accepts_answers(i.round, timezone.localdate()),
        competencies=_competencies(sel.answer_groups(i)),
    )


@router.post("/feedback/invitations/{invitation_id}/answers", response={201: Done, **ERRORS})
def invitation_answer(request: HttpRequest, invitation_id: int, body: AnswersIn) -> Status:
    _require_answerer(request)
    i = sel.invitation_get_for_rater(user=request.user, pk=object_id(invitation_id))
    answers, comments = _inputs(body, sel.answer_groups(i))
    me = employee_for_user(request.user)
    services.invitation_answer(
        invitation=i, rater_id=me.pk if me else 0, answers=answers, comments=comments
    )
    return Status(201, Done(detail=_("Thank you: your answers are saved.")))


def _unlogged(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The link's token is in the path, and Django's request log writes the path of every
    4xx answer: refusals here are marked as logged so no log line holds the token."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        if response.status_code >= 400:
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    return wrapped


@router.get(
    "/feedback/answer/{token}", auth=None, response={200: CustomerQuestionnaire, **ANSWER_ERRORS}
)
@decorate_view(_unlogged)
def answer_by_token(request: HttpRequest, token: str) -> CustomerQuestionnaire:
    i = sel.invitation_by_token(raw=token, now=timezone.now())
    if i is None:
        raise services.LinkUnusable
    return CustomerQuestionnaire(
        account_manager=i.subject.name,
        deadline=i.round.deadline,
        competencies=_competencies(sel.answer_groups(i)),
    )


@router.post("/feedback/answer/{token}", auth=None, response={201: Done, **ANSWER_ERRORS})
@decorate_view(_unlogged)
def answer_by_token_post(request: HttpRequest, token: str, body: AnswersIn) -> Status:
    now = timezone.now()
    i = sel.invitation_by_token(raw=token, now=now)
    if i is None:
        raise services.LinkUnusable
    answers, comments = _inputs(body, sel.answer_groups(i))
    services.invitation_answer_by_token(raw=token, answers=answers, comments=comments, now=now)
    return Status(201, Done(detail=_("Thank you: your answers are saved.")))

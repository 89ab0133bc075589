"""Reading what a rater is asked: an employee's own invitations, and a customer's by the
raw token of their link. Another person's invitation is a 404, never a 403: whether an
invitation exists is nobody else's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kaopei.feedback.models import Invitation
from kaopei.feedback.selectors.questionnaires import CompetencyGroup, questionnaire_groups
from kaopei.feedback.selectors.rounds import round_accepts_answers
from kaopei.feedback.tokens import hash_token
from kaopei.org.selectors import employee_for_user

# Longer than any token a link carries: refused before it is even hashed.
TOKEN_MAX = 200
ANSWERABLE = (Invitation.Status.INVITED, Invitation.Status.COMPLETED)


@dataclass
class Task:
    invitation: Invitation
    done: bool


def my_invitations(*, user: Any, today: date) -> list[Task]:
    """The signed-in employee's invitations in rounds that take answers: the ones to
    answer first (by deadline), then the ones already answered."""
    me = employee_for_user(user)
    if me is None:
        return []
    rows = (
        Invitation.objects.filter(rater=me, status__in=ANSWERABLE)
        .select_related("round", "round__cycle", "subject")
        .order_by("round__deadline", "subject__name", "pk")
    )
    tasks = [
        Task(invitation=i, done=i.status == Invitation.Status.COMPLETED)
        for i in rows
        if round_accepts_answers(i.round, today)
    ]
    return sorted(tasks, key=lambda t: t.done)


def invitation_get_for_rater(*, user: Any, pk: int) -> Invitation:
    """One of the signed-in employee's own invitations (sent or answered); a 404 for any
    other, whoever's it is."""
    me = employee_for_user(user)
    if me is None:
        raise Http404
    invitation = (
        Invitation.objects.filter(pk=pk, rater=me, status__in=ANSWERABLE)
        .select_related("round", "round__cycle", "round__questionnaire", "subject")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitations_for_rater(*, user: Any) -> QuerySet[Invitation]:
    me = employee_for_user(user)
    if me is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(rater=me, status__in=ANSWERABLE)


def invitation_by_token(*, raw: str, now: datetime) -> Invitation | None:
    """The customer invitation a link's token opens, or None when the token is unknown,
    used, expired, or its round takes no answers (all alike to the visitor)."""
    if not raw or len(raw) > TOKEN_MAX:
        return None
    invitation = (
        Invitation.objects.filter(
            token_hash=hash_token(raw),
            relationship="customer",
            status=Invitation.Status.INVITED,
        )
        .select_related("round", "round__questionnaire", "subject")
        .first()
    )
    if invitation is None or not token_usable(invitation, now):
        return None
    return invitation


def token_usable(invitation: Invitation, now: datetime) -> bool:
    if invitation.token_expires_at is None or invitation.token_expires_at <= now:
        return False
    return round_accepts_answers(invitation.round, timezone.localdate(now))


def answer_groups(invitation: Invitation) -> list[CompetencyGroup]:
    """The questionnaire of the invitation's round, as the rater answers it."""
    questionnaire = invitation.round.questionnaire
    return questionnaire_groups(questionnaire) if questionnaire is not None else []

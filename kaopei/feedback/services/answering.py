"""Answering a 360 questionnaire (DESIGN.md §7 ⚑): an employee for an invitation of theirs,
a customer by the single-use token of their link.

Every item is required and scored 1–5; a competency's score is the mean of its items
(kept exact as sum / count by ``response_store``). The invitation's row is locked while the
answer is stored and the invitation marked completed in the same transaction, so two
submissions at once store one response. Nothing about the answer — scores, comments, who
answered when — is logged, notified or written to the audit history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import (
    FeedbackRound,
    Invitation,
    QuestionnaireItem,
    Relationship,
    Response,
)
from kaopei.feedback.models.rounds import ANONYMOUS
from kaopei.feedback.selectors.answering import hash_token, round_accepts_answers, token_usable
from kaopei.feedback.services.responses import Score, response_store

COMMENT_MAX = 2000
# One message for every link that cannot be used, whatever the reason: it says nothing of
# whose link it was or why.
LINK_UNUSABLE = gettext_lazy(
    "This link cannot be used: it has already been used, it has expired, or the survey "
    "has ended. If you still want to give feedback, ask your account manager for a new link."
)


class LinkUnusable(ApplicationError):
    status = 410

    def __init__(self) -> None:
        super().__init__(LINK_UNUSABLE)


def _item_label(item: QuestionnaireItem, number: int) -> str:
    return _("item %(n)d (“%(text)s”)") % {"n": number, "text": item.local_text[:60]}


def scores_from_answers(
    *,
    items: Iterable[QuestionnaireItem],
    answers: Mapping[int, object],
    comments: Mapping[int, str],
) -> dict[int, Score]:
    """The competency scores of one filled questionnaire (pure): ``answers`` maps item ids
    to the score given (1–5), ``comments`` competency ids to the optional remark. Refuses a
    missing item (naming every one), a score off the scale, an item or competency that is
    not on the questionnaire and an over-long comment."""
    items = list(items)
    if not items:
        raise ApplicationError(_("This questionnaire has no items to answer."))
    known = {item.pk for item in items}
    competencies = {item.competency_id for item in items}
    stray = [i for i in answers if i not in known]
    if stray:
        raise ApplicationError(_("Some answers are for items that are not on this questionnaire."))
    if any(c not in competencies for c in comments):
        raise ApplicationError(
            _("A comment is for a competency that is not on this questionnaire.")
        )
    missing: list[str] = []
    off_scale: list[str] = []
    totals: dict[int, list[int]] = {}
    for number, item in enumerate(items, start=1):
        raw = answers.get(item.pk)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            missing.append(_item_label(item, number))
            continue
        value = _score_value(raw)
        if value is None:
            off_scale.append(_item_label(item, number))
            continue
        totals.setdefault(item.competency_id, []).append(value)
    if off_scale:
        raise ApplicationError(
            _("Every score is a whole number from 1 to 5. Check: %(items)s.")
            % {"items": "; ".join(off_scale)}
        )
    if missing:
        raise ApplicationError(
            _("Every item needs a score; nothing was saved. Still to answer: %(items)s.")
            % {"items": "; ".join(missing)}
        )
    for text in comments.values():
        if len(text) > COMMENT_MAX:
            raise ApplicationError(
                _("A comment may be at most %(n)d characters long.") % {"n": COMMENT_MAX}
            )
    return {
        competency: Score(
            total=sum(values),
            items=len(values),
            # A NUL is no text anyone typed, and PostgreSQL refuses it.
            comment=comments.get(competency, "").replace("\x00", "").strip(),
        )
        for competency, values in totals.items()
    }


def _score_value(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        if len(raw.strip()) > 2:
            return None
        value = int(raw.strip())
    else:
        return None
    return value if 1 <= value <= 5 else None


def _items_of(feedback_round: FeedbackRound) -> list[QuestionnaireItem]:
    if feedback_round.questionnaire_id is None:
        return []
    return list(
        QuestionnaireItem.objects.filter(questionnaire_id=feedback_round.questionnaire_id)
        .select_related("competency")
        .order_by("position", "pk")
    )


def _store(invitation: Invitation, scores: dict[int, Score], rater_id: int | None) -> None:
    # A person's anonymous answers come from Kaopei or from an import, never both: known
    # answers imported into a group could otherwise be subtracted from its mean (§7).
    if invitation.relationship in ANONYMOUS and (
        Response.objects.filter(
            round_id=invitation.round_id,
            subject_id=invitation.subject_id,
            relationship__in=ANONYMOUS,
            source=Response.Source.IMPORT,
        ).exists()
    ):
        raise ConflictError(
            _(
                "This person's 360 answers for this round were imported from another survey "
                "tool, so they cannot be given here as well."
            )
        )
    response_store(
        feedback_round=invitation.round,
        subject_id=invitation.subject_id,
        relationship=invitation.relationship,
        rater_id=rater_id,
        scores=scores,
    )


def invitation_answer(
    *,
    invitation: Invitation,
    rater_id: int,
    answers: Mapping[int, object],
    comments: Mapping[int, str],
    now: datetime | None = None,
) -> None:
    """An employee answers an invitation of theirs (``rater_id`` is their employee id: an
    invitation of anyone else's is refused as unknown). Self and supervisor answers name
    their rater (self: the subject); peer and subordinate answers name nobody."""
    now = now or timezone.now()
    with transaction.atomic():
        # The round first, then the invitation (the order closing a round takes them), so
        # an answer either lands before the round closes or sees it closed.
        _round_lock(Invitation.objects.filter(pk=invitation.pk, rater_id=rater_id))
        locked = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, rater_id=rater_id)
            .first()
        )
        if locked is None or locked.status not in (
            Invitation.Status.INVITED,
            Invitation.Status.COMPLETED,
        ):
            raise ApplicationError(_("This invitation does not exist."), status=404)
        if locked.status == Invitation.Status.COMPLETED:
            raise ConflictError(
                _("You have already answered this questionnaire; answers cannot be changed.")
            )
        feedback_round = FeedbackRound.objects.get(pk=locked.round_id)
        if not round_accepts_answers(feedback_round, timezone.localdate(now)):
            raise ConflictError(
                _(
                    "This 360 round is not taking answers (it is not open, or its deadline has passed)."
                )
            )
        scores = scores_from_answers(
            items=_items_of(feedback_round), answers=answers, comments=comments
        )
        locked.round = feedback_round
        if locked.relationship == Relationship.SELF:
            attributed: int | None = locked.subject_id
        elif locked.relationship == Relationship.SUPERVISOR:
            attributed = rater_id
        else:
            attributed = None
        _store(locked, scores, attributed)
        Invitation.objects.filter(pk=locked.pk).update(status=Invitation.Status.COMPLETED)


def _round_lock(invitations: Any) -> None:
    """Lock the round of the invitation ``invitations`` finds (none found: nothing)."""
    round_id = invitations.values_list("round_id", flat=True).first()
    if round_id is not None:
        list(FeedbackRound.objects.select_for_update().filter(pk=round_id).values_list("pk"))


def invitation_answer_by_token(
    *,
    raw: str,
    answers: Mapping[int, object],
    comments: Mapping[int, str],
    now: datetime | None = None,
) -> None:
    """A customer answers by their link's token: stored anonymously (relationship
    customer, no rater); the invitation is completed and the token cleared (single use).
    An unusable link raises ``LinkUnusable`` whatever the reason."""
    now = now or timezone.now()
    if not raw or len(raw) > 200:
        raise LinkUnusable
    with transaction.atomic():
        _round_lock(Invitation.objects.filter(token_hash=hash_token(raw)))
        locked = (
            Invitation.objects.select_for_update()
            .filter(
                token_hash=hash_token(raw),
                relationship=Relationship.CUSTOMER,
                status=Invitation.Status.INVITED,
            )
            .first()
        )
        if locked is None:
            raise LinkUnusable
        locked.round = FeedbackRound.objects.get(pk=locked.round_id)
        if not token_usable(locked, now):
            raise LinkUnusable
        scores = scores_from_answers(
            items=_items_of(locked.round), answers=answers, comments=comments
        )
        _store(locked, scores, None)
        Invitation.objects.filter(pk=locked.pk).update(
            status=Invitation.Status.COMPLETED, token_hash="", token_expires_at=None
        )

"""Reading 360 rounds, scoped to what the person may see (DESIGN.md §1, §7)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaopei.core.rules import is_hr_admin, is_supervisor
from kaopei.feedback.models import (
    FeedbackRound,
    Invitation,
    Relationship,
    Response,
    RoundSubject,
)
from kaopei.feedback.rules import can_see_rounds
from kaopei.org.selectors import employee_for_user, subordinate_ids

# Invitations that count as asked once a round is open.
ASKED_STATUSES = (Invitation.Status.INVITED, Invitation.Status.COMPLETED)


def round_accepts_answers(feedback_round: FeedbackRound, today: date) -> bool:
    """Whether answers may still be given: the round is open and its deadline (if any)
    has not passed (the deadline day itself still counts)."""
    if feedback_round.status != FeedbackRound.Status.OPEN:
        return False
    return feedback_round.deadline is None or today <= feedback_round.deadline


# --- Scope ------------------------------------------------------------------------------------


def subject_scope_ids(user: Any) -> set[int] | None:
    """Whose 360 a person may manage: None for HR admins (everyone); a supervisor's whole
    chain below them; nobody for anyone else."""
    if is_hr_admin(user):
        return None
    if not is_supervisor(user):
        return set()
    me = employee_for_user(user)
    return set() if me is None else subordinate_ids(me.pk)


def round_list_visible_to(*, user: Any) -> QuerySet[FeedbackRound]:
    """The rounds a person may see on the rounds pages: every round for HR admins; for a
    supervisor the rounds with a subject in their chain; none for anyone else."""
    qs = FeedbackRound.objects.select_related("cycle", "questionnaire").order_by("-cycle__start")
    if not can_see_rounds(user):
        return qs.none()
    ids = subject_scope_ids(user)
    if ids is None:
        return qs
    subjects = RoundSubject.objects.filter(employee_id__in=ids).values("round_id")
    return qs.filter(pk__in=subjects)


def round_get_for_user(*, user: Any, cycle_code: str) -> FeedbackRound:
    """One visible round by its cycle's code; 404 when it does not exist or is not visible."""
    r = round_list_visible_to(user=user).filter(cycle__code=cycle_code.strip().upper()).first()
    if r is None:
        raise Http404
    return r


def round_subject_get_for_user(
    *, user: Any, feedback_round: FeedbackRound, employee_no: str
) -> RoundSubject:
    """A subject of the round whose raters the person may adjust; 404 otherwise."""
    rs = (
        RoundSubject.objects.select_related(
            "employee", "employee__org_unit", "employee__supervisor", "raters_approved_by"
        )
        .filter(round=feedback_round, employee__employee_no=employee_no)
        .first()
    )
    ids = subject_scope_ids(user)
    if rs is None or (ids is not None and rs.employee_id not in ids):
        raise Http404
    return rs


def invitation_get_for_user(*, user: Any, feedback_round: FeedbackRound, pk: int) -> Invitation:
    """An invitation of the round about a subject the person may manage; 404 otherwise."""
    inv = (
        Invitation.objects.select_related("subject", "rater", "customer")
        .filter(round=feedback_round, pk=pk)
        .first()
    )
    ids = subject_scope_ids(user)
    if inv is None or (ids is not None and inv.subject_id not in ids):
        raise Http404
    return inv


def round_subjects_visible_to(
    *, user: Any, feedback_round: FeedbackRound, search: str = ""
) -> QuerySet[RoundSubject]:
    """The round's subjects the person may see, with their unit and supervisor."""
    qs = RoundSubject.objects.filter(round=feedback_round).select_related(
        "employee", "employee__org_unit", "employee__supervisor"
    )
    ids = subject_scope_ids(user)
    if ids is not None:
        qs = qs.filter(employee_id__in=ids)
    if search:
        qs = qs.filter(
            Q(employee__name__icontains=search) | Q(employee__employee_no__icontains=search)
        )
    return qs.order_by("employee__employee_no")


# --- Counts (never who) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How many raters are on a list (before opening) or asked (once open), and how many
    answers arrived. Numbers only: nothing tells which rater answered."""

    raters: int
    answered: int
    pending_nominations: int = 0

    @property
    def percent(self) -> int:
        if not self.raters:
            return 0
        return min(100, round(self.answered * 100 / self.raters))


def round_progress(
    feedback_round: FeedbackRound, subject_ids: Iterable[int] | None
) -> dict[int, Progress]:
    """Per subject (all of the round's when ``subject_ids`` is None): the raters on the
    list (prepared round) or asked (open or closed round), the responses received and the
    nominations awaiting a decision. Three grouped queries."""
    invitations = Invitation.objects.filter(round=feedback_round)
    responses = Response.objects.filter(round=feedback_round)
    if subject_ids is not None:
        ids = list(subject_ids)
        invitations = invitations.filter(subject_id__in=ids)
        responses = responses.filter(subject_id__in=ids)
    listed = (
        ASKED_STATUSES
        if feedback_round.status != FeedbackRound.Status.DRAFT
        else (Invitation.Status.PROPOSED,)
    )
    raters = dict(
        invitations.filter(status__in=listed)
        .values_list("subject_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    nominated = dict(
        invitations.filter(status=Invitation.Status.NOMINATED)
        .values_list("subject_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    answered = dict(responses.values_list("subject_id").annotate(n=Count("*")).order_by())
    keys = set(raters) | set(answered) | set(nominated)
    if subject_ids is not None:
        keys |= set(ids)
    return {
        pk: Progress(raters.get(pk, 0), answered.get(pk, 0), nominated.get(pk, 0)) for pk in keys
    }


def round_totals(feedback_round: FeedbackRound, subject_ids: Iterable[int] | None) -> Progress:
    """The round's (or the given subjects') progress summed."""
    rows = round_progress(feedback_round, subject_ids).values()
    return Progress(
        sum(p.raters for p in rows),
        sum(p.answered for p in rows),
        sum(p.pending_nominations for p in rows),
    )


# --- A subject's raters -----------------------------------------------------------------------


@dataclass(frozen=True)
class RaterLine:
    """One rater on a subject's list as a page shows it. ``status`` is only filled while
    the round is prepared (proposed or nominated); once it is open no line tells whether
    its rater answered."""

    pk: int
    relationship: str
    relationship_label: str
    name: str
    detail: str
    origin_label: str
    status_label: str
    removable: bool
    # A customer without an e-mail address: their link cannot be sent (never shown to staff).
    needs_email: bool = False


def _rater_name(inv: Invitation) -> tuple[str, str]:
    if inv.rater is not None:
        return inv.rater.name, inv.rater.employee_no
    assert inv.customer is not None
    return inv.customer.name, inv.customer.customer_no


def subject_raters(
    feedback_round: FeedbackRound, subject_id: int
) -> tuple[list[RaterLine], list[RaterLine], list[RaterLine]]:
    """``(raters, nominations awaiting a decision, removed)`` of one subject."""
    draft = feedback_round.status == FeedbackRound.Status.DRAFT
    editable = feedback_round.status != FeedbackRound.Status.CLOSED
    raters: list[RaterLine] = []
    nominations: list[RaterLine] = []
    removed: list[RaterLine] = []
    qs = (
        Invitation.objects.filter(round=feedback_round, subject_id=subject_id)
        .select_related("rater", "customer")
        .order_by("relationship", "rater__employee_no", "customer__customer_no")
    )
    order = {value: i for i, value in enumerate(Relationship.values)}
    for inv in sorted(qs, key=lambda i: order.get(i.relationship, 99)):
        name, detail = _rater_name(inv)
        line = RaterLine(
            pk=inv.pk,
            relationship=inv.relationship,
            relationship_label=str(Relationship(inv.relationship).label),
            name=name,
            detail=detail,
            origin_label=str(Invitation.Origin(inv.origin).label),
            status_label=str(Invitation.Status(inv.status).label) if draft else "",
            removable=editable and inv.relationship != Relationship.SELF,
            needs_email=(
                inv.customer_id is not None
                and not inv.customer_email
                and inv.status == Invitation.Status.PROPOSED
            ),
        )
        if inv.status == Invitation.Status.NOMINATED:
            nominations.append(line)
        elif inv.status == Invitation.Status.DECLINED:
            removed.append(line)
        else:
            raters.append(line)
    return raters, nominations, removed


# --- One's own rounds (nominating peers) ------------------------------------------------------


@dataclass(frozen=True)
class MyRound:
    feedback_round: FeedbackRound
    nominations: list[tuple[str, str]]  # (name, "awaiting" | "accepted" | "declined" label)
    can_nominate: bool


def my_rounds(*, user: Any) -> list[MyRound]:
    """The rounds (prepared or open) the person is a subject of, with the peers they
    nominated and what became of each nomination — accepted or not, never whether the
    peer answered."""
    me = employee_for_user(user)
    if me is None:
        return []
    rounds = (
        FeedbackRound.objects.filter(subjects__employee=me)
        .exclude(status=FeedbackRound.Status.CLOSED)
        .select_related("cycle")
        .order_by("-cycle__start")
    )
    out = []
    for r in rounds:
        nominations = []
        for inv in (
            Invitation.objects.filter(round=r, subject=me, origin=Invitation.Origin.NOMINATED)
            .select_related("rater")
            .order_by("rater__employee_no")
        ):
            if inv.status == Invitation.Status.NOMINATED:
                label = _("Awaiting your supervisor")
            elif inv.status == Invitation.Status.DECLINED:
                label = _("Not accepted")
            else:
                label = _("Accepted")
            nominations.append((inv.rater.name if inv.rater else "", str(label)))
        out.append(MyRound(r, nominations, can_nominate=True))
    return out


def my_round_get(*, user: Any, cycle_code: str) -> tuple[FeedbackRound, Any]:
    """A prepared or open round the person is a subject of, and their employee; 404 otherwise."""
    me = employee_for_user(user)
    if me is None:
        raise Http404
    r = (
        FeedbackRound.objects.filter(subjects__employee=me, cycle__code=cycle_code.strip().upper())
        .select_related("cycle")
        .first()
    )
    if r is None:
        raise Http404
    return r, me

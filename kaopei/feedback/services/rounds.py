"""Running a 360 round (DESIGN.md §3, §7 ⚑): creating it for a cycle, choosing its
subjects, proposing and adjusting their raters, nominations, opening (invitations and
customer links), reminders and closing.

Every change of a round's state first locks the round row (:func:`round_lock`), so two
people acting on one round at once are serialised and each sees what the other did.

What these services never do: record or show whether a particular rater has answered.
Counts of answers come from the responses themselves (``selectors.rounds``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kaopei.assessment.models import Cycle
from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.core.notifications import notify
from kaopei.core.roles import Role
from kaopei.core.rules import is_hr_admin
from kaopei.facts.models import Customer
from kaopei.feedback.models import (
    FeedbackRound,
    Invitation,
    Questionnaire,
    Relationship,
    Response,
    RoundSubject,
)
from kaopei.feedback.tokens import customer_answer_path, new_token, token_expiry
from kaopei.org.models import Employee, JobLevel, OrgUnit
from kaopei.org.selectors import unit_descendant_ids

# How many peers and customers Kaopei proposes per subject (more can be added by hand).
PEER_CAP = 6
CUSTOMER_CAP = 5
# Automatic reminders: from this many days before the deadline, at most once a day.
REMIND_DAYS_BEFORE = 3

Status = FeedbackRound.Status
IStatus = Invitation.Status
# Invitations that count as "asked" once the round is open.
ASKED = (IStatus.INVITED, IStatus.COMPLETED)


@dataclass(frozen=True)
class CustomerLink:
    """A customer's answering link, e-mailed to the customer only (never stored, never shown
    to staff: whoever holds it can answer as the customer)."""

    invitation_id: int
    subject_name: str
    customer_name: str
    email: str
    path: str

    @property
    def url(self) -> str:
        base = settings.SITE_URL.rstrip("/")
        return f"{base}{self.path}" if base else self.path


# --- Locks and checks -------------------------------------------------------------------------


def round_lock(*, pk: int) -> FeedbackRound:
    """The round, read afresh and locked until the surrounding transaction ends. Every
    change of a round, its subjects or its invitations takes this lock first."""
    return FeedbackRound.objects.select_related("cycle").select_for_update(of=("self",)).get(pk=pk)


def _require(feedback_round: FeedbackRound, *statuses: str) -> None:
    if feedback_round.status in statuses:
        return
    messages = {
        Status.DRAFT: _("This 360 round is already open: this can only be done while preparing."),
        Status.OPEN: _("This 360 round is not open."),
        Status.CLOSED: _("This 360 round is closed."),
    }
    if feedback_round.status == Status.CLOSED:
        raise ConflictError(messages[Status.CLOSED])
    if Status.OPEN in statuses:
        raise ConflictError(messages[Status.OPEN])
    raise ConflictError(messages[Status.DRAFT])


def _check_deadline(deadline: date | None, *, required: bool = False) -> None:
    if deadline is None:
        if required:
            raise ApplicationError(_("Set a deadline first."))
        return
    if deadline < timezone.localdate():
        raise ApplicationError(_("The deadline cannot be in the past."))


def _check_questionnaire(questionnaire: Questionnaire | None) -> None:
    if questionnaire is None:
        return
    if questionnaire.status != Questionnaire.Status.PUBLISHED:
        raise ApplicationError(_("Choose a published questionnaire."))
    if not questionnaire.items.exists():
        raise ApplicationError(_("The questionnaire has no items."))


def _employed(cycle: Cycle) -> Any:
    """Active people employed on some day of the cycle."""
    return Employee.objects.filter(
        Q(hire_date__isnull=True) | Q(hire_date__lte=cycle.end),
        Q(left_on__isnull=True) | Q(left_on__gte=cycle.start),
        active=True,
    )


# --- Creating a round and its settings --------------------------------------------------------


@transaction.atomic
def feedback_round_create(
    *, cycle: Cycle, questionnaire: Questionnaire | None, deadline: date | None, user: Any
) -> FeedbackRound:
    """The 360 round of ``cycle`` (a draft). Raises ConflictError when the cycle has one
    already, ApplicationError for a questionnaire that is not published or a past deadline."""
    if cycle.is_final:
        raise ApplicationError(_("Cycle %(code)s is final.") % {"code": cycle.code})
    _check_questionnaire(questionnaire)
    _check_deadline(deadline)
    if deadline is not None and deadline < cycle.start:
        raise ApplicationError(_("The deadline cannot be before the cycle starts."))
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    if FeedbackRound.objects.filter(cycle=cycle).exists():
        raise ConflictError(
            _("Cycle %(code)s already has a 360 round: open it instead.") % {"code": cycle.code}
        )
    try:
        with transaction.atomic():
            return FeedbackRound.objects.create(
                cycle=cycle, questionnaire=questionnaire, deadline=deadline, created_by=user
            )
    except IntegrityError as exc:  # created by someone else in the same instant
        raise ConflictError(
            _("Cycle %(code)s already has a 360 round: open it instead.") % {"code": cycle.code}
        ) from exc


@transaction.atomic
def feedback_round_update(
    *,
    feedback_round: FeedbackRound,
    questionnaire: Questionnaire | None,
    deadline: date | None,
    user: Any,
) -> FeedbackRound:
    """Change the questionnaire (while preparing only) and the deadline (while preparing
    or open; open customer links then expire at the new deadline)."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT, Status.OPEN)
    if r.status == Status.OPEN:
        if questionnaire is not None and questionnaire.pk != r.questionnaire_id:
            raise ConflictError(_("The questionnaire cannot change once the round is open."))
        _check_deadline(deadline, required=True)
    else:
        _check_questionnaire(questionnaire)
        _check_deadline(deadline)
        r.questionnaire = questionnaire
    if deadline is not None and deadline < r.cycle.start:
        raise ApplicationError(_("The deadline cannot be before the cycle starts."))
    r.deadline = deadline
    r.save(update_fields=["questionnaire", "deadline", "updated_at"])
    if r.status == Status.OPEN:
        Invitation.objects.filter(round=r, status=IStatus.INVITED).exclude(token_hash="").update(
            token_expires_at=token_expiry(deadline)
        )
    return r


# --- Subjects ---------------------------------------------------------------------------------


def subject_candidates(
    *,
    cycle: Cycle,
    unit: OrgUnit | None = None,
    level: JobLevel | None = None,
    account_managers: bool = False,
) -> list[int]:
    """Ids of the active people employed during the cycle who match every given choice:
    in ``unit``'s subtree, at ``level``, and (with ``account_managers``) all account
    managers. Raises ApplicationError when nothing is chosen."""
    if unit is None and level is None and not account_managers:
        raise ApplicationError(
            _("Choose an organisation unit, a job level or all account managers.")
        )
    qs = _employed(cycle)
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    if level is not None:
        qs = qs.filter(level=level)
    if account_managers:
        qs = qs.filter(Q(user__groups__name=Role.ACCOUNT_MANAGER.value) | Q(level__is_sales=True))
    return sorted(set(qs.values_list("pk", flat=True)))


@transaction.atomic
def feedback_round_add_subjects(
    *,
    feedback_round: FeedbackRound,
    unit: OrgUnit | None = None,
    level: JobLevel | None = None,
    account_managers: bool = False,
    user: Any = None,
) -> int:
    """Add the people chosen (see :func:`subject_candidates`) as subjects of a round that
    is being prepared, and propose their raters. Returns how many were new."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT)
    ids = subject_candidates(
        cycle=r.cycle, unit=unit, level=level, account_managers=account_managers
    )
    existing = set(RoundSubject.objects.filter(round=r).values_list("employee_id", flat=True))
    new = [pk for pk in ids if pk not in existing]
    RoundSubject.objects.bulk_create(
        [RoundSubject(round=r, employee_id=pk) for pk in new], batch_size=1000
    )
    _propose(r, new)
    return len(new)


@transaction.atomic
def feedback_round_remove_subject(
    *, feedback_round: FeedbackRound, employee: Employee, user: Any
) -> None:
    """Take a person off a round that is being prepared, with their proposed raters."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT)
    deleted, _rows = RoundSubject.objects.filter(round=r, employee=employee).delete()
    if not deleted:
        raise ApplicationError(_("%(name)s is not in this round.") % {"name": employee.name})
    Invitation.objects.filter(round=r, subject=employee).delete()


# --- Proposing raters -------------------------------------------------------------------------


def _propose(r: FeedbackRound, subject_ids: Iterable[int]) -> int:
    """Propose the raters of ``subject_ids`` (the round is locked by the caller); set-based:
    a few queries whatever the number of subjects."""
    subject_ids = sorted(set(subject_ids))
    if not subject_ids:
        return 0
    cycle = r.cycle
    people = {
        e["pk"]: e
        for e in _employed(cycle).values("pk", "org_unit_id", "supervisor_id", "employee_no")
    }
    supervisor_of = dict(
        Employee.objects.filter(pk__in=subject_ids).values_list("pk", "supervisor_id")
    )
    by_unit: dict[int, list[int]] = defaultdict(list)
    by_supervisor: dict[int, list[int]] = defaultdict(list)
    for pk, e in sorted(people.items(), key=lambda kv: kv[1]["employee_no"]):
        by_unit[e["org_unit_id"]].append(pk)
        if e["supervisor_id"]:
            by_supervisor[e["supervisor_id"]].append(pk)
    unit_of = dict(Employee.objects.filter(pk__in=subject_ids).values_list("pk", "org_unit_id"))
    customers: dict[int, list[int]] = defaultdict(list)
    for pk, owner in (
        Customer.objects.filter(owner_id__in=subject_ids, lost_on__isnull=True, voided_at=None)
        .order_by("owner_id", "-strategic", "customer_no")
        .values_list("pk", "owner_id")
    ):
        if len(customers[owner]) < CUSTOMER_CAP:
            customers[owner].append(pk)
    taken_raters = set(
        Invitation.objects.filter(
            round=r, subject_id__in=subject_ids, rater__isnull=False
        ).values_list("subject_id", "rater_id")
    )
    taken_customers = set(
        Invitation.objects.filter(
            round=r, subject_id__in=subject_ids, customer__isnull=False
        ).values_list("subject_id", "customer_id")
    )
    # Never proposed as anonymous raters: HR admins and anyone above the subject (they read
    # the report; see _check_anonymous_rater).
    hr_admins = set(
        Employee.objects.filter(
            user__groups__name=Role.HR_ADMIN.value, user__isnull=False
        ).values_list("pk", flat=True)
    )
    all_supervisors = dict(Employee.objects.values_list("pk", "supervisor_id"))

    def above(subject: int) -> set[int]:
        found: set[int] = set()
        at = all_supervisors.get(subject)
        while at is not None and at not in found:
            found.add(at)
            at = all_supervisors.get(at)
        return found

    new: list[Invitation] = []

    def add_rater(subject: int, rater: int, relationship: str) -> None:
        if (subject, rater) in taken_raters:
            return
        taken_raters.add((subject, rater))
        new.append(
            Invitation(round=r, subject_id=subject, rater_id=rater, relationship=relationship)
        )

    for subject in subject_ids:
        add_rater(subject, subject, Relationship.SELF)
        sup = supervisor_of.get(subject)
        if sup is not None and sup in people:
            add_rater(subject, sup, Relationship.SUPERVISOR)
        reports = by_supervisor.get(subject, [])
        for pk in reports:
            add_rater(subject, pk, Relationship.SUBORDINATE)
        excluded = {subject, sup, *reports, *above(subject), *hr_admins}
        same_supervisor = (
            [p for p in by_supervisor.get(sup, []) if p not in excluded] if sup else []
        )
        same_unit = [p for p in by_unit.get(unit_of.get(subject, -1), []) if p not in excluded]
        peers: list[int] = []
        for pk in same_supervisor + same_unit:
            if pk not in peers:
                peers.append(pk)
        for pk in peers[:PEER_CAP]:
            add_rater(subject, pk, Relationship.PEER)
        for customer in customers.get(subject, []):
            if (subject, customer) in taken_customers:
                continue
            taken_customers.add((subject, customer))
            new.append(
                Invitation(
                    round=r,
                    subject_id=subject,
                    customer_id=customer,
                    relationship=Relationship.CUSTOMER,
                )
            )
    Invitation.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def feedback_round_propose_raters(
    *, feedback_round: FeedbackRound, subject_ids: Iterable[int] | None = None
) -> int:
    """Propose raters for the round's subjects (all, or ``subject_ids``): self; the
    supervisor; direct reports; up to ``PEER_CAP`` active colleagues with the same
    supervisor, then of the same unit; up to ``CUSTOMER_CAP`` of the person's customers not
    lost, strategic first. Someone already on the list — removed ones included — is never
    added again. Only while the round is prepared. Returns how many were proposed."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT)
    ids = set(RoundSubject.objects.filter(round=r).values_list("employee_id", flat=True))
    if subject_ids is not None:
        ids &= set(subject_ids)
    return _propose(r, ids)


# --- Adjusting raters -------------------------------------------------------------------------


def _subject_of(r: FeedbackRound, employee: Employee) -> RoundSubject:
    subject = RoundSubject.objects.filter(round=r, employee=employee).first()
    if subject is None:
        raise ApplicationError(_("%(name)s is not in this round.") % {"name": employee.name})
    return subject


def _issue_token(invitation: Invitation, r: FeedbackRound) -> str:
    raw, digest = new_token()
    invitation.token_hash = digest
    invitation.token_expires_at = token_expiry(r.deadline)
    return raw


def _link(invitation: Invitation, raw: str, subject: Employee, customer: Customer) -> CustomerLink:
    return CustomerLink(
        invitation_id=invitation.pk,
        subject_name=subject.name,
        customer_name=customer.name,
        email=invitation.customer_email,
        path=customer_answer_path(raw),
    )


def _mail_links(links: list[CustomerLink], deadline: date | None) -> None:
    """E-mail each link that has an address, after the commit (a failing server is logged
    by Django's mail backend; the round's action stands)."""
    to_send = [link for link in links if link.email]
    if not to_send:
        return

    def send() -> None:
        for link in to_send:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Your feedback on %(name)s") % {"name": link.subject_name}
                body = _(
                    "%(customer)s: we would value your feedback on the service of your "
                    "account manager %(name)s. The questionnaire takes a few minutes and is "
                    "anonymous; the link works once, until %(deadline)s:\n\n%(url)s\n"
                ) % {
                    "customer": link.customer_name,
                    "name": link.subject_name,
                    "deadline": deadline.isoformat() if deadline else "",
                    "url": link.url,
                }
            send_mail(subject, body, None, [link.email], fail_silently=True)

    transaction.on_commit(send)


def _notify_invited(r: FeedbackRound, rater_counts: dict[int, int]) -> None:
    """One notification per rater (user ids → number of their new invitations)."""
    by_n: dict[int, list[int]] = defaultdict(list)
    for user_id, n in rater_counts.items():
        by_n[n].append(user_id)
    for n, users in by_n.items():
        notify(
            users=users,
            kind="feedback_invitation",
            message=gettext_noop(
                "You are asked for 360 feedback (%(n)s invitations) in round %(cycle)s, "
                "due %(deadline)s."
            ),
            params={"n": n, "cycle": r.cycle.code, "deadline": _deadline_text(r)},
            url=reverse("feedback:my_tasks"),
        )


def _deadline_text(r: FeedbackRound) -> str:
    return r.deadline.isoformat() if r.deadline else "—"


def _rater_users(invitation_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for user_id in Invitation.objects.filter(
        pk__in=list(invitation_ids), rater__user__isnull=False
    ).values_list("rater__user_id", flat=True):
        counts[user_id] += 1
    return dict(counts)


def _check_anonymous_rater(*, rater: Employee, subject: Employee, user: Any) -> None:
    """Refuse a colleague whose anonymous answer someone who reads the report would know:
    the person adding them, anyone above the subject in the reporting line (they read the
    report) and HR admins (they read every report). Otherwise they could answer with
    scores they know and subtract them from the report to recover the others' (§7)."""
    if user is not None and getattr(user, "pk", None) is not None and rater.user_id == user.pk:
        raise ApplicationError(
            _("You cannot add yourself: you would know your own answer in the report.")
        )
    supervisors = dict(Employee.objects.values_list("pk", "supervisor_id"))
    above: set[int] = set()
    at = supervisors.get(subject.pk)
    while at is not None and at not in above:
        above.add(at)
        at = supervisors.get(at)
    if rater.pk in above:
        raise ApplicationError(
            _(
                "%(name)s is above %(subject)s in the reporting line and reads the report, so cannot rate anonymously."
            )
            % {"name": rater.name, "subject": subject.name}
        )
    if rater.user is not None and is_hr_admin(rater.user):
        raise ApplicationError(
            _("%(name)s is an HR admin and reads every report, so cannot rate anonymously.")
            % {"name": rater.name}
        )


@transaction.atomic
def invitation_add(
    *,
    feedback_round: FeedbackRound,
    subject: Employee,
    user: Any,
    rater: Employee | None = None,
    customer: Customer | None = None,
    customer_email: str = "",
) -> tuple[Invitation, CustomerLink | None]:
    """Add an employee (a peer, or a subordinate when they report to the subject) or one of
    the subject's customers as a rater, while the round is prepared or open. In an open
    round the rater is invited at once (a customer's link is e-mailed to them: an open round
    needs the address). Adding a proposed customer again with an address sets it.
    Someone removed earlier is added back only if they were never invited."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT, Status.OPEN)
    _subject_of(r, subject)
    if (rater is None) == (customer is None):
        raise ApplicationError(_("Choose a colleague or a customer."))
    if rater is not None:
        if rater.pk == subject.pk:
            raise ApplicationError(_("The self-assessment is already on the list."))
        if rater.pk == subject.supervisor_id:
            raise ApplicationError(_("The supervisor is already on the list."))
        if not rater.active:
            raise ApplicationError(_("%(name)s has left.") % {"name": rater.name})
        _check_anonymous_rater(rater=rater, subject=subject, user=user)
        relationship = (
            Relationship.SUBORDINATE if rater.supervisor_id == subject.pk else Relationship.PEER
        )
        existing = Invitation.objects.filter(round=r, subject=subject, rater=rater).first()
        name = rater.name
    else:
        assert customer is not None
        if customer.owner_id != subject.pk or customer.voided_at is not None:
            raise ApplicationError(
                _("%(customer)s is not a customer of %(name)s.")
                % {"customer": customer.name, "name": subject.name}
            )
        if customer.lost_on is not None:
            raise ApplicationError(_("%(customer)s is lost.") % {"customer": customer.name})
        relationship = Relationship.CUSTOMER
        existing = Invitation.objects.filter(round=r, subject=subject, customer=customer).first()
        name = customer.name
    email = customer_email.strip() if customer is not None else ""
    if customer is not None and r.status == Status.OPEN and not email:
        raise ApplicationError(
            _(
                "Give the customer's e-mail address: the link goes to the customer only, "
                "never to a colleague who could answer in their place."
            )
        )
    # A customer proposed without an address: adding them again with one sets it.
    updating = (
        existing is not None
        and customer is not None
        and existing.status == IStatus.PROPOSED
        and bool(email)
    )
    if existing is not None and existing.status != IStatus.DECLINED and not updating:
        raise ConflictError(_("%(name)s is already on the list.") % {"name": name})
    if existing is not None and existing.invited_at is not None:
        raise ConflictError(
            _("%(name)s was invited once in this round and removed: they cannot be invited again.")
            % {"name": name}
        )
    invitation = existing or Invitation(
        round=r, subject=subject, rater=rater, customer=customer, relationship=relationship
    )
    if not updating:
        invitation.origin = Invitation.Origin.SUPERVISOR
    invitation.customer_email = email
    link: CustomerLink | None = None
    raw = ""
    if r.status == Status.OPEN:
        invitation.status = IStatus.INVITED
        invitation.invited_at = timezone.now()
        if customer is not None:
            raw = _issue_token(invitation, r)
    else:
        invitation.status = IStatus.PROPOSED
    invitation.save()
    if r.status == Status.OPEN:
        if customer is not None:
            link = _link(invitation, raw, subject, customer)
            _mail_links([link], r.deadline)
        elif rater is not None and rater.user_id:
            _notify_invited(r, {rater.user_id: 1})
    return invitation, link


@transaction.atomic
def invitation_remove(*, invitation: Invitation, user: Any) -> Invitation:
    """Take a rater off a subject's list (kept as removed so it is never proposed again),
    while the round is prepared or open. The self-assessment stays. An answer already
    given is not taken back (answers are not linked to invitations)."""
    r = round_lock(pk=invitation.round_id)
    _require(r, Status.DRAFT, Status.OPEN)
    inv = Invitation.objects.get(pk=invitation.pk)
    if inv.relationship == Relationship.SELF:
        raise ApplicationError(_("The self-assessment cannot be removed."))
    if inv.status == IStatus.DECLINED:
        raise ConflictError(_("This rater was already removed."))
    inv.status = IStatus.DECLINED
    inv.token_hash = ""
    inv.token_expires_at = None
    inv.save(update_fields=["status", "token_hash", "token_expires_at"])
    return inv


@transaction.atomic
def invitation_nominate(
    *, feedback_round: FeedbackRound, subject: Employee, peer: Employee
) -> Invitation:
    """The subject nominates a colleague as a peer rater; their supervisor decides."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT, Status.OPEN)
    _subject_of(r, subject)
    if peer.pk == subject.pk or peer.pk == subject.supervisor_id:
        raise ApplicationError(_("Nominate a colleague other than yourself and your supervisor."))
    if not peer.active:
        raise ApplicationError(_("%(name)s has left.") % {"name": peer.name})
    _check_anonymous_rater(rater=peer, subject=subject, user=None)
    if Invitation.objects.filter(round=r, subject=subject, rater=peer).exists():
        raise ConflictError(_("%(name)s is already on your list.") % {"name": peer.name})
    inv = Invitation.objects.create(
        round=r,
        subject=subject,
        rater=peer,
        relationship=Relationship.PEER,
        status=IStatus.NOMINATED,
        origin=Invitation.Origin.NOMINATED,
    )
    supervisor = subject.supervisor
    if supervisor is not None and supervisor.user_id:
        notify(
            users=[supervisor.user_id],
            kind="feedback_nomination",
            message=gettext_noop(
                "%(name)s nominated a peer for their 360 feedback in round %(cycle)s: "
                "please approve or decline."
            ),
            params={"name": subject.name, "cycle": r.cycle.code},
            url=reverse(
                "feedback:round_subject",
                kwargs={"cycle": r.cycle.code, "employee_no": subject.employee_no},
            ),
        )
    return inv


@transaction.atomic
def invitation_decide(*, invitation: Invitation, approve: bool, user: Any) -> Invitation:
    """Approve a nomination (proposed; invited at once when the round is open) or decline it."""
    r = round_lock(pk=invitation.round_id)
    _require(r, Status.DRAFT, Status.OPEN)
    inv = Invitation.objects.select_related("rater").get(pk=invitation.pk)
    if inv.status != IStatus.NOMINATED:
        raise ConflictError(_("This nomination was already decided."))
    if not approve:
        inv.status = IStatus.DECLINED
    elif r.status == Status.OPEN:
        inv.status = IStatus.INVITED
        inv.invited_at = timezone.now()
    else:
        inv.status = IStatus.PROPOSED
    inv.save(update_fields=["status", "invited_at"])
    if approve and r.status == Status.OPEN and inv.rater is not None and inv.rater.user_id:
        _notify_invited(r, {inv.rater.user_id: 1})
    return inv


@transaction.atomic
def round_subject_approve_raters(
    *, feedback_round: FeedbackRound, subject: Employee, user: Any
) -> RoundSubject:
    """Mark a subject's rater list as approved (by the supervisor or HR)."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT, Status.OPEN)
    rs = _subject_of(r, subject)
    if Invitation.objects.filter(round=r, subject=subject, status=IStatus.NOMINATED).exists():
        raise ApplicationError(_("Decide the pending nominations first."))
    rs.raters_approved_at = timezone.now()
    rs.raters_approved_by = user
    rs.save(update_fields=["raters_approved_at", "raters_approved_by"])
    return rs


# --- Opening, reminding, closing --------------------------------------------------------------


@transaction.atomic
def feedback_round_open(*, feedback_round: FeedbackRound, user: Any) -> list[CustomerLink]:
    """Open a prepared round: every proposed rater is invited — employees are notified,
    customers with an e-mail address are mailed a single-use link (returned here for the
    count; never shown), customers without one stay proposed. Raises when there is no
    questionnaire, deadline or subject."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.DRAFT)
    if r.questionnaire_id is None:
        raise ApplicationError(_("Choose a questionnaire first."))
    questionnaire = Questionnaire.objects.get(pk=r.questionnaire_id)
    _check_questionnaire(questionnaire)
    _check_deadline(r.deadline, required=True)
    if not RoundSubject.objects.filter(round=r).exists():
        raise ApplicationError(_("Add the people the round is about first."))
    now = timezone.now()
    r.status = Status.OPEN
    r.opened_at = now
    r.save(update_fields=["status", "opened_at", "updated_at"])
    proposed = Invitation.objects.filter(round=r, status=IStatus.PROPOSED)
    employee_ids = list(proposed.filter(rater__isnull=False).values_list("pk", flat=True))
    # A customer's link goes by e-mail only (never shown to staff, who could answer in the
    # customer's place): customers without an address stay proposed until one is given.
    customers = list(
        proposed.filter(customer__isnull=False)
        .exclude(customer_email="")
        .select_related("subject", "customer")
    )
    Invitation.objects.filter(pk__in=employee_ids).update(status=IStatus.INVITED, invited_at=now)
    links: list[CustomerLink] = []
    expires = token_expiry(r.deadline)
    for inv in customers:
        raw, digest = new_token()
        inv.token_hash = digest
        inv.token_expires_at = expires
        inv.status = IStatus.INVITED
        inv.invited_at = now
        assert inv.customer is not None
        links.append(_link(inv, raw, inv.subject, inv.customer))
    Invitation.objects.bulk_update(
        customers, ["token_hash", "token_expires_at", "status", "invited_at"], batch_size=1000
    )
    _notify_invited(r, _rater_users(employee_ids))
    _mail_links(links, r.deadline)
    return links


def _remind(r: FeedbackRound, pending: Any, now: Any) -> int:
    """Remind the employees behind ``pending`` invitations (one notification each, with
    only their own number of invitations) and count the reminder on each invitation."""
    ids = list(pending.filter(rater__isnull=False).values_list("pk", flat=True))
    if not ids:
        return 0
    by_n: dict[int, list[int]] = defaultdict(list)
    for user_id, n in _rater_users(ids).items():
        by_n[n].append(user_id)
    Invitation.objects.filter(pk__in=ids).update(reminded_at=now, reminders=F("reminders") + 1)
    sent = 0
    for n, users in by_n.items():
        sent += notify(
            users=users,
            kind="feedback_reminder",
            message=gettext_noop(
                "Reminder: %(n)s of your 360 invitations in round %(cycle)s still await your "
                "answer, due %(deadline)s."
            ),
            params={"n": n, "cycle": r.cycle.code, "deadline": _deadline_text(r)},
            url=reverse("feedback:my_tasks"),
        )
    return sent


@transaction.atomic
def feedback_round_remind(*, feedback_round: FeedbackRound, user: Any) -> int:
    """HR: remind every employee rater who has not answered yet (at most once a day per
    invitation). Returns how many people were reminded."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.OPEN)
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    pending = Invitation.objects.filter(round=r, status=IStatus.INVITED).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day)
    )
    return _remind(r, pending, now)


def feedback_reminders_send(*, today: date | None = None) -> int:
    """The daily reminder: in every open round whose deadline is at most
    ``REMIND_DAYS_BEFORE`` days away (and not past), remind the raters who have not
    answered, at most once a day. Returns how many people were reminded."""
    today = today or timezone.localdate()
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    for pk in FeedbackRound.objects.filter(
        status=Status.OPEN,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ).values_list("pk", flat=True):
        with transaction.atomic():
            r = round_lock(pk=pk)
            if r.status != Status.OPEN:
                continue
            pending = Invitation.objects.filter(round=r, status=IStatus.INVITED).filter(
                Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day)
            )
            sent += _remind(r, pending, now)
    return sent


@transaction.atomic
def feedback_round_close(*, feedback_round: FeedbackRound, user: Any) -> FeedbackRound:
    """Close an open round: no more answers, customer links stop working, unanswered
    invitations stay unanswered; subjects and their supervisors hear their reports are
    ready."""
    r = round_lock(pk=feedback_round.pk)
    _require(r, Status.OPEN)
    r.status = Status.CLOSED
    r.closed_at = timezone.now()
    r.save(update_fields=["status", "closed_at", "updated_at"])
    Invitation.objects.filter(round=r).exclude(token_hash="").update(
        token_hash="", token_expires_at=None
    )
    _notify_closed(r)
    return r


def _notify_closed(r: FeedbackRound) -> None:
    # The round's subjects, and the people an import gave answers about (a round run in
    # another survey tool and imported has answers but no subject list).
    subjects = Employee.objects.filter(
        Q(pk__in=RoundSubject.objects.filter(round=r).values("employee_id"))
        | Q(pk__in=Response.objects.filter(round=r).values("subject_id"))
    )
    notify(
        users=subjects.exclude(user__isnull=True).values_list("user_id", flat=True),
        kind="feedback_round_closed",
        message=gettext_noop("Your 360 feedback report for %(cycle)s is ready."),
        params={"cycle": r.cycle.code},
        url=reverse("feedback:reports_index"),
    )
    notify(
        users=Employee.objects.filter(
            pk__in=subjects.exclude(supervisor__isnull=True).values("supervisor_id"),
            user__isnull=False,
        ).values_list("user_id", flat=True),
        kind="feedback_round_closed",
        message=gettext_noop("The 360 feedback reports of your team for %(cycle)s are ready."),
        params={"cycle": r.cycle.code},
        url=reverse("feedback:cycle_reports", args=[r.cycle.code]),
    )

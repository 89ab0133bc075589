"""360 rounds, their raters and the answers (DESIGN.md §3 feedback, §7 anonymity ⚑).

What the storage keeps, and what it does not:

- ``Invitation`` links a rater to a subject and records only *that* it was completed
  (``status`` = completed): no time of completion, no history, no link to the response.
- ``Response`` keeps the round, the subject and the relationship. A ``self`` or
  ``supervisor`` response is attributed (``rater``); a peer, subordinate or customer
  response holds no rater, no address, no invitation, no time at all and a random
  primary key, so neither its id nor any column tells the order of arrival.
- ``Answer`` is one response's score for one competency (the mean of its items for that
  competency, kept exact as ``total / items``) with the rater's optional comment on it.

None of these three has an audit history: the audit history never records anonymous
responses.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaopei.core.models import TimeStampedModel


class Relationship(models.TextChoices):
    """How a rater stands to the subject (the ``feedback_answers`` import's ``relationship``)."""

    SELF = "self", pgettext_lazy("360 relationship", "Self")
    SUPERVISOR = "supervisor", pgettext_lazy("360 relationship", "Supervisor")
    PEER = "peer", pgettext_lazy("360 relationship", "Peer")
    SUBORDINATE = "subordinate", pgettext_lazy("360 relationship", "Subordinate")
    CUSTOMER = "customer", pgettext_lazy("360 relationship", "Customer")


# The most items a questionnaire has per competency; SCALE makes every score
# ``total / items`` an exact integer multiple of 1/SCALE.
MAX_ITEMS = 10
SCALE = 2520

ATTRIBUTED = (Relationship.SELF, Relationship.SUPERVISOR)
ANONYMOUS = (Relationship.PEER, Relationship.SUBORDINATE, Relationship.CUSTOMER)


class FeedbackRound(TimeStampedModel):
    """The 360 round of one cycle (at most one per cycle, §7)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Preparing")  # subjects chosen, raters proposed and adjusted
        OPEN = "open", _("Open")  # invitations sent, answers arriving
        CLOSED = "closed", _("Closed")  # no more answers; reports are final

    cycle = models.OneToOneField(
        "assessment.Cycle",
        on_delete=models.PROTECT,
        related_name="feedback_round",
        verbose_name=_("cycle"),
    )
    questionnaire = models.ForeignKey(
        "feedback.Questionnaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("questionnaire"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-cycle__start"]
        verbose_name = _("360 round")
        verbose_name_plural = _("360 rounds")

    def __str__(self) -> str:
        return f"360 {self.cycle_id}"


class RoundSubject(models.Model):
    """A person the round gives feedback on."""

    round = models.ForeignKey(
        FeedbackRound, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("round")
    )
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    raters_approved_at = models.DateTimeField(_("raters approved at"), null=True, blank=True)
    raters_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raters approved by"),
    )

    class Meta:
        ordering = ["round", "employee__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="uniq_round_subject")
        ]
        verbose_name = _("360 subject")
        verbose_name_plural = _("360 subjects")

    def __str__(self) -> str:
        return f"{self.round} {self.employee_id}"


class Invitation(models.Model):
    """One rater asked about one subject. An employee rater answers in Kaopei; a customer
    answers on a public page by a single-use, expiring token (only its hash is kept).

    Deliberately no ``updated_at`` and no history: nothing records when it was completed.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")  # suggested by Kaopei or added by the supervisor
        NOMINATED = "nominated", _("Nominated by the subject")  # awaits the supervisor
        DECLINED = "declined", _("Removed")  # taken off the list (kept so it is not re-proposed)
        INVITED = "invited", _("Invited")
        COMPLETED = "completed", _("Completed")

    class Origin(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by Kaopei")
        SUPERVISOR = "supervisor", _("Added by the supervisor")
        NOMINATED = "nominated", _("Nominated by the subject")

    round = models.ForeignKey(
        FeedbackRound,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("round"),
    )
    subject = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    rater = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rater"),
    )
    customer = models.ForeignKey(
        "facts.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    customer_email = models.EmailField(_("customer's email"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.PROPOSED
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "subject", "relationship", "pk"]
        constraints = [
            # An employee is asked about a subject once; a customer once.
            models.UniqueConstraint(
                fields=["round", "subject", "rater"],
                condition=Q(rater__isnull=False),
                name="uniq_invitation_rater",
            ),
            models.UniqueConstraint(
                fields=["round", "subject", "customer"],
                condition=Q(customer__isnull=False),
                name="uniq_invitation_customer",
            ),
            models.CheckConstraint(
                condition=(Q(relationship="customer", customer__isnull=False, rater__isnull=True))
                | (~Q(relationship="customer") & Q(rater__isnull=False, customer__isnull=True)),
                name="invitation_rater_or_customer",
            ),
        ]
        verbose_name = _("360 invitation")
        verbose_name_plural = _("360 invitations")

    def __str__(self) -> str:
        return f"{self.round} {self.subject_id} {self.relationship}"


class Response(models.Model):
    """One rater's answers about one subject. See the module docstring for what it must
    never hold. ``rater`` is set for ``self`` and ``supervisor`` only (a check constraint)."""

    class Source(models.TextChoices):
        KAOPEI = "kaopei", _("Answered in Kaopei")
        IMPORT = "import", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        FeedbackRound, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    subject = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    rater = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rater"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.KAOPEI
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import batch"),
    )

    class Meta:
        # Never ordered by arrival: there is nothing to order by.
        ordering = ["round", "subject", "relationship"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=["self", "supervisor"]) | Q(rater__isnull=True),
                name="anonymous_response_has_no_rater",
            ),
            models.UniqueConstraint(
                fields=["round", "subject", "relationship"],
                condition=Q(relationship__in=["self", "supervisor"]),
                name="one_attributed_response_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["round", "subject"])]
        verbose_name = _("360 response")
        verbose_name_plural = _("360 responses")

    def __str__(self) -> str:
        return f"{self.round} {self.subject_id} {self.relationship}"


class Answer(models.Model):
    """A response's score for one competency: the mean of its items for that competency,
    exact as ``total / items`` (an imported score is one item). ``comment`` is the rater's
    optional remark on that competency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    competency = models.ForeignKey(
        "org.Competency", on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    total = models.PositiveSmallIntegerField(_("sum of item scores"))  # 1–5 per item
    items = models.PositiveSmallIntegerField(_("items"), default=1)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["response", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "competency"], name="one_answer_per_competency"
            ),
            models.CheckConstraint(
                # At most MAX_ITEMS items, so 2520 (the least common multiple of 1…10)
                # makes every score an integer in SQL (selectors.reports).
                condition=Q(items__gte=1, items__lte=10, total__gte=1 * models.F("items"))
                & Q(total__lte=5 * models.F("items")),
                name="answer_on_the_1_5_scale",
            ),
        ]
        verbose_name = _("360 answer")
        verbose_name_plural = _("360 answers")

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.total}/{self.items}"

    @property
    def score(self) -> Fraction:
        return Fraction(self.total, self.items)

    @property
    def score_decimal(self) -> Decimal:
        return Decimal(self.total) / Decimal(self.items)

"""Correcting business records by hand: void, correct, add (DESIGN.md §3).

A record is never deleted to correct a score. Voiding keeps the row with who, when and why;
it then counts in no metric and no veto. Correcting changes the record's values in place,
keeping its key, and keeps the previous values in a :class:`RecordCorrection` (``before``):
metrics and imports go on finding the record by its key and need no "latest version"
filter, and the trail holds every version. Adding creates a record without an import batch,
with a :class:`RecordCorrection` saying who added it and why.

These services know nothing of cycles or appeals: the rules about final cycles, appeals and
who may correct what live with the assessment's correction services, which call these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaopei.core.errors import ApplicationError
from kaopei.facts.models import (
    Activity,
    Complaint,
    ComplianceIncident,
    Customer,
    FactModel,
    Opportunity,
    Receivable,
    RecordCorrection,
    Sale,
    SurveyResponse,
)
from kaopei.org.models import Employee


@dataclass(frozen=True)
class RecordKind:
    """A kind of business record as the correction pages see it."""

    slug: str
    model: type[FactModel]
    key: str  # the unique business key (contract_no …)
    owner: str  # the employee the record belongs to (employee or owner)
    fields: tuple[str, ...]  # what a correction may change (besides the key)
    dates: tuple[str, ...]  # the dates that place the record in cycles


RECORD_KINDS: dict[str, RecordKind] = {
    k.slug: k
    for k in (
        RecordKind(
            "sale",
            Sale,
            "contract_no",
            "employee",
            ("customer", "signed_on", "amount", "profit"),
            ("signed_on",),
        ),
        RecordKind(
            "activity",
            Activity,
            "activity_id",
            "employee",
            ("customer", "kind", "occurred_at", "response_hours"),
            ("occurred_on",),
        ),
        RecordKind(
            "opportunity",
            Opportunity,
            "opportunity_id",
            "employee",
            ("customer", "created_on", "closed_on", "status", "amount"),
            ("created_on", "closed_on"),
        ),
        RecordKind(
            "receivable",
            Receivable,
            "invoice_no",
            "employee",
            ("customer", "invoiced_on", "amount", "paid_on"),
            ("invoiced_on", "paid_on"),
        ),
        RecordKind(
            "complaint",
            Complaint,
            "complaint_id",
            "employee",
            ("customer", "opened_on", "resolved_on"),
            ("opened_on", "resolved_on"),
        ),
        RecordKind(
            "survey",
            SurveyResponse,
            "response_id",
            "employee",
            ("customer", "responded_on", "nps", "csat"),
            ("responded_on",),
        ),
        RecordKind(
            "incident",
            ComplianceIncident,
            "incident_id",
            "employee",
            ("occurred_on", "category", "confirmed", "description"),
            ("occurred_on",),
        ),
        RecordKind(
            "customer",
            Customer,
            "customer_no",
            "owner",
            ("name", "segment", "strategic", "acquired_on", "lost_on"),
            ("acquired_on", "lost_on"),
        ),
    )
}
BY_MODEL: dict[type[models.Model], RecordKind] = {k.model: k for k in RECORD_KINDS.values()}


def kind_of(record: models.Model) -> RecordKind:
    return BY_MODEL[type(record)]


def record_kind(slug: str) -> RecordKind:
    try:
        return RECORD_KINDS[slug]
    except KeyError:
        raise ApplicationError(
            _("Unknown kind of record: %(kind)s.") % {"kind": slug}, status=404
        ) from None


def record_get(*, kind: str, pk: int, lock: bool = False) -> FactModel:
    """One record of ``kind`` (404 when there is none)."""
    spec = record_kind(kind)
    qs = spec.model._default_manager.all()
    if lock:
        qs = qs.select_for_update()
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(_("This record does not exist."), status=404)
    return found  # type: ignore[no-any-return]


def record_owner_id(record: models.Model) -> int:
    return int(getattr(record, f"{kind_of(record).owner}_id"))


def record_dates(record: models.Model) -> list[date]:
    return [d for d in (getattr(record, name) for name in kind_of(record).dates) if d is not None]


def _values(record: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        f = record._meta.get_field(name)
        attname = getattr(f, "attname", name)
        out[attname] = getattr(record, attname)
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError(_("Give the reason (at least 5 characters)."))
    return reason


def _validate(record: models.Model) -> None:
    try:
        record.full_clean(exclude=["import_batch", "voided_by"])
    except ValidationError as exc:
        messages = [
            f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
            for k, v in exc.message_dict.items()
        ]
        raise ApplicationError(
            _("The record is not valid: %(errors)s") % {"errors": "; ".join(messages)}
        ) from exc


def _derive(record: models.Model) -> None:
    """Fields computed from others, as imports compute them (an activity's local date)."""
    if isinstance(record, Activity) and isinstance(record.occurred_at, datetime):
        record.occurred_on = timezone.localtime(record.occurred_at).date()


@transaction.atomic
def record_void(*, record: FactModel, reason: str, user: Any) -> RecordCorrection:
    """Void a record: it stays, marked voided with who, when and why, and counts nowhere."""
    reason = _reason(reason)
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if record.voided_at is not None:
        raise ApplicationError(_("This record is already voided."), status=409)
    spec = kind_of(record)
    record.voided_at = timezone.now()
    record.voided_by = user if getattr(user, "pk", None) else None
    record.void_reason = reason
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return RecordCorrection.objects.create(
        model=spec.model._meta.label_lower,
        object_id=record.pk,
        record_key=str(getattr(record, spec.key)),
        action=RecordCorrection.Action.VOID,
        after={"voided_at": record.voided_at.isoformat()},
        reason=reason,
        by=record.voided_by,
    )


@transaction.atomic
def record_correct(
    *, record: FactModel, changes: dict[str, Any], reason: str, user: Any
) -> RecordCorrection:
    """Correct a record's values: the record keeps its key; the previous values are kept in
    the correction's ``before``. ``changes`` names model fields of the kind's ``fields``."""
    reason = _reason(reason)
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if record.voided_at is not None:
        raise ApplicationError(_("A voided record cannot be corrected."), status=409)
    spec = kind_of(record)
    unknown = set(changes) - set(spec.fields)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be corrected: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    names = (*spec.fields, *(d for d in spec.dates if d not in spec.fields))
    before = _values(record, names)
    for name, value in changes.items():
        setattr(record, name, value)
    _derive(record)
    after = _values(record, names)
    if after == before:
        raise ApplicationError(_("Nothing was changed: the values are the ones recorded."))
    _validate(record)
    record.save()
    return RecordCorrection.objects.create(
        model=spec.model._meta.label_lower,
        object_id=record.pk,
        record_key=str(getattr(record, spec.key)),
        action=RecordCorrection.Action.CORRECT,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
        reason=reason,
        by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def record_add(
    *, kind: str, employee: Employee, values: dict[str, Any], reason: str, user: Any
) -> tuple[FactModel, RecordCorrection]:
    """Add a missing record for ``employee`` by hand (no import batch). ``values`` holds the
    key and the kind's fields."""
    reason = _reason(reason)
    spec = record_kind(kind)
    key = str(values.get(spec.key) or "").strip()
    if not key:
        raise ApplicationError(_("Give the record's number."))
    if spec.model._default_manager.filter(**{spec.key: key}).exists():
        raise ApplicationError(
            _("A record numbered %(key)s exists already: correct it instead.") % {"key": key},
            status=409,
        )
    record = spec.model(**{spec.key: key, spec.owner: employee})
    for name in spec.fields:
        if name in values:
            setattr(record, name, values[name])
    _derive(record)
    _validate(record)
    record.save()
    names = (*spec.fields, *(d for d in spec.dates if d not in spec.fields))
    correction = RecordCorrection.objects.create(
        model=spec.model._meta.label_lower,
        object_id=record.pk,
        record_key=key,
        action=RecordCorrection.Action.ADD,
        after=_values(record, names),
        reason=reason,
        by=user if getattr(user, "pk", None) else None,
    )
    return record, correction


def corrections_of(records: list[models.Model]) -> dict[tuple[str, int], list[RecordCorrection]]:
    """The corrections of these records, newest first, by (model label, id): one query."""
    by_model: dict[str, list[int]] = {}
    for r in records:
        by_model.setdefault(r._meta.label_lower, []).append(r.pk)
    out: dict[tuple[str, int], list[RecordCorrection]] = {}
    if not by_model:
        return out
    q = models.Q()
    for label, ids in by_model.items():
        q |= models.Q(model=label, object_id__in=ids)
    for c in RecordCorrection.objects.filter(q).select_related("by__employee"):
        out.setdefault((c.model, c.object_id), []).append(c)
    return out

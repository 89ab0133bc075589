"""Writing questionnaires (HR admins): a draft is edited freely; publishing freezes it for
good (rounds that use it keep reading it); editing a published questionnaire means a new
version, a draft copy numbered one higher; retiring keeps it from new rounds.

Each write locks the questionnaire's row, so two editors cannot publish a version while
the other adds an item to it, nor add items past the limit together.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError, ConflictError
from kaopei.feedback.models import Questionnaire, QuestionnaireItem
from kaopei.feedback.models.rounds import MAX_ITEMS
from kaopei.org.models import Competency


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != Questionnaire.Status.DRAFT:
        raise ConflictError(
            _(
                "“%(q)s” is no longer a draft: a published questionnaire never changes. "
                "Make a new version to edit it."
            )
            % {"q": questionnaire}
        )


def questionnaire_create(
    *,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    user: Any,
) -> Questionnaire:
    """A new questionnaire, version 1, as a draft."""
    code = code.strip()
    with transaction.atomic():
        if Questionnaire.objects.filter(code__iexact=code).exists():
            raise ConflictError(
                _("A questionnaire with the code “%(code)s” already exists.") % {"code": code}
            )
        return Questionnaire.objects.create(
            code=code,
            version=1,
            name=name.strip(),
            name_en=name_en.strip(),
            description=description.strip(),
            description_en=description_en.strip(),
            created_by=user,
        )


def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    user: Any,
) -> Questionnaire:
    """Rename or describe a draft."""
    with transaction.atomic():
        q = _locked(questionnaire)
        _require_draft(q)
        q.name, q.name_en = name.strip(), name_en.strip()
        q.description, q.description_en = description.strip(), description_en.strip()
        q.save()
        return q


def _check_room(q: Questionnaire, competency: Competency, *, excluding: int | None = None) -> None:
    items = QuestionnaireItem.objects.filter(questionnaire=q, competency=competency)
    if excluding is not None:
        items = items.exclude(pk=excluding)
    if items.count() >= MAX_ITEMS:
        raise ApplicationError(
            _(
                "“%(competency)s” already has %(n)d items, the most one competency may have. "
                "Remove one before adding another."
            )
            % {"competency": competency.local_name, "n": MAX_ITEMS}
        )


def questionnaire_item_add(
    *,
    questionnaire: Questionnaire,
    competency: Competency,
    text: str,
    text_en: str = "",
    position: int | None = None,
    user: Any,
) -> QuestionnaireItem:
    """Add a statement rated on ``competency``'s scale (at most MAX_ITEMS per competency).
    Without a position it goes last."""
    with transaction.atomic():
        q = _locked(questionnaire)
        _require_draft(q)
        _check_room(q, competency)
        if position is None:
            last = QuestionnaireItem.objects.filter(questionnaire=q).aggregate(m=Max("position"))
            position = (last["m"] or 0) + 1
        return QuestionnaireItem.objects.create(
            questionnaire=q,
            competency=competency,
            text=text.strip(),
            text_en=text_en.strip(),
            position=position,
        )


def questionnaire_item_update(
    *,
    item: QuestionnaireItem,
    competency: Competency,
    text: str,
    text_en: str = "",
    position: int,
    user: Any,
) -> QuestionnaireItem:
    with transaction.atomic():
        q = _locked(item.questionnaire)
        _require_draft(q)
        if competency.pk != item.competency_id:
            _check_room(q, competency, excluding=item.pk)
        item.competency = competency
        item.text, item.text_en, item.position = text.strip(), text_en.strip(), position
        item.save()
        return item


def questionnaire_item_delete(*, item: QuestionnaireItem, user: Any) -> None:
    with transaction.atomic():
        q = _locked(item.questionnaire)
        _require_draft(q)
        QuestionnaireItem.objects.filter(pk=item.pk, questionnaire=q).delete()


def questionnaire_publish(*, questionnaire: Questionnaire, user: Any) -> Questionnaire:
    """Freeze a draft so rounds may use it. It needs at least one item."""
    with transaction.atomic():
        q = _locked(questionnaire)
        _require_draft(q)
        if not QuestionnaireItem.objects.filter(questionnaire=q).exists():
            raise ApplicationError(
                _("A questionnaire needs at least one item before it can be published.")
            )
        q.status = Questionnaire.Status.PUBLISHED
        q.save()
        return q


def questionnaire_new_version(*, questionnaire: Questionnaire, user: Any) -> Questionnaire:
    """A draft copy of a published (or retired) version, numbered one above the code's
    highest version. One draft per code at a time."""
    with transaction.atomic():
        q = _locked(questionnaire)
        if q.status == Questionnaire.Status.DRAFT:
            raise ConflictError(_("This version is still a draft: edit it directly."))
        versions = Questionnaire.objects.select_for_update().filter(code=q.code)
        draft = versions.filter(status=Questionnaire.Status.DRAFT).first()
        if draft is not None:
            raise ConflictError(
                _("Version %(v)d of “%(code)s” is already a draft: edit that one.")
                % {"v": draft.version, "code": q.code}
            )
        top = max(v.version for v in versions)
        copy = Questionnaire.objects.create(
            code=q.code,
            version=top + 1,
            name=q.name,
            name_en=q.name_en,
            description=q.description,
            description_en=q.description_en,
            created_by=user,
        )
        QuestionnaireItem.objects.bulk_create(
            [
                QuestionnaireItem(
                    questionnaire=copy,
                    competency_id=item.competency_id,
                    position=item.position,
                    text=item.text,
                    text_en=item.text_en,
                )
                for item in QuestionnaireItem.objects.filter(questionnaire=q).order_by(
                    "position", "pk"
                )
            ]
        )
        return copy


def questionnaire_retire(*, questionnaire: Questionnaire, user: Any) -> Questionnaire:
    """A published version no new round may choose (rounds that use it keep it)."""
    with transaction.atomic():
        q = _locked(questionnaire)
        if q.status != Questionnaire.Status.PUBLISHED:
            raise ConflictError(_("Only a published questionnaire can be retired."))
        q.status = Questionnaire.Status.RETIRED
        q.save()
        return q

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from kaopei.assessment.models import Appeal, Cycle, Scorecard
from kaopei.core.models import Notification


def _both(message: str, **params: str) -> tuple[str, str]:
    out = []
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            out.append(gettext(message) % params)
    return out[0], out[1]


def notify_cycle_final(*, cycle: Cycle) -> int:
    """Tell every scored person with a login that their scorecard is final (bulk)."""
    rows = Scorecard.objects.filter(cycle=cycle, employee__user__isnull=False).values_list(
        "employee__user_id", "employee__employee_no"
    )
    zh, en = _both(
        gettext_noop("Your %(cycle)s scorecard is final. Please read and acknowledge it."),
        cycle=cycle.code,
    )
    notes = [
        Notification(
            user_id=user_id,
            text_zh=zh,
            text_en=en,
            url=reverse("assessment:scorecard", args=[cycle.code, no]),
        )
        for user_id, no in rows
    ]
    Notification.objects.bulk_create(notes, batch_size=1000)
    return len(notes)


def notify_appeal_filed(*, appeal: Appeal) -> int:
    """Tell the appellant's supervisor that an appeal waits for their answer."""
    employee = appeal.scorecard.employee
    boss = employee.supervisor
    if boss is None or boss.user_id is None:
        return 0
    zh, en = _both(
        gettext_noop("%(name)s appealed the line “%(metric)s” of their %(cycle)s scorecard."),
        name=employee.name,
        metric=appeal.metric.code,
        cycle=appeal.scorecard.cycle.code,
    )
    url = reverse("assessment:appeal_detail", args=[appeal.pk])
    Notification.objects.create(user_id=boss.user_id, text_zh=zh, text_en=en, url=url)
    return 1


def notify_appeal_answered(*, appeal: Appeal) -> int:
    """Tell the appellant their appeal was answered (accepted or rejected)."""
    if appeal.raised_by_id is None:
        return 0
    message = (
        gettext_noop("Your appeal on “%(metric)s” (%(cycle)s) was accepted.")
        if appeal.status == Appeal.Status.ACCEPTED
        else gettext_noop("Your appeal on “%(metric)s” (%(cycle)s) was rejected.")
    )
    zh, en = _both(message, metric=appeal.metric.code, cycle=appeal.scorecard.cycle.code)
    url = reverse("assessment:appeal_detail", args=[appeal.pk])
    Notification.objects.create(user_id=appeal.raised_by_id, text_zh=zh, text_en=en, url=url)
    return 1


@transaction.atomic
def notification_mark_read(*, user: Any, ids: list[int]) -> int:
    """Mark the user's own notifications with these ids read; returns how many changed."""
    if not ids:
        return 0
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )

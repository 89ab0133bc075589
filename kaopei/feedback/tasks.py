"""Feedback tasks (STYLE.md item 7: adapters that call a service)."""

from __future__ import annotations

from celery import shared_task

from kaopei.feedback.services.rounds import feedback_reminders_send
from kaopei.feedback.services.suggestions import suggestions_digest_send


@shared_task
def feedback_remind() -> int:
    """The daily 360 reminder (see ``feedback_reminders_send``)."""
    return feedback_reminders_send()


@shared_task
def suggestions_digest() -> int:
    """HR's daily count of new suggestions (see ``suggestions_digest_send``)."""
    return suggestions_digest_send()

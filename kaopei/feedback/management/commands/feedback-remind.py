"""``kaopei feedback-remind``: remind the raters who have not answered, in every open 360
round whose deadline is at most three days away (at most once a day per invitation). Also
scheduled daily with Celery beat when a broker is configured."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kaopei.feedback.services.rounds import feedback_reminders_send


class Command(BaseCommand):
    help = "Remind 360 raters who have not answered, from three days before the deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The day to act as of (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(_("--today must be a date as YYYY-MM-DD.")) from exc
        n = feedback_reminders_send(today=today)
        self.stdout.write(_("Reminded %(n)d people.") % {"n": n})

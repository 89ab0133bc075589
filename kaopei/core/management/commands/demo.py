"""``kaopei demo``: build the demo organisation and serve it (DESIGN.md §4.1)."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from kaopei.core.demo import (
    DEMO_PASSWORD,
    demo_build,
    demo_refill_reference_data,
    demo_stored_personas,
)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters
    (汉字, full-width punctuation) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


class Command(BaseCommand):
    help = "Create the database, load the deterministic demo organisation and serve Kaopei."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the demo, then exit.")
        parser.add_argument(
            "--fresh", action="store_true", help="Delete everything and build the demo again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        User = get_user_model()
        if options["fresh"]:
            self.stdout.write("Deleting existing data…")
            call_command("flush", interactive=False, verbosity=0)
            # flush empties the tables the data migrations filled: refill them.
            demo_refill_reference_data()
        if User.objects.filter(username="HR001").exists():
            self.stdout.write("The demo is already loaded (use --fresh to rebuild it).")
            personas = None
        else:
            if User.objects.exists():
                raise CommandError(
                    "The database already holds data that is not the demo; "
                    "use --fresh to replace it, or point DATABASE_URL elsewhere."
                )
            self.stdout.write("Building the demo organisation…")
            ctx = demo_build(log=self.stdout.write)
            personas = ctx.personas
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        self._print_logins(personas)
        if not options["no_serve"]:
            db = settings.DATABASES["default"]
            self.stdout.write(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
            self.stdout.write(
                f"Serving Kaopei on http://127.0.0.1:{options['port']}/ (Ctrl+C stops)"
            )
            connection.close()
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)

    def _print_logins(self, personas: list[tuple[str, str, str]] | None) -> None:
        if personas is None:
            personas = demo_stored_personas()
        self.stdout.write("")
        self.stdout.write(
            _("Persona logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        role_width = max((display_width(role) for role, _, _ in personas), default=0) + 2
        login_width = max((len(login) for _, login, _ in personas), default=0) + 2
        for role, login, name in personas:
            self.stdout.write(f"  {pad(role, role_width)}{pad(login, login_width)}{name}")
        self.stdout.write("  " + _("Every demo employee can log in with their employee number."))

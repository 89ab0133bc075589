"""``kaopei serve``: the production web process (docs/deploy.md).

Runs the start-up steps — ``migrate`` and ``collectstatic`` — and then replaces itself with
gunicorn serving ``config.wsgi``, so the documented start command cannot serve pages whose
static files were never collected. Arguments after ``--`` go to gunicorn.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Migrate, collect static files, then serve Kaopei with gunicorn (production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("KAOPEI_BIND", "127.0.0.1:8000"),
            help="Address gunicorn listens on (default: $KAOPEI_BIND or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Skip migrate (when a release step has already run it).",
        )
        parser.add_argument("gunicorn_args", nargs="*", help="Extra gunicorn arguments.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=1)
        call_command("collectstatic", interactive=False, verbosity=1)
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
        if not Path(gunicorn).exists():
            raise CommandError("gunicorn is not installed in this environment.")
        argv = [gunicorn, "config.wsgi", "--bind", options["bind"], *options["gunicorn_args"]]
        self.stdout.write("$ " + " ".join(argv))
        sys.stdout.flush()
        os.execv(gunicorn, argv)

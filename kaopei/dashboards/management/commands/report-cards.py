"""``kaopei report-cards CYCLE [--unit CODE] -o FILE.zip [--lang zh-hans|en]`` (DESIGN.md
§4.1 ⚑): every scored person's report card of CYCLE (of one unit's subtree with
``--unit``), one PDF each named ``<employee_no>-<cycle>.pdf``, as a background job with
progress: the command creates the job, runs it and prints its progress. Bad input is an
error (exit code 1); the job is marked failed with the message and no file is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kaopei.core.jobs import job_run
from kaopei.core.models import Job
from kaopei.dashboards.report_cards_batch import ECHO, LANGUAGES, report_cards_job_create


class Command(BaseCommand):
    help = "Write the PDF report cards of a cycle's scored people (of a unit) into a zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycle", help="The cycle code, e.g. 2026Q1.")
        parser.add_argument("--unit", default="", help="Only this org unit and the units below.")
        parser.add_argument("-o", "--output", required=True, help="The zip file to write.")
        parser.add_argument("--lang", default="zh-hans", choices=LANGUAGES)

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        target = Path(options["output"]).resolve()
        with translation.override(lang):
            if not target.parent.is_dir():
                raise CommandError(
                    _("The folder of %(path)s does not exist.") % {"path": str(target)}
                )
            job = report_cards_job_create(
                code=options["cycle"].strip().upper(),
                unit=options["unit"].strip(),
                lang=lang,
                output=str(target),
            )
            self.stdout.write(
                _("Job %(id)d: report cards of %(code)s.")
                % {"id": job.pk, "code": job.params["code"]}
            )

            def echo(done: int, total: int) -> None:
                self.stdout.write(
                    _("%(done)d of %(total)d report cards") % {"done": done, "total": total}
                )

            token = ECHO.set(echo)
            try:
                job = job_run(job_id=job.pk)
            finally:
                ECHO.reset(token)
            if job.status != Job.Status.SUCCEEDED:
                raise CommandError(job.error or _("The job failed."))
            self.stdout.write(
                _("Wrote %(n)d report cards to %(path)s.")
                % {"n": job.result.get("files", 0), "path": str(target)}
            )

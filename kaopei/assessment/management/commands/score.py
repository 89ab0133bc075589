"""``kaopei score CYCLE`` (DESIGN.md §4.1 ⚑): score a cycle now, in this process."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kaopei.assessment.services.scoring import ScoringSummary, cycle_score
from kaopei.core.bulk import allow_fast_switching
from kaopei.core.errors import ApplicationError
from kaopei.core.periods import PeriodCodeError


def skip_reason(code: str) -> str:
    reasons = {"no_template": _("no template for their job level and the cycle's kind")}
    return reasons.get(code, code)


class Command(BaseCommand):
    help = (
        "Score cycle CYCLE (YYYY or YYYYQn): every employee employed on any day of it whose "
        "job level has a template for its kind; the others are listed as skipped. Creates "
        "the cycle if needed; refuses a final cycle."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycle", help="cycle code, e.g. 2026Q1 or 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if total and sys.stderr.isatty():
                sys.stderr.write(f"\r{done}/{total}")

        allow_fast_switching()  # this process only scores (kaopei/core/bulk.py)
        try:
            summary = cycle_score(code=options["cycle"], progress=progress)
        except PeriodCodeError as exc:
            raise CommandError(str(exc.args[0])) from exc
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\r")
        self.report(summary)

    def report(self, summary: ScoringSummary) -> None:
        out = self.stdout
        out.write(
            _("Scored %(n)d employees for cycle %(cycle)s.")
            % {"n": summary.scored, "cycle": summary.cycle}
        )
        grades = summary.ordered_grades()
        out.write(
            _("Grades: %(grades)s") % {"grades": ", ".join(f"{g} {n}" for g, n in grades) or "—"}
        )
        if summary.skipped:
            out.write(_("Skipped %(n)d:") % {"n": len(summary.skipped)})
            for employee_no, reason in summary.skipped:
                out.write(f"  {employee_no}\t{skip_reason(reason)}")
        else:
            out.write(_("Skipped: none."))

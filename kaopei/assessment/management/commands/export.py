"""``kaopei export scorecards|score-lines CYCLE -o FILE`` (DESIGN.md §4.1 ⚑), and the
exports other apps contribute (``feedback``: :func:`kaopei.assessment.exports.register_export`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kaopei.assessment.exports import EXPORTS, command_exports, export_cycle, format_for
from kaopei.assessment.selectors import cycle_by_code
from kaopei.core.errors import ApplicationError
from kaopei.core.periods import PeriodCodeError, parse_period


class Command(BaseCommand):
    help = (
        "Export the scorecards, score lines (or another registered export, such as feedback) "
        "of a cycle to a .csv (UTF-8 with BOM) or .xlsx file, with the columns of DESIGN.md §4.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what", choices=sorted(command_exports()), help=", ".join(command_exports())
        )
        parser.add_argument("cycle", help="cycle code, e.g. 2026Q1 or 2026")
        parser.add_argument("-o", "--output", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        try:
            fmt = format_for(path)
            code = parse_period(options["cycle"]).code
        except PeriodCodeError as exc:
            raise CommandError(str(exc.args[0])) from exc
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        cycle = cycle_by_code(code)
        if cycle is None and options["what"] not in EXPORTS:
            raise CommandError(_("Cycle %(code)s does not exist.") % {"code": code})
        if cycle is None:
            raise CommandError(
                _("Cycle %(code)s does not exist yet: score it first (kaopei score %(code)s).")
                % {"code": code}
            )
        if path.parent and not path.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": str(path.parent)}
            )
        # Write beside the target and rename, so a failure never leaves half a file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as stream:
                rows = export_cycle(cycle=cycle, what=options["what"], fmt=fmt, stream=stream)
            os.replace(partial, path)
        except ApplicationError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc.message)) from exc
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write %(file)s: %(error)s")
                % {"file": str(path), "error": exc.strerror or exc}
            ) from exc
        self.stdout.write(
            _("Wrote %(n)d rows of %(what)s for %(cycle)s to %(file)s.")
            % {"n": rows, "what": options["what"], "cycle": cycle.code, "file": str(path)}
        )

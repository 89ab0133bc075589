"""``kaopei report-card EMPLOYEE_NO CYCLE -o FILE.pdf [--lang zh-hans|en]`` (DESIGN.md §4.1 ⚑):
one person's PDF report card of a cycle. An unknown person or cycle, or a person not scored
in the cycle, is an error (exit code 1) and writes nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kaopei.assessment.models import Cycle
from kaopei.dashboards.report_card import report_card_of
from kaopei.dashboards.report_card_pdf import report_card_pdf
from kaopei.dashboards.report_cards_batch import LANGUAGES
from kaopei.org.models import Employee


class Command(BaseCommand):
    help = "Write one person's PDF report card of a cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("employee_no", help="The person's employee number.")
        parser.add_argument("cycle", help="The cycle code, e.g. 2026Q1.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument("--lang", default="zh-hans", choices=LANGUAGES)

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        with translation.override(lang):
            employee = Employee.objects.filter(employee_no=options["employee_no"].strip()).first()
            if employee is None:
                raise CommandError(
                    _("Unknown employee number %(no)s.") % {"no": options["employee_no"]}
                )
            code = options["cycle"].strip().upper()
            cycle = Cycle.objects.filter(code=code).first()
            if cycle is None:
                raise CommandError(_("Unknown cycle %(code)s.") % {"code": options["cycle"]})
            card = report_card_of(cycle=cycle, employee_id=employee.pk)
            if card is None:
                raise CommandError(
                    _("%(no)s is not scored in cycle %(code)s: there is no report card.")
                    % {"no": employee.employee_no, "code": cycle.code}
                )
            data = report_card_pdf(card=card, language=lang)
            target = Path(options["output"])
            if target.parent and not target.parent.is_dir():
                raise CommandError(
                    _("The folder of %(path)s does not exist.") % {"path": str(target)}
                )
            handle, temp = tempfile.mkstemp(suffix=".pdf", dir=target.parent or ".")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, target)
            self.stdout.write(
                _("Wrote the report card of %(no)s for %(code)s to %(path)s.")
                % {"no": employee.employee_no, "code": cycle.code, "path": str(target)}
            )

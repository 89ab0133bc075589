"""``kaopei import KIND FILE [--dry-run]`` (DESIGN.md §4.1, §4.2 ⚑).

Exit 0 with the counts (created, updated, unchanged, blank rows skipped); exit 1 with every
error as "row N, column C, value V: reason" in the user's language (``--lang``, else
``LANGUAGE_CODE``) and nothing written. The module is called ``import`` (a Python keyword,
but a valid module file name) because that is the command's name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kaopei.core.bulk import allow_fast_switching
from kaopei.core.errors import ApplicationError
from kaopei.imports.importing import KINDS, SPECS
from kaopei.imports.models import ImportBatch
from kaopei.imports.services import import_file


def column_label(kind: str, name: str) -> str:
    """``closed_on (关闭日期)`` for a column of the kind; the name as given otherwise."""
    spec = SPECS.get(kind)
    if spec is None or not name:
        return name
    try:
        return spec.column(name).label
    except KeyError:
        return name


def describe(kind: str, entry: dict[str, Any]) -> str:
    """One error or warning as "row N, column C, value V: reason"."""
    parts = [_("row %(row)s") % {"row": entry.get("row", "")}]
    if entry.get("row") == 0:
        parts = [_("the file")]
    if entry.get("column"):
        parts.append(_("column %(column)s") % {"column": column_label(kind, entry["column"])})
    if entry.get("value") not in (None, ""):
        parts.append(_("value %(value)s") % {"value": entry["value"]})
    return _("%(where)s: %(reason)s") % {"where": _(", ").join(parts), "reason": entry["reason"]}


class Command(BaseCommand):
    help = (
        "Import FILE (.csv or .xlsx) as KIND. Prints the counts and exits 0, or prints every "
        "error and exits 1 without writing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="one of: " + ", ".join(KINDS))
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the whole file and count, but write nothing",
        )
        parser.add_argument(
            "--lang",
            default=None,
            help="language of the messages (zh-hans or en); default: LANGUAGE_CODE",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        allow_fast_switching()  # this process only imports (kaopei/core/bulk.py)
        language = options["lang"] or settings.LANGUAGE_CODE
        with translation.override(language):
            self.run(options["kind"], options["file"], dry_run=options["dry_run"])

    def run(self, kind: str, path: str, *, dry_run: bool) -> None:
        try:
            batch = import_file(path=path, kind=kind, dry_run=dry_run, user=None, source="cli")
        except ApplicationError as exc:
            raise CommandError(str(exc.message), returncode=1) from exc
        for warning in batch.warnings or []:
            self.stderr.write(_("Warning: %(text)s") % {"text": describe(kind, warning)})
        if batch.status == ImportBatch.Status.FAILED:
            for error in batch.error_report:
                self.stderr.write(describe(kind, error))
            raise CommandError(
                _("%(count)d errors in %(file)s; nothing was imported (batch #%(batch)d).")
                % {"count": len(batch.error_report), "file": batch.file_name, "batch": batch.pk},
                returncode=1,
            )
        counts = {
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "skipped": batch.skipped,
            "rows": batch.rows,
            "file": batch.file_name,
            "batch": batch.pk,
        }
        if dry_run:
            self.stdout.write(
                _(
                    "Checked %(file)s (dry run, nothing written): %(rows)d rows would give "
                    "%(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
                    "%(skipped)d blank rows skipped."
                )
                % counts
            )
        else:
            self.stdout.write(
                _(
                    "Imported %(file)s (batch #%(batch)d): %(created)d created, %(updated)d "
                    "updated, %(unchanged)d unchanged; %(skipped)d blank rows skipped."
                )
                % counts
            )

"""``kaopei purge-uploads``: delete uploaded import files past retention.

Refused, dry-run and never started uploads go after ``IMPORT_KEEP_UNUSED_DAYS``, the files of
imports after ``IMPORT_KEEP_DAYS``; each batch records that its file was removed, and the
batch and what it imported stay. Also scheduled with Celery beat when a broker is
configured, and run after each import.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kaopei.imports.services import upload_purge


class Command(BaseCommand):
    help = (
        "Delete uploaded import files past retention (IMPORT_KEEP_DAYS, IMPORT_KEEP_UNUSED_DAYS)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = upload_purge()
        self.stdout.write(_("Removed %(n)d uploaded files past retention.") % {"n": removed})

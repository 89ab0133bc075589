from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kaopei.core.po import compile_catalogues


class Command(BaseCommand):
    help = "Compile the message catalogues (.po → .mo) without needing GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for mo in compile_catalogues(locale_dir):
                self.stdout.write(f"compiled {mo}")

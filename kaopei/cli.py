"""The ``kaopei`` console script: the same as ``python manage.py`` (DESIGN.md §4.1)."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0

"""What the organisation's services share: the actor type and the checks of codes and
names."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError

Actor = AbstractBaseUser | AnonymousUser | None

# Codes and employee numbers appear in URLs and import files: keep them to safe characters.
CODE_RE = re.compile(r"^[\w.\-]+$")
# Path segments that would be shadowed by fixed URLs such as ``/org/people/new/``.
RESERVED_CODES = {"new", "matrix"}
SCALE = range(1, 6)


def _field_error(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, errors=[{"field": field, "message": message}])


def _clean_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip()
    if not code or not CODE_RE.match(code):
        raise _field_error(
            _("Use only letters, digits, dots, hyphens and underscores, without spaces."), field
        )
    if code.lower() in RESERVED_CODES:
        raise _field_error(_("“%(code)s” is reserved; choose another.") % {"code": code}, field)
    return code


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise _field_error(_("The name cannot be blank."), "name")
    return name

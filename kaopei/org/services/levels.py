"""Job levels."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kaopei.org.models import (
    JobLevel,
)
from kaopei.org.services.common import (
    _clean_code,
    _clean_name,
    _field_error,
)


def _check_rank(rank: int) -> None:
    if rank < 0:
        raise _field_error(_("The rank cannot be negative."), "rank")


@transaction.atomic
def job_level_create(
    *,
    code: str,
    name: str,
    rank: int,
    is_sales: bool = True,
    description: str = "",
    name_en: str = "",
    description_en: str = "",
) -> JobLevel:
    """Create a job level (a higher rank is more senior). Raises ApplicationError for a
    malformed or taken code, a blank name or a negative rank."""
    code = _clean_code(code)
    name = _clean_name(name)
    _check_rank(rank)
    if JobLevel.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("A job level with code %(code)s already exists.") % {"code": code}, "code"
        )
    return JobLevel.objects.create(
        code=code,
        name=name,
        name_en=name_en.strip(),
        rank=rank,
        is_sales=is_sales,
        description=description.strip(),
        description_en=description_en.strip(),
    )


@transaction.atomic
def job_level_update(
    *,
    level: JobLevel,
    name: str,
    rank: int,
    is_sales: bool,
    description: str,
    name_en: str | None = None,
    description_en: str | None = None,
) -> JobLevel:
    """Change a job level; its code never changes (files and templates refer to it). The
    English name and description change only when given."""
    level = JobLevel.objects.select_for_update().get(pk=level.pk)
    name = _clean_name(name)
    _check_rank(rank)
    level.name = name
    level.rank = rank
    level.is_sales = is_sales
    level.description = description.strip()
    if name_en is not None:
        level.name_en = name_en.strip()
    if description_en is not None:
        level.description_en = description_en.strip()
    level.save()
    return level

"""Org units: create, update, deactivate (the tree stays a tree)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError
from kaopei.org.models import (
    Employee,
    OrgUnit,
)
from kaopei.org.selectors import unit_descendant_ids
from kaopei.org.services.common import (
    _clean_code,
    _clean_name,
    _field_error,
)


def _check_unit_parent(*, unit: OrgUnit | None, parent: OrgUnit | None) -> None:
    if parent is None:
        return
    if unit is not None and unit.pk is not None and parent.pk in unit_descendant_ids(unit.pk):
        raise _field_error(
            _("A unit cannot sit below itself or below one of its own sub-units."), "parent"
        )
    if not parent.active and (unit is None or unit.parent_id != parent.pk):
        raise _field_error(
            _("%(unit)s is inactive and cannot take new sub-units.") % {"unit": parent.name},
            "parent",
        )


def _check_unit_kind(kind: str) -> None:
    if kind not in OrgUnit.Kind.values:
        raise _field_error(_("Choose a valid kind of unit."), "kind")


@transaction.atomic
def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str = OrgUnit.Kind.TEAM,
    parent: OrgUnit | None = None,
    name_en: str = "",
) -> OrgUnit:
    """Create an active org unit under ``parent`` (None for a root such as HQ).

    Raises ApplicationError for a malformed or taken code, a blank name, an unknown kind or an
    inactive parent.
    """
    code = _clean_code(code)
    name = _clean_name(name)
    _check_unit_kind(kind)
    if OrgUnit.objects.filter(code__iexact=code).exists():
        raise _field_error(
            _("An org unit with code %(code)s already exists.") % {"code": code}, "code"
        )
    _check_unit_parent(unit=None, parent=parent)
    return OrgUnit.objects.create(
        code=code, name=name, name_en=name_en.strip(), kind=kind, parent=parent
    )


@transaction.atomic
def org_unit_update(
    *, unit: OrgUnit, name: str, kind: str, parent: OrgUnit | None, name_en: str | None = None
) -> OrgUnit:
    """Rename, re-classify or move a unit. The code never changes (files refer to it).

    Raises ApplicationError for a blank name, an unknown kind, a parent that would make a
    cycle (the unit itself or one of its sub-units) or a newly chosen inactive parent.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    name = _clean_name(name)
    _check_unit_kind(kind)
    _check_unit_parent(unit=unit, parent=parent)
    unit.name = name
    if name_en is not None:
        unit.name_en = name_en.strip()
    unit.kind = kind
    unit.parent = parent
    unit.save()
    return unit


@transaction.atomic
def org_unit_deactivate(*, unit: OrgUnit) -> OrgUnit:
    """Mark a unit inactive. Refused while it still has active people or active sub-units."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.active:
        raise ApplicationError(_("%(unit)s is already inactive.") % {"unit": unit.local_name})
    people = Employee.objects.filter(org_unit=unit, active=True).count()
    units = OrgUnit.objects.filter(parent=unit, active=True).count()
    if people or units:
        raise ApplicationError(
            _(
                "%(unit)s cannot be deactivated while it still has active people (%(people)d) "
                "or active sub-units (%(units)d). Move or deactivate them first."
            )
            % {"unit": unit.local_name, "people": people, "units": units},
            status=409,
        )
    unit.active = False
    unit.save()
    return unit

"""Roles are Django groups (DESIGN.md §3). This is the one place that names them."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    HR_ADMIN = "hr_admin"
    SUPERVISOR = "supervisor"
    ACCOUNT_MANAGER = "account_manager"
    TRAINER = "trainer"
    EXECUTIVE = "executive"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.HR_ADMIN: _("HR admin"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.ACCOUNT_MANAGER: _("Account manager"),
    Role.TRAINER: _("Trainer"),
    Role.EXECUTIVE: _("Executive"),
}
ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]

# Order in which a person with several roles lands on a home page.
HOME_PRIORITY = [Role.HR_ADMIN, Role.EXECUTIVE, Role.SUPERVISOR, Role.TRAINER, Role.ACCOUNT_MANAGER]


def user_roles(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The roles of ``user`` (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kaopei_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = {r for r in Role if r.value in names}
        if user.is_superuser:  # type: ignore[attr-defined]
            cached.add(Role.HR_ADMIN)
        user._kaopei_roles = cached  # type: ignore[union-attr,attr-defined]
    return set(cached)


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def primary_role(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    roles = user_roles(user)
    for role in HOME_PRIORITY:
        if role in roles:
            return role
    return None


def ensure_role_groups() -> None:
    """Create the five role groups if missing (a migration does it; ``flush`` undoes it)."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)

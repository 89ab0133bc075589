"""The main navigation, by role: the one place that says which role sees which section."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaopei.core.roles import Role

ALL = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]
    prefix: str  # paths starting with it mark the item active


NAV: list[NavItem] = [
    NavItem("home", _("Home"), ALL, "/home/"),
    NavItem(
        "org:unit_tree",
        _("Organisation"),
        frozenset({Role.HR_ADMIN, Role.SUPERVISOR, Role.EXECUTIVE}),
        "/org/units/",
    ),
    NavItem(
        "org:employee_list",
        _("People"),
        frozenset({Role.HR_ADMIN, Role.SUPERVISOR, Role.EXECUTIVE}),
        "/org/people/",
    ),
    NavItem("org:competency_matrix", _("Competencies"), ALL, "/org/competencies/"),
    NavItem("facts:import_list", _("Imports"), frozenset({Role.HR_ADMIN}), "/imports/"),
    NavItem("admin:index", _("Administration"), frozenset({Role.HR_ADMIN}), "/admin/"),
]

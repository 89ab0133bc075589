"""The main navigation, by role: the one place that says which role sees which section.

An item is shown only to people who can open it: by role, and for the Django admin by
the admin site's own rule (an active staff account, in practice a superuser), never to an
HR admin as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    admin_site: bool = False  # shown only to those the Django admin lets in

    def visible_to(self, user: Any, roles: set[Role] | frozenset[Role]) -> bool:
        if self.admin_site:
            return bool(user.is_active and user.is_staff)
        return bool(roles & self.roles)


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
    NavItem(
        "assessment:my_scorecards",
        _("My scorecards"),
        frozenset({Role.ACCOUNT_MANAGER}),
        "/assessment/my/",
    ),
    NavItem(
        "assessment:cycle_list",
        _("Assessment"),
        frozenset({Role.HR_ADMIN, Role.SUPERVISOR, Role.EXECUTIVE}),
        "/assessment/cycles/",
    ),
    NavItem(
        "assessment:appeal_list",
        _("Appeals"),
        frozenset({Role.HR_ADMIN, Role.SUPERVISOR, Role.ACCOUNT_MANAGER}),
        "/assessment/appeals/",
    ),
    NavItem(
        "assessment:template_list",
        _("Templates"),
        frozenset({Role.HR_ADMIN}),
        "/assessment/templates/",
    ),
    NavItem("assessment:metric_list", _("Metrics"), ALL, "/assessment/metrics/"),
    NavItem("feedback:home", _("Feedback"), ALL, "/feedback/"),
    NavItem("training:home", _("Training"), ALL, "/training/"),
    NavItem("org:competency_matrix", _("Competencies"), ALL, "/org/competencies/"),
    NavItem("facts:import_list", _("Imports"), frozenset({Role.HR_ADMIN}), "/imports/"),
    NavItem(
        "dashboards:org",
        _("Dashboards"),
        frozenset({Role.HR_ADMIN, Role.EXECUTIVE}),
        "/dashboards/",
    ),
    NavItem("admin:index", _("Administration"), frozenset(), "/admin/", admin_site=True),
]

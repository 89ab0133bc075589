from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kaopei.core.navigation import NAV
from kaopei.core.notifications import notification_unread_count
from kaopei.core.roles import user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    items = []
    for item in NAV:
        if not item.visible_to(user, roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a section whose app is not installed in this deployment
            continue
        items.append(
            {"url": url, "label": item.label, "active": request.path.startswith(item.prefix)}
        )
    employee = getattr(user, "employee", None)
    return {
        "nav_unread": notification_unread_count(user=user),  # one query
        "nav_items": items,
        "nav_display_name": employee.name if employee else user.get_username(),
        "user_roles": {r.value for r in roles},
    }

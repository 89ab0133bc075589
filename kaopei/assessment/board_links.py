"""Links other apps add to the calibration board (e.g. the 9-box, rater bias).

Registered at start-up by the app that owns the page; the board shows each link the
signed-in person may follow, to that page for the board's cycle. Assessment knows no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class BoardLink:
    label: str | Promise
    url_name: str  # a route taking the cycle code as its only argument
    visible: Callable[[Any], bool]


_LINKS: dict[str, BoardLink] = {}


def calibration_board_link_register(
    *, label: str | Promise, url_name: str, visible: Callable[[Any], bool]
) -> None:
    """Show a link to ``url_name`` (given the cycle code) on the calibration board to the
    users ``visible(user)`` accepts. Registering a route again replaces its link."""
    _LINKS[url_name] = BoardLink(label, url_name, visible)


def calibration_board_links(*, user: Any, cycle_code: str) -> list[tuple[str, str]]:
    """``(label, url)`` of the links ``user`` may follow, in the order they were registered."""
    return [
        (str(link.label), reverse(link.url_name, args=[cycle_code]))
        for link in _LINKS.values()
        if link.visible(user)
    ]

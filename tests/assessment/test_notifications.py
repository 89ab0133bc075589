"""The notifications page: a user's own messages, in their language, marked read when shown."""

from __future__ import annotations

import html
from typing import Any

import pytest

from kaopei.assessment.models import Cycle
from kaopei.assessment.selectors import notification_unread_count
from kaopei.assessment.services.cycles import cycle_set_status
from kaopei.core.models import Notification
from tests.assessment.conftest import Scored

pytestmark = pytest.mark.django_db
URL = "/assessment/notifications/"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def finalise(s: Scored) -> None:
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.CALIBRATING, user=s.personas.hr.user)
    cycle_set_status(cycle=s.cycle, status=Cycle.Status.FINAL, user=s.personas.hr.user)


def test_the_final_notice_is_listed_linked_and_then_marked_read(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    finalise(scored_cycle)
    assert notification_unread_count(user=p.alice.user) == 1
    body = text(scored_cycle.client(p.alice).get(URL))
    assert "Your 2026Q1 scorecard is final. Please read and acknowledge it." in body
    assert 'href="/assessment/cycles/2026Q1/scorecards/A001/"' in body and "New" in body
    assert notification_unread_count(user=p.alice.user) == 0
    assert ">New<" not in text(scored_cycle.client(p.alice).get(URL))


def test_notifications_follow_the_users_language(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    Notification.objects.create(user=p.alice.user, text_zh="您的考核已定稿", text_en="Final now")
    client = p.client(p.alice)
    assert "您的考核已定稿" in text(client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "Final now" in text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))


def test_nobody_reads_anothers_notifications(scored_cycle: Scored) -> None:
    p = scored_cycle.personas
    Notification.objects.create(user=p.bob.user, text_zh="给白波", text_en="For Bob only")
    body = text(scored_cycle.client(p.alice).get(URL))
    assert "For Bob only" not in body and "You have no notifications." in body
    assert Notification.objects.get().read_at is None


def test_notifications_need_a_login(scored_cycle: Scored) -> None:
    response = scored_cycle.client(None).get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]

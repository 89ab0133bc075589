"""Cycles (scoped lists and lookups, and the unscoped lookup for commands) and the jobs of a
cycle."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from kaopei.assessment.models import Cycle
from kaopei.assessment.rules import can_see_job
from kaopei.assessment.selectors.access import PUBLISHED, is_hr
from kaopei.core.models import Job
from kaopei.core.rules import has_a_role


def cycle_list_visible_to(*, user: Any) -> QuerySet[Cycle]:
    """HR sees every cycle (drafts included); others see published cycles."""
    qs = Cycle.objects.select_related("grade_policy").annotate(n_cards=Count("scorecards"))
    if is_hr(user):
        return qs
    if not has_a_role(user):
        return qs.none()
    return qs.filter(status__in=PUBLISHED)


def cycle_get_for_user(*, user: Any, code: str) -> Cycle:
    cycle = cycle_list_visible_to(user=user).filter(code=code.upper()).first()
    if cycle is None:
        raise Http404
    return cycle


def cycle_by_code(code: str) -> Cycle | None:
    """The cycle with this code (any case), unscoped: for commands an operator runs."""
    return Cycle.objects.filter(code=code.strip().upper()).first()


def job_get_for_user(*, user: Any, job_id: int) -> Job:
    """A job, visible to the person who started it and to HR admins; 404 otherwise."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not can_see_job(user, job):
        raise Http404
    return job


def score_jobs_for_cycle(*, cycle: Cycle, limit: int = 3) -> list[Job]:
    """The latest scoring jobs of a cycle, newest first."""
    return list(
        Job.objects.filter(kind="score", params__code=cycle.code)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )

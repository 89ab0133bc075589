"""Reads of customer surveys and customer interviews, scoped to what the user may see.

Scope: HR admins everyone; a supervisor the people below them in the supervisor chain
(never themself: nobody sends surveys about or records interviews on their own work); an
account manager reads the interviews about themself. Anything outside the scope is a 404.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kaopei.core.history import HistoryEntry, history_trail
from kaopei.core.rules import is_hr_admin
from kaopei.facts.models import Customer
from kaopei.feedback.models import CustomerInterview, SurveyInvitation
from kaopei.feedback.rules import (
    can_read_customer_interviews,
    can_record_customer_interviews,
    can_send_surveys,
)
from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user, subordinate_ids


def _chain_ids(user: Any) -> set[int] | None:
    """None: everyone (HR); else the ids below the user in the supervisor chain."""
    if is_hr_admin(user):
        return None
    me = employee_for_user(user)
    return subordinate_ids(me.pk) if me is not None else set()


def _scoped(qs: QuerySet[Any], ids: set[int] | None, field: str = "employee_id") -> QuerySet[Any]:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


# --- Surveys ---------------------------------------------------------------------------------


def survey_subjects_for(*, user: Any) -> QuerySet[Employee]:
    """The people the user may send surveys about (active ones, by name)."""
    if not can_send_surveys(user):
        raise PermissionDenied
    qs = Employee.objects.filter(active=True).order_by("name", "employee_no")
    return _scoped(qs, _chain_ids(user), "pk")


def survey_subject_get(*, user: Any, employee_no: str) -> Employee:
    """One person the user may send surveys about; 403 without the role, 404 outside scope."""
    employee = survey_subjects_for(user=user).filter(employee_no=employee_no).first()
    if employee is None:
        raise Http404
    return employee


def survey_invitation_list_visible_to(*, user: Any) -> QuerySet[SurveyInvitation]:
    """Surveys sent about people in the user's scope, newest first."""
    if not can_send_surveys(user):
        raise PermissionDenied
    qs = SurveyInvitation.objects.select_related(
        "employee", "customer", "sent_by__employee"
    ).order_by("-created_at", "-pk")
    return _scoped(qs, _chain_ids(user))


def survey_invitation_get_for_user(*, user: Any, pk: int) -> SurveyInvitation:
    invitation = survey_invitation_list_visible_to(user=user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


# --- Customer interviews ---------------------------------------------------------------------


def customer_interview_list_visible_to(*, user: Any) -> QuerySet[CustomerInterview]:
    """Interviews the user may read: HR all; a supervisor their chain's; everyone employed
    the interviews about themself. Newest first."""
    if not can_read_customer_interviews(user):
        raise PermissionDenied
    qs = CustomerInterview.objects.select_related(
        "employee", "customer", "interviewer__employee"
    ).order_by("-held_on", "-pk")
    ids = _chain_ids(user)
    if ids is None:
        return qs
    me = employee_for_user(user)
    mine = Q(employee_id=me.pk) if me is not None else Q(pk__in=[])
    return qs.filter(Q(employee_id__in=ids) | mine)


def customer_interview_get_for_user(*, user: Any, pk: int) -> CustomerInterview:
    interview = customer_interview_list_visible_to(user=user).filter(pk=pk).first()
    if interview is None:
        raise Http404
    return interview


def interview_subjects_for(*, user: Any) -> QuerySet[Employee]:
    """The people the user may record customer interviews about."""
    if not can_record_customer_interviews(user):
        raise PermissionDenied
    qs = Employee.objects.filter(active=True).order_by("name", "employee_no")
    return _scoped(qs, _chain_ids(user), "pk")


def interview_subject_get(*, user: Any, employee_no: str) -> Employee:
    employee = interview_subjects_for(user=user).filter(employee_no=employee_no).first()
    if employee is None:
        raise Http404
    return employee


def interview_customers_for(employee: Employee) -> QuerySet[Customer]:
    """Customers an interview may be recorded against: the person's (lost ones too)."""
    return Customer.objects.filter(owner=employee, voided_at__isnull=True).order_by(
        "name", "customer_no"
    )


def can_edit_customer_interview(user: Any, interview: CustomerInterview) -> bool:
    """Its author (while they may still record interviews about that person) or HR."""
    if is_hr_admin(user):
        return True
    if interview.interviewer_id != getattr(user, "pk", None):
        return False
    return interview_subjects_for(user=user).filter(pk=interview.employee_id).exists()


def customer_interview_history(interview: CustomerInterview) -> list[HistoryEntry]:
    return history_trail(
        interview.history,  # type: ignore[attr-defined]
        model=CustomerInterview,
        fields=["held_on", "satisfaction", "notes", "follow_up"],
        skip_unchanged=True,
    )


def survey_invitations_filter(
    qs: QuerySet[SurveyInvitation],
    *,
    status: str = "",
    person: str = "",
    sent_from: date | None = None,
    sent_to: date | None = None,
    q: str = "",
) -> QuerySet[SurveyInvitation]:
    """Narrow a list of surveys: status ("expired": sent, not answered, past its expiry),
    a person's employee number, the days it was sent, a search on customer or person."""
    now = timezone.now()
    if status == "sent":
        qs = qs.filter(status=SurveyInvitation.Status.SENT, expires_at__gt=now)
    elif status == "expired":
        qs = qs.filter(status=SurveyInvitation.Status.SENT, expires_at__lte=now)
    elif status:
        qs = qs.filter(status=status)
    if person:
        qs = qs.filter(employee__employee_no=person)
    tz = timezone.get_current_timezone()
    if sent_from:
        qs = qs.filter(created_at__gte=datetime.combine(sent_from, time.min, tzinfo=tz))
    if sent_to:
        qs = qs.filter(
            created_at__lt=datetime.combine(sent_to + timedelta(days=1), time.min, tzinfo=tz)
        )
    if q:
        qs = qs.filter(
            Q(customer__name__icontains=q)
            | Q(customer__customer_no__icontains=q)
            | Q(employee__name__icontains=q)
            | Q(employee__employee_no__icontains=q)
            | Q(email__icontains=q)
        )
    return qs


def customer_interviews_filter(
    qs: QuerySet[CustomerInterview],
    *,
    person: str = "",
    held_from: date | None = None,
    held_to: date | None = None,
    q: str = "",
) -> QuerySet[CustomerInterview]:
    if person:
        qs = qs.filter(employee__employee_no=person)
    if held_from:
        qs = qs.filter(held_on__gte=held_from)
    if held_to:
        qs = qs.filter(held_on__lte=held_to)
    if q:
        qs = qs.filter(
            Q(customer__name__icontains=q)
            | Q(customer__customer_no__icontains=q)
            | Q(employee__name__icontains=q)
            | Q(notes__icontains=q)
            | Q(follow_up__icontains=q)
        )
    return qs

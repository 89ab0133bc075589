"""Certificates: who earned one, who may download it, and the public verification.

The rule (the training areas' contract): an enrolment earns a certificate when it is
completed and, if its course has a published post-test, the person has a passed post-test
attempt or the enrolment's (imported) ``post_score`` reaches the post-test's pass mark.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from kaopei.core.rules import is_hr_admin
from kaopei.core.throttle import cache_tries, client_address
from kaopei.org.selectors import employee_for_user
from kaopei.training.models import Certificate, Enrolment, Quiz, QuizAttempt
from kaopei.training.rules import can_list_certificates
from kaopei.training.selectors.sessions import record_scope

# What an enrolment still lacks for its certificate.
MISSING_COMPLETION = "completion"
MISSING_POST_TEST = "post_test"

# The verification code: 12 characters without look-alikes (no 0/O, 1/I/L), as XXXX-XXXX-XXXX.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_NOT_CODE = re.compile(r"[^0-9A-Z]")

# Public lookups (the verification page, the lookup form, the API) per client address.
LOOKUPS_PER_HOUR = 120
_WINDOW = 3600


class TooManyLookups(Exception):
    """Too many codes looked up from one address within the hour."""


@dataclass(frozen=True)
class Eligibility:
    earned: bool
    missing: str = ""  # MISSING_COMPLETION or MISSING_POST_TEST when not earned


def code_format(raw: str) -> str:
    """``raw`` (12 code characters) as XXXX-XXXX-XXXX."""
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_normalise(text: str) -> str | None:
    """A typed code as stored (upper case, dashes where they belong; spaces and dashes as
    typed do not matter), or None when it cannot be a code."""
    raw = _NOT_CODE.sub("", str(text).upper()[:64])
    if len(raw) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return None
    return code_format(raw)


def eligibility_of(enrolments: Iterable[Enrolment]) -> dict[int, Eligibility]:
    """Whether each enrolment earned its certificate, by enrolment id: two queries whatever
    their number (the courses' published post-tests, then the passed attempts at them)."""
    items = list(enrolments)
    course_ids = {e.course_id for e in items}
    post_tests: dict[int, tuple[int, int]] = {
        course_id: (pk, pass_mark)
        for pk, course_id, pass_mark in Quiz.objects.filter(
            course_id__in=course_ids, kind=Quiz.Kind.POST, published=True
        ).values_list("pk", "course_id", "pass_mark")
    }
    passed: dict[int, set[int]] = defaultdict(set)
    if post_tests:
        for quiz_id, employee_id in (
            QuizAttempt.objects.filter(
                quiz_id__in=[pk for pk, _mark in post_tests.values()],
                employee_id__in={e.employee_id for e in items},
                passed=True,
            )
            .values_list("quiz_id", "employee_id")
            .distinct()
        ):
            passed[quiz_id].add(employee_id)
    out: dict[int, Eligibility] = {}
    for e in items:
        if not e.completed or e.status != Enrolment.Status.ENROLLED:
            out[e.pk] = Eligibility(False, MISSING_COMPLETION)
            continue
        test = post_tests.get(e.course_id)
        if test is None:
            out[e.pk] = Eligibility(True)
            continue
        quiz_id, pass_mark = test
        ok = e.employee_id in passed[quiz_id] or (
            e.post_score is not None and e.post_score >= pass_mark
        )
        out[e.pk] = Eligibility(True) if ok else Eligibility(False, MISSING_POST_TEST)
    return out


def enrolment_eligibility(enrolment: Enrolment) -> Eligibility:
    return eligibility_of([enrolment])[enrolment.pk]


def _may_see_person(user: Any, employee_id: int) -> bool:
    """Whether ``user`` may read ``employee_id``'s training records (``record_scope``)."""
    scope = record_scope(user)
    return scope is None or employee_id in scope


def enrolment_get_for_certificate(*, user: Any, pk: int) -> Enrolment:
    """The enrolment whose certificate ``user`` may download; 404 for anyone else (an
    enrolment of a person one may not see does not exist for them)."""
    enrolment = Enrolment.objects.select_related("course", "employee").filter(pk=pk).first()
    if enrolment is None or not _may_see_person(user, enrolment.employee_id):
        raise Http404
    return enrolment


def _lookups_key(address: str) -> str:
    return f"kaopei:certificate-lookups:{address or 'unknown'}"


def lookups_forget(*, address: str) -> None:
    """Give ``address`` its full hourly allowance back (an administrator's or a test's)."""
    cache.delete(_lookups_key(address))


def _count_lookup(request: HttpRequest) -> None:
    if cache_tries(_lookups_key(client_address(request)), _WINDOW) > LOOKUPS_PER_HOUR:
        raise TooManyLookups


def certificate_verify_lookup(*, request: HttpRequest, code: str) -> Certificate | None:
    """The certificate with ``code`` (as typed), or None. Public: every lookup counts
    against the client address's hourly allowance; past it, TooManyLookups (the code is not
    even looked up)."""
    _count_lookup(request)
    normal = code_normalise(code)
    if normal is None:
        return None
    return (
        Certificate.objects.select_related("enrolment__course", "enrolment__employee")
        .filter(code=normal)
        .first()
    )


def certificate_get_for_revoke(*, user: Any, pk: int) -> Certificate:
    """A certificate HR may revoke; 403 for everyone else."""
    if not is_hr_admin(user):
        raise PermissionDenied
    found = (
        Certificate.objects.select_related("enrolment__course", "enrolment__employee")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class OwnCertificate:
    enrolment: Enrolment
    certificate: Certificate | None  # None: earned, issued on first download


def certificates_of_user(*, user: Any) -> list[OwnCertificate]:
    """The signed-in person's certificates: the issued ones and the earned enrolments not
    downloaded yet, latest training first (four queries)."""
    me = employee_for_user(user)
    if me is None:
        return []
    enrolments: QuerySet[Enrolment] = (
        Enrolment.objects.filter(employee=me, completed=True)
        .select_related("course", "certificate")
        .order_by("-session_on", "pk")
    )
    items = list(enrolments)
    earned = eligibility_of(items)
    out = []
    for e in items:
        cert = getattr(e, "certificate", None)
        if cert is not None or earned[e.pk].earned:
            out.append(OwnCertificate(e, cert))
    return out


def certificate_list_for_hr(
    *, user: Any, query: str = "", revoked: str = ""
) -> QuerySet[Certificate]:
    """Every certificate issued, latest first, for HR admins (PermissionDenied otherwise):
    ``query`` matches the code, the person's name or number, or the course's code or title;
    ``revoked`` is "yes", "no" or empty for both."""
    if not can_list_certificates(user):
        raise PermissionDenied
    qs = Certificate.objects.select_related("enrolment__course", "enrolment__employee")
    text = query.strip()[:100]
    if text:
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(enrolment__employee__name__icontains=text)
            | Q(enrolment__employee__employee_no__iexact=text)
            | Q(enrolment__course__code__icontains=text)
            | Q(enrolment__course__title__icontains=text)
            | Q(enrolment__course__title_en__icontains=text)
        )
    if revoked in ("yes", "no"):
        qs = qs.filter(revoked=revoked == "yes")
    return qs.order_by("-issued_on", "-pk")

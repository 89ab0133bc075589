"""Reads of assessment data, scoped to what the user may see.

- HR admins: every cycle and scorecard.
- Supervisors: scorecards of themself and everyone below them in the supervisor chain.
- Account managers: their own scorecard, once the cycle is scored (marked provisional
  until it is final).
- Executives: aggregates (grade distributions), not individual scorecards.
- Trainers: none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kaopei.assessment.models import Appeal, Cycle, Metric, Scorecard, Target, Template
from kaopei.core.models import Job
from kaopei.core.roles import Role, user_roles
from kaopei.org.models import Employee
from kaopei.org.selectors import employee_for_user, subordinate_ids

PUBLISHED = (Cycle.Status.SCORED, Cycle.Status.CALIBRATING, Cycle.Status.FINAL)


def is_hr(user: Any) -> bool:
    return Role.HR_ADMIN in user_roles(user)


def can_calibrate(user: Any) -> bool:
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR})


def can_see_aggregates(user: Any) -> bool:
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.EXECUTIVE, Role.SUPERVISOR})


def cycle_list_visible_to(*, user: Any) -> QuerySet[Cycle]:
    """HR sees every cycle (drafts included); others see published cycles."""
    qs = Cycle.objects.select_related("grade_policy").annotate(n_cards=Count("scorecards"))
    if is_hr(user):
        return qs
    if not user_roles(user):
        return qs.none()
    return qs.filter(status__in=PUBLISHED)


def cycle_get_for_user(*, user: Any, code: str) -> Cycle:
    cycle = cycle_list_visible_to(user=user).filter(code=code.upper()).first()
    if cycle is None:
        raise Http404
    return cycle


def scorecard_scope_ids(user: Any) -> set[int] | None:
    """Employee ids whose scorecards the user may open; None means all."""
    roles = user_roles(user)
    if Role.HR_ADMIN in roles:
        return None
    me = employee_for_user(user)
    if me is None:
        return set()
    ids: set[int] = set()
    if roles & {Role.ACCOUNT_MANAGER, Role.SUPERVISOR}:
        ids.add(me.pk)
    if Role.SUPERVISOR in roles:
        ids |= subordinate_ids(me.pk)
    return ids


def scorecard_list_visible_to(*, user: Any, cycle: Cycle) -> QuerySet[Scorecard]:
    qs = Scorecard.objects.filter(cycle=cycle).select_related(
        "employee", "org_unit", "level", "template"
    )
    ids = scorecard_scope_ids(user)
    if ids is not None:
        if cycle.status not in PUBLISHED:
            return qs.none()
        qs = qs.filter(employee_id__in=ids)
    return qs


def scorecard_get_for_user(*, user: Any, cycle_code: str, employee_no: str) -> Scorecard:
    """One scorecard, or 404 if it does not exist or is outside the user's scope."""
    cycle = cycle_get_for_user(user=user, code=cycle_code)
    card = (
        scorecard_list_visible_to(user=user, cycle=cycle)
        .filter(employee__employee_no=employee_no)
        .prefetch_related("lines__metric", "calibrations__by", "appeals__metric")
        .first()
    )
    if card is None:
        raise Http404
    return card


def require_hr(user: Any) -> None:
    if not is_hr(user):
        raise PermissionDenied


def grade_distribution(
    *, cycle: Cycle, unit_ids: set[int] | None = None, employee_ids: set[int] | None = None
) -> dict[str, int]:
    qs = Scorecard.objects.filter(cycle=cycle)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    return dict(qs.values_list("grade").annotate(n=Count("pk")).order_by())


def metric_list() -> QuerySet[Metric]:
    return Metric.objects.all()


def template_list(*, current_only: bool = False) -> QuerySet[Template]:
    qs = Template.objects.select_related("level", "created_by").prefetch_related("items__metric")
    return qs.filter(current=True) if current_only else qs


def appeals_visible_to(*, user: Any) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("scorecard__cycle", "scorecard__employee", "metric")
    ids = scorecard_scope_ids(user)
    return qs if ids is None else qs.filter(scorecard__employee_id__in=ids)


# --- Scorecard pages: my scorecards, lists, evidence, calibration, appeals (issue 4) ---------
# Appended for views/scorecards.py. Scope always comes from ``scorecard_scope_ids`` above.


def can_open_scorecards(user: Any) -> bool:
    """Roles that see individual scorecards (their own at least): HR, supervisors, AMs."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR, Role.ACCOUNT_MANAGER})


def can_view_calibration(user: Any) -> bool:
    """The calibration board: HR admins and supervisors act on it; executives may read its
    distributions (aggregates only, never the list of cards)."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR, Role.EXECUTIVE})


def is_owner(user: Any, card: Scorecard) -> bool:
    return card.employee.user_id is not None and card.employee.user_id == getattr(user, "pk", None)


def can_calibrate_card(user: Any, card: Scorecard) -> bool:
    """HR or a supervisor with the card in scope (the caller fetched it through a scoped
    selector), never one's own card, while the cycle is scored or calibrating and the grade
    is not decided by the veto or missing data."""
    return (
        can_calibrate(user)
        and not is_owner(user, card)
        and card.cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING)
        and card.grade in {"A", "B", "C"}
        and card.computed_grade in {"A", "B", "C"}
    )


def appeal_window_open(cycle: Cycle) -> bool:
    from django.utils import timezone

    return cycle.status in (Cycle.Status.SCORED, Cycle.Status.CALIBRATING) and (
        cycle.appeal_deadline is None or timezone.localdate() <= cycle.appeal_deadline
    )


def can_appeal_card(user: Any, card: Scorecard) -> bool:
    return is_owner(user, card) and appeal_window_open(card.cycle)


def can_acknowledge_card(user: Any, card: Scorecard) -> bool:
    return is_owner(user, card) and card.cycle.is_final and card.acknowledged_at is None


def my_scorecard_list(*, user: Any) -> QuerySet[Scorecard]:
    """The signed-in person's own scorecards in published cycles, newest cycle first."""
    me = employee_for_user(user)
    if me is None:
        return Scorecard.objects.none()
    return (
        Scorecard.objects.filter(employee=me, cycle__status__in=PUBLISHED)
        .select_related("cycle", "employee")
        .order_by("-cycle__end", "cycle__kind")
    )


def scorecard_search(
    *, user: Any, cycle: Cycle, q: str = "", unit: Any = None, level: Any = None, grade: str = ""
) -> QuerySet[Scorecard]:
    """``scorecard_list_visible_to`` narrowed by a name/employee-number search, an org unit
    (with every unit below it), a job level and a grade."""
    from django.db.models import Q

    from kaopei.org.selectors import unit_descendant_ids

    qs = scorecard_list_visible_to(user=user, cycle=cycle)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employee__name__icontains=q) | Q(employee__employee_no__icontains=q))
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    if level is not None:
        qs = qs.filter(level=level)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("employee__employee_no")


def grade_counts(qs: QuerySet[Scorecard]) -> dict[str, int]:
    """Cards per grade of any scorecard queryset (one grouped query)."""
    return dict(qs.order_by().values_list("grade").annotate(n=Count("pk")))


def grade_bands_for(cycle: Cycle) -> list[Any]:
    """The bands (label, minimum, behaviour examples) of the cycle's grade policy."""
    from kaopei.assessment.models import GradeBand, GradePolicy

    policy_id = cycle.grade_policy_id
    if policy_id is None:
        policy_id = GradePolicy.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return list(GradeBand.objects.filter(policy_id=policy_id).order_by("order"))


def veto_incident(card: Scorecard) -> Any:
    """The compliance incident a card's veto names, or None."""
    from kaopei.facts.models import ComplianceIncident

    if not card.veto_reason:
        return None
    incident_id = card.veto_reason.split(" ", 1)[0]
    return ComplianceIncident.objects.filter(
        incident_id=incident_id, employee_id=card.employee_id
    ).first()


def scorecard_history(*, user: Any, card: Scorecard) -> list[Any]:
    """The audit trail of one scorecard (who, when, before, after), newest first. HR only."""
    from kaopei.org.selectors import FieldChange, HistoryEntry

    if not is_hr(user):
        raise PermissionDenied
    shown = [
        "total",
        "computed_grade",
        "grade",
        "veto_reason",
        "renormalised",
        "template",
        "acknowledged_at",
        "inputs_hash",
    ]
    records = list(
        card.history.select_related("history_user", "history_user__employee").order_by(
            "history_date", "history_id"
        )
    )
    template_ids = {r.template_id for r in records}
    templates = {t.pk: str(t) for t in Template.objects.filter(pk__in=template_ids)}
    labels = {
        name: str(getattr(Scorecard._meta.get_field(name), "verbose_name", name)) for name in shown
    }

    def show(name: str, value: Any) -> str:
        from django.utils.translation import gettext as _

        if value is None or value == "":
            return "—"
        if name == "template":
            return templates.get(value, f"#{value}")
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if name == "inputs_hash":
            return str(value)[:12]
        if name == "acknowledged_at" and hasattr(value, "tzinfo"):
            from django.utils import timezone

            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return str(value)

    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=shown)
            changes = [
                FieldChange(labels[c.field], show(c.field, c.old), show(c.field, c.new))
                for c in delta.changes
            ]
        previous = record
        if record.history_type == "~" and not changes:
            continue  # re-scored with the same result: nothing to audit
        who = "—"
        if record.history_user is not None:
            emp = getattr(record.history_user, "employee", None)
            who = str(emp.name) if emp else record.history_user.get_username()
        entries.append(
            HistoryEntry(
                when=record.history_date, who=who, kind=record.history_type, changes=changes
            )
        )
    return entries[::-1]


def calibration_scope(*, user: Any, cycle: Cycle) -> QuerySet[Scorecard]:
    """The cards a user calibrates (or, for executives, counts): HR and executives every card
    of the cycle; a supervisor everyone below them, not their own card."""
    qs = Scorecard.objects.filter(cycle=cycle)
    roles = user_roles(user)
    if roles & {Role.HR_ADMIN, Role.EXECUTIVE}:
        return qs
    if Role.SUPERVISOR not in roles or cycle.status not in PUBLISHED:
        return qs.none()
    me = employee_for_user(user)
    if me is None:
        return qs.none()
    return qs.filter(employee_id__in=subordinate_ids(me.pk))


def calibration_units(*, user: Any, cycle: Cycle) -> QuerySet[Any]:
    """Units to choose on the board: any unit for HR and executives; for a supervisor the
    units of the cards in their scope and their own unit."""
    from kaopei.org.models import OrgUnit

    roles = user_roles(user)
    if roles & {Role.HR_ADMIN, Role.EXECUTIVE}:
        return OrgUnit.objects.order_by("code")
    ids = set(calibration_scope(user=user, cycle=cycle).values_list("org_unit_id", flat=True))
    me = employee_for_user(user)
    if me is not None and ids:
        ids.add(me.org_unit_id)
    return OrgUnit.objects.filter(pk__in=ids).order_by("code")


def calibration_distribution(
    *, user: Any, cycle: Cycle, unit: Any = None
) -> list[tuple[int, dict[str, int]]]:
    """Grade counts per org unit ``[(unit_id, {grade: n})]`` over the user's calibration
    scope, within ``unit`` and every unit below it when given. One grouped query."""
    from kaopei.org.selectors import unit_descendant_ids

    qs = calibration_scope(user=user, cycle=cycle)
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    per_unit: dict[int, dict[str, int]] = {}
    for unit_id, grade, n in (
        qs.order_by().values_list("org_unit_id", "grade").annotate(n=Count("pk"))
    ):
        per_unit.setdefault(unit_id, {})[grade] = n
    return sorted(per_unit.items())


def calibration_cards(*, user: Any, cycle: Cycle, unit: Any = None) -> QuerySet[Scorecard]:
    """The individual cards on the board (not for executives), best total first."""
    from kaopei.org.selectors import unit_descendant_ids

    if not can_calibrate(user):
        return Scorecard.objects.none()
    qs = calibration_scope(user=user, cycle=cycle).select_related(
        "employee", "org_unit", "level", "cycle"
    )
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    return qs.order_by("-total", "employee__employee_no")


def appeal_get_for_user(*, user: Any, pk: int) -> Appeal:
    """One appeal, or 404 when it does not exist or its scorecard is outside the scope."""
    appeal = (
        appeals_visible_to(user=user)
        .select_related("raised_by__employee", "resolved_by__employee", "scorecard__org_unit")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def can_resolve_appeal(user: Any, appeal: Appeal) -> bool:
    """HR, or a supervisor of the appellant (direct or indirect); never the appellant."""
    if appeal.status != Appeal.Status.OPEN or is_owner(user, appeal.scorecard):
        return False
    roles = user_roles(user)
    if Role.HR_ADMIN in roles:
        return True
    me = employee_for_user(user)
    return (
        Role.SUPERVISOR in roles
        and me is not None
        and appeal.scorecard.employee_id in subordinate_ids(me.pk)
    )


def notification_list_for(*, user: Any) -> QuerySet[Any]:
    from kaopei.core.models import Notification

    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk)


def notification_unread_count(*, user: Any) -> int:
    """For the navigation badge."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_list_for(user=user).filter(read_at__isnull=True).count()


def scorecard_line_get(*, card: Scorecard, metric_code: str) -> Any:
    """One line of a card the caller may see (fetched with ``scorecard_get_for_user``), or
    404 when the card has no line for that metric."""
    for line in card.lines.all():
        if line.metric.code == metric_code:
            return line
    raise Http404


def line_sources(*, card: Scorecard, line: Any) -> dict[str, Any]:
    """What a line was computed from, beyond the business records of ``evidence_for``:
    the manual score and its rater, the quarterly scorecards an annual average averaged,
    and the incident a veto names."""
    from kaopei.assessment.models import ManualScore

    out: dict[str, Any] = {"manual": None, "quarters": [], "veto": None}
    metric = line.metric
    if metric.source == Metric.Source.MANUAL:
        out["manual"] = (
            ManualScore.objects.filter(cycle=card.cycle, employee=card.employee, metric=metric)
            .select_related("rater")
            .first()
        )
    if metric.code == "quarterly_average":
        out["quarters"] = list(
            Scorecard.objects.filter(
                employee_id=card.employee_id,
                cycle__kind=Cycle.Kind.QUARTERLY,
                cycle__start__gte=card.cycle.start,
                cycle__end__lte=card.cycle.end,
            )
            .select_related("cycle")
            .order_by("cycle__start")
        )
    if metric.code == "compliance_incidents":
        out["veto"] = veto_incident(card)
    return out


# --- Configuration pages, jobs and the audit log (views/cycles.py, views/config.py) -------


def cycle_by_code(code: str) -> Cycle | None:
    """The cycle with this code (any case), unscoped: for commands an operator runs."""
    return Cycle.objects.filter(code=code.strip().upper()).first()


def job_get_for_user(*, user: Any, job_id: int) -> Job:
    """A job, visible to the person who started it and to HR admins; 404 otherwise."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not (
        is_hr(user) or (job.created_by_id is not None and job.created_by_id == user.pk)
    ):
        raise Http404
    return job


def score_jobs_for_cycle(*, cycle: Cycle, limit: int = 3) -> list[Job]:
    """The latest scoring jobs of a cycle, newest first."""
    return list(
        Job.objects.filter(kind="score", params__code=cycle.code)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def can_see_targets(user: Any) -> bool:
    """HR admins set targets; supervisors set or review those of their people (DESIGN §1)."""
    return bool(user_roles(user) & {Role.HR_ADMIN, Role.SUPERVISOR})


def targets_cycle_get_for_user(*, user: Any, code: str) -> Cycle:
    """A cycle for the target pages, drafts included (targets are set before a cycle opens).

    HR admins and supervisors only (PermissionDenied otherwise); 404 for an unknown code.
    """
    if not can_see_targets(user):
        raise PermissionDenied
    cycle = Cycle.objects.select_related("grade_policy").filter(code=code.upper()).first()
    if cycle is None:
        raise Http404
    return cycle


def target_list_visible_to(
    *,
    user: Any,
    cycle: Cycle,
    unit_ids: set[int] | None = None,
    level: Any = None,
    metric: Any = None,
    q: str = "",
) -> QuerySet[Target]:
    """Targets of ``cycle``: every one for HR admins, those of themself and the people below
    them for supervisors, none for others. Optional filters: org units (ids, e.g. a unit and
    its sub-units), job level, metric, and employee number or name."""
    qs = (
        Target.objects.filter(cycle=cycle)
        .select_related("employee__org_unit", "employee__level", "metric")
        .order_by("employee__employee_no", "metric__code")
    )
    if not can_see_targets(user):
        return qs.none()
    ids = scorecard_scope_ids(user)
    if ids is not None:
        qs = qs.filter(employee_id__in=ids)
    if unit_ids is not None:
        qs = qs.filter(employee__org_unit_id__in=unit_ids)
    if level is not None:
        qs = qs.filter(employee__level=level)
    if metric is not None:
        qs = qs.filter(metric=metric)
    if q:
        qs = qs.filter(Q(employee__employee_no__icontains=q) | Q(employee__name__icontains=q))
    return qs


def bulk_target_employees(
    *, cycle: Cycle, level: Any = None, unit_ids: set[int] | None = None
) -> list[Employee]:
    """The people a bulk target reaches: employed on any day of ``cycle``, holding a job
    level (others are not assessed), of ``level`` and/or in the units ``unit_ids``."""
    qs = (
        Employee.objects.filter(
            Q(hire_date__isnull=True) | Q(hire_date__lte=cycle.end),
            Q(left_on__isnull=True) | Q(left_on__gte=cycle.start),
            level__isnull=False,
        )
        .select_related("level", "org_unit")
        .order_by("employee_no")
    )
    if level is not None:
        qs = qs.filter(level=level)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    return list(qs)


def metric_get(*, code: str) -> Metric:
    """A metric of the library by code (the library is readable by every role); 404."""
    metric = Metric.objects.filter(code=code).first()
    if metric is None:
        raise Http404
    return metric


def current_templates(*, kind: str) -> QuerySet[Template]:
    """The current template of each job level for cycles of ``kind``."""
    return (
        Template.objects.filter(cycle_kind=kind, current=True)
        .select_related("level")
        .order_by("level__rank", "code")
    )


def target_count(*, cycle: Cycle) -> int:
    return Target.objects.filter(cycle=cycle).count()


def target_values(*, cycle: Cycle, metric: Metric, employees: list[Employee]) -> dict[int, Decimal]:
    """The current target of ``metric`` for each of ``employees`` that has one, by id."""
    return dict(
        Target.objects.filter(cycle=cycle, metric=metric, employee__in=employees).values_list(
            "employee_id", "value"
        )
    )


def target_copy_plan(*, cycle: Cycle, source: Cycle) -> tuple[list[tuple[Employee, Metric]], int]:
    """What copying ``source``'s targets into ``cycle`` touches: the (employee, metric)
    pairs, with levels loaded for the guardrails, and how many replace a target of
    ``cycle``. A fixed number of queries."""
    pairs = list(Target.objects.filter(cycle=source).values_list("employee_id", "metric_id"))
    existing = set(Target.objects.filter(cycle=cycle).values_list("employee_id", "metric_id"))
    employees = Employee.objects.select_related("level").in_bulk({e for e, _m in pairs})
    metrics = Metric.objects.in_bulk({m for _e, m in pairs})
    return (
        [(employees[e], metrics[m]) for e, m in pairs],
        sum(1 for pair in pairs if pair in existing),
    )


def template_versions(*, code: str) -> list[Template]:
    """Every version of template ``code``, newest first, with items and usage counts
    (``n_cards``: scorecards scored with the version); 404 if there is none."""
    versions = list(
        Template.objects.filter(code=code)
        .select_related("level", "created_by")
        .prefetch_related("items__metric")
        .order_by("-version")
    )
    if not versions:
        raise Http404
    used = dict(
        Scorecard.objects.filter(template__code=code)
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for version in versions:
        version.n_cards = used.get(version.pk, 0)  # type: ignore[attr-defined]
    return versions

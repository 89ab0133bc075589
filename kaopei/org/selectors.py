"""Reads of the organisation, already scoped to what the user may see (STYLE.md item 5).

Scope (DESIGN.md §1, §3): HR admins and executives see everyone; a supervisor sees
themself and everyone below them in the supervisor chain (direct and indirect reports); an
account manager or trainer sees themself only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kaopei.core.history import HistoryEntry, history_trail
from kaopei.core.roles import Role, user_roles
from kaopei.core.rules import sees_everyone
from kaopei.org.models import Competency, Employee, JobLevel, LevelExpectation, OrgUnit
from kaopei.org.rules import can_manage_org, sees_their_chain

User = AbstractBaseUser | AnonymousUser


def employee_for_user(user: User) -> Employee | None:
    """The employee record behind a login, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee  # type: ignore[union-attr,attr-defined]
    except Employee.DoesNotExist:
        return None


def subordinate_ids(employee_id: int) -> set[int]:
    """Ids of every direct and indirect report of an employee (one query, cycle-safe)."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, sup in Employee.objects.filter(supervisor__isnull=False).values_list(
        "pk", "supervisor_id"
    ):
        children[sup].append(pk)
    seen: set[int] = set()
    stack = list(children.get(employee_id, []))
    while stack:
        pk = stack.pop()
        if pk in seen or pk == employee_id:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, []))
    return seen


def visible_employee_ids(user: User) -> set[int] | None:
    """None means "everyone"; otherwise the set of employee ids the user may see."""
    if sees_everyone(user):
        return None
    me = employee_for_user(user)
    if me is None:
        return set()
    ids = {me.pk}
    if sees_their_chain(user):
        ids |= subordinate_ids(me.pk)
    return ids


def employee_list_visible_to(*, user: User) -> QuerySet[Employee]:
    """Employees the user may see, with unit, level and supervisor loaded."""
    qs = Employee.objects.select_related("org_unit", "level", "supervisor", "user")
    ids = visible_employee_ids(user)
    if ids is None:
        return qs
    return qs.filter(pk__in=ids)


def employee_get_for_user(*, user: User, employee_no: str) -> Employee:
    """One employee by number, or 404 when it does not exist or is outside the user's scope.

    A 404 (not 403) so that existence outside one's scope does not leak.
    """
    employee = employee_list_visible_to(user=user).filter(employee_no=employee_no).first()
    if employee is None:
        raise Http404
    return employee


def unit_descendant_ids(unit_id: int) -> set[int]:
    """Ids of a unit and every unit below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    out: set[int] = set()
    stack = [unit_id]
    while stack:
        pk = stack.pop()
        if pk in out:
            continue
        out.add(pk)
        stack.extend(children.get(pk, []))
    return out


def unit_list_visible_to(*, user: User) -> QuerySet[OrgUnit]:
    """Org units the user may see: all for HR/executives, else units of visible people and
    their ancestors (so the tree still reads from the top)."""
    ids = visible_employee_ids(user)
    if ids is None:
        return OrgUnit.objects.all()
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    unit_ids: set[int] = set()
    for first in Employee.objects.filter(pk__in=ids).values_list("org_unit_id", flat=True):
        uid: int | None = first
        while uid is not None and uid not in unit_ids:
            unit_ids.add(uid)
            uid = parents.get(uid)
    return OrgUnit.objects.filter(pk__in=unit_ids)


# --- Pages of the organisation (issue 2) ---------------------------------------------------
# Everything below reads for the org pages; permission to open a page is checked with
# ``kaopei.org.rules`` and scope with the selectors above.


@dataclass
class UnitNode:
    """One unit of the tree with head-counts of the active people the viewer may see."""

    unit: OrgUnit
    direct: int = 0
    total: int = 0
    children: list[UnitNode] = field(default_factory=list)
    parent: UnitNode | None = None

    @property
    def path(self) -> list[OrgUnit]:
        """Units from the root down to (excluding) this one, for breadcrumbs."""
        out: list[OrgUnit] = []
        node = self.parent
        while node is not None:
            out.append(node.unit)
            node = node.parent
        return out[::-1]


@dataclass
class UnitTree:
    roots: list[UnitNode]
    nodes: dict[int, UnitNode]


def unit_tree_for_user(*, user: User, include_inactive: bool = True) -> UnitTree:
    """The org-unit tree the user may see (``unit_list_visible_to``), with head-counts.

    Head-counts count active people in the user's scope only: ``direct`` in the unit itself,
    ``total`` including every unit below it. Two queries whatever the size of the tree.
    """
    units = unit_list_visible_to(user=user).order_by("code")
    if not include_inactive:
        units = units.filter(active=True)
    nodes = {u.pk: UnitNode(unit=u) for u in units}
    people = employee_list_visible_to(user=user).filter(active=True).order_by()
    counts = people.values("org_unit_id").annotate(n=Count("pk")).values_list("org_unit_id", "n")
    for unit_id, n in counts:
        if unit_id in nodes:
            nodes[unit_id].direct = n
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)

    def roll_up(node: UnitNode, seen: set[int]) -> int:
        seen.add(node.unit.pk)
        node.total = node.direct + sum(
            roll_up(c, seen) for c in node.children if c.unit.pk not in seen
        )
        return node.total

    seen: set[int] = set()
    for root in roots:
        roll_up(root, seen)
    return UnitTree(roots=roots, nodes=nodes)


def unit_get_for_user(*, user: User, code: str) -> OrgUnit:
    """One org unit by code, or 404 when it does not exist or is outside the user's scope."""
    unit = unit_list_visible_to(user=user).select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def unit_people_visible_to(*, user: User, unit: OrgUnit) -> QuerySet[Employee]:
    """The people of one unit (not of its sub-units) that the user may see, active first."""
    return (
        employee_list_visible_to(user=user).filter(org_unit=unit).order_by("-active", "employee_no")
    )


def employee_search(
    *,
    user: User,
    q: str = "",
    unit: OrgUnit | None = None,
    level: JobLevel | None = None,
    status: str = "active",
    role: str = "",
) -> QuerySet[Employee]:
    """The people list: the user's scope narrowed by the list's filters.

    ``q`` matches name or employee number; ``unit`` includes its sub-units; ``status`` is
    ``active``, ``inactive`` or anything else for both; ``role`` is a role's group name.
    """
    qs = employee_list_visible_to(user=user)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    if unit is not None:
        qs = qs.filter(org_unit_id__in=unit_descendant_ids(unit.pk))
    if level is not None:
        qs = qs.filter(level=level)
    if status == "active":
        qs = qs.filter(active=True)
    elif status == "inactive":
        qs = qs.filter(active=False)
    if role:
        qs = qs.filter(user__groups__name=role).distinct()
    return qs.order_by("employee_no")


@dataclass
class ChainLink:
    employee: Employee
    visible: bool


def employee_supervisor_chain(*, user: User, employee: Employee) -> list[ChainLink]:
    """The supervisor chain above ``employee``, from the top down to the direct supervisor.

    Each link says whether the user may open that person's profile. Cycle-safe; one query
    per level of the chain (chains are short).
    """
    visible = visible_employee_ids(user)
    chain: list[ChainLink] = []
    seen = {employee.pk}
    current = employee.supervisor
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(ChainLink(current, visible is None or current.pk in visible))
        if current.supervisor_id is None:
            break
        current = Employee.objects.filter(pk=current.supervisor_id).first()
    return chain[::-1]


def employee_direct_reports(*, user: User, employee: Employee) -> QuerySet[Employee]:
    """The direct reports of ``employee`` that the user may see."""
    return (
        employee_list_visible_to(user=user)
        .filter(supervisor=employee)
        .order_by("-active", "employee_no")
    )


def employee_roles(employee: Employee) -> list[Role]:
    """The roles of an employee's login, in the order of the Role enum."""
    if employee.user is None:
        return []
    roles = user_roles(employee.user)
    return [r for r in Role if r in roles]


def level_expectations_for(level: JobLevel | None) -> list[LevelExpectation]:
    """What a job level expects, competency by competency (active competencies only)."""
    if level is None:
        return []
    order = {value: i for i, value in enumerate(Competency.Category.values)}
    return sorted(
        LevelExpectation.objects.filter(level=level, competency__active=True).select_related(
            "competency"
        ),
        key=lambda x: (order.get(x.competency.category, 99), x.competency.code),
    )


def employee_history(*, user: User, employee: Employee) -> list[HistoryEntry]:
    """The audit trail of an employee record, newest first. HR admins only.

    Foreign keys show names rather than ids; every other value shows as stored.
    """
    if not can_manage_org(user):
        raise PermissionDenied
    return history_trail(employee.history, model=Employee)  # type: ignore[attr-defined]


def job_level_list_with_headcount() -> QuerySet[JobLevel]:
    """Every job level by rank, annotated with ``headcount`` (active people)."""
    return JobLevel.objects.annotate(
        headcount=Count("employees", filter=Q(employees__active=True))
    ).order_by("rank", "code")


def job_level_get(*, code: str) -> JobLevel:
    level = JobLevel.objects.filter(code=code).first()
    if level is None:
        raise Http404
    return level


def competency_get(*, code: str) -> Competency:
    """One competency with its anchors loaded, or 404. Every signed-in user may read it."""
    competency = Competency.objects.prefetch_related("anchors").filter(code=code).first()
    if competency is None:
        raise Http404
    return competency


@dataclass
class MatrixRow:
    competency: Competency
    cells: list[int | None]  # aligned with the matrix's levels


@dataclass
class MatrixGroup:
    category: str
    label: str
    rows: list[MatrixRow]


@dataclass
class Matrix:
    levels: list[JobLevel]
    groups: list[MatrixGroup]

    @property
    def is_empty(self) -> bool:
        return not self.levels or not self.groups


def competency_matrix_get(*, include_inactive: bool = False) -> Matrix:
    """The competency matrix: competencies grouped by category × job levels by rank.

    Three queries whatever its size. Categories follow the order of ``Competency.Category``.
    """
    levels = list(JobLevel.objects.order_by("rank", "code"))
    competencies = Competency.objects.all()
    if not include_inactive:
        competencies = competencies.filter(active=True)
    values = {
        (x.competency_id, x.level_id): x.expected
        for x in LevelExpectation.objects.filter(competency__in=competencies).only(
            "competency_id", "level_id", "expected"
        )
    }
    order = {value: i for i, value in enumerate(Competency.Category.values)}
    by_category: dict[str, list[MatrixRow]] = defaultdict(list)
    for c in sorted(competencies, key=lambda c: (order.get(c.category, 99), c.code)):
        by_category[c.category].append(MatrixRow(c, [values.get((c.pk, lvl.pk)) for lvl in levels]))
    labels = dict(Competency.Category.choices)
    groups = [
        MatrixGroup(category, str(labels.get(category, category)), rows)
        for category, rows in by_category.items()
    ]
    return Matrix(levels=levels, groups=groups)


def competency_expectations(competency: Competency) -> list[LevelExpectation]:
    """What each job level expects of one competency, by rank."""
    return list(
        LevelExpectation.objects.filter(competency=competency)
        .select_related("level")
        .order_by("level__rank", "level__code")
    )


def competency_inactive_list() -> QuerySet[Competency]:
    return Competency.objects.filter(active=False).order_by("category", "code")


def unit_active_contents(*, unit: OrgUnit) -> tuple[int, int]:
    """How many active people and active sub-units a unit holds directly."""
    return (
        Employee.objects.filter(org_unit=unit, active=True).count(),
        OrgUnit.objects.filter(parent=unit, active=True).count(),
    )

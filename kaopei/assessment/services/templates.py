"""Templates: weights per job level and cycle kind, versioned (DESIGN.md §3, §4.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.grades import DEFAULT_CAP
from kaopei.assessment.models import Metric, Template, TemplateItem
from kaopei.assessment.sources import metric_available, unavailable_reason
from kaopei.core.errors import ApplicationError
from kaopei.org.models import JobLevel

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ItemSpec:
    metric: str
    weight: Decimal
    cap: Decimal = DEFAULT_CAP


@dataclass(frozen=True)
class TemplateProblem:
    """One problem with a set of template items: a stable ``code`` (``duplicate``,
    ``weights``, ``weight``, ``cap``, ``unknown_metric``, ``annual_only``) and its message."""

    code: str
    message: str


def template_weight_total(items: Sequence[ItemSpec]) -> Decimal:
    return sum((i.weight for i in items), Decimal(0))


def template_problems(*, cycle_kind: str, items: Sequence[ItemSpec]) -> list[TemplateProblem]:
    """Every rule a template version must meet (the pages and the import both ask here)."""
    problems: list[TemplateProblem] = []
    codes = [i.metric for i in items]
    if len(set(codes)) != len(codes):
        problems.append(
            TemplateProblem("duplicate", str(_("A metric appears twice in the template.")))
        )
    total = template_weight_total(items)
    if total != HUNDRED:
        problems.append(
            TemplateProblem(
                "weights", str(_("The weights add up to %(total)s, not 100.") % {"total": total})
            )
        )
    for i in items:
        if i.weight <= 0:
            problems.append(
                TemplateProblem(
                    "weight",
                    str(_("The weight of %(metric)s must be above 0.") % {"metric": i.metric}),
                )
            )
        if i.cap <= 0:
            problems.append(
                TemplateProblem(
                    "cap", str(_("The cap of %(metric)s must be above 0.") % {"metric": i.metric})
                )
            )
    known = dict(Metric.objects.filter(code__in=codes, active=True).values_list("code", "source"))
    for code in codes:
        if code not in known:
            problems.append(
                TemplateProblem(
                    "unknown_metric", str(_("Unknown metric “%(metric)s”.") % {"metric": code})
                )
            )
        elif not metric_available(code=code, source=known[code]):
            not_yet = _("It cannot be put in a template yet.")
            problems.append(
                TemplateProblem("metric_unavailable", f"{unavailable_reason(code)} {not_yet}")
            )
    if "quarterly_average" in codes and cycle_kind != "annual":
        problems.append(
            TemplateProblem(
                "annual_only", str(_("quarterly_average belongs in annual templates only."))
            )
        )
    return problems


def template_validate(*, cycle_kind: str, items: Sequence[ItemSpec]) -> list[str]:
    """The problems with a set of template items, as translated messages (empty if fine)."""
    return [p.message for p in template_problems(cycle_kind=cycle_kind, items=items)]


def template_keeps_level(*, previous: Template | None, level_id: int, cycle_kind: str) -> bool:
    """Whether a new version may follow ``previous`` (the template's latest version, if any):
    a template keeps its job level and cycle kind."""
    return previous is None or (previous.level_id == level_id and previous.cycle_kind == cycle_kind)


@transaction.atomic
def template_create_version(
    *,
    code: str,
    level: JobLevel,
    cycle_kind: str,
    items: Sequence[ItemSpec],
    user: Any = None,
    note: str = "",
    import_batch: Any = None,
) -> Template:
    """Create the next version of template ``code`` and make it current for its level and
    cycle kind. Scorecards already made keep the version they used. Raises ApplicationError
    when the weights do not add up to 100 or a metric is unknown."""
    problems = template_validate(cycle_kind=cycle_kind, items=items)
    if problems:
        raise ApplicationError(" ".join(problems))
    previous = Template.objects.filter(code=code).order_by("-version").first()
    if not template_keeps_level(previous=previous, level_id=level.pk, cycle_kind=cycle_kind):
        raise ApplicationError(
            _("Template %(code)s is for another level or cycle kind; choose a new code.")
            % {"code": code}
        )
    Template.objects.filter(level=level, cycle_kind=cycle_kind, current=True).update(current=False)
    template = Template.objects.create(
        code=code,
        version=(previous.version + 1) if previous else 1,
        level=level,
        cycle_kind=cycle_kind,
        current=True,
        note=note,
        created_by=user,
        import_batch=import_batch,
    )
    metrics = {m.code: m for m in Metric.objects.filter(code__in=[i.metric for i in items])}
    TemplateItem.objects.bulk_create(
        [
            TemplateItem(template=template, metric=metrics[i.metric], weight=i.weight, cap=i.cap)
            for i in items
        ]
    )
    return template

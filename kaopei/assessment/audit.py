"""The audit log (issue 4 "Audit"): who changed what, when, from what to what.

One timeline, newest first, over the django-simple-history records of targets, manual
scores, metrics, cycles, scorecards and appeals, plus template versions and calibrations
(each of those rows is itself the record of a change). HR admins only.

A page reads only the keys (date, id) of the newest rows of each kind, merges them, then
loads the rows of that page with, for each, the record just before it (one query per kind),
so "before → after" costs a fixed number of queries however long the history is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kaopei.assessment.models import (
    Appeal,
    Calibration,
    Cycle,
    ManualScore,
    Metric,
    Scorecard,
    Target,
    Template,
)
from kaopei.assessment.selectors import require_hr
from kaopei.core.history import ValueText, plain, who
from kaopei.org.models import Employee


@dataclass(frozen=True)
class AuditChange:
    field: str
    before: str
    after: str


@dataclass
class AuditEntry:
    kind: str
    kind_label: str
    when: datetime
    who: str
    action: str  # created | changed | deleted
    subject: str
    url: str
    changes: list[AuditChange] = field(default_factory=list)
    note: str = ""


class _HistorySource:
    """The simple-history records of one model as audit entries."""

    def __init__(
        self,
        kind: str,
        label: Any,
        model: type[Model],
        *,
        cycle_filter: Callable[[QuerySet[Any], Cycle], QuerySet[Any]] | None,
        subject: Callable[[Any, dict[type, dict[int, Any]]], tuple[str, str]],
        shown: tuple[str, ...],
        excluded: tuple[str, ...] = (),
    ) -> None:
        self.kind, self.label, self.model = kind, label, model
        self.cycle_filter, self.subject = cycle_filter, subject
        self.shown, self.excluded = shown, set(excluded) | {"created_at", "updated_at"}

    @property
    def history(self) -> Any:
        return self.model.history.model  # type: ignore[attr-defined]

    def base(self, cycle: Cycle | None) -> QuerySet[Any]:
        qs = self.history.objects.all()
        if cycle is not None:
            qs = self.cycle_filter(qs, cycle) if self.cycle_filter else qs.none()
        return qs

    def count(self, cycle: Cycle | None) -> int:
        return self.base(cycle).count()

    def keys(self, cycle: Cycle | None, n: int) -> list[tuple[datetime, int]]:
        return list(
            self.base(cycle)
            .order_by("-history_date", "-history_id")
            .values_list("history_date", "history_id")[:n]
        )

    def entries(self, pks: list[int]) -> dict[int, AuditEntry]:
        hist = self.history
        before = (
            hist.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            hist.objects.filter(history_id__in=pks)
            .select_related("history_user__employee")
            .annotate(prev_id=Subquery(before))
        )
        prevs = {
            p.history_id: p
            for p in hist.objects.filter(history_id__in=[r.prev_id for r in rows if r.prev_id])
        }
        text = ValueText(self.model, [*rows, *prevs.values()], related=_related_qs)
        show, label = text.show, text.label
        names = text.objects

        out: dict[int, AuditEntry] = {}
        for rec in rows:
            prev = prevs.get(rec.prev_id) if rec.prev_id else None
            action = {"+": "created", "-": "deleted"}.get(rec.history_type, "changed")
            changes: list[AuditChange] = []
            note = rec.history_change_reason or ""
            if action == "changed" and prev is not None:
                delta = rec.diff_against(prev, excluded_fields=self.excluded)
                changes = [
                    AuditChange(label(c.field), show(c.field, c.old), show(c.field, c.new))
                    for c in delta.changes
                ]
                if not changes and not note:
                    note = str(gettext_lazy("Saved again, nothing changed."))
            else:
                if action == "changed":  # no earlier record (e.g. made by a migration)
                    note = note or str(gettext_lazy("No earlier record: the values as saved."))
                for name in self.shown:
                    value = show(name, text.attr(rec, name))
                    if value == "—":
                        continue
                    changes.append(
                        AuditChange(label(name), "—", value)
                        if action != "deleted"
                        else AuditChange(label(name), value, "—")
                    )
            subject, url = self.subject(rec, names)
            out[rec.history_id] = AuditEntry(
                kind=self.kind,
                kind_label=str(self.label),
                when=rec.history_date,
                who=who(rec.history_user),
                action=action,
                subject=subject,
                url=url,
                changes=changes,
                note=note,
            )
        return out


def _related_qs(model: type[Model], qs: Any) -> Any:
    """Scorecards named in the audit show their cycle and employee."""
    return qs.select_related("cycle", "employee") if model is Scorecard else qs


def _obj(names: dict[type, dict[int, Any]], model: type, pk: int | None) -> Any:
    return names.get(model, {}).get(pk) if pk is not None else None


def _target_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    cycle = _obj(names, Cycle, rec.cycle_id)
    employee = _obj(names, Employee, rec.employee_id)
    metric = _obj(names, Metric, rec.metric_id)
    subject = " · ".join(
        [
            cycle.code if cycle else f"#{rec.cycle_id}",
            str(employee) if employee else f"#{rec.employee_id}",
            metric.code if metric else f"#{rec.metric_id}",
        ]
    )
    url = reverse("assessment:target_list", args=[cycle.code]) if cycle else ""
    if cycle and employee:
        url += "?" + urlencode({"q": employee.employee_no})
    return subject, url


def _manual_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    subject, _url = _target_subject(rec, names)
    return subject, ""


def _scorecard_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    cycle = _obj(names, Cycle, rec.cycle_id)
    employee = _obj(names, Employee, rec.employee_id)
    subject = " · ".join(
        [
            cycle.code if cycle else f"#{rec.cycle_id}",
            str(employee) if employee else f"#{rec.employee_id}",
        ]
    )
    url = (
        reverse("assessment:scorecard", args=[cycle.code, employee.employee_no])
        if cycle and employee
        else ""
    )
    return subject, url


def _appeal_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    card = _obj(names, Scorecard, rec.scorecard_id)
    metric = _obj(names, Metric, rec.metric_id)
    if card is None:
        return f"#{rec.scorecard_id}", ""
    subject = " · ".join([card.cycle.code, str(card.employee), metric.code if metric else ""])
    return subject, reverse("assessment:appeal_detail", args=[rec.id])


def _cycle_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    return rec.code, reverse("assessment:cycle_detail", args=[rec.code])


def _metric_subject(rec: Any, names: dict[type, dict[int, Any]]) -> tuple[str, str]:
    return f"{rec.name_zh} / {rec.name_en} ({rec.code})", reverse(
        "assessment:metric_edit", args=[rec.code]
    )


def _in_cycle_cards(qs: QuerySet[Any], cycle: Cycle) -> QuerySet[Any]:
    return qs.filter(scorecard_id__in=Scorecard.objects.filter(cycle=cycle).values("pk"))


class _TemplateSource:
    """Template versions: each is a change of weights, shown against the version before."""

    kind = "templates"
    label = gettext_lazy("Templates")

    def base(self, cycle: Cycle | None) -> QuerySet[Template]:
        qs = Template.objects.all()
        if cycle is not None:
            qs = qs.filter(pk__in=Scorecard.objects.filter(cycle=cycle).values("template_id"))
        return qs

    def count(self, cycle: Cycle | None) -> int:
        return self.base(cycle).count()

    def keys(self, cycle: Cycle | None, n: int) -> list[tuple[datetime, int]]:
        return list(
            self.base(cycle).order_by("-created_at", "-pk").values_list("created_at", "pk")[:n]
        )

    def entries(self, pks: list[int]) -> dict[int, AuditEntry]:
        rows = list(
            Template.objects.filter(pk__in=pks)
            .select_related("level", "created_by__employee")
            .prefetch_related("items__metric")
        )
        wanted = Q(pk__in=[])
        for t in rows:
            wanted |= Q(code=t.code, version=t.version - 1)
        previous = {
            (t.code, t.version): t
            for t in Template.objects.filter(wanted).prefetch_related("items__metric")
        }
        out: dict[int, AuditEntry] = {}
        for t in rows:
            prev = previous.get((t.code, t.version - 1))
            old = {i.metric.code: i for i in prev.items.all()} if prev else {}
            new = {i.metric.code: i for i in t.items.all()}
            changes = []
            for code in sorted(set(old) | set(new), key=lambda c: (c not in new, c)):
                a, b = old.get(code), new.get(code)
                before = (
                    gettext_lazy("weight %(w)s, cap %(c)s")
                    % {"w": plain(a.weight), "c": plain(a.cap)}
                    if a
                    else "—"
                )
                after = (
                    gettext_lazy("weight %(w)s, cap %(c)s")
                    % {"w": plain(b.weight), "c": plain(b.cap)}
                    if b
                    else "—"
                )
                if before != after:
                    changes.append(AuditChange(code, str(before), str(after)))
            out[t.pk] = AuditEntry(
                kind=self.kind,
                kind_label=str(self.label),
                when=t.created_at,
                who=who(t.created_by),
                action="changed" if prev else "created",
                subject=f"{t.code} v{t.version} · {t.level} · {t.get_cycle_kind_display()}",
                url=reverse("assessment:template_detail", args=[t.code]) + f"?version={t.version}",
                changes=changes,
                note=t.note,
            )
        return out


class _CalibrationSource:
    """Calibrations: each row records a grade moved by hand, with its reason."""

    kind = "calibrations"
    label = gettext_lazy("Calibrations")

    def base(self, cycle: Cycle | None) -> QuerySet[Calibration]:
        qs = Calibration.objects.all()
        return qs.filter(scorecard__cycle=cycle) if cycle is not None else qs

    def count(self, cycle: Cycle | None) -> int:
        return self.base(cycle).count()

    def keys(self, cycle: Cycle | None, n: int) -> list[tuple[datetime, int]]:
        return list(self.base(cycle).order_by("-at", "-pk").values_list("at", "pk")[:n])

    def entries(self, pks: list[int]) -> dict[int, AuditEntry]:
        rows = Calibration.objects.filter(pk__in=pks).select_related(
            "scorecard__cycle", "scorecard__employee", "by__employee"
        )
        return {
            c.pk: AuditEntry(
                kind=self.kind,
                kind_label=str(self.label),
                when=c.at,
                who=who(c.by),
                action="changed",
                subject=f"{c.scorecard.cycle.code} · {c.scorecard.employee}",
                url=reverse(
                    "assessment:scorecard",
                    args=[c.scorecard.cycle.code, c.scorecard.employee.employee_no],
                ),
                changes=[AuditChange(str(gettext_lazy("grade")), c.from_grade, c.to_grade)],
                note=c.reason,
            )
            for c in rows
        }


AUDIT_SOURCES: list[Any] = [
    _HistorySource(
        "targets",
        gettext_lazy("Targets"),
        Target,
        cycle_filter=lambda qs, c: qs.filter(cycle_id=c.pk),
        subject=_target_subject,
        shown=("value",),
    ),
    _HistorySource(
        "manual_scores",
        gettext_lazy("Manual scores"),
        ManualScore,
        cycle_filter=lambda qs, c: qs.filter(cycle_id=c.pk),
        subject=_manual_subject,
        shown=("value", "rater"),
    ),
    _TemplateSource(),
    _HistorySource(
        "metrics",
        gettext_lazy("Metrics"),
        Metric,
        cycle_filter=None,
        subject=_metric_subject,
        shown=("name_zh", "name_en", "unit", "direction", "mode", "floor", "ceiling", "active"),
    ),
    _HistorySource(
        "cycles",
        gettext_lazy("Cycles"),
        Cycle,
        cycle_filter=lambda qs, c: qs.filter(id=c.pk),
        subject=_cycle_subject,
        shown=("status", "grade_policy", "appeal_deadline", "max_a_share"),
    ),
    _HistorySource(
        "scorecards",
        gettext_lazy("Scorecards"),
        Scorecard,
        cycle_filter=lambda qs, c: qs.filter(cycle_id=c.pk),
        subject=_scorecard_subject,
        shown=("total", "grade", "veto_reason"),
        excluded=("inputs_hash", "weight_with_data", "weight_total"),
    ),
    _CalibrationSource(),
    _HistorySource(
        "appeals",
        gettext_lazy("Appeals"),
        Appeal,
        cycle_filter=_in_cycle_cards,
        subject=_appeal_subject,
        shown=("status", "reason"),
    ),
]
AUDIT_KINDS = [(s.kind, s.label) for s in AUDIT_SOURCES]


class AuditLog:
    """The audit timeline, newest first, as a sequence a Paginator can slice.

    ``kind`` limits it to one kind of record; ``cycle`` to records of that cycle (metrics,
    which belong to no cycle, are then left out; templates show the versions it used).
    """

    def __init__(self, *, kind: str = "", cycle: Cycle | None = None) -> None:
        self.cycle = cycle
        self.sources = [s for s in AUDIT_SOURCES if kind in ("", s.kind)]
        if cycle is not None:
            self.sources = [
                s for s in self.sources if not isinstance(s, _HistorySource) or s.cycle_filter
            ]
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = sum(s.count(self.cycle) for s in self.sources)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[AuditEntry]:
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        keys = [
            (when, i, pk)
            for i, s in enumerate(self.sources)
            for when, pk in s.keys(self.cycle, stop)
        ]
        keys.sort(reverse=True)
        page = keys[start:stop]
        wanted: dict[int, list[int]] = defaultdict(list)
        for _when, i, pk in page:
            wanted[i].append(pk)
        built = {i: self.sources[i].entries(pks) for i, pks in wanted.items()}
        return [built[i][pk] for _when, i, pk in page if pk in built[i]]


def audit_log_for_user(*, user: Any, kind: str = "", cycle_code: str = "") -> AuditLog:
    """The audit timeline for HR admins (PermissionDenied for others); an unknown kind is
    treated as "all kinds", an unknown cycle code as 404."""
    require_hr(user)
    cycle = None
    if cycle_code:
        cycle = Cycle.objects.filter(code=cycle_code.upper()).first()
        if cycle is None:
            raise Http404
    if kind not in {k for k, _label in AUDIT_KINDS}:
        kind = ""
    return AuditLog(kind=kind, cycle=cycle)

"""Loaders of the assessment kinds: ``targets``, ``manual_scores`` and ``templates``
(DESIGN.md §3, §4.2 ⚑).

- A ``targets`` or ``manual_scores`` row for a cycle that does not exist yet creates it (as a
  draft) when the file is imported — not on a dry run. A final cycle refuses every row.
- Manual scores are only for manual metrics (computed metrics ignore them).
- ``templates`` rows are keyed by template + metric. Importing a template that exists makes a
  new version holding the previous version's metrics with the file's rows applied (a weight
  of 0 removes a metric); the weights of every template the file touches must then add up to
  100, or the whole file is refused. A file that changes nothing makes no version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle, ManualScore, Metric, Scorecard, Target, Template
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_lock, ensure_not_final
from kaopei.assessment.services.targets import target_warnings, targets_set
from kaopei.assessment.services.templates import (
    DEFAULT_CAP,
    ItemSpec,
    template_create_version,
    template_keeps_level,
    template_problems,
    template_weight_total,
)
from kaopei.core.periods import parse_period
from kaopei.imports.importing import RowError
from kaopei.imports.loaders.base import (
    Counts,
    FinalCycle,
    Planned,
    Reference,
    changes_of,
    data_fields,
    decode_snapshot,
    loader_error,
    record_changes,
    snapshot,
)
from kaopei.imports.loaders.models import ModelLoader
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Employee, JobLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VALUE_PLACES = 6  # targets and scores: DECIMAL(24, 6)
ITEM_PLACES = 2  # template weights and caps: DECIMAL(…, 2)


def decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def too_many_decimals(row: int, column: str, value: Decimal, places: int) -> RowError:
    """The pipeline's own ``too_many_decimals`` error, for limits only the model knows."""
    return RowError.of(
        "too_many_decimals", {"places": places}, row=row, column=column, value=f"{value:f}"
    )


ROLLBACK_FINAL_CYCLE = _("Cycle {cycle} is final and uses values of this import.")
ROLLBACK_NEWER_VERSION = _(
    "Template {template} has a newer version than the one this import made; roll that back "
    "or edit the template instead."
)
ROLLBACK_FINAL_TEMPLATE = _("Cycle {cycle} is final and was scored with a template of this import.")


class CycleValueLoader(ModelLoader):
    """Targets and manual scores: one value per cycle, employee and metric."""

    value_column = "value"
    references = {
        "employee_no": Reference(Employee, "employee_no", "unknown_employee"),
        "metric": Reference(Metric, "code", "unknown_metric"),
    }

    def check(self) -> None:
        codes = {parsed["cycle"] for parsed in self.rows}
        self.cycles = {c.code: c for c in Cycle.objects.filter(code__in=codes)}
        employees = dict(Employee.objects.values_list("employee_no", "pk"))
        metrics = {m.code: m for m in Metric.objects.all()}
        good = []
        for parsed in self.rows:
            row = parsed.row
            ok = True
            cycle = self.cycles.get(parsed["cycle"])
            if cycle is not None and cycle.is_final:
                self.errors.append(
                    loader_error(
                        "final_cycle", row=row, column="cycle", value=cycle.code, cycle=cycle.code
                    )
                )
                ok = False
            if parsed["employee_no"] not in employees:
                self.errors.append(
                    loader_error(
                        "unknown_employee",
                        row=row,
                        column="employee_no",
                        value=parsed["employee_no"],
                    )
                )
                ok = False
            metric = metrics.get(parsed["metric"])
            if metric is None:
                self.errors.append(
                    loader_error("unknown_metric", row=row, column="metric", value=parsed["metric"])
                )
                ok = False
            elif not self.metric_ok(metric, row):
                ok = False
            places = decimal_places(parsed[self.value_column])
            if places > VALUE_PLACES:
                self.errors.append(
                    too_many_decimals(
                        row, self.value_column, parsed[self.value_column], VALUE_PLACES
                    )
                )
                ok = False
            if self.row_ok(parsed, employees) and ok:
                good.append(parsed)
        if self.errors:
            return
        found: Any = self.model._default_manager
        existing = {
            (obj.cycle.code, obj.employee_id, obj.metric_id): obj
            for obj in found.filter(
                cycle__code__in=codes, employee_id__in={employees[p["employee_no"]] for p in good}
            ).select_related("cycle")
        }
        for parsed in good:
            key = (parsed["cycle"], employees[parsed["employee_no"]], metrics[parsed["metric"]].pk)
            values = self.values(parsed, employees)
            item = self.plan_row(parsed.row, existing.get(key), values, lambda: self.model())
            item.obj._cycle_code = key[0]  # type: ignore[attr-defined]
            item.obj.employee_id, item.obj.metric_id = key[1], key[2]  # type: ignore[attr-defined]
            self.plan.append(item)
        self.metrics = metrics

    def metric_ok(self, metric: Metric, row: int) -> bool:
        return True

    def row_ok(self, parsed: Any, employees: dict[str, int]) -> bool:
        return True

    def values(self, parsed: Any, employees: dict[str, int]) -> dict[str, Any]:
        return {"value": parsed[self.value_column]}

    def cycle_for(self, code: str) -> Cycle:
        """The cycle of ``code``, created as a draft now if needed (write only)."""
        if code not in self.cycles:
            self.cycles[code] = cycle_get_or_create(code=code)
        return self.cycles[code]

    def touched(self) -> dict[str, Any]:
        codes = {i.obj._cycle_code for i in self.plan if i.changed}  # type: ignore[attr-defined]
        return {"cycles": sorted(codes)}

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        final_codes = {c.code for c in finals}
        reasons: dict[int, StrOrPromise] = {}
        for batch in batches:
            hit = sorted(final_codes & set((batch.touched or {}).get("cycles", ())))
            if hit:
                reasons[batch.pk] = format_lazy(ROLLBACK_FINAL_CYCLE, cycle=hit[0])
        return reasons


class TargetLoader(CycleValueLoader):
    kind = "targets"
    writes = ("assessment.target",)
    model = Target
    value_column = "target"

    def check(self) -> None:
        super().check()
        if not self.errors:
            self._warn()

    def _warn(self) -> None:
        """The guardrails of the target pages, as warnings at the rows they concern."""
        people = {
            e.pk: e
            for e in Employee.objects.filter(
                pk__in={i.obj.employee_id for i in self.plan}
            ).select_related("level")
        }
        metrics = {m.pk: m for m in self.metrics.values()}
        by_cycle: dict[str, list[Planned]] = defaultdict(list)
        for item in self.plan:
            if item.changed:
                by_cycle[item.obj._cycle_code].append(item)  # type: ignore[attr-defined]
        for code, items in by_cycle.items():
            period = parse_period(code)
            cycle = self.cycles.get(code) or Cycle(
                code=code, kind=period.kind, start=period.start, end=period.end
            )
            rows: dict[tuple[str, str], int] = {}
            pairs = []
            for item in items:
                person = people[item.obj.employee_id]  # type: ignore[attr-defined]
                metric = metrics[item.obj.metric_id]  # type: ignore[attr-defined]
                rows.setdefault((person.employee_no, metric.code), item.row)
                pairs.append((person, metric))
            seen_after_open = False
            for warning in target_warnings(cycle=cycle, rows=pairs):
                if warning.code == "after_open":
                    if seen_after_open:
                        continue
                    seen_after_open = True
                row = rows[(warning.employee_no, warning.metric)]
                self.warnings.append(
                    RowError(
                        row, "metric", warning.metric, warning.message, f"target_{warning.code}", {}
                    )
                )
            self._warn_rollup(cycle, items)

    def _warn_rollup(self, cycle: Cycle, items: list[Planned]) -> None:
        """Units whose people's targets would roll up short of or over their unit target by
        more than the margin once this file is written (a warning, not a refusal)."""
        if cycle.pk is None:
            return
        from kaopei.assessment.selectors.unit_targets import unit_target_warnings
        from kaopei.assessment.services.unit_targets import rollup_warning_messages

        overrides = {(i.obj.employee_id, i.obj.metric_id): i.obj.value for i in items}  # type: ignore[attr-defined]
        first_row = {i.obj.metric_id: i.row for i in reversed(items)}  # type: ignore[attr-defined]
        flagged = unit_target_warnings(cycle=cycle, metric_ids=set(first_row), overrides=overrides)
        for row, message in zip(flagged, rollup_warning_messages(flagged), strict=True):
            self.warnings.append(
                RowError(
                    first_row[row.metric.pk],
                    "target",
                    row.unit.code,
                    message,
                    f"target_rollup_{row.result.flag}",
                    {},
                )
            )

    def write(self) -> Counts:
        changed = [i for i in self.plan if i.changed]
        record_changes(
            self.ctx.batch, Target, [(i.obj.pk, i.before) for i in changed if not i.created]
        )
        by_cycle: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(dict)
        for item in changed:
            obj: Any = item.obj
            by_cycle[obj._cycle_code][(obj.employee_id, obj.metric_id)] = obj.value
        for code, values in by_cycle.items():
            targets_set(
                cycle=self.cycle_for(code),
                values=values,
                user=self.ctx.actor,
                import_batch=self.ctx.batch,
            )
        return self.count()


class ManualScoreLoader(CycleValueLoader):
    kind = "manual_scores"
    writes = ("assessment.manualscore",)
    model = ManualScore
    references = {
        **CycleValueLoader.references,
        "rater_no": Reference(Employee, "employee_no", "unknown_employee"),
    }

    def metric_ok(self, metric: Metric, row: int) -> bool:
        if metric.source != Metric.Source.MANUAL:
            self.errors.append(
                loader_error("metric_not_manual", row=row, column="metric", value=metric.code)
            )
            return False
        return True

    def row_ok(self, parsed: Any, employees: dict[str, int]) -> bool:
        rater = parsed.get("rater_no")
        if rater is not None and rater not in employees:
            self.errors.append(
                loader_error("unknown_employee", row=parsed.row, column="rater_no", value=rater)
            )
            return False
        return True

    def values(self, parsed: Any, employees: dict[str, int]) -> dict[str, Any]:
        values: dict[str, Any] = {"value": parsed["value"]}
        if "rater_no" in self.present:
            rater = parsed["rater_no"]
            values["rater_id"] = employees[rater] if rater is not None else None
        return values

    def write(self) -> Counts:
        # The check above read the cycles without a lock: lock each one this file changes
        # and check again, so a cycle finalised meanwhile refuses the file (as targets do).
        for code in sorted({i.obj._cycle_code for i in self.plan if i.changed}):  # type: ignore[attr-defined]
            ensure_not_final(cycle_lock(pk=self.cycle_for(code).pk))
        for item in self.plan:
            if item.created:
                item.obj.cycle = self.cycle_for(item.obj._cycle_code)  # type: ignore[attr-defined]
        fields = ["value", *(["rater"] if "rater_no" in self.present else [])]
        self.save_plan(self.plan, fields)
        return self.count()


class TemplateLoader(ModelLoader):
    """Templates: every changed template gets a new version (see the module docstring)."""

    kind = "templates"
    writes = ("assessment.template",)
    model = Template
    references = {
        "level": Reference(JobLevel, "code", "unknown_level"),
        "metric": Reference(Metric, "code", "unknown_metric", active_only=True),
    }

    def check(self) -> None:
        levels = dict(JobLevel.objects.values_list("code", "pk"))
        metrics = dict(Metric.objects.filter(active=True).values_list("code", "pk"))
        groups: dict[str, list[Any]] = defaultdict(list)
        for parsed in self.rows:
            ok = True
            if parsed["level"] not in levels:
                self.errors.append(
                    loader_error(
                        "unknown_level", row=parsed.row, column="level", value=parsed["level"]
                    )
                )
                ok = False
            if parsed["metric"] not in metrics:
                self.errors.append(
                    loader_error(
                        "unknown_metric", row=parsed.row, column="metric", value=parsed["metric"]
                    )
                )
                ok = False
            for column in ("weight", "cap"):
                value = parsed.get(column)
                if value is not None and decimal_places(value) > ITEM_PLACES:
                    self.errors.append(too_many_decimals(parsed.row, column, value, ITEM_PLACES))
                    ok = False
            if ok:
                groups[parsed["template"]].append(parsed)
        latest: dict[str, Template] = {}
        for template in (
            Template.objects.filter(code__in=list(groups))
            .select_related("level")
            .prefetch_related("items__metric")
            .order_by("code", "-version")
        ):
            latest.setdefault(template.code, template)
        self.changes: list[tuple[str, int, str, list[ItemSpec], Template | None]] = []
        for code, rows in groups.items():
            first = rows[0]
            level_id, cycle_kind = levels[first["level"]], first["cycle_kind"]
            previous = latest.get(code)
            if not template_keeps_level(
                previous=previous, level_id=level_id, cycle_kind=cycle_kind
            ):
                assert previous is not None
                self.errors.append(
                    loader_error(
                        "template_other_level",
                        row=first.row,
                        column="template",
                        value=code,
                        template=code,
                        level=previous.level.code,
                        cycle_kind=Cycle.Kind(previous.cycle_kind).label,
                    )
                )
                continue
            items = {
                i.metric.code: (i.weight, i.cap) for i in (previous.items.all() if previous else ())
            }
            before = dict(items)
            for parsed in rows:
                metric = parsed["metric"]
                old = items.get(metric)
                cap = parsed["cap"] if "cap" in self.present else (old[1] if old else DEFAULT_CAP)
                if parsed["weight"] == 0:
                    items.pop(metric, None)
                else:
                    items[metric] = (parsed["weight"], cap)
                state = None if old is None else (parsed["weight"] == 0 or old != items.get(metric))
                created = old is None and parsed["weight"] != 0
                self.plan.append(
                    Planned(
                        parsed.row,
                        previous or Template(),
                        created=created,
                        changed=bool(state) or created,
                    )
                )
            if items == before and previous is not None:
                continue
            specs = [ItemSpec(metric=m, weight=w, cap=c) for m, (w, c) in items.items()]
            # The file can remove every metric (weight 0); the rest are the service's rules.
            problems = template_problems(cycle_kind=cycle_kind, items=specs) if specs else []
            if not specs:
                self.errors.append(
                    loader_error(
                        "template_empty",
                        row=first.row,
                        column="template",
                        value=code,
                        template=code,
                    )
                )
            elif any(p.code == "weights" for p in problems):
                total = template_weight_total(specs)
                self.errors.append(
                    loader_error(
                        "template_weights",
                        row=first.row,
                        column="weight",
                        value=f"{total}",
                        template=code,
                        total=f"{total.normalize():f}",
                    )
                )
            elif problems:
                self.errors.append(
                    loader_error(
                        "template_invalid",
                        row=first.row,
                        column="template",
                        value=code,
                        template=code,
                        problems=" ".join(p.message for p in problems),
                    )
                )
            self.changes.append((code, level_id, cycle_kind, specs, previous))

    def write(self) -> Counts:
        levels = JobLevel.objects.in_bulk({level_id for _c, level_id, _k, _s, _p in self.changes})
        for code, level_id, cycle_kind, specs, _previous in self.changes:
            # The version(s) this one replaces as current (not one this file just made).
            currents = list(
                Template.objects.filter(
                    level_id=level_id, cycle_kind=cycle_kind, current=True
                ).exclude(import_batch=self.ctx.batch)
            )
            record_changes(
                self.ctx.batch,
                Template,
                [(t.pk, snapshot(t, data_fields(Template))) for t in currents],
            )
            template_create_version(
                code=code,
                level=levels[level_id],
                cycle_kind=cycle_kind,
                items=specs,
                user=self.ctx.actor,
                note=str(_("Imported from %(file)s") % {"file": self.ctx.batch.file_name})[:200],
                import_batch=self.ctx.batch,
            )
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        ids = [b.pk for b in batches]
        reasons: dict[int, StrOrPromise] = {}
        newer = Template.objects.filter(import_batch__in=ids, current=False).order_by()
        for batch_id, code in newer.values_list("import_batch", "code"):
            reasons.setdefault(batch_id, format_lazy(ROLLBACK_NEWER_VERSION, template=code))
        if finals:
            cards = Scorecard.objects.filter(
                template__import_batch__in=ids, cycle__status=Cycle.Status.FINAL
            ).order_by()
            for batch_id, code in cards.values_list("template__import_batch", "cycle__code"):
                reasons[batch_id] = format_lazy(ROLLBACK_FINAL_TEMPLATE, cycle=code)
        return reasons

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        # The versions it made go (their items with them); the versions it replaced are
        # current again.
        for template in Template.objects.filter(import_batch=batch).exclude(
            pk__in=changes_of(batch, Template).values("object_id")
        ):
            template.delete()
        for change in changes_of(batch, Template):
            values = decode_snapshot(Template, change.before)
            Template.objects.filter(pk=change.object_id).update(current=values.get("current", True))

"""The loader of the ``courses`` import kind (DESIGN.md §4.2 ⚑).

A row whose code exists updates that course (its title, module, format and hours; its
metrics and competencies when the file has those columns — a blank cell clears the list);
a new code creates an active course. Every metric and competency code must exist: an
unknown one is an error of its row that names it. An identical file reports every row
unchanged. The "before" snapshot of an updated course also keeps its metrics and
competencies, so that a rollback puts them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Metric
from kaopei.imports.loaders.base import MESSAGES, Counts, FinalCycle, Planned, loader_error
from kaopei.imports.loaders.models import ModelLoader
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency
from kaopei.training.models import Course
from kaopei.training.services.catalogue import CODE_RE, RESERVED_CODES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES.setdefault("unknown_competency", _("There is no competency with the code “{value}”."))
MESSAGES.setdefault(
    "invalid_course_code",
    _(
        "“{value}” cannot be a course code: use letters, digits, dots, hyphens and "
        "underscores, starting with a letter or digit (e.g. SPIN-101)."
    ),
)

ROLLBACK_USED = _(
    "Courses of this file have sessions or enrolments now: the import can no longer be "
    "rolled back. Change or deactivate the courses instead."
)

SCALARS = ("title", "module", "format", "hours")
RELATIONS = {"metrics": "unknown_metric", "competencies": "unknown_competency"}


class CourseLoader(ModelLoader):
    kind = "courses"
    writes = ("training.course",)
    model = Course
    key = "code"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # pk-less new courses and updated ones: the relation ids each should end with.
        self.wanted: list[tuple[Planned, dict[str, list[int]]]] = []

    def check(self) -> None:
        existing = {c.code: c for c in Course.objects.all()}
        current: dict[str, dict[int, set[int]]] = {name: {} for name in RELATIONS}
        for course in existing.values():
            for name in RELATIONS:
                current[name][course.pk] = set()
        through_fields = {"metrics": "metric_id", "competencies": "competency_id"}
        for name in RELATIONS:
            if name not in self.present:
                continue
            through = getattr(Course, name).through
            for course_id, other_id in through.objects.values_list(
                "course_id", through_fields[name]
            ):
                current[name][course_id].add(other_id)
        known = {
            "metrics": dict(Metric.objects.values_list("code", "pk")),
            "competencies": dict(Competency.objects.values_list("code", "pk")),
        }
        for parsed in self.rows:
            code = parsed["code"]
            ok = True
            if not CODE_RE.match(code) or code.lower() in RESERVED_CODES:
                self.errors.append(
                    loader_error("invalid_course_code", row=parsed.row, column="code", value=code)
                )
                ok = False
            relations: dict[str, list[int]] = {}
            for name, error in RELATIONS.items():
                if name not in self.present:
                    continue
                ids = []
                for item in parsed[name] or ():
                    pk = known[name].get(item)
                    if pk is None:
                        self.errors.append(
                            loader_error(error, row=parsed.row, column=name, value=item)
                        )
                        ok = False
                    else:
                        ids.append(pk)
                relations[name] = ids
            if not ok:
                continue
            values = {n: parsed[n] for n in SCALARS}
            obj = existing.get(code)
            planned = self.plan_row(parsed.row, obj, values, lambda c=code: Course(code=c))
            if obj is not None:
                for name, ids in relations.items():
                    before = current[name].get(obj.pk, set())
                    planned.before[name] = sorted(before)
                    if set(ids) != before:
                        planned.changed = True
            self.plan.append(planned)
            self.wanted.append((planned, relations))

    def write(self) -> Counts:
        self.save_plan(self.plan, SCALARS)
        codes = [p.obj.code for p, _r in self.wanted if p.created]
        pks = dict(Course.objects.filter(code__in=codes).values_list("code", "pk"))
        actor = self.ctx.actor
        for planned, relations in self.wanted:
            if not planned.changed:
                continue
            course = planned.obj
            if course.pk is None:
                course.pk = pks[course.code]
            course._history_user = actor
            for name, ids in relations.items():
                getattr(course, name).set(ids)
        return self.count()

    @classmethod
    def rollback_reasons(
        cls, batches: Sequence[ImportBatch], finals: Sequence[FinalCycle]
    ) -> dict[int, StrOrPromise]:
        """A batch whose courses now have sessions or enrolments cannot be rolled back
        (its new courses could not be deleted)."""
        used = (
            Course.objects.filter(import_batch__in=[b.pk for b in batches])
            .filter(Q(sessions__isnull=False) | Q(enrolments__isnull=False))
            .values_list("import_batch_id", flat=True)
            .distinct()
        )
        return dict.fromkeys((i for i in used if i is not None), ROLLBACK_USED)

    @classmethod
    def rollback(cls, batch: ImportBatch, user: Any) -> None:
        for course, before in cls.restore_updated(batch, user):
            course._history_user = user  # type: ignore[attr-defined]
            for name in RELATIONS:
                if name in before:
                    getattr(course, name).set(before[name])
        cls.delete_created(batch, user)

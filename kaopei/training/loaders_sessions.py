"""The loader of the ``enrolments`` import kind: training records from another learning
system (``source=import``), keyed by course + employee number + training date. Unknown
courses or people are row errors (nothing is stored); an identical file changes nothing;
a record kept in Kaopei (a session's place) is not overwritten by a file."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kaopei.imports.importing import RowError
from kaopei.imports.loaders.base import Counts, Reference, loader_error
from kaopei.imports.loaders.models import ModelLoader
from kaopei.org.models import Employee
from kaopei.training.models import Course, Enrolment

UNKNOWN_COURSE = _("There is no course with the code “{value}”.")
KEPT_IN_KAOPEI = _(
    "{value} took this course on this date through a Kaopei session: change it on the "
    "session's attendance sheet, not by import."
)
OPTIONAL = ("reaction", "pre_score", "post_score")


class EnrolmentLoader(ModelLoader):
    kind = "enrolments"
    writes = ("training.enrolment",)
    model = Enrolment
    references = {
        "employee_no": Reference(Employee, "employee_no", "unknown_employee"),
    }

    def _error(self, row: int, column: str, value: str, message: Any, code: str) -> None:
        from django.utils.text import format_lazy

        self.errors.append(
            RowError(row, column, value, format_lazy(message, value=value), code, {"value": value})
        )

    def check(self) -> None:
        courses = dict(
            Course.objects.filter(code__in={p["course"] for p in self.rows}).values_list(
                "code", "pk"
            )
        )
        nos = {p["employee_no"] for p in self.rows}
        people = dict(Employee.objects.filter(employee_no__in=nos).values_list("employee_no", "pk"))
        good = []
        for parsed in self.rows:
            ok = True
            if parsed["course"] not in courses:
                self._error(
                    parsed.row, "course", parsed["course"], UNKNOWN_COURSE, "unknown_course"
                )
                ok = False
            if parsed["employee_no"] not in people:
                self.errors.append(
                    loader_error(
                        "unknown_employee",
                        row=parsed.row,
                        column="employee_no",
                        value=parsed["employee_no"],
                    )
                )
                ok = False
            if ok:
                good.append(parsed)
        if self.errors:
            return
        existing = {
            (e.course_id, e.employee_id, e.session_on): e
            for e in Enrolment.objects.filter(
                employee_id__in={people[p["employee_no"]] for p in good},
                course_id__in={courses[p["course"]] for p in good},
                session_on__in={p["session_on"] for p in good},
            )
        }
        for parsed in good:
            key = (courses[parsed["course"]], people[parsed["employee_no"]], parsed["session_on"])
            found = existing.get(key)
            if found is not None and found.source == Enrolment.Source.KAOPEI:
                self._error(
                    parsed.row,
                    "employee_no",
                    parsed["employee_no"],
                    KEPT_IN_KAOPEI,
                    "kept_in_kaopei",
                )
                continue
            values: dict[str, Any] = {
                "hours": parsed["hours"],
                "completed": parsed["completed"],
                "status": Enrolment.Status.ENROLLED,
                "source": Enrolment.Source.IMPORT,
            }
            for column in OPTIONAL:
                if column in self.present:
                    values[column] = parsed[column]

            def new(key: tuple[int, int, Any] = key) -> Enrolment:
                return Enrolment(course_id=key[0], employee_id=key[1], session_on=key[2])

            self.plan.append(self.plan_row(parsed.row, found, values, new))

    def write(self) -> Counts:
        fields = [
            "hours",
            "completed",
            "status",
            "source",
            *[c for c in OPTIONAL if c in self.present],
        ]
        self.save_plan(self.plan, fields)
        return self.count()

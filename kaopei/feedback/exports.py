"""``kaopei export feedback CYCLE -o FILE`` (DESIGN.md §4.1, §7 ⚑): the 360 results of the
cycle's round exactly as every report shows them.

The rows are :func:`kaopei.feedback.selectors.reports.round_report_rows` of the cycle's
**closed** round and nothing else (while a round is open a figure would move with one more
answer; an open or missing round is an error): columns ``cycle, employee_no, competency,
group, responses, mean`` — ``competency`` the competency code, ``responses`` an integer,
``mean`` rounded half-up to 2 decimals — sorted by employee number, competency code, then
group in the order self, supervisor, peers, subordinates, customers, others, all_raters.
The file is written by :func:`kaopei.assessment.exports.write_table` (CSV UTF-8 with a BOM,
or xlsx), whose text cells go through :mod:`kaopei.core.spreadsheets`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError
from kaopei.feedback.anonymity import GROUP_ORDER
from kaopei.feedback.models import FeedbackRound
from kaopei.feedback.selectors.reports import report_table_rows
from kaopei.org.models import Competency, Employee

if TYPE_CHECKING:
    from kaopei.assessment.models import Cycle

FEEDBACK_COLUMNS = ("cycle", "employee_no", "competency", "group", "responses", "mean")

ExportRow = list[str | Decimal | None]


def closed_round(cycle: Cycle) -> FeedbackRound:
    """The cycle's 360 round, if closed; ApplicationError otherwise."""
    found = FeedbackRound.objects.filter(cycle=cycle).first()
    if found is None:
        raise ApplicationError(_("Cycle %(code)s has no 360 round.") % {"code": cycle.code})
    if found.status != FeedbackRound.Status.CLOSED:
        raise ApplicationError(
            _(
                "The 360 round of cycle %(code)s is not closed yet: its results exist once it "
                "is closed."
            )
            % {"code": cycle.code}
        )
    return found


def feedback_rows(cycle: Cycle) -> Iterator[ExportRow]:
    """The export's rows for ``cycle`` (checks the round at once, then yields)."""
    found = closed_round(cycle)
    return _rows(cycle.code, found.pk)


def _rows(code: str, round_id: int) -> Iterator[ExportRow]:
    numbers = dict(Employee.objects.values_list("pk", "employee_no"))
    codes = dict(Competency.objects.values_list("pk", "code"))
    for subject_id, competency_id, group, responses, _total, cents in report_table_rows(
        round_id, order="codes"
    ):
        yield [
            code,
            numbers[subject_id],
            codes[competency_id],
            group,
            Decimal(responses),
            Decimal(cents).scaleb(-2),
        ]


__all__ = ["FEEDBACK_COLUMNS", "GROUP_ORDER", "closed_round", "feedback_rows"]

"""The loader of ``feedback_answers`` (DESIGN.md §7 ⚑ "The feedback_answers import").

- The rows of one ``response`` are one rater's answers about one subject: they must share
  cycle, subject and relationship, and name each competency once. The response id only
  groups rows: it is never stored, never shown in a message (see
  :class:`kaopei.feedback.import_kinds.ResponseId`), and the uploaded file is removed once
  the import has run (a dry run keeps it, so that the checked file can be imported).
- A file replaces the previously imported answers of every (cycle, subject) it names;
  answers given in Kaopei stay. A (cycle, subject) whose imported responses are the same
  multiset of (relationship, {competency: score, comment}) as the file's is unchanged.
- At most one self and one supervisor response per subject, counting the answers given in
  Kaopei (the import does not replace those); a supervisor response needs a subject with a
  supervisor, who is its rater; the self response's rater is the subject.
- The cycle is created if needed (a draft), and its 360 round too (open); a final cycle or
  a closed round refuses the file. Any violation refuses the whole file.
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kaopei.assessment.models import Cycle
from kaopei.assessment.services.cycles import cycle_get_or_create, cycle_lock, ensure_not_final
from kaopei.core.errors import ConflictError
from kaopei.feedback.import_kinds import ResponseId
from kaopei.feedback.models import FeedbackRound, Invitation, Response, RoundSubject
from kaopei.feedback.models.rounds import ANONYMOUS, ATTRIBUTED, Relationship
from kaopei.feedback.services.responses import Score, Stored, responses_replace_imported
from kaopei.imports.importing import ParsedRow, RowError
from kaopei.imports.loaders.base import (
    Counts,
    Loader,
    Reference,
    WithoutRollback,
    loader_error,
)
from kaopei.imports.models import ImportBatch
from kaopei.org.models import Competency, Employee

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[str, StrOrPromise] = {
    "final_cycle": _("Cycle {cycle} is final: nothing that feeds it can change any more."),
    "round_closed": _(
        "The 360 round of cycle {cycle} is closed: its answers can no longer change."
    ),
    "unknown_competency": _("There is no competency with the code or name “{value}”."),
    "ambiguous_competency": _(
        "“{value}” is the name of several competencies: use the competency's code."
    ),
    "response_other_subject": _(
        "The rows of one response are one rater's answers about one subject: this row names "
        "{value}, the response's first row (row {first}) names {other}."
    ),
    "response_other_relationship": _(
        "The rows of one response share their relationship: this row says {value}, the "
        "response's first row (row {first}) says {other}."
    ),
    "response_other_cycle": _(
        "The rows of one response share their cycle: this row says {value}, the response's "
        "first row (row {first}) says {other}."
    ),
    "response_competency_twice": _(
        "This response already scores the competency {value} (row {first}): one row per "
        "response and competency."
    ),
    "second_attributed": _(
        "Subject {value} already has a {relationship} response in this file (row {first}): "
        "at most one self and one supervisor response per subject."
    ),
    "attributed_in_kaopei": _(
        "Subject {value} already gave or received the {relationship} answer in Kaopei for "
        "cycle {cycle}; an imported one cannot be added (at most one per subject)."
    ),
    "anonymous_in_kaopei": _(
        "Subject {value}'s {relationship} answers for cycle {cycle} are collected in Kaopei: "
        "a person's anonymous answers come from Kaopei or from an import, never both (mixed, "
        "known answers added to a group could be subtracted from its mean)."
    ),
    "no_supervisor": _(
        "Subject {value} has no supervisor, so there can be no supervisor response."
    ),
}
NO_ROLLBACK = _(
    "A 360 answers import replaces the earlier imported answers, which are not kept: import "
    "the earlier file again instead of rolling back."
)


def feedback_error(code: str, *, row: int, column: str, value: object, **params: Any) -> RowError:
    text = "" if value is None else str(value)
    params.setdefault("value", text)
    return RowError(row, column, text, format_lazy(MESSAGES[code], **params), code, params)


@dataclass(slots=True)
class _Row:
    row: int
    cycle: str
    subject_no: str
    relationship: str
    response: int  # the response's number in this run, not its id
    competency: str
    score: int
    comment: str


# An imported response as compared on re-import: its relationship and its answers.
Signature = tuple[str, frozenset[tuple[int, int, int, str]]]


class FeedbackAnswerLoader(WithoutRollback, Loader):
    no_rollback = NO_ROLLBACK

    kind = "feedback_answers"
    writes = ("feedback.feedbackround", "feedback.roundsubject", "feedback.response",
              "feedback.answer")  # fmt: skip
    references = {"subject_no": Reference(Employee, "employee_no", "unknown_employee")}

    def __init__(self, ctx: Any, columns: Sequence[str]) -> None:
        super().__init__(ctx, columns)
        self.rows: list[_Row] = []
        self.numbers: dict[ResponseId, int] = {}
        # (cycle, subject id) → the file's responses; filled by check().
        self.plan: dict[tuple[str, int], list[Stored]] = {}
        self.counts = Counts()
        self.changed: set[tuple[str, int]] = set()

    def feed(self, rows: list[ParsedRow], *, clean: bool = True) -> None:
        numbers = self.numbers
        for parsed in rows:
            number = numbers.setdefault(parsed["response"], len(numbers))
            self.rows.append(
                _Row(
                    parsed.row,
                    parsed["cycle"],
                    parsed["subject_no"],
                    parsed["relationship"],
                    number,
                    parsed["competency"],
                    parsed["score"],
                    (parsed["comment"] or "") if "comment" in self.present else "",
                )
            )

    # --- checks ---------------------------------------------------------------------------

    def _competency_ids(self) -> dict[str, int | None]:
        """Code, Chinese name or English name (case-insensitive) → id; None: ambiguous."""
        by_code: dict[str, int] = {}
        by_name: dict[str, int | None] = {}
        for pk, code, name, name_en in Competency.objects.values_list(
            "pk", "code", "name", "name_en"
        ):
            by_code[code.casefold()] = pk
            for text in {name.strip().casefold(), name_en.strip().casefold()} - {""}:
                by_name[text] = pk if by_name.get(text, pk) == pk else None
        return {**by_name, **by_code}

    def check(self) -> None:
        if not self.rows:
            return
        codes = sorted({r.cycle for r in self.rows})
        self.cycles = {c.code: c for c in Cycle.objects.filter(code__in=codes)}
        self.rounds = {
            r.cycle.code: r
            for r in FeedbackRound.objects.filter(cycle__code__in=codes).select_related("cycle")
        }
        refused: set[str] = set()
        for r in self.rows:
            if r.cycle in refused:
                continue
            cycle = self.cycles.get(r.cycle)
            found = self.rounds.get(r.cycle)
            if cycle is not None and cycle.is_final:
                code = "final_cycle"
            elif found is not None and found.status == FeedbackRound.Status.CLOSED:
                code = "round_closed"
            else:
                continue
            refused.add(r.cycle)
            self.errors.append(
                feedback_error(code, row=r.row, column="cycle", value=r.cycle, cycle=r.cycle)
            )
        people: dict[str, tuple[int, int | None]] = {
            no: (pk, sup)
            for no, pk, sup in Employee.objects.filter(
                employee_no__in={r.subject_no for r in self.rows}
            ).values_list("employee_no", "pk", "supervisor_id")
        }
        competencies = self._competency_ids()
        first: dict[int, _Row] = {}
        answers: dict[int, dict[int, Score]] = defaultdict(dict)
        for r in self.rows:
            person = people.get(r.subject_no)
            if person is None:
                self.errors.append(
                    loader_error(
                        "unknown_employee", row=r.row, column="subject_no", value=r.subject_no
                    )
                )
            competency_id = competencies.get(r.competency.casefold(), -1)
            if competency_id is None or competency_id == -1:
                code = "ambiguous_competency" if competency_id is None else "unknown_competency"
                self.errors.append(
                    feedback_error(code, row=r.row, column="competency", value=r.competency)
                )
                competency_id = None
            head = first.setdefault(r.response, r)
            if head is not r:
                for column, mine, theirs, code in (
                    ("cycle", r.cycle, head.cycle, "response_other_cycle"),
                    ("subject_no", r.subject_no, head.subject_no, "response_other_subject"),
                    ("relationship", r.relationship, head.relationship,
                     "response_other_relationship"),
                ):  # fmt: skip
                    if mine != theirs:
                        self.errors.append(
                            feedback_error(
                                code,
                                row=r.row,
                                column=column,
                                value=mine,
                                first=head.row,
                                other=theirs,
                            )  # fmt: skip
                        )
            if competency_id is not None:
                given = answers[r.response]
                if competency_id in given:
                    self.errors.append(
                        feedback_error(
                            "response_competency_twice",
                            row=r.row,
                            column="competency",
                            value=r.competency,
                            first=self._first_row(r.response, competency_id, competencies),
                        )
                    )
                else:
                    given[competency_id] = Score(r.score, 1, r.comment.strip())
        # Per response (its first row): self and supervisor rules.
        attributed_in_file: dict[tuple[str, str, str], int] = {}
        kaopei = self._kaopei_attributed(people)
        kaopei_anonymous = self._kaopei_anonymous(people)
        for head in sorted(first.values(), key=lambda item: item.row):
            if head.relationship not in ATTRIBUTED:
                person = people.get(head.subject_no)
                if person is not None and (head.cycle, person[0]) in kaopei_anonymous:
                    self.errors.append(
                        feedback_error(
                            "anonymous_in_kaopei",
                            row=head.row,
                            column="relationship",
                            value=head.subject_no,
                            relationship=Relationship(head.relationship).label,
                            cycle=head.cycle,
                        )  # fmt: skip
                    )
                continue
            person = people.get(head.subject_no)
            label = Relationship(head.relationship).label
            key = (head.cycle, head.subject_no, head.relationship)
            earlier = attributed_in_file.setdefault(key, head.row)
            if earlier != head.row:
                self.errors.append(
                    feedback_error(
                        "second_attributed",
                        row=head.row,
                        column="relationship",
                        value=head.subject_no,
                        first=earlier,
                        relationship=label,
                    )  # fmt: skip
                )
            if person is None:
                continue
            if (head.cycle, person[0], head.relationship) in kaopei:
                self.errors.append(
                    feedback_error(
                        "attributed_in_kaopei",
                        row=head.row,
                        column="relationship",
                        value=head.subject_no,
                        relationship=label,
                        cycle=head.cycle,
                    )  # fmt: skip
                )
            if head.relationship == Relationship.SUPERVISOR and person[1] is None:
                self.errors.append(
                    feedback_error(
                        "no_supervisor", row=head.row, column="relationship", value=head.subject_no
                    )
                )
        if self.errors:
            return
        for number, head in first.items():
            subject_id, supervisor_id = people[head.subject_no]
            rater = {
                Relationship.SELF: subject_id,
                Relationship.SUPERVISOR: supervisor_id,
            }.get(Relationship(head.relationship))
            self.plan.setdefault((head.cycle, subject_id), []).append(
                Stored(subject_id, head.relationship, rater, answers[number])
            )
        self._compare()

    def _first_row(
        self, response: int, competency_id: int, competencies: dict[str, int | None]
    ) -> int:
        """The first row of ``response`` naming ``competency_id`` (for a message: only a
        file in error pays for this scan)."""
        for r in self.rows:
            if (
                r.response == response
                and competencies.get(r.competency.casefold()) == competency_id
            ):
                return r.row
        return 0

    def _kaopei_attributed(
        self, people: dict[str, tuple[int, int | None]]
    ) -> set[tuple[str, int, str]]:
        """(cycle, subject id, relationship) of the self and supervisor answers given in
        Kaopei for the subjects of the file."""
        rounds = [r.pk for r in self.rounds.values()]
        if not rounds:
            return set()
        ids = {pk for pk, _sup in people.values()}
        found = Response.objects.filter(
            round__in=rounds,
            subject_id__in=ids,
            relationship__in=ATTRIBUTED,
            source=Response.Source.KAOPEI,
        ).values_list("round__cycle__code", "subject_id", "relationship")
        return set(found)

    def _kaopei_anonymous(self, people: dict[str, tuple[int, int | None]]) -> set[tuple[str, int]]:
        """(cycle, subject id) of the subjects whose anonymous answers are collected in
        Kaopei: an anonymous rater invited or answered there."""
        rounds = [r.pk for r in self.rounds.values()]
        if not rounds:
            return set()
        ids = {pk for pk, _sup in people.values()}
        found = (
            Invitation.objects.filter(
                round__in=rounds,
                subject_id__in=ids,
                relationship__in=ANONYMOUS,
                status__in=(Invitation.Status.INVITED, Invitation.Status.COMPLETED),
            )
            .values_list("round__cycle__code", "subject_id")
            .distinct()
        )
        return set(found)

    COMPARE_CHUNK = 2000  # subjects whose imported answers are compared at once

    def _compare(self) -> None:
        """Which (cycle, subject) change, and the counts in rows of the file — a chunk of
        subjects at a time, so the database's answers are never all in memory."""
        by_round = {r.pk: code for code, r in self.rounds.items()}
        subjects = sorted({subject_id for _c, subject_id in self.plan})
        for start in range(0, len(subjects), self.COMPARE_CHUNK):
            part = subjects[start : start + self.COMPARE_CHUNK]
            before = self._imported(by_round, part)
            wanted = set(part)
            for key, stored in self.plan.items():
                if key[1] not in wanted:
                    continue
                mine: Counter[Signature] = Counter(
                    (
                        s.relationship,
                        frozenset((c, v.total, v.items, v.comment) for c, v in s.scores.items()),
                    )
                    for s in stored
                )
                n = sum(len(s.scores) for s in stored)
                if before.get(key) == mine:
                    self.counts.unchanged += n
                else:
                    self.changed.add(key)
                    if before.get(key):
                        self.counts.updated += n
                    else:
                        self.counts.created += n

    def _imported(
        self, by_round: dict[int, str], subjects: list[int]
    ) -> dict[tuple[str, int], Counter[Signature]]:
        """The imported responses of ``subjects`` in the file's rounds, by (cycle, subject),
        as multisets of signatures."""
        before: dict[tuple[str, int], Counter[Signature]] = defaultdict(Counter)
        if not by_round or not subjects:
            return before
        answers = (
            Response.objects.filter(
                round__in=list(by_round), source=Response.Source.IMPORT, subject_id__in=subjects
            )
            .values_list(
                "pk",
                "round_id",
                "subject_id",
                "relationship",
                "answers__competency_id",
                "answers__total",
                "answers__items",
                "answers__comment",
            )  # fmt: skip
            .order_by()
        )
        responses: dict[Any, tuple[tuple[str, int], str, list[Any]]] = {}
        for pk, round_id, subject_id, relationship, comp, total, items, comment in answers:
            entry = responses.setdefault(pk, ((by_round[round_id], subject_id), relationship, []))
            if comp is not None:
                entry[2].append((comp, total, items, comment))
        for key, relationship, given in responses.values():
            before[key][(relationship, frozenset(given))] += 1
        return before

    # --- writing --------------------------------------------------------------------------

    def count(self) -> Counts:
        return self.counts

    def write(self) -> Counts:
        by_cycle: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for key in sorted(self.changed):
            by_cycle[key[0]].append(key)
        for code, keys in by_cycle.items():
            cycle = cycle_lock(pk=cycle_get_or_create(code=code).pk)
            ensure_not_final(cycle)
            feedback_round, _created = FeedbackRound.objects.get_or_create(
                cycle=cycle,
                defaults={"status": FeedbackRound.Status.OPEN, "opened_at": timezone.now()},
            )
            feedback_round = FeedbackRound.objects.select_for_update().get(pk=feedback_round.pk)
            if feedback_round.status == FeedbackRound.Status.CLOSED:
                raise ConflictError(format_lazy(MESSAGES["round_closed"], cycle=code))
            subjects = [subject_id for _c, subject_id in keys]
            RoundSubject.objects.bulk_create(
                [RoundSubject(round=feedback_round, employee_id=s) for s in subjects],
                ignore_conflicts=True,
            )
            responses_replace_imported(
                feedback_round=feedback_round,
                subject_ids=subjects,
                responses=[s for key in keys for s in self.plan[key]],
                import_batch_id=self.ctx.batch.pk,
            )
        return self.counts

    def touched(self) -> dict[str, Any]:
        return {"cycles": sorted({code for code, _s in self.changed})}

    def close(self) -> None:
        """The uploaded file holds the response ids: once the import ran (imported or
        refused) it goes. A dry run keeps it so the checked file can be imported."""
        if self.ctx.dry_run:
            return
        batch = self.ctx.batch
        if batch.stored_file:
            path = Path(settings.MEDIA_ROOT) / batch.stored_file
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            ImportBatch.objects.filter(pk=batch.pk).update(file_removed_at=timezone.now())

"""Grades: the one home of every grade rule that is not data (STYLE.md item 13).

- The grades a policy cannot define, set by the engine whatever the total:
  ``UNQUALIFIED`` (the compliance veto) and ``INSUFFICIENT`` (too little data).
- The default cap of a template line, ``DEFAULT_CAP``.
- The default grade policy, ``DEFAULT_POLICY``: data loaded by a migration into
  ``GradePolicy``; from then on grades come from the ``GradePolicy`` rows (an administrator
  may edit them, with other codes), never from a list in the code.
- :class:`GradeScale`: a policy's grades in order, for pages, forms and counts.

Pure: no database, no Django models (the engine imports it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaopei.assessment.scoring import GradePolicy

UNQUALIFIED = "UNQUALIFIED"
INSUFFICIENT = "INSUFFICIENT"
SPECIAL = (UNQUALIFIED, INSUFFICIENT)

DEFAULT_CAP = Decimal("1.50")  # 150 points (DESIGN.md §6)

DEFAULT_POLICY: dict[str, Any] = {
    "code": "default",
    "name": "A/B/C",
    "bands": [
        (
            "A",
            Decimal("120"),
            "卓越",
            "Excellent",
            "主动挖掘客户潜在需求;超额完成目标;成为团队标杆。",
            "Uncovers customers' latent needs; exceeds targets; sets the example for the team.",
        ),
        (
            "B",
            Decimal("100"),
            "达标",
            "Meets targets",
            "按计划维护客户并完成目标;流程规范。",
            "Looks after customers as planned and meets targets; follows the process.",
        ),
        (
            "C",
            None,
            "待改进",
            "Needs improvement",
            "目标未达成;需要制定改进计划并跟进。",
            "Misses targets; needs an improvement plan and follow-up.",
        ),
    ],
}


def default_policy() -> GradePolicy:
    """``DEFAULT_POLICY`` as the engine's plain data (for code without a database: tests,
    benchmarks). Scoring a cycle uses the cycle's ``GradePolicy`` rows."""
    from kaopei.assessment import scoring as engine

    return engine.GradePolicy(
        bands=tuple(
            engine.GradeBand(code=code, min_total=minimum, label=label, behaviour_examples=(b,))
            for code, minimum, _zh, label, _bzh, b in DEFAULT_POLICY["bands"]
        )
    )


# Badge tones by a grade's place in its policy: the top grade, the middle ones, the lowest.
_TONES = {"top": "ok", "middle": "", "bottom": "warn"}
_COLOURS = {"top": "#1e7b34", "middle": "#0b5cad", "bottom": "#b35c00"}
_SPECIAL_COLOURS = {UNQUALIFIED: "#b42318", INSUFFICIENT: "#9aa5b1"}
_SPECIAL_TONES = {UNQUALIFIED: "bad", INSUFFICIENT: ""}


@dataclass(frozen=True)
class GradeScale:
    """The grades of one policy, best first (``bands``), with their minimum totals."""

    bands: tuple[str, ...]
    minimums: tuple[Decimal | None, ...] = field(default=())

    @classmethod
    def of(cls, bands: Sequence[tuple[str, Decimal | None]]) -> GradeScale:
        return cls(tuple(code for code, _ in bands), tuple(m for _, m in bands))

    @property
    def codes(self) -> tuple[str, ...]:
        """Every grade a card can have under this policy, in display order."""
        return (*self.bands, *SPECIAL)

    @property
    def top(self) -> str | None:
        return self.bands[0] if self.bands else None

    @property
    def passing(self) -> str | None:
        """The lowest grade with a minimum total: below it a card misses the policy's
        expectations ("below B" under the default policy)."""
        with_minimum = [c for c, m in zip(self.bands, self.minimums, strict=False) if m is not None]
        return with_minimum[-1] if with_minimum else None

    @property
    def insufficient(self) -> str:
        return INSUFFICIENT

    @property
    def unqualified(self) -> str:
        return UNQUALIFIED

    @property
    def special(self) -> tuple[str, ...]:
        return SPECIAL

    def is_band(self, code: str) -> bool:
        """A grade of the policy (one calibration may move a card to or from)."""
        return code in self.bands

    def below_passing(self, code: str) -> bool:
        """A policy grade below the passing grade."""
        passing = self.passing
        if passing is None or code not in self.bands:
            return False
        return self.bands.index(code) > self.bands.index(passing)

    def _place(self, code: str) -> str:
        index = self.bands.index(code)
        if index == 0:
            return "top"
        return "bottom" if index == len(self.bands) - 1 else "middle"

    def tone(self, code: str) -> str:
        """The badge class of a grade (``ok``, ``warn``, ``bad`` or plain)."""
        if code in SPECIAL:
            return _SPECIAL_TONES[code]
        return _TONES[self._place(code)] if code in self.bands else ""

    def colour(self, code: str) -> str:
        """The chart colour of a grade."""
        if code in SPECIAL:
            return _SPECIAL_COLOURS[code]
        return _COLOURS[self._place(code)] if code in self.bands else "#9aa5b1"

"""The scoring engine (DESIGN.md §6 ⚑): metric values in, score lines and a grade out.

A package by sub-domain: ``types`` (the plain data and checks), ``engine`` (scoring and the
run-rate projection), ``gaps`` (the gap to the next grade), ``hash`` (the inputs hash).
Import from here: ``from kaopei.assessment import scoring as engine``.

Pure Python on ``Decimal``, no database; policy (weights, caps, grade bands) is data passed
in, and the result carries a hash of every input that can change it. Attainment follows §6
per mode and is kept unrounded; points = clamp(attainment, 0, cap) × 100 and the total =
Σ(w × points) / Σw over the lines with data are rounded half-up to 0.01, the total from the
rounded points. Choices §6 leaves open, made here:

- a line with data but an empty actual (``collection_days`` with receivables outstanding
  and nothing invoiced, §5) has attainment 0 and 0 points;
- a line whose target is unusable warns ``target_missing`` even if it also has no data;
- the total is ``None`` when no line with data carries weight, and the card INSUFFICIENT;
- lower-is-better ratio metrics (hours, days) are never negative; a negative actual would
  give a negative attainment, hence 0 points.
"""

from kaopei.assessment.scoring.engine import project_run_rate, round_up_to, score, score_many
from kaopei.assessment.scoring.gaps import gap_to_next_grade
from kaopei.assessment.scoring.types import (
    DEFAULT_CAP,
    DIRECTIONS,
    GRADE_INSUFFICIENT,
    GRADE_UNQUALIFIED,
    MODES,
    WARNING_NO_DATA,
    WARNING_TARGET_MISSING,
    Direction,
    EmployeeValues,
    Gap,
    GradeBand,
    GradePolicy,
    ItemInput,
    LineResult,
    MetricSpec,
    Mode,
    ScoreResult,
    TemplateLine,
    Veto,
)

__all__ = [
    "DEFAULT_CAP",
    "DIRECTIONS",
    "GRADE_INSUFFICIENT",
    "GRADE_UNQUALIFIED",
    "MODES",
    "WARNING_NO_DATA",
    "WARNING_TARGET_MISSING",
    "Direction",
    "EmployeeValues",
    "Gap",
    "GradeBand",
    "GradePolicy",
    "ItemInput",
    "LineResult",
    "MetricSpec",
    "Mode",
    "ScoreResult",
    "TemplateLine",
    "Veto",
    "gap_to_next_grade",
    "project_run_rate",
    "round_up_to",
    "score",
    "score_many",
]

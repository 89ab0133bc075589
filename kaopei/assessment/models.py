"""Assessment: metric library, cycles, templates, targets, scorecards, calibration, appeals.

The rules themselves live elsewhere: metric formulas in ``metrics.py`` (DESIGN.md §5), the
scoring engine in ``scoring.py`` (§6). These models hold configuration and results.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaopei.assessment.grades import DEFAULT_CAP
from kaopei.core.i18n import pick
from kaopei.core.models import TimeStampedModel

VALUE: dict[str, Any] = {"max_digits": 24, "decimal_places": 6}


_pick = pick  # the reader's language, falling back to the other (kaopei.core.i18n)


class Metric(TimeStampedModel):
    """A metric of the library (DESIGN.md §5). Built-in metrics are computed from records;
    administrators may add manual metrics, fed by the ``manual_scores`` import."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Mode(models.TextChoices):
        RATIO = "ratio", _("Ratio to target")
        BAND = "band", _("Band between floor/ceiling and target")
        DIRECT = "direct", _("Direct (points)")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from records")
        MANUAL = "manual", _("Manual score")

    class Category(models.TextChoices):
        PROCESS = "process", _("Process (execution)")
        RESULT = "result", _("Result")
        KEY_ACCOUNT = "key_account", _("Key-account management")
        CUSTOMER = "customer", _("Customer")
        COMPLIANCE = "compliance", _("Compliance")
        DEVELOPMENT = "development", _("Capability")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(_("better when"), max_length=6, choices=Direction.choices)
    mode = models.CharField(_("scoring"), max_length=6, choices=Mode.choices)
    floor = models.DecimalField(_("floor"), null=True, blank=True, **VALUE)
    ceiling = models.DecimalField(_("ceiling"), null=True, blank=True, **VALUE)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    definition_zh = models.TextField(_("definition (Chinese)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("A sum or count that grows through the cycle (run-rate projection applies)."),
    )
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        return _pick(self.name_zh, self.name_en)

    @property
    def definition(self) -> str:
        return _pick(self.definition_zh, self.definition_en)


class GradePolicy(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_default = models.BooleanField(_("default policy"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade policy")
        verbose_name_plural = _("grade policies")

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """One grade of a policy: the minimum total and its behaviour examples (行为范例)."""

    policy = models.ForeignKey(GradePolicy, on_delete=models.CASCADE, related_name="bands")
    grade = models.CharField(_("grade"), max_length=12)
    min_total = models.DecimalField(
        _("minimum total"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty for the lowest grade."),
    )
    label_zh = models.CharField(_("label (Chinese)"), max_length=40)
    label_en = models.CharField(_("label (English)"), max_length=40)
    behaviour_zh = models.TextField(_("behaviour examples (Chinese)"), blank=True)
    behaviour_en = models.TextField(_("behaviour examples (English)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "order"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "grade"], name="uniq_policy_grade")
        ]

    def __str__(self) -> str:
        return self.grade

    @property
    def label(self) -> str:
        return _pick(self.label_zh, self.label_en)

    @property
    def behaviour(self) -> str:
        return _pick(self.behaviour_zh, self.behaviour_en)


class Cycle(TimeStampedModel):
    """An assessment period: ``YYYYQn`` (quarterly) or ``YYYY`` (annual)."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        SCORED = "scored", _("Scored")
        CALIBRATING = "calibrating", _("Calibrating")
        FINAL = "final", _("Final")

    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    grade_policy = models.ForeignKey(
        GradePolicy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grade policy"),
    )
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    max_a_share = models.DecimalField(
        _("guideline: share of the top grade at most"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.20"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start", "kind"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.code

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Template(TimeStampedModel):
    """A weighting of metrics for one job level and cycle kind; every change is a new
    version, and a scorecard keeps the version it was scored with."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    level = models.ForeignKey(
        "org.JobLevel",
        on_delete=models.PROTECT,
        related_name="templates",
        verbose_name=_("job level"),
    )
    cycle_kind = models.CharField(_("cycle kind"), max_length=10, choices=Cycle.Kind.choices)
    current = models.BooleanField(_("current version"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="uniq_template_version"),
            models.UniqueConstraint(
                fields=["level", "cycle_kind"],
                condition=models.Q(current=True),
                name="one_current_template_per_level_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class TemplateItem(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="items")
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    cap = models.DecimalField(_("cap"), max_digits=5, decimal_places=2, default=DEFAULT_CAP)
    floor = models.DecimalField(_("floor override"), null=True, blank=True, **VALUE)
    ceiling = models.DecimalField(_("ceiling override"), null=True, blank=True, **VALUE)

    class Meta:
        ordering = ["template", "-weight", "metric__code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "metric"], name="uniq_template_metric")
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.metric.code} {self.weight}"


class Target(TimeStampedModel):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="targets", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="targets", verbose_name=_("employee")
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    value = models.DecimalField(_("target"), **VALUE)
    import_batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        ordering = ["cycle", "employee", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee", "metric"], name="uniq_target")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.employee_id}/{self.metric_id}={self.value}"


class ManualScore(TimeStampedModel):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="manual_scores", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="manual_scores",
        verbose_name=_("employee"),
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    value = models.DecimalField(_("score"), **VALUE)
    rater = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rater"),
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "employee", "metric"], name="uniq_manual_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.employee_id}/{self.metric_id}={self.value}"


class Scorecard(TimeStampedModel):
    # Indexes: uniq_scorecard (cycle, employee) and (cycle, org_unit) serve every lookup by
    # cycle, so the keys to cycle, template, unit and level have none of their own (a
    # scoring run writes 10,000 cards at a time); cards are looked up by employee.
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("cycle"),
        db_index=False,
    )
    employee = models.ForeignKey(
        "org.Employee",
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("employee"),
    )
    template = models.ForeignKey(
        Template,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("template version"),
        db_index=False,
    )
    # The unit and level the person had when scored (calibration groups by them).
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("org unit"),
        db_index=False,
    )
    level = models.ForeignKey(
        "org.JobLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("job level"),
        db_index=False,
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, null=True, blank=True)
    computed_grade = models.CharField(_("computed grade"), max_length=12)
    grade = models.CharField(_("grade"), max_length=12)
    veto_reason = models.CharField(_("veto"), max_length=120, blank=True)
    renormalised = models.BooleanField(_("weights renormalised"), default=False)
    weight_with_data = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    weight_total = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    projection = models.JSONField(_("run-rate projection"), default=dict, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # Re-scoring never deletes a card (with what people wrote on it: calibrations, appeals,
    # the acknowledgement): the card of someone no longer eligible is kept, marked, until HR
    # removes it (``services/scorecard_removal.py``).
    # Database defaults: the scoring writer inserts cards without naming these columns.
    eligible = models.BooleanField(_("eligible"), default=True, db_default=True)
    ineligible_reason = models.CharField(
        _("why no longer eligible"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        choices=[
            ("not_employed", _("not employed during the cycle")),
            ("no_template", _("no template for their job level")),
        ],
    )
    ineligible_since = models.DateTimeField(_("no longer eligible since"), null=True, blank=True)
    # The audit looks history up by card, cycle, employee and date.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "projection"], no_db_index=["template", "org_unit", "level"]
    )

    class Meta:
        ordering = ["cycle", "employee__employee_no"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["cycle", "employee"], name="uniq_scorecard")]
        indexes = [models.Index(fields=["cycle", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.cycle.code} {self.employee.employee_no} {self.grade}"


class ScoreLine(models.Model):
    """A scorecard's line for one metric: derived data, replaced whenever the cycle is scored.

    Lines are only ever written by the scoring service (``services/scorecard_writes.py``),
    in the transaction that writes their scorecard and with its id, and are removed with
    it by the ORM's cascade; metrics are never deleted while a line uses them (PROTECT,
    enforced by the ORM). So the two keys carry no database constraint: PostgreSQL checks a
    foreign key row by row, and for 70,000 lines those checks cost more than writing the
    lines (docs/benchmarks.md). ``tests/assessment/test_scoring_service.py`` holds the
    guarantees. Lines are read by scorecard (uniq_line_metric); the only reader by metric is
    the check before a metric is deleted, which may scan.
    """

    scorecard = models.ForeignKey(
        Scorecard,
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    metric = models.ForeignKey(
        Metric,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("metric"),
        db_constraint=False,
        db_index=False,
    )
    actual = models.DecimalField(_("actual"), null=True, blank=True, **VALUE)
    target = models.DecimalField(_("target"), null=True, blank=True, **VALUE)
    attainment = models.DecimalField(
        _("attainment"), max_digits=24, decimal_places=8, null=True, blank=True
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("cap"), max_digits=5, decimal_places=2)
    bound = models.DecimalField(_("floor or ceiling in force"), null=True, blank=True, **VALUE)
    has_data = models.BooleanField(_("has data"))
    warning = models.CharField(_("warning"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "metric"], name="uniq_line_metric")
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}/{self.metric_id}"


class Calibration(models.Model):
    """A grade moved by hand during calibration, with its mandatory reason."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="calibrations")
    from_grade = models.CharField(_("from"), max_length=12)
    to_grade = models.CharField(_("to"), max_length=12)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scorecard", "at"]
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")

    def __str__(self) -> str:
        return f"{self.from_grade}→{self.to_grade}"


class Appeal(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="appeals")
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The line and the card when the appeal was accepted, and once the re-score job has run:
    # {"actual", "attainment", "points", "total", "grade"} as text ("" for none).
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    rescore_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            # Simultaneous appeals of one line: one is saved, the others are refused.
            models.UniqueConstraint(
                fields=["scorecard", "metric"],
                condition=models.Q(status="open"),
                name="one_open_appeal_per_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}/{self.metric_id} {self.status}"


class AppealCorrection(models.Model):
    """What was corrected to answer an appeal: a record voided, corrected or added, a target
    corrected, or the line overridden. Accepting an appeal requires at least one."""

    class Action(models.TextChoices):
        VOID = "void", _("Record voided")
        CORRECT = "correct", _("Record corrected")
        ADD = "add", _("Record added")
        TARGET = "target", _("Target corrected")
        OVERRIDE = "override", _("Line overridden")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="corrections")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record = models.ForeignKey(
        "facts.RecordCorrection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("record correction"),
    )
    summary = models.CharField(_("what"), max_length=300)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["appeal", "at", "id"]
        verbose_name = _("appeal correction")
        verbose_name_plural = _("appeal corrections")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action}"


class LineOverride(TimeStampedModel):
    """The actual value of one person's line in a cycle set by hand, with its reason: scoring
    uses it instead of the computed value (lines are rewritten at each scoring, so the
    override is kept here). Shown on the card with who set it and why."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="line_overrides", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    value = models.DecimalField(_("actual (override)"), **VALUE)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        verbose_name = _("line override")
        verbose_name_plural = _("line overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "employee", "metric"], name="uniq_line_override"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.employee_id}/{self.metric_id}={self.value}"


class UnitTarget(TimeStampedModel):
    """A strategic target of an org unit (a branch's sales target) for a cycle and metric,
    against which the targets of the unit's people roll up (``kaopei.assessment.rollup``)."""

    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="unit_targets",
        verbose_name=_("org unit"),
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="unit_targets", verbose_name=_("cycle")
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric")
    )
    value = models.DecimalField(_("unit target"), **VALUE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        ordering = ["cycle", "unit", "metric"]
        verbose_name = _("unit target")
        verbose_name_plural = _("unit targets")
        constraints = [
            models.UniqueConstraint(fields=["unit", "cycle", "metric"], name="uniq_unit_target")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}/{self.metric_id}={self.value}"

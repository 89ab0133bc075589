"""Scorecards of people no longer eligible are kept, marked; calibrations get an audit
history (each existing calibration gets its "created" entry, dated when it was made)."""

from decimal import Decimal
from typing import Any

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def calibration_history(apps: Any, schema_editor: Any) -> None:
    Calibration = apps.get_model("assessment", "Calibration")
    History = apps.get_model("assessment", "HistoricalCalibration")
    History.objects.bulk_create(
        [
            History(
                id=c.pk,
                scorecard_id=c.scorecard_id,
                from_grade=c.from_grade,
                to_grade=c.to_grade,
                reason=c.reason,
                by_id=c.by_id,
                at=c.at,
                history_date=c.at,
                history_type="+",
                history_user_id=c.by_id,
                history_change_reason="",
            )
            for c in Calibration.objects.all()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0007_one_open_appeal_per_line"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscorecard",
            name="eligible",
            field=models.BooleanField(db_default=True, default=True, verbose_name="eligible"),
        ),
        migrations.AddField(
            model_name="historicalscorecard",
            name="ineligible_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_employed", "not employed during the cycle"),
                    ("no_template", "no template for their job level"),
                ],
                db_default="",
                default="",
                max_length=20,
                verbose_name="why no longer eligible",
            ),
        ),
        migrations.AddField(
            model_name="historicalscorecard",
            name="ineligible_since",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="no longer eligible since"
            ),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="eligible",
            field=models.BooleanField(db_default=True, default=True, verbose_name="eligible"),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="ineligible_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_employed", "not employed during the cycle"),
                    ("no_template", "no template for their job level"),
                ],
                db_default="",
                default="",
                max_length=20,
                verbose_name="why no longer eligible",
            ),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="ineligible_since",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="no longer eligible since"
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCalibration",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("from_grade", models.CharField(max_length=12, verbose_name="from")),
                ("to_grade", models.CharField(max_length=12, verbose_name="to")),
                ("reason", models.TextField(verbose_name="reason")),
                ("at", models.DateTimeField(blank=True, editable=False, verbose_name="at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scorecard",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.scorecard",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical calibration",
                "verbose_name_plural": "historical calibrations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterField(
            model_name="cycle",
            name="max_a_share",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.20"),
                max_digits=4,
                verbose_name="guideline: share of the top grade at most",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcycle",
            name="max_a_share",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.20"),
                max_digits=4,
                verbose_name="guideline: share of the top grade at most",
            ),
        ),
        migrations.RunPython(calibration_history, migrations.RunPython.noop),
    ]

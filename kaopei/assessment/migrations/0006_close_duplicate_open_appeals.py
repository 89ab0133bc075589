"""Before one open appeal per line becomes a database constraint (0007): where simultaneous
appeals left several open appeals on one line, the oldest stays open and the others are
closed as rejected duplicates, with an answer that names the appeal kept and an audit row."""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

ANSWER = "重复申诉：同一指标已有申诉 #{kept} 在处理中，本申诉已合并。 Duplicate: appeal #{kept} on the same line is being answered."


def close_duplicate_open_appeals(apps, schema_editor):
    Appeal = apps.get_model("assessment", "Appeal")
    History = apps.get_model("assessment", "HistoricalAppeal")
    tracked = [f.attname for f in History._meta.concrete_fields if not f.attname.startswith("history_")]
    lines = (
        Appeal.objects.filter(status="open")
        .values("scorecard_id", "metric_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    now = timezone.now()
    for line in lines:
        appeals = list(
            Appeal.objects.filter(
                status="open", scorecard_id=line["scorecard_id"], metric_id=line["metric_id"]
            ).order_by("created_at", "id")
        )
        kept = appeals[0]
        for appeal in appeals[1:]:
            appeal.status = "rejected"
            appeal.resolution = ANSWER.format(kept=kept.pk)
            appeal.resolved_at = now
            appeal.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
            History.objects.create(
                **{name: getattr(appeal, name) for name in tracked},
                history_date=now,
                history_type="~",
                history_change_reason="duplicate open appeal closed (migration 0006)",
            )


class Migration(migrations.Migration):

    dependencies = [
        ("assessment", "0005_scorecard_indexes"),
    ]

    operations = [
        migrations.RunPython(close_duplicate_open_appeals, migrations.RunPython.noop),
    ]

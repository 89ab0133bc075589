from django.db import migrations


def load(apps, schema_editor):
    from kaopei.assessment.library import sync_library

    sync_library(
        apps.get_model("assessment", "Metric"),
        apps.get_model("assessment", "GradePolicy"),
        apps.get_model("assessment", "GradeBand"),
    )


class Migration(migrations.Migration):
    """The library gains ``team_collaboration`` (DESIGN.md §5), fed by 360 feedback."""

    dependencies = [("assessment", "0010_merge_rules_into_the_loop")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

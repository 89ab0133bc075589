from django.db import migrations


def load(apps, schema_editor):
    from kaopei.assessment.library import sync_library

    sync_library(
        apps.get_model("assessment", "Metric"),
        apps.get_model("assessment", "GradePolicy"),
        apps.get_model("assessment", "GradeBand"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

# The import batches moved to the imports app (imports.0001 took over their tables): facts
# forgets them, once every app's foreign keys name imports.ImportBatch (org.0002 and
# assessment.0008 run before this). Nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('facts', '0007_import_batches_move_to_imports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='BatchChange'),
                migrations.DeleteModel(name='ImportBatch'),
            ],
            database_operations=[],
        ),
    ]

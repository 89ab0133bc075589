# The import batches move here from facts, keeping their tables (facts_importbatch,
# facts_batchchange): in the database nothing moves but the content types (their admin
# permissions follow) and the handler of import jobs not yet run.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OLD_HANDLER = 'kaopei.facts.tasks.import_job'
NEW_HANDLER = 'kaopei.imports.tasks.import_job'


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in ('importbatch', 'batchchange'):
        if not ContentType.objects.filter(app_label='imports', model=model).exists():
            ContentType.objects.filter(app_label='facts', model=model).update(app_label='imports')
    Job = apps.get_model('core', 'Job')
    Job.objects.filter(handler=OLD_HANDLER).exclude(status__in=('succeeded', 'failed')).update(
        handler=NEW_HANDLER
    )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in ('importbatch', 'batchchange'):
        if not ContentType.objects.filter(app_label='facts', model=model).exists():
            ContentType.objects.filter(app_label='imports', model=model).update(app_label='facts')
    Job = apps.get_model('core', 'Job')
    Job.objects.filter(handler=NEW_HANDLER).exclude(status__in=('succeeded', 'failed')).update(
        handler=OLD_HANDLER
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_sign_in_counters_and_token_expiry'),
        ('facts', '0006_upload_retention'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=30, verbose_name='kind')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('sha256', models.CharField(max_length=64, verbose_name='file hash')),
                        ('size', models.PositiveBigIntegerField(default=0, verbose_name='size (bytes)')),
                        ('rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='created')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='updated')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                        ('skipped', models.PositiveIntegerField(default=0, verbose_name='skipped blank')),
                        ('status', models.CharField(choices=[('uploaded', 'Uploaded'), ('validating', 'Validating'), ('failed', 'Refused'), ('dry_run', 'Checked (dry run)'), ('committed', 'Imported'), ('rolled_back', 'Rolled back')], default='validating', max_length=12, verbose_name='status')),
                        ('source', models.CharField(default='web', max_length=10, verbose_name='source')),
                        ('stored_file', models.CharField(blank=True, help_text='Path of the uploaded file under MEDIA_ROOT, kept for previews and error copies.', max_length=300, verbose_name='stored file')),
                        ('file_removed_at', models.DateTimeField(blank=True, null=True, verbose_name='file removed at')),
                        ('dry_run', models.BooleanField(default=False, verbose_name='dry run')),
                        ('error_report', models.JSONField(blank=True, default=list, verbose_name='error report')),
                        ('warnings', models.JSONField(blank=True, default=list, verbose_name='warnings')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
                        ('rolled_back_at', models.DateTimeField(blank=True, null=True, verbose_name='rolled back at')),
                        ('touched', models.JSONField(blank=True, default=dict, verbose_name='touched')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                        ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.job')),
                        ('rolled_back_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rolled back by')),
                    ],
                    options={
                        'verbose_name': 'import batch',
                        'verbose_name_plural': 'import batches',
                        'db_table': 'facts_importbatch',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='BatchChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('model', models.CharField(max_length=60)),
                        ('object_id', models.BigIntegerField()),
                        ('before', models.JSONField()),
                        ('before_batch', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='imports.importbatch')),
                    ],
                    options={
                        'db_table': 'facts_batchchange',
                        'indexes': [models.Index(fields=['batch', 'model'], name='facts_batch_batch_i_e3cd45_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('documents', '0002_immutable_triggers'),
        ('records', '0002_revisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeEvidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attached_at', models.DateTimeField(auto_now_add=True)),
                ('detached_at', models.DateTimeField(blank=True, null=True)),
                ('attached_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('detached_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='links', to='documents.evidencedocument')),
            ],
            options={
                'verbose_name': 'evidence of a change request',
                'verbose_name_plural': 'evidence of change requests',
            },
        ),
        migrations.CreateModel(
            name='ChangeRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('origin', models.CharField(choices=[('self', 'Entered by the person'), ('correction', 'Correction by the unit')], default='self', max_length=20, verbose_name='origin')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted')], db_index=True, default='draft', max_length=20, verbose_name='status')),
                ('category', models.CharField(max_length=12, verbose_name='staff category')),
                ('schema_version', models.CharField(blank=True, max_length=40, verbose_name='form version')),
                ('public', models.JSONField(blank=True, default=dict)),
                ('sealed', models.TextField(blank=True)),
                ('document_hash', models.CharField(max_length=64, verbose_name='document hash')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('saved_at', models.DateTimeField(blank=True, null=True, verbose_name='last saved at')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('base_revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.revision', verbose_name='approved revision it started from')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('evidence', models.ManyToManyField(related_name='change_requests', through='workflow.ChangeEvidence', to='documents.evidencedocument', verbose_name='evidence documents')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='change_requests', to='records.person', verbose_name='person')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
            ],
            options={
                'verbose_name': 'change request',
                'verbose_name_plural': 'change requests',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='changeevidence',
            name='change_request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence_links', to='workflow.changerequest'),
        ),
        migrations.AddIndex(
            model_name='changerequest',
            index=models.Index(fields=['person', 'status'], name='workflow_ch_person__239532_idx'),
        ),
        migrations.AddConstraint(
            model_name='changerequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('person',), name='one_draft_per_person'),
        ),
        migrations.AddConstraint(
            model_name='changeevidence',
            constraint=models.UniqueConstraint(condition=models.Q(('detached_at__isnull', True)), fields=('change_request', 'evidence'), name='evidence_attached_once'),
        ),
    ]

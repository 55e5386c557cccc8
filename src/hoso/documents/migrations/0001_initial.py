
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('records', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='kind of document')),
                ('number', models.CharField(blank=True, max_length=60, verbose_name='document number')),
                ('issued_on', models.DateField(blank=True, null=True, verbose_name='date of issue')),
                ('issuer', models.CharField(blank=True, max_length=200, verbose_name='issued by')),
                ('section', models.CharField(blank=True, max_length=20, verbose_name='section of the file')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('content_type', models.CharField(max_length=40, verbose_name='file type')),
                ('size', models.PositiveIntegerField(verbose_name='size in bytes')),
                ('pages', models.PositiveIntegerField(default=1, verbose_name='pages')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                ('storage_name', models.CharField(editable=False, max_length=200)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='records.person', verbose_name='person')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'evidence document',
                'verbose_name_plural': 'evidence documents',
                'ordering': ['-uploaded_at', '-pk'],
                'indexes': [models.Index(fields=['person', 'uploaded_at'], name='documents_e_person__40434b_idx')],
            },
        ),
    ]

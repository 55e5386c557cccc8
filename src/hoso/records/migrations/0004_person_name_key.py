"""The search's columns (issue 7): the name's search key with its word index, the
vocabulary of name words, the Party membership's blind index, an index on the date of
birth (birth year and age range filters).

`Person.name_key` and `NameWord` are filled from the names already stored, the
profiles' tags from their (encrypted) Party membership. The word index is per engine
(`hoso.search.index`): FTS5 with triggers on SQLite, a GIN index on the words on
PostgreSQL, where pg_trgm is created as well (trigram `similarity()` ranks near-misses;
a trusted extension since PostgreSQL 13: the database owner may create it).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from hoso.core.text import search_key
    from hoso.records.models import party_member_tag

    Person = apps.get_model("records", "Person")
    Profile = apps.get_model("records", "Profile")
    NameWord = apps.get_model("records", "NameWord")
    words = set()
    batch = []
    for person in Person.objects.only("pk", "full_name").order_by("pk").iterator(BATCH):
        person.name_key = search_key(person.full_name)
        words.update(person.name_key.split())
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_key"])
    NameWord.objects.bulk_create(
        [NameWord(word=w) for w in sorted(words) if w], ignore_conflicts=True, batch_size=1000
    )
    batch = []
    for profile in Profile.objects.only("pk", "party_member").order_by("pk").iterator(BATCH):
        profile.party_member_tag = party_member_tag(profile.pk, profile.party_member or "")
        batch.append(profile)
        if len(batch) == BATCH:
            Profile.objects.bulk_update(batch, ["party_member_tag"])
            batch = []
    if batch:
        Profile.objects.bulk_update(batch, ["party_member_tag"])


def create_index(apps, schema_editor):
    from hoso.search.index import create

    create(schema_editor)


def drop_index(apps, schema_editor):
    from hoso.search.index import drop

    drop(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('records', '0003_revision_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=60, unique=True)),
            ],
            options={
                'verbose_name': 'name word',
                'verbose_name_plural': 'name words',
            },
        ),
        migrations.AddField(
            model_name='person',
            name='name_key',
            field=models.CharField(default='', editable=False, max_length=150, verbose_name='search key of the name'),
        ),
        migrations.AddField(
            model_name='profile',
            name='party_member_tag',
            field=models.CharField(blank=True, default='', editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name='person',
            name='birth_date',
            field=models.DateField(db_index=True, verbose_name='date of birth'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # CREATE EXTENSION pg_trgm; Django skips it on SQLite (ranked in Python there).
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]

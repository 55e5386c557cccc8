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


def _update(schema_editor, model, column: str, rows) -> None:
    """`UPDATE table SET column = value WHERE pk = …` for every (value, pk) of `rows`,
    in batches through the driver's executemany (pipelined by psycopg 3): at national
    scale (2.5M people) minutes, where the ORM's bulk_update (one CASE per batch) took
    over an hour on PostgreSQL."""
    quote = schema_editor.connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {quote(column)} = %s WHERE {pk} = %s"  # noqa: S608
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def fill(apps, schema_editor):
    from hoso.core.text import search_key
    from hoso.records.models import party_member_tag

    Person = apps.get_model("records", "Person")
    Profile = apps.get_model("records", "Profile")
    NameWord = apps.get_model("records", "NameWord")
    words = set()

    def keys():
        people = Person.objects.values_list("pk", "full_name").order_by("pk")
        for pk, full_name in people.iterator(BATCH):
            key = search_key(full_name)
            words.update(key.split())
            yield key, pk

    _update(schema_editor, Person, "name_key", keys())
    NameWord.objects.bulk_create(
        [NameWord(word=w) for w in sorted(words) if w], ignore_conflicts=True, batch_size=1000
    )
    profiles = Profile.objects.values_list("pk", "party_member").order_by("pk")
    _update(schema_editor, Profile, "party_member_tag", (
        (party_member_tag(pk, party_member or ""), pk)
        for pk, party_member in profiles.iterator(BATCH)
    ))


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

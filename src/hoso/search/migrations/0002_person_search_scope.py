"""The search's word index on PostgreSQL carries each person's unit and its ancestors
(`hoso.search.index`): a search inside a sub-tree asks the index for the words and the
sub-tree at once. Nothing changes on SQLite."""

from django.db import migrations


def add_scope(apps, schema_editor):
    from hoso.search.index import add_scope

    add_scope(schema_editor)


def drop_scope(apps, schema_editor):
    from hoso.search.index import drop_scope

    drop_scope(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0001_initial"),
        ("records", "0004_person_name_key"),
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_scope, drop_scope, elidable=False)]

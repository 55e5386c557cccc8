"""Evidence rows are never updated or deleted (DESIGN principle 2; the model refuses
too): on PostgreSQL a trigger refuses UPDATE and DELETE to anyone going around the
model with SQL. TRUNCATE stays possible for emptying a test database."""

from django.db import migrations

TABLE = "documents_evidencedocument"

POSTGRES_FN = """
CREATE OR REPLACE FUNCTION hoso_refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME; END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(POSTGRES_FN)
        cursor.execute(
            f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION hoso_refuse_change()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

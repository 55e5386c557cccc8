"""Database triggers that refuse UPDATE and DELETE on audit rows (DESIGN principle 2/7).

The model refuses too; the triggers stop anyone who goes around it with SQL.
"""

from django.db import migrations

TABLES = ("audit_changelog", "audit_accesslog")

SQLITE = """
CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t}
BEGIN SELECT RAISE(ABORT, 'audit rows are immutable'); END;
CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t}
BEGIN SELECT RAISE(ABORT, 'audit rows are immutable'); END;
"""

POSTGRES_FN = """
CREATE OR REPLACE FUNCTION hoso_refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME; END
$$ LANGUAGE plpgsql;
"""
POSTGRES = """
CREATE TRIGGER {t}_immutable BEFORE UPDATE OR DELETE ON {t}
FOR EACH ROW EXECUTE FUNCTION hoso_refuse_change();
CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
FOR EACH STATEMENT EXECUTE FUNCTION hoso_refuse_change();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(POSTGRES_FN)
            for t in TABLES:
                cursor.execute(POSTGRES.format(t=t))
        elif vendor == "sqlite":
            for t in TABLES:
                for stmt in SQLITE.format(t=t).split(";\n"):
                    if stmt.strip():
                        cursor.execute(stmt)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for t in TABLES:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {t}_immutable ON {t}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
            elif vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

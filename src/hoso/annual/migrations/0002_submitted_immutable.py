"""Database triggers that keep annual reports (DESIGN principle 2): a submitted report
can never be updated, and no report is ever deleted (a report signed in error is
discarded — a status — and kept). The model refuses too; the triggers stop anyone who
goes around it with SQL. TRUNCATE is left to the operator (a statement trigger would
fire on every flush of a test database, even of an empty table).

`forwards` / `backwards` take (apps, schema_editor) like `core.immutable.ImmutableTable`'s,
so that the browser tests' flush can lift them for a moment.
"""

from django.db import migrations

TABLE = "annual_annualreport"
MESSAGE = "submitted annual reports are immutable and reports are never deleted"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION hoso_annual_report_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status <> 'submitted' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MESSAGE}';
END
$$ LANGUAGE plpgsql
"""


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {TABLE}_guard BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION hoso_annual_report_guard()",
        ]
    if vendor == "sqlite":
        refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        return [
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"WHEN OLD.status = 'submitted' {refuse}",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} {refuse}",
        ]
    return []


def _drop(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_guard ON {TABLE}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
                f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]
    return []


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, _statements(schema_editor.connection.vendor))


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, _drop(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("annual", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

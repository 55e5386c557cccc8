"""Database triggers that keep the province's signed batches as they were signed
(DESIGN principle 2; Vĩnh Phúc Đ12.4: what Sở Nội vụ signs is what goes to the
national database).

- `oversight_provincebatchitem`: never updated, deleted or truncated (items are only
  ever added, and only to an open batch);
- `oversight_provincebatch`: never deleted or truncated; updated only while its stored
  status is still "open" (items added, then signed once).

The models refuse too; the triggers stop anyone who goes around them with SQL.
"""

from django.db import migrations

from hoso.core.immutable import ImmutableTable

ITEMS = ImmutableTable("oversight_provincebatchitem", message="batch items are immutable")


class OpenWhileUnsigned(ImmutableTable):
    """Refuses DELETE always and UPDATE once the row's stored status is "signed"."""

    def statements(self, vendor: str) -> list[str]:
        t = self.table
        if vendor == "sqlite":
            refuse = f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
            return [
                f"CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
                f"WHEN OLD.status <> 'open' {refuse}",
                f"CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} {refuse}",
            ]
        return super().statements(vendor)


BATCHES = OpenWhileUnsigned(
    "oversight_provincebatch",
    message="a signed province batch is immutable",
    pg_function="hoso_province_batch_guard",
    pg_function_sql="""CREATE OR REPLACE FUNCTION hoso_province_batch_guard() RETURNS trigger AS $$
    BEGIN
      -- an open batch grows and is signed once; nothing else ever changes
      IF TG_OP = 'UPDATE' AND OLD.status = 'open' THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME;
    END
    $$ LANGUAGE plpgsql""",
)


def forwards(apps, schema_editor):
    ITEMS.forwards(apps, schema_editor)
    BATCHES.forwards(apps, schema_editor)


def backwards(apps, schema_editor):
    BATCHES.backwards(apps, schema_editor)
    ITEMS.backwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""Database triggers that refuse UPDATE and DELETE of revisions (DESIGN principle 2).

The model refuses too; the triggers stop anyone who goes around it with SQL. One
column is let through: `sealed`, the encrypted part of the document, which `hoso keys
rotate` re-encrypts under a new key. That opens no hole: the content hash covers the
clear document (sealed part decrypted), so a sealed value that was altered, swapped
with another row's or encrypted from a different document no longer matches its hash,
and `hoso audit verify` names the revision.

A migration that adds a column to records_revision must add it to COLUMNS and
recreate the SQLite trigger (PostgreSQL compares whole rows).
"""

from django.db import migrations

from hoso.core.immutable import ImmutableTable

TABLE = "records_revision"
# Every column but `sealed`.
COLUMNS = (
    "id", "person_id", "number", "parent_hash", "content_hash", "category",
    "schema_version", "public", "created_at", "approved_by_id", "change_request_id",
    "reason", "evidence_ids",
)

GUARD = ImmutableTable(
    TABLE,
    message="revisions are immutable",
    update_of=COLUMNS,
    pg_function="hoso_revision_guard",
    pg_function_sql="""CREATE OR REPLACE FUNCTION hoso_revision_guard() RETURNS trigger AS $$
    BEGIN
      -- key rotation: the row is unchanged but for its sealed (encrypted) part
      IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'sealed') = (to_jsonb(OLD) - 'sealed') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME;
    END
    $$ LANGUAGE plpgsql""",
)
forwards, backwards = GUARD.forwards, GUARD.backwards


class Migration(migrations.Migration):
    dependencies = [("records", "0002_revisions")]
    operations = [migrations.RunPython(forwards, backwards)]

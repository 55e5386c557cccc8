"""Database triggers that refuse UPDATE and DELETE of rows that are kept for good
(DESIGN principle 2: audit rows, revisions, evidence, signatures).

The models refuse too; the triggers stop anyone who goes around them with SQL. On
PostgreSQL a row trigger refuses UPDATE and DELETE and a statement trigger TRUNCATE; on
SQLite (no TRUNCATE) two row triggers. A migration declares one `ImmutableTable` and
hands its `forwards`/`backwards` to `RunPython`; the browser tests' flush and the
tampering tests call the same two functions to lift the triggers for a moment.
"""

from __future__ import annotations

from collections.abc import Sequence

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION hoso_refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME; END
$$ LANGUAGE plpgsql
"""


class ImmutableTable:
    """The triggers of one table.

    `update_of` (SQLite) names the columns an UPDATE may not touch when some column may
    change (the revisions' sealed part, re-encrypted by `hoso keys rotate`);
    `pg_function` / `pg_function_sql` replace PostgreSQL's plain refusal with a guard
    of the table's own."""

    def __init__(
        self,
        table: str,
        *,
        message: str,
        update_of: Sequence[str] = (),
        pg_function: str = "hoso_refuse_change",
        pg_function_sql: str = REFUSE_FUNCTION,
    ):
        self.table = table
        self.message = message
        self.update_of = tuple(update_of)
        self.pg_function = pg_function
        self.pg_function_sql = pg_function_sql

    def statements(self, vendor: str) -> list[str]:
        t = self.table
        if vendor == "postgresql":
            return [
                self.pg_function_sql,
                f"CREATE TRIGGER {t}_immutable BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION {self.pg_function}()",
                f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {self.pg_function}()",
            ]
        if vendor == "sqlite":
            of = f" OF {', '.join(self.update_of)}" if self.update_of else ""
            refuse = f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
            return [
                f"CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE{of} ON {t} {refuse}",
                f"CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} {refuse}",
            ]
        return []

    def drop_statements(self, vendor: str) -> list[str]:
        t = self.table
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {t}_immutable ON {t}",
                f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}",
            ]
        if vendor == "sqlite":
            return [
                f"DROP TRIGGER IF EXISTS {t}_no_update",
                f"DROP TRIGGER IF EXISTS {t}_no_delete",
            ]
        return []

    def forwards(self, apps, schema_editor) -> None:
        self._run(schema_editor, self.statements(schema_editor.connection.vendor))

    def backwards(self, apps, schema_editor) -> None:
        self._run(schema_editor, self.drop_statements(schema_editor.connection.vendor))

    @staticmethod
    def _run(schema_editor, statements: list[str]) -> None:
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

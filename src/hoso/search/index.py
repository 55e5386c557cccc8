"""The database indexes that let the search match the words of a name in any order.

`records.Person.name_key` holds the name as search compares it ("nguyen van dung");
matching its words one by one with LIKE would read every row (40 ms at 100k people on
SQLite, far more at 2.5M on PostgreSQL), so each engine gets an inverted index of the
words:

- SQLite: an FTS5 table over `records_person.name_key` (external content: the index
  holds only the words, the rows stay where they are), kept in step by triggers on
  insert, update and delete — so bulk writes, imports and raw SQL are covered too.
  Django rebuilds a SQLite table to alter a column, which drops its triggers: `ensure()`
  runs after every `migrate` (search app, post_migrate) and puts them back, and
  rebuilds the index when it did.
- PostgreSQL: a GIN index on the words (`to_tsvector('simple', name_key)`: the
  'simple' configuration only splits on spaces and lower-cases, and the key is already
  folded). pg_trgm (created by migration 0004) gives `similarity()`, which ranks
  near-misses. A GIN trigram index on the key was measured too (bench/search.py's
  history in docs/search.md): at 2.5M people it costs 3-5× the word index for the same
  queries, because the trigrams of common names ("ngu", "guy", "uye", "yen" of
  Nguyễn: 38 % of the country) have enormous posting lists, and two-letter given names
  ("An", "Hà") have no trigram a LIKE can use.

The migration (`records/0004_person_name_key`) calls `create(schema_editor)`. Every
name in the SQL below is one of this module's constants; nothing comes from input.
"""

from __future__ import annotations

FTS_TABLE = "records_person_name_fts"
PG_INDEX = "records_person_name_words"
# The sort order of results: by key, byte by byte on both engines (PostgreSQL's
# linguistic collations would skip the spaces and disagree with Python's order).
SORT_INDEX = "records_person_name_key"
# The expression the PostgreSQL index is built on; a query must repeat it exactly.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, {column})"

REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"  # noqa: S608
_SQLITE_TRIGGERS = {
    "records_person_name_fts_ai": """
        CREATE TRIGGER IF NOT EXISTS records_person_name_fts_ai
        AFTER INSERT ON records_person BEGIN
          INSERT INTO records_person_name_fts(rowid, name_key) VALUES (new.id, new.name_key);
        END""",
    "records_person_name_fts_ad": """
        CREATE TRIGGER IF NOT EXISTS records_person_name_fts_ad
        AFTER DELETE ON records_person BEGIN
          INSERT INTO records_person_name_fts(records_person_name_fts, rowid, name_key)
            VALUES ('delete', old.id, old.name_key);
        END""",
    "records_person_name_fts_au": """
        CREATE TRIGGER IF NOT EXISTS records_person_name_fts_au
        AFTER UPDATE OF name_key ON records_person
        WHEN old.name_key IS NOT new.name_key BEGIN
          INSERT INTO records_person_name_fts(records_person_name_fts, rowid, name_key)
            VALUES ('delete', old.id, old.name_key);
          INSERT INTO records_person_name_fts(rowid, name_key) VALUES (new.id, new.name_key);
        END""",
}


def _sqlite_create(cursor) -> None:
    # detail=none: the index keeps which rows hold a word, not where in the name —
    # enough for AND/OR and prefix queries, and the smallest index.
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "name_key, content='records_person', content_rowid='id', "
        "tokenize='unicode61', detail='none', columnsize=0, prefix='1 2 3')"
    )
    for sql in _SQLITE_TRIGGERS.values():
        cursor.execute(sql)


def create(schema_editor) -> None:
    """Create the word index of the engine in use, and fill it."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_create(cursor)
            cursor.execute(REBUILD)
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {SORT_INDEX} ON records_person (name_key, id)"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON records_person USING gin "
                f"({PG_DOCUMENT.format(column='name_key')})"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {SORT_INDEX} "
                'ON records_person (name_key COLLATE "C", id)'
            )


def drop(schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {SORT_INDEX}")


def ensure(connection) -> bool:
    """Put back what a rebuilt `records_person` table lost (SQLite's triggers), and
    rebuild the index if it had to; True when something was repaired. A no-op on
    PostgreSQL (an index survives ALTER TABLE) and before migration 0004."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            [FTS_TABLE, *_SQLITE_TRIGGERS],
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:
            return False  # migration 0004 has not run yet: it creates everything
        if set(_SQLITE_TRIGGERS) <= present:
            return False
        _sqlite_create(cursor)
        cursor.execute(REBUILD)
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {SORT_INDEX} ON records_person (name_key, id)"
        )
    return True

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
- PostgreSQL: a GIN index on the words (`to_tsvector('simple', …)`: the 'simple'
  configuration only splits on spaces and lower-cases, and the key is already folded)
  together with the person's unit and its ancestors (`records_person.search_scope`:
  the segments of the unit's materialized path, "00000001 00000010", kept by triggers
  when a person's unit or a unit's path changes). A search then asks the index for the
  words *and* the searcher's sub-trees at once (`engine._Words`): without them, the
  unit administrator of one department at national scale (2.5M people) had every
  "Nguyễn" of the country read and filtered by path (626 ms at p50, bench/search.py);
  with them the index returns only the department's. The column exists on PostgreSQL
  only (search migration 0002); SQLite's FTS5 index holds one province (100k) and
  needs no scope. pg_trgm (created by records migration 0004) gives `similarity()`,
  which ranks near-misses. A GIN trigram index on the key was measured too (bench/search.py's
  history in docs/search.md): at 2.5M people it costs 3-5× the word index for the same
  queries, because the trigrams of common names ("ngu", "guy", "uye", "yen" of
  Nguyễn: 38 % of the country) have enormous posting lists, and two-letter given names
  ("An", "Hà") have no trigram a LIKE can use.

The migrations call `create(schema_editor)` (records 0004: the words) and
`add_scope(schema_editor)` (search 0002: the scope). Every name in the SQL below is one
of this module's constants; nothing comes from input.
"""

from __future__ import annotations

FTS_TABLE = "records_person_name_fts"
# The words alone (records 0004), replaced by the words with the scope (search 0002).
_PG_WORDS_INDEX = "records_person_name_words"
PG_INDEX = "records_person_words_scope"
SCOPE_COLUMN = "search_scope"
# The sort order of results: by key, byte by byte on both engines (PostgreSQL's
# linguistic collations would skip the spaces and disagree with Python's order).
SORT_INDEX = "records_person_name_key"
# The expression the PostgreSQL index is built on; a query must repeat it exactly.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, {column} || ' ' || {scope})"
_PG_WORDS_DOCUMENT = "to_tsvector('simple'::regconfig, name_key)"


def scope_term(path: str) -> str:
    """The index's term for a unit (and, in a person's document, for each ancestor):
    the last segment of its path ("00000001.00000010." → "00000010"). Name words are
    letters; a segment starts with a digit, so no word typed can match one."""
    return path.rstrip(".").rsplit(".", 1)[-1]


# The scope of a person: the segments of their unit's path, separated by spaces. The
# SQL is written out (the names are this module's: SCOPE_COLUMN, PG_INDEX, PG_DOCUMENT).
_PG_SCOPE_SQL = [
    "ALTER TABLE records_person ADD COLUMN IF NOT EXISTS search_scope text "
    "NOT NULL DEFAULT ''",
    """CREATE OR REPLACE FUNCTION records_person_search_scope() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          NEW.search_scope := coalesce(
            (SELECT replace(path, '.', ' ') FROM org_orgunit WHERE id = NEW.unit_id), '');
          RETURN NEW;
        END $$""",
    "DROP TRIGGER IF EXISTS records_person_search_scope ON records_person",
    """CREATE TRIGGER records_person_search_scope
        BEFORE INSERT OR UPDATE OF unit_id ON records_person
        FOR EACH ROW EXECUTE FUNCTION records_person_search_scope()""",
    """CREATE OR REPLACE FUNCTION org_orgunit_search_scope() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE records_person SET search_scope = replace(NEW.path, '.', ' ')
          WHERE unit_id = NEW.id;
          RETURN NULL;
        END $$""",
    "DROP TRIGGER IF EXISTS org_orgunit_search_scope ON org_orgunit",
    """CREATE TRIGGER org_orgunit_search_scope
        AFTER UPDATE OF path ON org_orgunit
        FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path)
        EXECUTE FUNCTION org_orgunit_search_scope()""",
    """UPDATE records_person p SET search_scope = replace(u.path, '.', ' ')
        FROM org_orgunit u WHERE u.id = p.unit_id""",
    f"""CREATE INDEX IF NOT EXISTS {PG_INDEX} ON records_person USING gin
        ({PG_DOCUMENT.format(column="name_key", scope=SCOPE_COLUMN)})""",
    f"DROP INDEX IF EXISTS {_PG_WORDS_INDEX}",
]
_PG_UNSCOPE_SQL = [
    f"""CREATE INDEX IF NOT EXISTS {_PG_WORDS_INDEX} ON records_person USING gin
        ({_PG_WORDS_DOCUMENT})""",
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    "DROP TRIGGER IF EXISTS org_orgunit_search_scope ON org_orgunit",
    "DROP FUNCTION IF EXISTS org_orgunit_search_scope()",
    "DROP TRIGGER IF EXISTS records_person_search_scope ON records_person",
    "DROP FUNCTION IF EXISTS records_person_search_scope()",
    "ALTER TABLE records_person DROP COLUMN IF EXISTS search_scope",
]

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
                f"CREATE INDEX IF NOT EXISTS {_PG_WORDS_INDEX} ON records_person USING gin "
                f"({_PG_WORDS_DOCUMENT})"
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
            cursor.execute(f"DROP INDEX IF EXISTS {_PG_WORDS_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {SORT_INDEX}")


def add_scope(schema_editor) -> None:
    """PostgreSQL: the scope column and its triggers, filled, and the word index
    rebuilt with it (search migration 0002). Nothing to do on SQLite."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in _PG_SCOPE_SQL:
            cursor.execute(sql)


def drop_scope(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in _PG_UNSCOPE_SQL:
            cursor.execute(sql)


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

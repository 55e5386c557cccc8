"""Matching the words of a name and ranking the matches, the same on both engines.

A person matches when every word typed matches one word of their name (any order):
as that word or the beginning of it ("ng" finds Nguyễn), or — when no word of any
name begins with what was typed, or when nothing matched at all — as one of the words
within the typing mistakes allowed (`vocabulary.allowed_edits`). Matching runs on the
word index of the engine (`index.py`): FTS5 on SQLite, GIN on PostgreSQL.

Ranking, best first (`tier`):

0. the name is exactly what was typed ("nguyen van dung" → Nguyễn Văn Dũng);
1. every word typed is a whole word of the name, in any order ("dung nguyen");
2. every word typed begins a word of the name ("ng v dung");
3. the rest (a word matched through a typo), by trigram similarity to what was typed
   (pg_trgm's `similarity()`, or the same computation in Python: `core.text`).

Ties by the search key (byte order) and the id. The ranking is computed in Python
for a result of up to `IN_MEMORY` people (one read of a few columns each, then
counting facets needs no more queries), else in SQL with the same expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Collate, Concat

from hoso.core.text import similarity

from .index import FTS_TABLE, PG_DOCUMENT, SCOPE_COLUMN, scope_term
from .vocabulary import Vocabulary

# A word is looked up as the exact words of the vocabulary that begin with it, when
# there are at most this many, else as a prefix: exact index entries are several times
# faster to intersect than a prefix scan (FTS5 at 100k people: 1.8 ms of CPU for
# "nguyen" AND "van" AND "dung", 11 ms for the same words as prefixes; PostgreSQL's GIN
# at 2.5M: 30 ms and 80-140 ms).
MAX_EXPANSION = 12


@dataclass(frozen=True)
class WordMatch:
    word: str
    # Vocabulary words beginning with `word` (None: unknown to this copy of the
    # vocabulary, or too many — matched as a prefix by the index).
    completions: tuple[str, ...] | None
    near: tuple[str, ...]  # words within the typos allowed, used as alternatives


def plan(words, vocab: Vocabulary, *, typos_everywhere: bool) -> list[WordMatch]:
    """How each word is matched. Typos are tried for a word no name word begins with,
    and for every word when `typos_everywhere` (the second pass, after nothing)."""
    out = []
    for word in words:
        completions = vocab.completions(word, limit=MAX_EXPANSION + 1)
        near = tuple(vocab.near(word)) if typos_everywhere or not completions else ()
        exact = tuple(completions) if 0 < len(completions) <= MAX_EXPANSION else None
        out.append(WordMatch(word, exact, near))
    return out


class _Words(Func):
    """The engine's "every group of words matches" condition on `records_person`.

    On PostgreSQL the index also holds each person's unit and its ancestors
    (`index.scope_term`): `within` (the sub-trees the searcher sees, any of them) and
    `inside` (the sub-tree the search is filtered to) narrow the index's answer to them.
    They repeat what `visible_to` and the filters already require, so results do not
    change; the index just stops returning people the query would throw away."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, matches: list[WordMatch], *, within=None, inside=None):
        self.matches = matches
        self.within = tuple(sorted({scope_term(p) for p in within or ()}))
        self.inside = scope_term(inside) if inside else None
        super().__init__(F("pk"), F("name_key"))

    def as_sqlite(self, compiler, conn, **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        # The table name is a constant; the words go as a parameter.
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
        return sql, (*pk_params, fts_query(self.matches))

    def as_postgresql(self, compiler, conn, **extra):
        col = self.source_expressions[1]
        col_sql, col_params = compiler.compile(col)
        scope_sql = f"{compiler.quote_name_unless_alias(col.alias)}.{SCOPE_COLUMN}"
        document = PG_DOCUMENT.format(column=col_sql, scope=scope_sql)
        query = tsquery(self.matches)
        if self.within:
            query += " & (" + " | ".join(self.within) + ")"
        if self.inside:
            query += f" & {self.inside}"
        return f"{document} @@ to_tsquery('simple'::regconfig, %s)", (*col_params, query)

    def as_sql(self, compiler, conn, **extra):  # pragma: no cover - other engines
        raise NotImplementedError(f"no word index for {conn.vendor}")


def _terms(m: WordMatch) -> tuple[list[str], bool]:
    """The exact words a word is looked up as, and whether it is also a prefix."""
    exact = list(m.completions) if m.completions is not None else [m.word]
    exact += [w for w in m.near if w not in exact]
    return exact, m.completions is None


def fts_query(matches: list[WordMatch]) -> str:
    """SQLite FTS5: `("nguyen") AND ("van" OR "vanh") AND ("dun"* OR "dung")`."""
    groups = []
    for m in matches:
        exact, prefix = _terms(m)
        terms = [f'"{w}"*' if prefix and w == m.word else f'"{w}"' for w in exact]
        groups.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(groups)


def tsquery(matches: list[WordMatch]) -> str:
    """PostgreSQL: `(nguyen) & (van | vanh) & (dun:* | dung)`."""
    groups = []
    for m in matches:
        exact, prefix = _terms(m)
        terms = [f"{w}:*" if prefix and w == m.word else w for w in exact]
        groups.append("(" + " | ".join(terms) + ")")
    return " & ".join(groups)


def words_condition(matches: list[WordMatch], *, within=None, inside=None):
    """The words' condition; `within`: unit paths whose sub-trees hold everyone the
    query may return (None: not known), `inside`: a unit path every result lies under."""
    return _Words(matches, within=within, inside=inside)


# --- ranking ---------------------------------------------------------------------------


def tier(name_key: str, words: tuple[str, ...], key: str) -> int:
    if name_key == key:
        return 0
    parts = name_key.split(" ")
    if all(w in parts for w in words):
        return 1
    if all(any(p.startswith(w) for p in parts) for w in words):
        return 2
    return 3


def sort_key(row_key: str, pk: int, words: tuple[str, ...], key: str) -> tuple:
    t = tier(row_key, words, key) if words else 1
    return (t, -similarity(row_key, key) if t == 3 else 0.0, row_key, pk)


def annotate_rank(qs, words: tuple[str, ...], key: str):
    """`qs` with the ranking's columns (`search_tier`, `search_similarity`), ordered by
    them as `sort_key` orders in Python."""
    if not words:
        return qs.order_by(_sortable("name_key"), "pk")
    padded = Concat(Value(" "), F("name_key"), Value(" "))
    whole = Q()
    prefix = Q()
    for w in words:
        whole &= Q(search_padded__contains=f" {w} ")
        prefix &= Q(search_padded__contains=f" {w}")
    qs = qs.annotate(search_padded=padded).annotate(
        search_tier=Case(
            When(name_key=key, then=Value(0)),
            When(whole, then=Value(1)),
            When(prefix, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )
    qs = qs.annotate(
        search_similarity=Case(
            When(
                search_tier=3,
                then=Func(F("name_key"), Value(key), function="similarity",
                          output_field=FloatField()),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    return qs.order_by("search_tier", "-search_similarity", _sortable("name_key"), "pk")


def _sortable(field: str):
    """The key in byte order (see `index.SORT_INDEX`)."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """pg_trgm's `similarity()` for SQLite (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "similarity", 2, lambda a, b: similarity(a or "", b or ""), deterministic=True
        )

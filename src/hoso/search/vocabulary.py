"""The words names are made of, for completing prefixes and correcting typos.

`records.NameWord` holds every word of every name's search key. Each process keeps a
copy with an index of its deletions (the "symmetric delete" method: two words are
within n edits only if deleting at most n letters from each gives a common string), so
that finding the words within one or two edits of "dugn" is a few dictionary look-ups
rather than a comparison with every word. The copy is checked against the table's
largest id at every search (one indexed read) and extended with the new words only.

Typos within reason (tests/search/test_rules.py): none for words of one or two letters
("an", "le" — too many neighbours to mean anything), one edit for three to six
letters ("dugn" → "dung", "nguen" → "nguyen"), two for seven and more ("nghieeng").
An edit is an insertion, a deletion, a substitution or the swap of two neighbours.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from dataclasses import dataclass, field

from hoso.core.text import edit_distance


def allowed_edits(word: str) -> int:
    n = len(word)
    if n <= 2:
        return 0
    return 1 if n <= 6 else 2


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w)) if len(w) > 1}
        out |= frontier
    return out


@dataclass
class Vocabulary:
    last_id: int = 0
    last_word: str = ""
    words: list[str] = field(default_factory=list)  # sorted
    known: set[str] = field(default_factory=set)
    deletions: dict[str, set[str]] = field(default_factory=dict)

    def add(self, words) -> None:
        new = [w for w in words if w and w not in self.known]
        if not new:
            return
        self.known.update(new)
        self.words = sorted(self.known)
        for word in new:
            for d in _deletions(word, 2):
                self.deletions.setdefault(d, set()).add(word)

    def completions(self, prefix: str, limit: int | None = None) -> list[str]:
        """The words that begin with `prefix` (the word itself included), in order."""
        start = bisect.bisect_left(self.words, prefix)
        found = itertools.takewhile(lambda w: w.startswith(prefix), self.words[start:])
        return list(itertools.islice(found, limit))

    def near(self, word: str) -> list[str]:
        """The words within the typing mistakes allowed for `word`, but not `word`
        itself nor the words it is a prefix of (those match anyway)."""
        limit = allowed_edits(word)
        if not limit:
            return []
        candidates: set[str] = set()
        for d in _deletions(word, limit):
            candidates |= self.deletions.get(d, set())
        return sorted(
            c for c in candidates
            if not c.startswith(word) and edit_distance(word, c, limit) <= limit
        )


_lock = threading.Lock()
_vocabulary = Vocabulary()


def vocabulary() -> Vocabulary:
    """This process's copy of the vocabulary, brought up to date."""
    from hoso.records.models import NameWord

    last_id, last_word = NameWord.objects.order_by("-id").values_list("id", "word").first() or (
        0, ""
    )
    with _lock:
        global _vocabulary
        mine = _vocabulary
        if last_id < mine.last_id or (last_id == mine.last_id and last_word != mine.last_word):
            # Rows this copy has seen are gone (a rolled-back transaction on SQLite,
            # whose ids are then reused; a test database emptied): read it all again.
            mine = _vocabulary = Vocabulary()
        if last_id > mine.last_id:
            newer = NameWord.objects.filter(id__gt=mine.last_id).order_by("id")
            rows = list(newer.values_list("id", "word"))
            if rows:
                mine.add(w for _, w in rows)
                mine.last_id, mine.last_word = rows[-1]
        return mine


def reset() -> None:
    """Forget this process's copy (tests, whose transactions roll back)."""
    global _vocabulary
    with _lock:
        _vocabulary = Vocabulary()

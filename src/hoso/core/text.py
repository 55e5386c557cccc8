"""Vietnamese text as search compares it: without marks, đ = d, lower case.

"Nguyễn Văn Dũng", "NGUYEN VAN DUNG" and "nguyen  van dung" typed with combining marks
(NFD, as some keyboards and macOS file names send them) are one and the same key:
"nguyen van dung". The key is stored beside each name (`records.Person.name_key`) so
that search compares keys with keys on SQLite and PostgreSQL alike, without relying on
a database's collation or extension to fold the marks the way Vietnamese needs (đ is
a letter of its own, not a d with a mark, so Unicode decomposition leaves it alone).

Also here: the trigram similarity search ranks near-misses by, computed exactly as
PostgreSQL's pg_trgm computes `similarity()` on such keys (each word padded with two
spaces in front and one behind, the set of its three-letter slices, shared ÷ all), so
that a ranking done in Python and one done by the database agree.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# đ/Đ do not decompose; a few other letters Vietnamese users type from other layouts.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l"})


def search_key(text: str | None) -> str:
    """The normalised search key of `text`: NFD, combining marks stripped, đ → d,
    lower case, anything but letters and digits turned into a space, single spaces.

    >>> search_key("Nguyễn Văn Dũng")
    'nguyen van dung'
    >>> search_key("  ĐỖ   thị  K'Bông ")
    'do thi k bong'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", stripped.lower()).strip()


def key_words(text: str | None) -> list[str]:
    """The words of `text`'s search key, in order."""
    key = search_key(text)
    return key.split(" ") if key else []


def trigrams(key: str) -> frozenset[str]:
    """pg_trgm's trigrams of an already normalised key (see the module's docstring)."""
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)` of two normalised keys: 1.0 for the same words."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """The optimal-string-alignment distance of `a` and `b` (insertions, deletions,
    substitutions and swaps of two neighbouring letters each count 1); any distance
    above `limit` is reported as `limit + 1` (the search needs no more)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)

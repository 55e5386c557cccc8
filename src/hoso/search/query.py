"""What a person typed into the search box, taken apart.

"Nguyễn Văn Dũng", "dung 1985", "dũng 15/03/1985", "068085000123": the words of a
name (folded by `hoso.core.text.search_key`: no marks, đ = d, any case, NFC or NFD),
a four-digit birth year, a birth date (dd/mm/yyyy, d-m-yyyy or yyyy-mm-dd) and the
12-digit personal identification number (Decree 27/2026/NĐ-CP; matched through its
keyed hash, never in the clear). A number that is none of these is left out, and the
page says so rather than silently finding nobody.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from hoso.core.text import search_key

YEARS = (1900, 2100)
MAX_WORDS = 8  # a Vietnamese name has two to five; more is pasted text
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMBER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ParsedQuery:
    text: str = ""
    words: tuple[str, ...] = ()
    birth_year: int | None = None
    birth_date: dt.date | None = None
    id_number: str = ""
    # What was typed but not understood (numbers; extra years), as typed.
    ignored: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        """The name part as one key ("nguyen van dung")."""
        return " ".join(self.words)

    @property
    def empty(self) -> bool:
        return not (self.words or self.birth_year or self.birth_date or self.id_number)

    def kinds(self) -> list[str]:
        """Which parts the query had, for the access row (never their values)."""
        parts = [
            ("name", bool(self.words)), ("birth_year", self.birth_year is not None),
            ("birth_date", self.birth_date is not None), ("id_number", bool(self.id_number)),
        ]
        return [name for name, present in parts if present]


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse(text: str | None) -> ParsedQuery:
    text = (text or "").strip()
    if not text:
        return ParsedQuery()
    rest = text
    birth_date = None
    ignored: list[str] = []
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        for match in pattern.finditer(rest):
            day = _date(*(match.group(i) for i in order))
            if day is not None and birth_date is None:
                birth_date = day
            else:
                ignored.append(match.group(0))
        rest = pattern.sub(" ", rest)
    words: list[str] = []
    birth_year = None
    id_number = ""
    for token in search_key(rest).split():
        if not _NUMBER.match(token):
            if len(words) < MAX_WORDS:
                words.append(token)
            continue
        if len(token) == 12 and not id_number:
            id_number = token
        elif len(token) == 4 and YEARS[0] <= int(token) <= YEARS[1] and birth_year is None:
            birth_year = int(token)
        else:
            ignored.append(token)
    if birth_date is not None and birth_year is not None and birth_date.year != birth_year:
        ignored.append(str(birth_year))
        birth_year = None
    return ParsedQuery(text, tuple(words), birth_year, birth_date, id_number, tuple(ignored))

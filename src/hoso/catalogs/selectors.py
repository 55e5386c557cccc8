"""Reads of the code lists: the Catalog API every other part of hoso calls.

Validating one full profile asks these hundreds of times, so each list is read from
the database once per process into an index (code → its entries with their periods)
and the answers per date are memoised. The index is dropped when the list changes:
at once in the process that changed it (services and the loader call `invalidate`),
and in every other process at the start of its next request, which compares the
lists' revision counters in one query (`_recheck`).

Dates: `on=None` means "in any period" for `code_valid` (a birth place may name a
commune of the three-level structure) and "every code once" for `choices`.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.signals import request_started
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from .models import CodeEntry, CodeList

RANK_LISTS = ("ranks", "titles")


class UnknownList(LookupError):
    """No code list has this key (a misspelt key in a schema is a programming error)."""


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    parent_code: str
    attrs: dict
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


@dataclass(frozen=True)
class RankInfo:
    """A civil-service rank or a professional title, with what its salary depends on."""

    code: str
    name: str
    kind: str  # "rank" (ngạch công chức) or "title" (chức danh nghề nghiệp viên chức)
    salary_group: str
    raise_interval_months: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass
class _Index:
    revision: int
    ordered: list[Entry]
    by_code: dict[str, list[Entry]]
    memo: dict = field(default_factory=dict)


_lock = threading.Lock()
_cache: dict[str, _Index] = {}
_state = {"recheck": False}


def invalidate(key: str | None = None) -> None:
    """Forget one list (or all): the next read loads it again."""
    with _lock:
        if key is None:
            _cache.clear()
        else:
            _cache.pop(key, None)


def recheck_soon(**kwargs) -> None:
    """Compare the cached lists with the database at the next read (every request
    starts with this: another process may have changed a list)."""
    _state["recheck"] = True


request_started.connect(recheck_soon, dispatch_uid="hoso.catalogs.recheck")


def _recheck() -> None:
    """Drop the lists another process changed (one query, once per request)."""
    _state["recheck"] = False
    if not _cache:
        return
    revisions = dict(CodeList.objects.values_list("key", "revision"))
    with _lock:
        for key in [k for k, idx in _cache.items() if revisions.get(k) != idx.revision]:
            del _cache[key]


def _index(key: str) -> _Index:
    if _state["recheck"]:
        _recheck()
    idx = _cache.get(key)
    if idx is not None:
        return idx
    cl = CodeList.objects.filter(key=key).values_list("pk", "revision").first()
    if cl is None:
        raise UnknownList(key)
    pk, revision = cl
    ordered = [
        Entry(code, label, parent, attrs or {}, vf, vt)
        for code, label, parent, attrs, vf, vt in CodeEntry.objects.filter(code_list_id=pk)
        .order_by("position", "code", "valid_from")
        .values_list("code", "label", "parent_code", "attrs", "valid_from", "valid_to")
    ]
    by_code: dict[str, list[Entry]] = {}
    for e in ordered:
        by_code.setdefault(e.code, []).append(e)
    for entries in by_code.values():
        entries.sort(key=lambda e: e.valid_from or dt.date.min)
    idx = _Index(revision=revision, ordered=ordered, by_code=by_code)
    with _lock:
        _cache[key] = idx
    return idx


def list_keys() -> list[str]:
    return list(CodeList.objects.order_by("key").values_list("key", flat=True))


def entry_for(list_key: str, code: str, on: dt.date | None = None) -> Entry | None:
    """The entry of `code` valid on `on`; without a date, its newest entry."""
    entries = _index(list_key).by_code.get(code)
    if not entries:
        return None
    if on is None:
        return entries[-1]
    for e in entries:
        if e.valid_on(on):
            return e
    return None


def code_valid(list_key: str, code: str, on: dt.date | None = None) -> bool:
    """Whether `code` is in the list — valid on `on`, or in any period without a date."""
    if not isinstance(code, str):
        return False
    return entry_for(list_key, code, on) is not None


def code_label(list_key: str, code: str, on: dt.date | None = None) -> str:
    """The label of `code` (as it was on `on`, else its newest); an unknown code is shown
    as it is stored, so a display never loses what the file holds."""
    e = entry_for(list_key, code, on)
    if e is None and on is not None:
        e = entry_for(list_key, code)
    return e.label if e is not None else code


def entries(list_key: str, on: dt.date | None = None, parent: str | None = None) -> list[Entry]:
    """The list's entries in order: those valid on `on` (all without a date), of one
    parent if asked."""
    idx = _index(list_key)
    memo_key = ("entries", on, parent)
    found = idx.memo.get(memo_key)
    if found is None:
        found = [
            e for e in idx.ordered
            if (on is None or e.valid_on(on)) and (parent is None or e.parent_code == parent)
        ]
        idx.memo[memo_key] = found
    return found


def choices(
    list_key: str, on: dt.date | None = None, parent: str | None = None
) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's <select>: the codes valid on `on`; without a
    date every code once, with its newest label and, if it no longer applies, the day
    it ended."""
    idx = _index(list_key)
    memo_key = ("choices", on, parent)
    found = idx.memo.get(memo_key)
    if found is not None:
        return found
    if on is not None:
        found = [(e.code, e.label) for e in entries(list_key, on, parent)]
    else:
        seen: set[str] = set()
        found = []
        for e in entries(list_key, None, parent):
            if e.code in seen:
                continue
            seen.add(e.code)
            newest = idx.by_code[e.code][-1]
            label = newest.label
            if newest.valid_to is not None:
                label = _("%(label)s (until %(date)s)") % {
                    "label": label, "date": newest.valid_to.strftime("%d/%m/%Y"),
                }
            found.append((e.code, label))
    idx.memo[memo_key] = found
    return found


def salary_coefficient(group: str, step: int, on: dt.date | None = None) -> Decimal | None:
    """The coefficient of `step` (1-based) of a salary group (Decree 204/2004/NĐ-CP,
    Bảng 2 and 3) as it was on `on` (the newest table without a date); None when the
    group or the step doesn't exist."""
    e = entry_for("salary_groups", group, on)
    if e is None or not isinstance(step, int) or isinstance(step, bool) or step < 1:
        return None
    coefficients = e.attrs.get("coefficients") or []
    if step > len(coefficients):
        return None
    try:
        return Decimal(str(coefficients[step - 1]))
    except InvalidOperation:
        return None


def salary_steps(group: str, on: dt.date | None = None) -> int:
    """How many steps a salary group has (0 when unknown)."""
    e = entry_for("salary_groups", group, on)
    return len(e.attrs.get("coefficients") or []) if e else 0


def base_salary(on: dt.date) -> int | None:
    """The base salary (lương cơ sở, VND a month) in force on `on` (NĐ 73/2024/NĐ-CP)."""
    found = entries("base_salaries", on)
    return int(found[-1].attrs["amount"]) if found else None


def rank_info(code: str, on: dt.date | None = None) -> RankInfo | None:
    """A rank (`ranks`) or professional title (`titles`) by its code."""
    for list_key, kind in zip(RANK_LISTS, ("rank", "title"), strict=True):
        e = entry_for(list_key, code, on)
        if e is not None:
            return RankInfo(
                code=e.code, name=e.label, kind=kind,
                salary_group=str(e.attrs.get("salary_group", "")),
                raise_interval_months=int(e.attrs.get("raise_months") or 36),
                valid_from=e.valid_from, valid_to=e.valid_to,
            )
    return None


# --- pages and the API ---------------------------------------------------------------


def code_list_all() -> QuerySet[CodeList]:
    """Every list with its number of entries (code lists are not personal data: any
    logged-in user may read them)."""
    return CodeList.objects.annotate(entry_count=Count("entries")).order_by("key")


def code_list_get(*, pk: int) -> CodeList:
    return code_list_all().get(pk=pk)


def entry_search(
    *, code_list: CodeList, on: dt.date | None = None, text: str = "", parent: str = ""
) -> QuerySet[CodeEntry]:
    qs = CodeEntry.objects.filter(code_list=code_list)
    if on is not None:
        qs = qs.valid_on(on)
    text = text.strip()
    if text:
        from django.db.models import Q

        qs = qs.filter(Q(code__icontains=text) | Q(label__icontains=text))
    if parent:
        qs = qs.filter(parent_code=parent)
    return qs.order_by("position", "code", "valid_from")


def entry_get(*, pk: int) -> CodeEntry:
    return CodeEntry.objects.select_related("code_list").get(pk=pk)

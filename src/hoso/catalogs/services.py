"""Writes to the code lists, by the province administrator (Sở Nội vụ keeps the lists
the province's files use: Vĩnh Phúc Đ19.3). Each is one transaction, audited through
the models' change rows, and bumps the list's revision so that every process drops its
cached copy (`selectors`). Nothing is deleted: an entry that stops applying is ended.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from hoso.accounts.permissions import require
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError

from . import loader
from .models import CodeEntry, CodeList
from .selectors import invalidate


def _touched(code_list: CodeList) -> None:
    CodeList.objects.filter(pk=code_list.pk).update(revision=F("revision") + 1)
    invalidate(code_list.key)
    transaction.on_commit(lambda: invalidate(code_list.key))


def _overlapping(entry: CodeEntry) -> CodeEntry | None:
    """Another entry of the same code whose period meets this one's."""
    for other in CodeEntry.objects.filter(code_list=entry.code_list_id, code=entry.code).exclude(
        pk=entry.pk
    ):
        lo, hi = dt.date.min, dt.date.max
        if (other.valid_from or lo) <= (entry.valid_to or hi) and (entry.valid_from or lo) <= (
            other.valid_to or hi
        ):
            return other
    return None


def _check_parent(code_list: CodeList, parent_code: str) -> None:
    parent_list = loader.PARENT_LISTS.get(code_list.key)
    if parent_code and parent_list and not CodeEntry.objects.filter(
        code_list__key=parent_list, code=parent_code
    ).exists():
        raise DomainError(
            _("The parent code %(code)s is not in the list “%(key)s”.")
            % {"code": parent_code, "key": parent_list},
            field="parent_code",
        )


def _period_text(entry: CodeEntry) -> str:
    start = entry.valid_from.strftime("%d/%m/%Y") if entry.valid_from else "…"
    end = entry.valid_to.strftime("%d/%m/%Y") if entry.valid_to else "…"
    return f"{start} – {end}"


@transaction.atomic
def entry_create(
    *,
    actor,
    code_list: CodeList,
    code: str,
    label: str,
    parent_code: str = "",
    attrs: dict | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> CodeEntry:
    """A new entry, or a new period of an existing code (which must not overlap)."""
    require(actor, Action.CATALOG_MANAGE)
    code_list = CodeList.objects.select_for_update().get(pk=code_list.pk)
    position = (
        CodeEntry.objects.filter(code_list=code_list).aggregate(m=Max("position"))["m"] or 0
    ) + 1
    entry = CodeEntry(
        code_list=code_list, code=code.strip(), label=" ".join(label.split()),
        parent_code=parent_code.strip(), attrs=attrs or {}, valid_from=valid_from,
        valid_to=valid_to, position=position,
    )
    entry.full_clean()
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(_("The end date must not be before the start date."), field="valid_to")
    other = _overlapping(entry)
    if other is not None:
        raise DomainError(
            _("The code %(code)s already has an entry in force in this period (%(period)s): "
              "end that entry first, or start this one after it ends.")
            % {"code": entry.code, "period": _period_text(other)},
            field="valid_from",
        )
    _check_parent(code_list, entry.parent_code)
    entry.save()
    _touched(code_list)
    return entry


@transaction.atomic
def entry_update(*, actor, entry: CodeEntry, label: str, parent_code: str | None = None
                 ) -> CodeEntry:
    """Correct an entry's label (or parent). The code and the period stay: a code that
    changes meaning is a new entry after the old one ends."""
    require(actor, Action.CATALOG_MANAGE)
    entry = CodeEntry.objects.select_for_update().select_related("code_list").get(pk=entry.pk)
    entry.label = " ".join(label.split())
    if parent_code is not None:
        entry.parent_code = parent_code.strip()
        _check_parent(entry.code_list, entry.parent_code)
    entry.full_clean()
    entry.save()
    _touched(entry.code_list)
    return entry


@transaction.atomic
def entry_end(*, actor, entry: CodeEntry, valid_to: dt.date) -> CodeEntry:
    """End an entry: from the day after `valid_to` the code is no longer valid. Files
    that used it while it was valid stay valid."""
    require(actor, Action.CATALOG_MANAGE)
    entry = CodeEntry.objects.select_for_update().select_related("code_list").get(pk=entry.pk)
    if entry.valid_from and valid_to < entry.valid_from:
        raise DomainError(
            _("The entry cannot end before it starts (%(date)s).")
            % {"date": entry.valid_from.strftime("%d/%m/%Y")},
            field="valid_to",
        )
    if entry.valid_to is not None and valid_to > entry.valid_to:
        raise DomainError(
            _("The entry already ends on %(date)s; an end date can only be brought forward.")
            % {"date": entry.valid_to.strftime("%d/%m/%Y")},
            field="valid_to",
        )
    entry.valid_to = valid_to
    entry.save()
    _touched(entry.code_list)
    return entry


def list_upload(
    *, actor, code_list: CodeList, name: str, data: bytes, dry_run: bool = False
) -> loader.LoadResult:
    """A new version of a list from a file (the same loader and checks as `hoso catalogs
    load`). The file must hold this list."""
    require(actor, Action.CATALOG_MANAGE)
    lf = loader.read_bytes(name, data)
    if lf.key != code_list.key:
        raise loader.CatalogLoadError(
            {name: [loader.Problem(
                None,
                _("The file holds the list “%(found)s”, not “%(expected)s”.")
                % {"found": lf.key, "expected": code_list.key},
            )]}
        )
    return loader.load_files(actor=actor, files=[lf], dry_run=dry_run)

"""Writes of the hr app: keeping the result of checking each file (`FileCheck`).

`check_files(people=…)` checks the files among `people` whose kept result is stale —
no result yet, a newer revision since, or other rules (`rules_fingerprint`) — by
decrypting each newest revision and running `checks.file_issues` over it, and keeps
counts, paths and codes (never a value). Pages check the few stale files of what they
show at once and leave the rest to the background task (`tasks.check_all_files`) or
to the operator (`hoso hr check`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone, translation

from hoso.records.models import Person, Revision, StaffCategory

from . import selectors
from .checks import file_issues, is_missing
from .models import CheckMark, FileCheck

BATCH = 500
UNAPPROVED = "unapproved"  # the finding of a person without an approved file
_code_digest: list[str] = []


def _code_hash() -> str:
    """sha256 of the code and forms that decide a file's problems: the schema package
    (forms and validation), the identification-number rules and this app's checks."""
    if not _code_digest:
        from hoso import records

        from . import checks

        base = Path(records.__file__).parent
        files = sorted((base / "schema").glob("*.py")) + sorted((base / "schema").glob("*.yaml"))
        files += [base / "validators.py", Path(checks.__file__)]
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _code_digest.append(digest.hexdigest())
    return _code_digest[0]


def rules_fingerprint() -> str:
    """What a kept result depends on besides the file itself: the code of the rules,
    each form's version (with the province's extensions), every code list's revision,
    and the last change to the unit tree (the validation checks unit codes). Two
    queries; a change to any of them makes every kept result stale."""
    from hoso.audit.models import ChangeLog
    from hoso.catalogs.models import CodeList
    from hoso.records.schema import get_schema

    parts = [_code_hash(), settings.LANGUAGE_CODE]
    parts += [f"{c}={get_schema(c).version}" for c in StaffCategory.values]
    lists = CodeList.objects.order_by("key").values_list("key", "revision")
    parts += [f"{k}={r}" for k, r in lists]
    # The newest change row of a unit (ordered rather than MAX(): SQLite would walk the
    # whole change log by its sequence instead of the (object_type, …) index).
    units = (ChangeLog.objects.filter(object_type="org.orgunit").order_by("-seq")
             .values_list("seq", flat=True).first())
    parts.append(f"units={units}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _percent(revision: Revision) -> int:
    from hoso.records.schema import completeness

    return completeness(revision.document, category=revision.category).percent


def _result(person_id: int, revision: Revision | None, rules: str, now) -> FileCheck:
    if revision is None:  # no approved file yet: the whole file is missing
        return FileCheck(person_id=person_id, content_hash="", rules=rules, checked_at=now,
                         missing=1, findings=[["", UNAPPROVED]])
    issues = file_issues(
        revision.document, category=revision.category,
        on=timezone.localdate(revision.created_at),
    )
    missing = sum(1 for i in issues if is_missing(i))
    return FileCheck(
        person_id=person_id, content_hash=revision.content_hash, rules=rules, checked_at=now,
        missing=missing, contradictions=len(issues) - missing, percent=_percent(revision),
        findings=[[i.path, i.code] for i in issues],
        messages=json.dumps([str(i.message) for i in issues], ensure_ascii=False)
        if issues else None,
    )


def check_files(
    *,
    people: QuerySet[Person] | None = None,
    limit: int | None = None,
    rules: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Check the stale files among `people` (everyone by default), at most `limit` of
    them; returns how many were checked. Each batch is one transaction. A complete run
    (everyone, no limit) records how far it went (`CheckMark`)."""
    rules = rules or rules_fingerprint()
    complete = people is None and limit is None
    if complete:  # what exists now is what this run covers
        person_max = Person.objects.aggregate(m=Max("pk"))["m"] or 0
        revision_max = Revision.objects.aggregate(m=Max("pk"))["m"] or 0
    todo = selectors.stale(Person.objects.all() if people is None else people, rules)
    ids = list(
        todo.order_by("pk").values_list("pk", "profile__revision_id")[:limit]
        if limit is not None else todo.order_by("pk").values_list("pk", "profile__revision_id")
    )
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        revisions = Revision.objects.in_bulk([r for _p, r in batch if r is not None])
        now = timezone.now()
        # The messages in the site's language, whoever runs the check (a page, a
        # command, the worker).
        with translation.override(settings.LANGUAGE_CODE):
            results = [_result(p, revisions.get(r), rules, now) for p, r in batch]
        with transaction.atomic():
            FileCheck.objects.bulk_create(
                results, update_conflicts=True, unique_fields=["person"],
                update_fields=["content_hash", "rules", "checked_at", "missing",
                               "contradictions", "percent", "findings", "messages"],
            )
        done += len(batch)
        if progress is not None:
            progress(done, len(ids))
    if complete:
        CheckMark.objects.update_or_create(pk=1, defaults={
            "rules": rules, "person_max": person_max, "revision_max": revision_max,
            "completed_at": timezone.now(),
        })
    return done


# Stale files checked while a page or an API call waits (about 3 ms each); the rest are
# left to the background task.
CHECK_NOW = 300


def check_for_list(
    *, user, unit=None, category: str = "", limit: int | None = None
) -> tuple[str, int]:
    """Before listing the files with problems: check up to `limit` stale files among
    those the list would show, queue the background check for the rest. Returns the
    rules fingerprint the list must use and how many files remain unchecked."""
    from . import tasks

    rules = rules_fingerprint()
    pending = selectors.unchecked(user=user, rules=rules, unit=unit, category=category,
                                  since=CheckMark.objects.filter(pk=1).first())
    check_files(people=pending, limit=CHECK_NOW if limit is None else limit, rules=rules)
    remaining = pending.count()
    if remaining:
        tasks.check_all_files_soon()
    return rules, remaining

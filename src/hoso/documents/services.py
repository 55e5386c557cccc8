"""Writes of evidence documents: upload (check, hash, store, record). Nothing else:
an evidence row is never changed or deleted (see models.py).

A batch of uploads is all or nothing: every file and its details are checked before
anything is stored; the rows are written in one transaction; if anything fails after
the files were stored (a database error, or the caller's `then` step), the files this
call stored are removed again, so no half-written batch is left behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import as_user, require
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError
from hoso.records.sections import SECTIONS

from .checks import Inspected, inspect_upload
from .models import EvidenceDocument
from .storage import evidence_files, storage_name

EVIDENCE_KINDS = "evidence_kinds"


@dataclass
class Upload:
    """One file to upload and what it is (the details of the decision or certificate)."""

    file: object  # a Django UploadedFile or File
    kind: str
    number: str = ""
    issued_on: dt.date | None = None
    issuer: str = ""
    section: str = ""
    note: str = ""


def _kind_valid(kind: str, on: dt.date | None) -> bool:
    from hoso.catalogs.selectors import code_valid

    return code_valid(EVIDENCE_KINDS, kind, on=on)


def _check_details(up: Upload) -> None:
    if not up.kind:
        raise DomainError(_("Choose the kind of document."), field="kind")
    if not _kind_valid(up.kind, up.issued_on):
        raise DomainError(
            _("“%(kind)s” is not a kind of evidence document in the code list.")
            % {"kind": up.kind},
            field="kind",
        )
    if up.issued_on and up.issued_on > timezone.localdate():
        raise DomainError(
            _("The date of issue cannot be in the future."), field="issued_on"
        )
    for field, value, limit in (
        ("number", up.number, 60), ("issuer", up.issuer, 200), ("note", up.note, 300)
    ):
        if len(value) > limit:
            raise DomainError(
                _("At most %(limit)s characters.") % {"limit": limit}, field=field
            )
    if up.section and up.section not in SECTIONS:
        raise DomainError(_("Unknown section of the file."), field="section")


def _in_batch(exc: DomainError, index: int, up: Upload, total: int) -> DomainError:
    """Name the file an error is about when several are uploaded together."""
    if total == 1:
        return exc
    name = getattr(up.file, "name", "") or str(index + 1)
    return DomainError(
        _("File %(n)s (%(name)s): %(message)s")
        % {"n": index + 1, "name": name, "message": exc.message},
        field=exc.field,
        code=exc.code,
    )


def _store(inspected: Inspected, created: list[str]) -> str:
    storage = evidence_files()
    name = storage_name(inspected.sha256, inspected.extension)
    if storage.exists(name):
        return name  # the same scan, stored once
    saved = storage.save(name, ContentFile(inspected.content))
    created.append(saved)
    return saved


def _remove_unreferenced(names: list[str]) -> None:
    storage = evidence_files()
    for name in names:
        if not EvidenceDocument.objects.filter(storage_name=name).exists():
            storage.delete(name)


def evidence_upload_many(
    *,
    actor,
    person,
    uploads: Sequence[Upload],
    then: Callable[[list[EvidenceDocument]], object] | None = None,
) -> list[EvidenceDocument]:
    """Check, store and record a batch of evidence files for `person`'s file.

    `then(documents)` runs inside the same transaction (e.g. attaching them to a
    change request); if it fails, nothing of the batch remains."""
    require(actor, Action.PERSON_CHANGE, person)
    if not uploads:
        raise DomainError(_("Choose a file to upload."), field="file")
    checked: list[Inspected] = []
    for i, up in enumerate(uploads):
        try:
            _check_details(up)
            checked.append(inspect_upload(up.file))
        except DomainError as exc:
            raise _in_batch(exc, i, up, len(uploads)) from None
    created: list[str] = []
    try:
        with transaction.atomic():
            docs = []
            for up, ins in zip(uploads, checked, strict=True):
                doc = EvidenceDocument(
                    person=person,
                    kind=up.kind,
                    number=up.number.strip(),
                    issued_on=up.issued_on,
                    issuer=up.issuer.strip(),
                    section=up.section,
                    note=up.note.strip(),
                    content_type=ins.content_type,
                    size=ins.size,
                    pages=ins.pages,
                    sha256=ins.sha256,
                    storage_name=_store(ins, created),
                    uploaded_by=as_user(actor),
                )
                doc.full_clean(exclude=["person", "uploaded_by"])
                doc.save()
                docs.append(doc)
            if then is not None:
                then(docs)
    except BaseException:
        _remove_unreferenced(created)
        raise
    return docs


def evidence_upload(*, actor, person, upload: Upload) -> EvidenceDocument:
    return evidence_upload_many(actor=actor, person=person, uploads=[upload])[0]

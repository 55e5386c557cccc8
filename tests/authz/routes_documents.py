"""Matrix entries for evidence documents: the download page and `/api/v1/evidence/`.

An evidence document is at the file's restricted level (documents/models.py): the
roles that read restricted fields in scope (the HR chain, the head of unit, the
province approver, Sở Nội vụ) open it; the unit administrator, who may view the file's
public fields only, and the auditor do not. Uploading is changing the file.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .spec import ALL_ACTORS, Route

EVIDENCE_READERS = frozenset(
    {"province_admin", "province_approver", "hr_officer", "hr_head", "unit_head"}
)
# person.change on in_unit (the HR officer's correction is a change request too)
CHANGERS = frozenset({"province_admin", "unit_admin", "hr_officer", "hr_head"})
KIND = "qd_luong"


def scan(name: str = "qd.pdf") -> SimpleUploadedFile:
    from ..documents.samples import scanned_pdf_bytes

    return SimpleUploadedFile(name, scanned_pdf_bytes(marker=name), "application/pdf")


def evidence_targets(world):
    """An evidence document in the in-scope and in the out-of-scope person's file."""
    from hoso.accounts.permissions import SYSTEM
    from hoso.documents.services import Upload, evidence_upload

    return tuple(
        evidence_upload(actor=SYSTEM, person=world.people[k],
                        upload=Upload(file=scan(f"{k}.pdf"), kind=KIND))
        for k in ("in", "out")
    )


def _upload(world, obj):
    return {"person": world.people["in"].pk, "file": scan(), "kind": KIND}


ROUTES: list[Route] = [
    Route("documents:evidence_download", target="evidence", allowed=EVIDENCE_READERS),
    Route("api:evidence-list", allowed=ALL_ACTORS, api=True),
    Route("api:evidence-list", method="POST", allowed=CHANGERS, api=True, data=_upload,
          ok=(201,), extra={"multipart": True}),
    Route("api:evidence-detail", target="evidence", allowed=EVIDENCE_READERS, api=True),
    Route("api:evidence-download", target="evidence", allowed=EVIDENCE_READERS, api=True),
]

"""`hoso audit verify` for the signed copies of the CV: each stored PDF is still the one
recorded (its SHA-256), and its signatures are those kept as `signing.Signature` rows
for the copy — the same CMS, over the same bytes, as many as the copy's status says.
The CMS themselves are checked again by the signing app's own check."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport

PROBLEMS = {
    "export_unreadable": _("a signed copy's PDF can no longer be decrypted or read"),
    "export_changed": _("a signed copy's PDF is not the one recorded"),
    "export_signatures": _("a signed copy's signatures are not the stored ones"),
}


def check_one(export, stored: list) -> str:
    """'' when the copy is sound, else a key of PROBLEMS."""
    from hoso.signing.pdf_services import pdf_signatures

    try:
        data = export.pdf
        found = pdf_signatures(data)
    except Exception:  # noqa: BLE001 — unreadable is the finding
        return "export_unreadable"
    if hashlib.sha256(data).hexdigest() != export.sha256:
        return "export_changed"
    expected = 2 if export.complete else 1
    if len(found) != expected or len(stored) != expected:
        return "export_signatures"
    for sig, row in zip(found, stored, strict=True):
        if sig.content_hash != row.content_hash or sig.cms != bytes(row.cms):
            return "export_signatures"
    return ""


def check_signed_exports() -> ChainReport:
    from hoso.signing.models import Signature

    from .models import SignedExport

    report = ChainReport(chain="signed_exports", rows=0)
    for export in SignedExport.objects.order_by("pk").iterator(chunk_size=200):
        report.rows += 1
        stored = list(Signature.objects.for_subject(export).order_by("pk"))
        problem = check_one(export, stored)
        if problem:
            report.broken_seq, report.problem = export.pk, problem
            return report
    return report

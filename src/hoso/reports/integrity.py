"""`hoso audit verify` for the signed copies of the CV: each stored PDF is still the one
recorded (its SHA-256), and its signatures are those kept as `signing.Signature` rows
for the copy — the same CMS, over the same bytes, as many as the copy's status says.
The CMS themselves are checked again by the signing app's own check."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport
from hoso.signing.integrity import check_kept, kept_pdf_problem

PROBLEMS = {
    "export_unreadable": _("a signed copy's PDF can no longer be decrypted or read"),
    "export_changed": _("a signed copy's PDF is not the one recorded"),
    "export_signatures": _("a signed copy's signatures are not the stored ones"),
}


def check_one(export, stored: list) -> str:
    """'' when the copy is sound, else a key of PROBLEMS."""
    try:
        data = export.pdf  # kept encrypted
    except Exception:  # noqa: BLE001 — unreadable is the finding
        return "export_unreadable"
    expected = 2 if export.complete else 1
    problem = kept_pdf_problem(data, export.sha256, stored, expected)
    return f"export_{problem}" if problem else ""


def check_signed_exports() -> ChainReport:
    from .models import SignedExport

    return check_kept(SignedExport.objects.all(), chain="signed_exports", check_one=check_one,
                      chunk_size=200)

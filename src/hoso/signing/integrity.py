"""`hoso audit verify` for stored signatures: each CMS still verifies over its stored
hash with the certificate recorded, and the hash is still that of the subject's
current canonical JSON (where the subject is a registered kind of object)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport
from hoso.core.canonical import canonical_json

from . import subjects
from .data import cms_intact, signer_certificate
from .models import Signature
from .pki import fingerprint

PROBLEMS = {
    "signature_broken": _("a stored signature no longer verifies over its hash"),
    "signature_certificate": _("a stored signature's certificate is not the one recorded"),
    "subject_missing": _("the object a signature covers no longer exists"),
    "subject_changed": _("the object a signature covers was changed after signing"),
}


def check_one(sig: Signature) -> str:
    """'' when the stored signature is sound, else a key of PROBLEMS."""
    cms = bytes(sig.cms)
    if not cms_intact(cms, bytes.fromhex(sig.content_hash)):
        return "signature_broken"
    try:
        if fingerprint(signer_certificate(cms)) != sig.cert_fingerprint:
            return "signature_certificate"
    except Exception:  # noqa: BLE001 — unreadable means broken
        return "signature_broken"
    if sig.subject_type and subjects.is_registered(sig.subject_type):
        obj = subjects.load(sig.subject_type, sig.subject_id)
        if obj is None:
            return "subject_missing"
        current = hashlib.sha256(canonical_json(subjects.payload_for(obj))).hexdigest()
        if current != sig.content_hash:
            return "subject_changed"
    return ""


def check_signatures() -> ChainReport:
    report = ChainReport(chain="signatures", rows=0)
    for sig in Signature.objects.order_by("pk").iterator(chunk_size=500):
        report.rows += 1
        problem = check_one(sig)
        if problem:
            report.broken_seq, report.problem = sig.pk, problem
            return report
    return report


# --- kept signed PDFs (the signed CV copies, the annual reports) ---------------------


def kept_pdf_problem(data: bytes, sha256: str, stored: list, expected: int) -> str:
    """What is wrong with a signed PDF an app keeps: "changed" (not the bytes whose
    SHA-256 was recorded), "unreadable", "signatures" (not `expected` signatures, or not
    the CMS kept as `stored` Signature rows over the same bytes), or "" when sound."""
    from .pdf_services import pdf_signatures

    if hashlib.sha256(data).hexdigest() != sha256:
        return "changed"
    try:
        found = pdf_signatures(data)
    except Exception:  # noqa: BLE001 — unreadable is the finding
        return "unreadable"
    if len(found) != expected or len(stored) != expected:
        return "signatures"
    for sig, row in zip(found, stored, strict=True):
        if sig.content_hash != row.content_hash or sig.cms != bytes(row.cms):
            return "signatures"
    return ""


def check_kept(queryset, *, chain: str, check_one, chunk_size: int = 100) -> ChainReport:
    """Walk `queryset` in primary-key order, giving `check_one(obj, stored signature
    rows)` each object; the report names the first object with a problem."""
    report = ChainReport(chain=chain, rows=0)
    for obj in queryset.order_by("pk").iterator(chunk_size=chunk_size):
        report.rows += 1
        problem = check_one(obj, list(Signature.objects.for_subject(obj).order_by("pk")))
        if problem:
            report.broken_seq, report.problem = obj.pk, problem
            return report
    return report

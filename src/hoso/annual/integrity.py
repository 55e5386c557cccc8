"""`hoso audit verify` for the annual reports: each report's figures are still those
whose SHA-256 was recorded when they were frozen, its PDF is still the one recorded,
and the PDF's signatures are those kept as `signing.Signature` rows for the report —
the same CMS over the same bytes, as many as its status says (the signing app's own
check verifies the CMS themselves)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport

PROBLEMS = {
    "annual_figures_changed": _("an annual report's figures are not the ones signed"),
    "annual_pdf_changed": _("an annual report's PDF is not the one recorded"),
    "annual_pdf_unreadable": _("an annual report's PDF can no longer be read"),
    "annual_signatures": _("an annual report's signatures are not the stored ones"),
}


def check_one(report, stored: list) -> str:
    """'' when the report is sound, else a key of PROBLEMS."""
    from hoso.signing.pdf_services import pdf_signatures

    from .models import figures_hash

    if figures_hash(report.figures) != report.figures_sha256:
        return "annual_figures_changed"
    data = report.pdf_bytes
    if hashlib.sha256(data).hexdigest() != report.pdf_sha256:
        return "annual_pdf_changed"
    try:
        found = pdf_signatures(data)
    except Exception:  # noqa: BLE001 — unreadable is the finding
        return "annual_pdf_unreadable"
    expected = 2 if report.complete or report.agency_signed_at else 1
    if len(found) != expected or len(stored) != expected:
        return "annual_signatures"
    for sig, row in zip(found, stored, strict=True):
        if sig.content_hash != row.content_hash or sig.cms != bytes(row.cms):
            return "annual_signatures"
    return ""


def check_annual_reports() -> ChainReport:
    from hoso.signing.models import Signature

    from .models import AnnualReport

    report = ChainReport(chain="annual_reports", rows=0)
    for item in AnnualReport.objects.order_by("pk").iterator(chunk_size=100):
        report.rows += 1
        stored = list(Signature.objects.for_subject(item).order_by("pk"))
        problem = check_one(item, stored)
        if problem:
            report.broken_seq, report.problem = item.pk, problem
            return report
    return report

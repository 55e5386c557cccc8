"""`hoso audit verify` for the annual reports: each report's figures are still those
whose SHA-256 was recorded when they were frozen, its PDF is still the one recorded,
and the PDF's signatures are those kept as `signing.Signature` rows for the report —
the same CMS over the same bytes, as many as its status says (the signing app's own
check verifies the CMS themselves)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport
from hoso.signing.integrity import check_kept, kept_pdf_problem

PROBLEMS = {
    "annual_figures_changed": _("an annual report's figures are not the ones signed"),
    "annual_pdf_changed": _("an annual report's PDF is not the one recorded"),
    "annual_pdf_unreadable": _("an annual report's PDF can no longer be read"),
    "annual_signatures": _("an annual report's signatures are not the stored ones"),
}


def check_one(report, stored: list) -> str:
    """'' when the report is sound, else a key of PROBLEMS."""
    from .models import figures_hash

    if figures_hash(report.figures) != report.figures_sha256:
        return "annual_figures_changed"
    expected = 2 if report.complete or report.agency_signed_at else 1
    problem = kept_pdf_problem(report.pdf_bytes, report.pdf_sha256, stored, expected)
    return {"changed": "annual_pdf_changed", "unreadable": "annual_pdf_unreadable",
            "signatures": "annual_signatures"}.get(problem, "")


def check_annual_reports() -> ChainReport:
    from .models import AnnualReport

    return check_kept(AnnualReport.objects.all(), chain="annual_reports", check_one=check_one)

"""The report's files: the workbook and the PDF, with the names printed in their header.
A signed report's PDF is the stored one (`AnnualReport.pdf`); these make the unsigned
draft and the workbook of any report (its frozen figures when it is signed)."""

from __future__ import annotations

from . import pdf, xlsx
from .models import Kind
from .selectors import root_of


def header_names(kind: str, unit, agency=None) -> tuple[str, str]:
    """(the superior body, the agency) printed at the top left: for a unit's report the
    province and the unit, for the province's the province and the Department of Home
    Affairs that reports for it (Vĩnh Phúc Đ16.7)."""
    root = root_of(unit)
    if kind == Kind.PROVINCE:
        if agency is None:
            from hoso.signing.demo import agency_unit

            agency = agency_unit()
        return root.name, (agency.name if agency is not None else root.name)
    return (root.name if root.pk != unit.pk else "", unit.name)


def _signer(report) -> str:
    if report is None or report.signed_by is None:
        return ""
    return report.signed_by.full_name


def draft_pdf(*, kind: str, unit, figures) -> bytes:
    superior, agency_name = header_names(kind, unit)
    return pdf.render(figures, superior=superior, agency_name=agency_name, draft=True)


def workbook(*, kind: str, unit, figures, report=None) -> bytes:
    superior, agency_name = header_names(kind, unit, report.agency if report else None)
    return xlsx.render(figures, superior=superior, agency_name=agency_name,
                       signer_name=_signer(report),
                       made_at=report.signed_at if report is not None else None)


def file_name(*, kind: str, unit, year: int, ext: str, draft: bool) -> str:
    who = "tinh" if kind == Kind.PROVINCE else unit.code.replace(".", "")
    return f"bao-cao-nam-{year}-{who}{'-ban-nhap' if draft else ''}.{ext}"

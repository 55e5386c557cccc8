"""Matrix entries for the annual report (`annual`, `/api/v1/annual-reports/…`).

A unit's report is for whoever may export the files of the unit's whole sub-tree
(`person.export`): Sở Nội vụ's roles, and in the unit the HR officer, the head of HR
and the head of unit — not the unit administrator (accounts), the auditor, the staff,
nor the chairman of another unit. Signing it is for the competent person
(`person.approve`: head of HR, head of unit, the province's approvers); the agency's
signature for who may sign for the agency (the same, on the agency); discarding for
the competent person. The province's report (Sở Nội vụ's overview and compile) is for
whoever holds export on the province's root; its signature for the province's
approvers (`province.approve`).

Targets: the matrix's "unit" pair (Phòng Tổ chức in scope, Sở Y tế out of it). A
report's page takes any unit; signing and the stored reports take the reporting unit
above it (Sở Nội vụ for the Phòng, Sở Y tế itself): routes on a stored report make one
for that unit inside the request's rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt

from .spec import ALL_ACTORS, PROVINCE, Route

YEAR = 2025
EXPORTERS = frozenset({"province_admin", "province_approver", "hr_officer", "hr_head",
                       "unit_head"})
COMPETENT = frozenset({"province_admin", "province_approver", "hr_head", "unit_head"})
PROVINCE_EXPORTERS = PROVINCE - {"auditor"}
PROVINCE_COMPETENT = frozenset({"province_admin", "province_approver"})


def _reporting(unit):
    """The agency that reports for `unit` (the unit itself right under the root)."""
    return unit if unit.parent.parent_id is None else unit.parent


def _unit_year(unit) -> dict:
    return {"pk": unit.pk, "year": YEAR}


def _reporting_year(unit) -> dict:
    return {"pk": _reporting(unit).pk, "year": YEAR}


def _year(_obj) -> dict:
    return {"year": YEAR}


def report_for(unit, status: str):
    """A stored report of `unit`'s reporting agency for YEAR (a stand-in PDF)."""
    from django.utils import timezone

    from hoso.annual.models import AnnualReport, Kind

    agency = _reporting(unit)
    report = AnnualReport(
        kind=Kind.UNIT, unit=agency, year=YEAR, as_of=dt.date(YEAR, 12, 31), status=status,
        agency=agency, signed_at=timezone.now(), due_date=dt.date(YEAR + 1, 1, 15),
    )
    report.freeze({"version": 1, "kind": "unit"})
    report.keep_pdf(b"%PDF-1.7\n% the matrix's stand-in for a signed report\n")
    if status != "awaiting_agency":
        report.agency_signed_at = timezone.now()
    report.save()
    return report


def _awaiting(unit) -> dict:
    return {"pk": report_for(unit, "awaiting_agency").pk}


def _signed(unit) -> dict:
    return {"pk": report_for(unit, "signed").pk}


def _wrong_secret(world, obj):
    return {"secret": "không-phải-mật-khẩu"}


def _reason(world, obj):
    return {"reason": "Ký nhầm số liệu"}


ROUTES: list[Route] = [
    Route("annual:index", allowed=ALL_ACTORS),
    Route("annual:unit_report", target="unit", allowed=EXPORTERS,
          extra={"kwargs": _unit_year}),
    Route("annual:unit_xlsx", target="unit", allowed=EXPORTERS, extra={"kwargs": _unit_year}),
    Route("annual:unit_pdf", target="unit", allowed=EXPORTERS, extra={"kwargs": _unit_year}),
    Route("annual:unit_sign", target="unit", allowed=COMPETENT,
          extra={"kwargs": _reporting_year}),
    Route("annual:province", allowed=PROVINCE_EXPORTERS, extra={"kwargs": _year}),
    Route("annual:province_xlsx", allowed=PROVINCE_EXPORTERS, extra={"kwargs": _year}),
    Route("annual:province_pdf", allowed=PROVINCE_EXPORTERS, extra={"kwargs": _year}),
    Route("annual:province_sign", allowed=PROVINCE_COMPETENT, extra={"kwargs": _year}),
    Route("annual:report_agency", target="unit", allowed=COMPETENT,
          extra={"kwargs": _awaiting}),
    Route("annual:report_submit", method="POST", target="unit", allowed=EXPORTERS,
          extra={"kwargs": _signed}),
    Route("annual:report_discard", method="POST", target="unit", allowed=COMPETENT,
          data=_reason, extra={"kwargs": _signed}),
    Route("annual:report_pdf", target="unit", allowed=EXPORTERS, extra={"kwargs": _signed}),
    # API
    Route("api:annual-report-list", allowed=ALL_ACTORS, api=True),
    Route("api:annual-report-detail", target="unit", allowed=EXPORTERS, api=True,
          extra={"kwargs": _signed}),
    Route("api:annual-report-pdf", target="unit", allowed=EXPORTERS, api=True,
          extra={"kwargs": _signed}),
    # no agency key configured: refused with a Vietnamese message (400) for who may sign
    Route("api:annual-report-agency", method="POST", target="unit", allowed=COMPETENT,
          api=True, data=_wrong_secret, ok=(200, 400), extra={"kwargs": _awaiting}),
    Route("api:annual-report-submit", method="POST", target="unit", allowed=EXPORTERS,
          api=True, ok=(200,), extra={"kwargs": _signed}),
    Route("api:annual-report-discard", method="POST", target="unit", allowed=COMPETENT,
          api=True, data=_reason, ok=(200,), extra={"kwargs": _signed}),
    Route("api:annual-report-unit", target="unit", allowed=EXPORTERS, api=True,
          extra={"kwargs": _unit_year}),
    Route("api:annual-report-unit-export", target="unit", allowed=EXPORTERS, api=True,
          query="?fmt=xlsx", extra={"kwargs": _unit_year}),
    Route("api:annual-report-unit-sign", method="POST", target="unit", allowed=COMPETENT,
          api=True, data=_wrong_secret, ok=(201, 400), extra={"kwargs": _reporting_year}),
    Route("api:annual-report-province", allowed=PROVINCE_EXPORTERS, api=True,
          extra={"kwargs": _year}),
    Route("api:annual-report-province-export", allowed=PROVINCE_EXPORTERS, api=True,
          query="?fmt=pdf", extra={"kwargs": _year}),
    Route("api:annual-report-province-sign", method="POST", allowed=PROVINCE_COMPETENT,
          api=True, data=_wrong_secret, ok=(201, 400), extra={"kwargs": _year}),
]

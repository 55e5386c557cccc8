"""Writes of the annual report: sign it (which freezes its figures), apply the agency's
signature, submit it, or discard a signed report before it is submitted.

As for the signed copy of the CV (`reports.services`, whose signing steps this reuses
through `signing.pdf_services`): the competent person — whoever approves the unit's
data (head of unit, chairman, head of HR), or the province's for the province's report
— signs the report with their own key, and whoever holds the agency's key applies the
agency's signature (in one step when the competent person may do both): a document
signed digitally by the competent person and by the agency has the legal value of the
paper original (Vĩnh Phúc Đ9.4, Cần Thơ Đ7.5, Lâm Đồng Đ9.4). Every key is opened and
its certificate checked before anything is counted or rendered; the passphrase or PIN
is used to open the key and forgotten.

The figures are frozen at the first signature — counted as of 31/12 from what the
signer may see — and never recounted: the agency signs and the unit submits what the
competent person signed. A submitted report is immutable; Sở Nội vụ compiles the
province's report from the units' submitted figures (`selectors.province_figures`).
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoso.accounts.permissions import as_user
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, PermissionDenied

from . import deadlines, pdf
from .exports import header_names
from .models import AnnualReport, Kind, Status
from .selectors import (
    competent,
    current_report,
    is_reporting_unit,
    province_figures,
    province_root,
    report_get,
    report_unit,
    unit_figures,
)

SIGNING_DESCRIPTION = "hoso: annual report"
NOTES_MAX = 4000


def agency_of(kind: str, unit):
    """(agency, its signer spec) whose signature completes the report: for a unit's
    report the unit or the nearest unit above it with a key (its managing agency);
    for the province's, the Department of Home Affairs, which reports to the Ministry
    (Vĩnh Phúc Đ16.7)."""
    from hoso.signing.demo import agency_unit
    from hoso.signing.pdf_services import agency_for

    if kind == Kind.PROVINCE:
        home_affairs = agency_unit()
        if home_affairs is not None and home_affairs.path.startswith(unit.path):
            return agency_for(home_affairs)
    return agency_for(unit)


def _reason(kind: str, year: int) -> str:
    with translation.override("vi"):
        if kind == Kind.PROVINCE:
            return _("Annual report %(year)d of the province") % {"year": year}
        return _("Annual report %(year)d") % {"year": year}


def _agency_reason() -> str:
    with translation.override("vi"):
        return _("Certified by the agency")


def _signer_name(actor, opened) -> str:
    from hoso.signing.pki import common_name

    return common_name(opened.certificate) or getattr(actor, "full_name", "")


def _log(report: AnnualReport, step: str) -> None:
    log_access(action="export", obj=report.unit, detail={
        "what": "annual_report", "kind": report.kind, "year": report.year,
        "report": report.pk, "step": step, "figures_sha256": report.figures_sha256,
        "pdf_sha256": report.pdf_sha256,
    })


def _clean_notes(notes: str | None) -> str:
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise DomainError(
            _("The difficulties and problems are too long: write at most %(n)d characters.")
            % {"n": NOTES_MAX}, field="notes", code="notes",
        )
    return notes


def report_sign(*, actor, kind: str, year, pk=None, code: str = "", secret: str | None = None,
                with_agency: bool = False, agency_secret: str | None = None,
                notes: str = "") -> AnnualReport:
    """Count the figures of `year` (of unit `pk`, or of the province), render them, and
    sign the PDF as the competent person `actor` (with `with_agency`, as the agency
    too). The report's figures are frozen from now on."""
    from hoso.signing.pdf_services import open_checked, sign_pdf_checked, store_pdf_signature
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    if kind == Kind.PROVINCE:
        unit = province_root(user=actor, code=code)
    else:
        unit = report_unit(user=actor, pk=pk)
        if not is_reporting_unit(unit):
            raise DomainError(
                _("%(unit)s does not submit an annual report of its own: the agency it "
                  "belongs to reports for it.") % {"unit": unit.name}, code="not_reporting",
            )
    year = deadlines.check_year(year)
    deadlines.require_year_over(year)
    if not competent(actor, kind, unit):
        raise PermissionDenied(_(
            "Only the competent person signs the report: the head of the unit, the chairman "
            "or the head of HR — for the province's report, its approvers."))
    if current_report(kind=kind, unit=unit, year=year) is not None:
        raise DomainError(
            _("The report of %(year)d is already signed: discard it before signing it "
              "again.") % {"year": year}, code="exists",
        )
    notes = _clean_notes(notes)
    agency, agency_spec = agency_of(kind, unit)
    if with_agency and not may_sign_for(actor, agency):
        raise PermissionDenied(
            _("You may not apply the signature of %(agency)s.") % {"agency": agency.name}
        )
    own = open_checked(actor=actor, spec=signer_for(user=actor), secret=secret,
                       description=SIGNING_DESCRIPTION)
    second = agency_key = None
    try:
        if with_agency:
            agency_key = open_checked(actor=actor, spec=agency_spec, secret=agency_secret,
                                      on_behalf_of=agency, description=SIGNING_DESCRIPTION)
        try:
            made_at = timezone.now()
            if kind == Kind.PROVINCE:
                figures = province_figures(user=actor, root=unit, year=year)
            else:
                figures = unit_figures(user=actor, unit=unit, year=year)
            figures.notes = notes
            superior, agency_name = header_names(kind, unit, agency)
            document = pdf.render(figures, superior=superior, agency_name=agency_name,
                                  signer_name=_signer_name(actor, own), made_at=made_at)
            first, first_at = sign_pdf_checked(document, own, reason=_reason(kind, year))
            if agency_key is not None:
                second = sign_pdf_checked(first, agency_key, reason=_agency_reason())
        finally:
            if agency_key is not None:
                agency_key.close()
    finally:
        own.close()

    report = AnnualReport(
        kind=kind, unit=unit, year=year, as_of=figures.as_of,
        status=Status.AWAITING_AGENCY, agency=agency, signed_by=as_user(actor),
        signed_at=first_at, due_date=deadlines.due_date(year, province=kind == Kind.PROVINCE),
    )
    report.freeze(figures.to_json())
    if second is not None:
        report.status = Status.SIGNED
        report.agency_signed_by, report.agency_signed_at = as_user(actor), second[1]
    report.keep_pdf(second[0] if second is not None else first)
    reference = f"annual:{kind}:{unit.code}:{year}"
    try:
        with transaction.atomic():
            report.save()
            store_pdf_signature(actor=actor, signed_pdf=first, opened=own, when=first_at,
                                subject=report, reference=reference)
            if second is not None:
                store_pdf_signature(actor=actor, signed_pdf=second[0], opened=agency_key,
                                    when=second[1], subject=report, reference=reference,
                                    on_behalf_of=agency)
            _log(report, "competent_person" if second is None else "both")
    except IntegrityError:
        raise DomainError(
            _("Someone else signed the report of %(year)d meanwhile; nothing was stored.")
            % {"year": year}, code="exists",
        ) from None
    return report


def report_agency_sign(*, actor, pk, secret: str | None = None) -> AnnualReport:
    """Apply the agency's signature to report `pk`, as `actor` holding its key."""
    from hoso.signing.pdf_services import open_checked, sign_pdf_checked, store_pdf_signature
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    report = report_get(user=actor, pk=pk)
    if not may_sign_for(actor, report.agency):
        raise PermissionDenied(
            _("You may not apply the signature of %(agency)s.") % {"agency": report.agency.name}
        )
    if report.status != Status.AWAITING_AGENCY:
        raise DomainError(_("This report does not await the agency's signature."),
                          code="status")
    data = report.pdf_bytes
    if hashlib.sha256(data).hexdigest() != report.pdf_sha256:
        raise DomainError(_("The stored report is damaged: discard it and sign a new one."),
                          code="damaged")
    opened = open_checked(actor=actor, spec=signer_for(unit=report.agency), secret=secret,
                          on_behalf_of=report.agency, description=SIGNING_DESCRIPTION)
    try:
        signed, when = sign_pdf_checked(data, opened, reason=_agency_reason())
    finally:
        opened.close()
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != Status.AWAITING_AGENCY or locked.pdf_sha256 != report.pdf_sha256:
            raise DomainError(
                _("Someone else changed this report meanwhile; nothing was signed again."),
                code="status",
            )
        locked.status = Status.SIGNED
        locked.agency_signed_by, locked.agency_signed_at = as_user(actor), when
        locked.keep_pdf(signed)
        locked.save()
        store_pdf_signature(
            actor=actor, signed_pdf=signed, opened=opened, when=when, subject=locked,
            reference=f"annual:{locked.kind}:{locked.unit.code}:{locked.year}",
            on_behalf_of=locked.agency,
        )
        _log(locked, "agency")
    return locked


def report_submit(*, actor, pk) -> AnnualReport:
    """Submit a report signed by the competent person and the agency: to Sở Nội vụ (a
    unit's, due 15/01), to the Ministry (the province's, due 31/01). Whether it came on
    time is recorded with it."""
    report = report_get(user=actor, pk=pk)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == Status.SUBMITTED:
            raise DomainError(_("This report is already submitted."), code="status")
        if locked.status == Status.DISCARDED:
            raise DomainError(_("This report was discarded: sign a new one."), code="status")
        if locked.status != Status.SIGNED:
            raise DomainError(
                _("The report is submitted once the agency has signed it too."), code="status"
            )
        now = timezone.now()
        locked.status = Status.SUBMITTED
        locked.submitted_by, locked.submitted_at = as_user(actor), now
        locked.on_time = deadlines.on_time(now, locked.due_date)
        locked.save()
        _log(locked, "submitted")
    return locked


def report_discard(*, actor, pk, reason: str) -> AnnualReport:
    """Set aside a signed report that has not been submitted (kept, never deleted), so
    that a corrected one can be signed."""
    report = report_get(user=actor, pk=pk)
    if not competent(actor, report.kind, report.unit):
        raise PermissionDenied(_("Only the competent person may discard a signed report."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the report is discarded."), field="reason", code="reason")
    if len(reason) > 1000:
        raise DomainError(_("The reason is too long: write at most 1000 characters."),
                          field="reason", code="reason")
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == Status.SUBMITTED:
            raise DomainError(_("A submitted report cannot be discarded."), code="status")
        if locked.status == Status.DISCARDED:
            raise DomainError(_("This report is already discarded."), code="status")
        locked.status = Status.DISCARDED
        locked.discarded_by, locked.discarded_at = as_user(actor), timezone.now()
        locked.discard_reason = reason
        locked.save()
        _log(locked, "discarded")
    return locked

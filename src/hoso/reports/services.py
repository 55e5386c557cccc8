"""Writes of the reports app: the signed copy of the printed CV.

An exported document signed digitally by the competent person **and** by the agency
has the legal value of the paper original (Vĩnh Phúc Đ9.4, Quảng Nam Đ6.4, Cần Thơ
641/QĐ-UBND Đ7.5, Lâm Đồng Đ9.4), and the CV is printed from the approved revision
only (Cần Thơ Đ7.6, Lâm Đồng Đ9.5). Two steps, as in an agency's office: the
competent person (head of unit, chairman, head of HR: `person.approve` on the person)
signs the copy with their own key (`signed_cv_create`); then whoever holds the
agency's key and may sign for it applies the agency's signature (`signed_cv_complete`),
as the clerk applies the seal after the head has signed. Where the competent person
may sign for the agency too (a commune's chairman holding the commune's key), both
signatures are made in one step.

The passphrase or PIN is given at signing time and used only to open the key
(`signing.pdf_services.open_checked`); it is never stored or logged. Every key is
opened and its certificate checked before anything is read or rendered, so a wrong
passphrase, an expired, revoked or foreign certificate stops the request with a
Vietnamese message and nothing stored. Each signature is kept as a `signing.Signature`
row, the copy as a `SignedExport`, and each step leaves an access row ("export").
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import as_user, file_access
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, PermissionDenied
from hoso.records.models import Revision

from .exports import require_agency_signer, require_competent, signed_export_get
from .models import SignedExport
from .selectors import NothingToPrint, cv_approved, printable_person

SIGNING_DESCRIPTION = "hoso: signed copy of a CV"


def _render(printed, *, agency, signer_name: str, made_at) -> bytes:
    """The approved CV as the signer may read it, behind its cover page."""
    from hoso.records.schema import get_schema

    from .cover import render_cover, with_cover
    from .cv import render_cv

    cv = render_cv(
        printed.document, category=printed.category, person=printed.person,
        revision=printed.revision, hidden=printed.hidden, photo=printed.photo,
    )
    cover = render_cover(
        person_name=printed.person.full_name, title=get_schema(printed.category).title,
        revision=printed.revision, agency_name=agency.name, signer_name=signer_name,
        hidden=bool(printed.hidden), made_at=made_at,
    )
    return with_cover(cv, cover)


def _person_reason(revision) -> str:
    return _("Certified copy, revision %(number)d") % {"number": revision.number}


def _agency_reason() -> str:
    return _("Certified by the agency")


def _log(export: SignedExport, step: str) -> None:
    log_access(action="export", obj=export.person, person_id=export.person_id, detail={
        "what": "signed_cv", "export": export.pk, "revision": export.revision.number,
        "step": step, "sha256": export.sha256,
    })


def signed_cv_create(*, actor, pk: int, secret: str | None = None, with_agency: bool = False,
                     agency_secret: str | None = None) -> SignedExport:
    """Print person `pk`'s approved CV and sign it as the competent person `actor`;
    with `with_agency`, apply the agency's signature too."""
    from hoso.signing.pdf_services import (
        agency_for,
        open_checked,
        sign_pdf_checked,
        store_pdf_signature,
    )
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    person = printable_person(user=actor, pk=pk)
    require_competent(actor, person)
    if not Revision.objects.filter(person=person).exists():
        raise NothingToPrint(
            _("This file has no approved revision yet: the CV is printed from approved data "
              "only."), person=person,
        )
    agency, agency_spec = agency_for(person.unit)
    if with_agency and not may_sign_for(actor, agency):
        raise PermissionDenied(
            _("You may not apply the signature of %(agency)s.") % {"agency": agency.name}
        )
    own = open_checked(actor=actor, spec=signer_for(user=actor), secret=secret,
                       description=SIGNING_DESCRIPTION)
    second = None
    try:
        agency_key = None
        if with_agency:
            agency_key = open_checked(actor=actor, spec=agency_spec, secret=agency_secret,
                                      on_behalf_of=agency, description=SIGNING_DESCRIPTION)
        try:
            made_at = timezone.now()
            printed = cv_approved(user=actor, pk=person.pk)
            document = _render(printed, agency=agency, signer_name=_signer_name(actor, own),
                               made_at=made_at)
            first, first_at = sign_pdf_checked(document, own,
                                               reason=_person_reason(printed.revision))
            if agency_key is not None:
                second = sign_pdf_checked(first, agency_key, reason=_agency_reason())
        finally:
            if agency_key is not None:
                agency_key.close()
    finally:
        own.close()

    access = file_access(actor, person)
    with transaction.atomic():
        export = SignedExport(
            person=person, revision=printed.revision, category=printed.category,
            status=SignedExport.Status.AWAITING_AGENCY, requested_by=as_user(actor),
            created_at=made_at, agency=agency, access_levels=sorted(access.levels),
            access_sections=sorted(access.sections),
        )
        if second is not None:
            export.status = SignedExport.Status.COMPLETE
            export.completed_by, export.completed_at = as_user(actor), second[1]
        export.seal(second[0] if second is not None else first)
        export.save()
        reference = f"cv:{person.pk}:r{printed.revision.number}"
        store_pdf_signature(actor=actor, signed_pdf=first, opened=own, when=first_at,
                            subject=export, reference=reference)
        if second is not None:
            store_pdf_signature(actor=actor, signed_pdf=second[0], opened=agency_key,
                                when=second[1], subject=export, reference=reference,
                                on_behalf_of=agency)
        _log(export, "competent_person" if second is None else "both")
    return export


def _signer_name(actor, opened) -> str:
    from hoso.signing.pki import common_name

    return common_name(opened.certificate) or actor.full_name


def signed_cv_complete(*, actor, pk: int, secret: str | None = None) -> SignedExport:
    """Apply the agency's signature to signed copy `pk`, as `actor` holding its key."""
    from hoso.signing.pdf_services import open_checked, sign_pdf_checked, store_pdf_signature
    from hoso.signing.selectors import signer_for

    export = signed_export_get(user=actor, pk=pk)
    require_agency_signer(actor, export)
    if export.complete:
        raise DomainError(_("This copy already carries the agency's signature."),
                          code="complete")
    data = export.pdf
    if hashlib.sha256(data).hexdigest() != export.sha256:
        raise DomainError(_("The stored copy is damaged: make a new one."), code="damaged")
    opened = open_checked(actor=actor, spec=signer_for(unit=export.agency), secret=secret,
                          on_behalf_of=export.agency, description=SIGNING_DESCRIPTION)
    try:
        signed, when = sign_pdf_checked(data, opened, reason=_agency_reason())
    finally:
        opened.close()
    with transaction.atomic():
        locked = SignedExport.objects.select_for_update().get(pk=export.pk)
        if locked.complete or locked.sha256 != export.sha256:
            raise DomainError(
                _("Someone else completed this copy meanwhile; nothing was signed again."),
                code="complete",
            )
        locked.status = SignedExport.Status.COMPLETE
        locked.completed_by, locked.completed_at = as_user(actor), when
        locked.seal(signed)
        locked.save()
        store_pdf_signature(
            actor=actor, signed_pdf=signed, opened=opened, when=when, subject=locked,
            reference=f"cv:{locked.person_id}:r{export.revision.number}",
            on_behalf_of=export.agency,
        )
        _log(locked, "agency")
    return locked

"""Reads of the signed copies of the CV, through the permission path.

A signed copy is an export of the person's file (`person.export`, through
`Person.objects.visible_to`); someone out of reach is told "not found". The copy shows
what its first signer could read; whoever opens it must be able to read as much
(`permissions.file_access`, the one decision on fields, asked for both), else the copy
is not theirs to see. Making a copy is for a competent person (`person.approve` on the
person: head of unit, chairman, head of HR, the province's approvers); completing it
with the agency's signature for whoever may sign for that agency
(`signing.services.may_sign_for`). Every opening of a copy leaves an access row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hoso.accounts.permissions import ACCESS_LEVELS, FileAccess, can, file_access
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound, PermissionDenied
from hoso.records.models import Person, Revision
from hoso.records.sections import SECTIONS

from .models import SignedExport
from .selectors import printable_person


def reads_as_much(user, export: SignedExport) -> bool:
    """Whether `user` may read every field the copy shows (every access level, in every
    section, that its first signer could read when it was made)."""
    access = file_access(user, export.person)
    if access.everything:
        return True
    made = FileAccess(frozenset(export.access_levels), frozenset(export.access_sections))
    return all(
        access.sees(level, section)
        for level in ACCESS_LEVELS
        for section in (None, *SECTIONS)
        if made.sees(level, section)
    )


def _exports():
    return SignedExport.objects.select_related(
        "person", "person__unit", "revision", "agency", "requested_by", "completed_by"
    )


def signed_export_get(*, user, pk: int) -> SignedExport:
    """A signed copy `user` may open; NotFound otherwise."""
    export = (
        _exports()
        .filter(pk=pk, person__in=Person.objects.visible_to(user, Action.PERSON_EXPORT))
        .first()
    )
    if export is None or not reads_as_much(user, export):
        raise NotFound(_("No such signed copy."))
    return export


def signed_export_pdf(*, user, pk: int) -> tuple[SignedExport, bytes]:
    """The signed PDF, with the access row of its export."""
    export = signed_export_get(user=user, pk=pk)
    data = export.pdf
    log_access(action="export", obj=export.person, person_id=export.person_id, detail={
        "what": "signed_cv", "export": export.pk, "revision": export.revision.number,
        "step": "download",
    })
    return export, data


@dataclass(frozen=True)
class CopyItem:
    export: SignedExport
    may_open: bool
    may_complete: bool


@dataclass(frozen=True)
class SignedCopies:
    person: Person
    items: list[CopyItem]
    may_create: bool  # a competent person, and there is an approved revision
    approved: bool


def signed_copies(*, user, pk: int) -> SignedCopies:
    """The signed copies of person `pk`'s CV, newest first, with what `user` may do."""
    from hoso.signing.services import may_sign_for

    person = printable_person(user=user, pk=pk)
    items = []
    for export in _exports().filter(person=person):
        may_open = reads_as_much(user, export)
        items.append(CopyItem(
            export, may_open,
            may_open and not export.complete and may_sign_for(user, export.agency),
        ))
    approved = Revision.objects.filter(person=person).exists()
    return SignedCopies(
        person=person, items=items, approved=approved,
        may_create=approved and can(user, Action.PERSON_APPROVE, person),
    )


@dataclass
class SignerChoice:
    """A key someone is about to sign with, as the form presents it."""

    description: str = ""
    needs_secret: bool = True
    error: str = ""


@dataclass
class SigningOptions:
    person: Person
    agency: object = None  # org.OrgUnit whose signature completes the copy
    own: SignerChoice = field(default_factory=SignerChoice)
    agency_key: SignerChoice = field(default_factory=SignerChoice)
    one_step: bool = False  # the competent person may also apply the agency's signature

    @property
    def ready(self) -> bool:
        return not self.own.error and self.agency is not None


def _choice(find) -> SignerChoice:
    try:
        spec = find()
    except DomainError as exc:
        return SignerChoice(error=str(exc.message))
    return SignerChoice(description=spec.describe(), needs_secret=spec.backend != "remote")


def require_competent(user, person: Person) -> None:
    if not can(user, Action.PERSON_APPROVE, person):
        raise PermissionDenied(_(
            "Only a competent person — the head of the unit, the chairman or the head of "
            "HR who approves this file — may sign a copy of it."
        ))


def signing_options(*, user, pk: int) -> SigningOptions:
    """What the competent person's signing page offers: their key, the agency that
    completes the copy and whether they may apply its signature themselves."""
    from hoso.signing.pdf_services import agency_for
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    from .selectors import NothingToPrint

    person = printable_person(user=user, pk=pk)
    require_competent(user, person)
    if not Revision.objects.filter(person=person).exists():
        raise NothingToPrint(
            _("This file has no approved revision yet: the CV is printed from approved data "
              "only."), person=person,
        )
    options = SigningOptions(person=person, own=_choice(lambda: signer_for(user=user)))
    try:
        options.agency, spec = agency_for(person.unit)
    except DomainError as exc:
        options.agency_key = SignerChoice(error=str(exc.message))
        return options
    options.agency_key = SignerChoice(description=spec.describe(),
                                      needs_secret=spec.backend != "remote")
    options.one_step = may_sign_for(user, options.agency)
    return options


@dataclass
class AgencyOptions:
    export: SignedExport
    key: SignerChoice


def agency_options(*, user, pk: int) -> AgencyOptions:
    """What the agency's signing page offers for copy `pk`."""
    from hoso.signing.selectors import signer_for

    export = signed_export_get(user=user, pk=pk)
    require_agency_signer(user, export)
    return AgencyOptions(export, _choice(lambda: signer_for(unit=export.agency)))


def require_agency_signer(user, export: SignedExport) -> None:
    from hoso.signing.services import may_sign_for

    if not may_sign_for(user, export.agency):
        raise PermissionDenied(
            _("You may not apply the signature of %(agency)s.") % {"agency": export.agency.name}
        )

"""What a printed CV shows, read through the permission path.

Printing someone's CV is exporting their file (`person.export`: the person, and the
roles that keep, approve or sign it); the person is looked up through
`Person.objects.visible_to(user, "person.export")`, and someone out of reach is "not
found". The CV is printed from the approved file only (Cần Thơ 641/QĐ-UBND Đ7.6, Lâm
Đồng Đ9.5: "sau khi dữ liệu được phê duyệt … in sơ yếu lý lịch"), or from the
person's draft, watermarked. The document is cut to what the user may read
(`records.selectors.visible_document`); the fields they may not read are named so the
page can say they are withheld. Every print leaves an access row, the person's own
included: a printed CV leaves the system, whoever prints it (DESIGN principle 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoso.accounts.permissions import can, file_access
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound
from hoso.records.models import Person

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


class NothingToPrint(DomainError):
    """The person has no approved file yet (or no draft, for a draft's print)."""

    code = "nothing_to_print"

    def __init__(self, message, *, person: Person):
        super().__init__(message)
        self.person = person


@dataclass(frozen=True)
class CvPrint:
    """Everything `cv.render_cv` needs for one person's CV."""

    person: Person
    category: str
    document: dict
    hidden: frozenset[str]
    revision: object = None  # records.Revision, for an approved file
    draft: object = None  # workflow.ChangeRequest, for a draft
    photo: bytes | None = None

    @property
    def is_draft(self) -> bool:
        return self.draft is not None


def printable_person(*, user, pk: int) -> Person:
    """The person whose CV `user` may print; NotFound otherwise."""
    person = (
        Person.objects.visible_to(user, Action.PERSON_EXPORT)
        .select_related("unit")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise NotFound(_("No such file."))
    return person


def hidden_keys(user, person: Person, category: str) -> frozenset[str]:
    """Top-level fields of the form `user` may not read in `person`'s file, empty or
    not (`permissions.file_access` decides; this only asks it about each field)."""
    from hoso.records.schema import get_schema

    access = file_access(user, person)
    if access.everything:
        return frozenset()
    schema = get_schema(category)
    return frozenset(
        f.key
        for section in schema.sections
        for f in section.fields
        if not access.sees(f.access, section.grant_section)
    )


def _photo(user, person: Person, document: dict, hidden: frozenset[str]) -> bytes | None:
    """The photo's bytes, when the document names one the user may open."""
    from hoso.documents.selectors import evidence_get
    from hoso.documents.storage import evidence_files

    pk = document.get("photo")
    if not pk or "photo" in hidden:
        return None
    try:
        doc = evidence_get(user=user, pk=int(pk))
    except (NotFound, TypeError, ValueError):
        return None
    if doc.person_id != person.pk or doc.content_type not in PHOTO_TYPES:
        return None
    with evidence_files().open(doc.storage_name, "rb") as handle:
        return handle.read()


@dataclass(frozen=True)
class PrintOptions:
    approved: bool = False
    draft: bool = False


def print_options(*, user, person: Person) -> PrintOptions:
    """Which prints of `person`'s file `user` may make now (for the file page's links)."""
    from hoso.records.models import Revision
    from hoso.workflow.selectors import draft_for

    if user is None or not can(user, Action.PERSON_EXPORT, person):
        return PrintOptions()
    return PrintOptions(
        approved=Revision.objects.filter(person=person).exists(),
        draft=draft_for(user=user, person=person) is not None,
    )


def cv_approved(*, user, pk: int) -> CvPrint:
    """The approved CV of person `pk`; NothingToPrint before the first approval."""
    from hoso.records.selectors import revision_current

    person = printable_person(user=user, pk=pk)
    revision = revision_current(user=user, person=person)
    if revision is None:
        raise NothingToPrint(
            _("This file has no approved revision yet: the CV is printed from approved data only."),
            person=person,
        )
    hidden = hidden_keys(user, person, revision.category)
    document = revision.document  # already cut to what the user may read
    return CvPrint(
        person=person,
        category=revision.category,
        document=document,
        hidden=hidden | frozenset(getattr(revision, "hidden_keys", ())),
        revision=revision,
        photo=_photo(user, person, document, hidden),
    )


def cv_draft(*, user, pk: int) -> CvPrint:
    """The person's draft as a CV, for checking it before submitting; NothingToPrint
    when there is no draft the user may see."""
    from hoso.records.selectors import visible_document
    from hoso.workflow.selectors import draft_for

    person = printable_person(user=user, pk=pk)
    draft = draft_for(user=user, person=person)
    if draft is None:
        raise NothingToPrint(_("There is no draft of this file that you may see."), person=person)
    category = draft.category or person.category
    hidden = hidden_keys(user, person, category)
    full = draft.document
    document = visible_document(user, person, full, category=category)
    hidden |= frozenset(set(full) - set(document))
    return CvPrint(
        person=person,
        category=category,
        document=document,
        hidden=hidden,
        draft=draft,
        photo=_photo(user, person, document, hidden),
    )


def cv_pdf(*, user, pk: int, draft: bool = False) -> tuple[CvPrint, bytes]:
    """The CV (approved, or the draft) as PDF bytes, with the access row of the print."""
    from .cv import render_cv

    printed = cv_draft(user=user, pk=pk) if draft else cv_approved(user=user, pk=pk)
    pdf = render_cv(
        printed.document,
        category=printed.category,
        person=printed.person,
        draft=printed.is_draft,
        revision=printed.revision,
        hidden=printed.hidden,
        photo=printed.photo,
    )
    detail = {"what": "cv"}
    if printed.revision is not None:
        detail["revision"] = printed.revision.number
    if printed.draft is not None:
        detail["draft"] = printed.draft.pk
    log_access(action="print", obj=printed.person, person_id=printed.person.pk, detail=detail)
    return printed, pdf

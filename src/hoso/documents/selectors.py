"""Reads of evidence documents, always through the permission path: whoever may view
the person's file at the evidence's access level, or holds a written-consent grant
naming the section the document supports (`permissions.file_access`), may see and
download it. Opening someone else's evidence leaves an access row (DESIGN principle 7)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hoso.accounts.permissions import file_access
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import NotFound

from .models import EVIDENCE_ACCESS, EvidenceDocument
from .storage import evidence_files


def _visible(user) -> QuerySet[EvidenceDocument]:
    return EvidenceDocument.objects.visible_to(user, Action.PERSON_VIEW).select_related(
        "person", "person__unit"
    )


def may_see(*, user, doc: EvidenceDocument) -> bool:
    """Whether the user may open `doc`, by the file's access rule (`file_access`)."""
    return file_access(user, doc.person).sees(EVIDENCE_ACCESS, doc.section or None)


def evidence_list(*, user, person) -> QuerySet[EvidenceDocument]:
    """The evidence of one person's file that the user may open, newest first."""
    qs = _visible(user).filter(person=person).order_by("-uploaded_at", "-pk")
    access = file_access(user, person)
    if EVIDENCE_ACCESS in access.levels:
        return qs
    return qs.filter(section__in=sorted(access.sections))


def evidence_get(*, user, pk: int) -> EvidenceDocument:
    """One evidence document's details; NotFound when the user may not open it."""
    doc = _visible(user).filter(pk=pk).first()
    if doc is None or not may_see(user=user, doc=doc):
        raise NotFound(_("No such evidence document."))
    return doc


def evidence_open(*, user, pk: int):
    """(document, open file) for a download; logs the access to someone else's."""
    doc = evidence_get(user=user, pk=pk)
    handle = evidence_files().open(doc.storage_name, "rb")
    if doc.person_id != getattr(user, "person_id", None):
        log_access(action="download", obj=doc, person_id=doc.person_id)
    return doc, handle

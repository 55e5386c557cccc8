"""Reads of change requests, through the permission path.

A change request is seen by whoever may change the person's file (`person.change`:
the person, the unit's HR officers); the review issue adds its reviewers. Its document
is shown through `records.selectors.visible_document`, so an HR officer without the
right to a restricted section does not see it in a draft either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.roles import Action
from hoso.core.errors import NotFound

from .models import OPEN_STATUSES, ChangeRequest, Status
from .rules import keys_needing_evidence


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.visible_to(user, Action.PERSON_CHANGE)
        .select_related("person", "person__unit")
        .order_by("-created_at", "-pk")
    )


def change_request_get(*, user, pk: int) -> ChangeRequest:
    cr = change_request_list(user=user).filter(pk=pk).first()
    if cr is None:
        raise NotFound(_("No such change request."))
    return cr


def draft_for(*, user, person) -> ChangeRequest | None:
    """The person's draft, if there is one and the user may see it."""
    return change_request_list(user=user).filter(person=person, status=Status.DRAFT).first()


def open_request_for(*, user, person) -> ChangeRequest | None:
    """The person's open change request (a draft or one awaiting review)."""
    return (
        change_request_list(user=user)
        .filter(person=person, status__in=sorted(OPEN_STATUSES))
        .first()
    )


def base_document(cr: ChangeRequest) -> dict:
    """The approved document the change request started from ({} for a new file)."""
    return cr.base_revision.document if cr.base_revision_id else {}


def visible_draft_document(*, user, cr: ChangeRequest) -> dict:
    from hoso.records.selectors import visible_document

    return visible_document(user, cr.person, cr.document)


@dataclass(frozen=True)
class Problem:
    """One reason a change request cannot be submitted: `path` is a document path
    ("birth_date", "training.2.to"), or "evidence" / "document"; `section` the key of
    the form's section to fix it in (None when not tied to one)."""

    path: str
    message: str
    section: str | None = None
    label: str = ""


def _section_of(schema, path: str) -> tuple[str | None, str]:
    top = path.split(".", 1)[0]
    for section in schema.sections:
        for f in section.fields:
            if f.key == top:
                return section.key, str(f.label)
    return None, ""


def submission_problems(cr: ChangeRequest) -> list[Problem]:
    """Every reason `cr` cannot be submitted now, [] when it can. Vĩnh Phúc Đ7.2–7.3:
    the data must be complete and correct, and a change comes with the scanned
    document that proves it."""
    from hoso.records.schema import get_schema, validate

    schema = get_schema(cr.category)
    document = cr.document
    problems = []
    for issue in validate(document, category=cr.category, on=timezone.localdate()):
        section, label = _section_of(schema, issue.path)
        problems.append(Problem(issue.path, str(issue.message), section, label))
    before = base_document(cr)
    if document == before:
        problems.append(
            Problem("document", _("The draft changes nothing in the approved file."))
        )
    needing = keys_needing_evidence(before, document)
    if needing and not cr.active_evidence().exists():
        labels = []
        for key in needing:
            labels.append(str(schema.field(key).label) if key in schema else key)
        problems.append(
            Problem(
                "evidence",
                _(
                    "Attach the scanned decision or certificate behind the changes to: "
                    "%(fields)s (Vĩnh Phúc Quy chế Đ7.3; Lai Châu 2.2)."
                )
                % {"fields": ", ".join(labels)},
            )
        )
    return problems


# --- the pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """A required field still empty, and the section of the form it is filled in."""

    key: str
    label: str
    section: str


@dataclass
class Meter:
    filled: int
    required: int
    missing: list[Missing]

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.filled / self.required)

    @property
    def complete(self) -> bool:
        return self.filled >= self.required


def completeness_of(document: dict, *, category: str) -> Meter:
    """The completeness meter of a document: `schema.completeness`, with each missing
    field's section for the link that fills it."""
    from hoso.records.schema import completeness

    c = completeness(document, category=category)
    missing = [Missing(f.key, str(f.label), f.section) for f in c.missing]
    return Meter(c.filled, c.required, missing)


def draft_completeness(cr: ChangeRequest) -> Meter:
    return completeness_of(cr.document, category=cr.category)


def _changes(user, cr: ChangeRequest) -> list:
    """What the change request changes in the approved file, as far as `user` may
    read (the revisions' own diff, `records.selectors.diff_documents`)."""
    from hoso.records.selectors import diff_documents, visible_document

    before = visible_document(user, cr.person, base_document(cr), category=cr.category)
    after = visible_document(user, cr.person, cr.document, category=cr.category)
    return diff_documents(before, after, category=cr.category)


@dataclass
class FileOverview:
    revision: object  # the approved revision as the user may read it, or None
    open_request: ChangeRequest | None
    last_request: ChangeRequest | None
    meter: Meter
    changes: list
    sections: list[tuple[str, str]]
    may_edit: bool


def file_overview(*, user, person) -> FileOverview:
    """The self-service page of a file: the approved revision, the open change request
    (a draft or one awaiting review), what it changes, and what is still missing."""
    from hoso.accounts.permissions import can
    from hoso.records.schema import get_schema
    from hoso.records.selectors import revision_current

    revision = revision_current(user=user, person=person)
    may_edit = can(user, Action.PERSON_CHANGE, person)
    open_request = open_request_for(user=user, person=person) if may_edit else None
    last = open_request or (
        change_request_list(user=user).filter(person=person).first() if may_edit else None
    )
    if open_request is not None:
        category = open_request.category
        document = open_request.document
        changes = _changes(user, open_request)
    else:
        category = revision.category if revision else person.category
        if revision is not None:
            from hoso.records.models import Revision

            document = Revision.objects.get(pk=revision.pk).document
        else:
            from .services import known_document

            document = known_document(person)
        changes = []
    schema = get_schema(category)
    return FileOverview(
        revision=revision,
        open_request=open_request,
        last_request=last,
        meter=completeness_of(document, category=category),
        changes=changes,
        sections=[(s.key, str(s.label)) for s in schema.sections],
        may_edit=may_edit,
    )


@dataclass
class EvidenceRow:
    doc: object
    attached_at: object
    openable: bool

    @property
    def kind_label(self) -> str:
        from hoso.catalogs.selectors import code_label

        return code_label("evidence_kinds", self.doc.kind) or self.doc.kind


@dataclass
class ChangeOverview:
    changes: list
    evidence: list[EvidenceRow]
    detached: list[EvidenceRow]
    problems: list[Problem]
    meter: Meter
    needs_evidence: list[str]


def change_overview(*, user, cr: ChangeRequest) -> ChangeOverview:
    """A change request's page: its changes, its evidence (and what was detached), and
    for a draft what still stands in the way of submitting it."""
    from hoso.documents.selectors import may_see

    from .models import ChangeEvidence

    links = (
        ChangeEvidence.objects.filter(change_request=cr)
        .select_related("evidence", "evidence__person", "evidence__person__unit")
        .order_by("attached_at", "pk")
    )
    active, detached = [], []
    for link in links:
        row = EvidenceRow(link.evidence, link.attached_at, may_see(user=user, doc=link.evidence))
        (detached if link.detached_at else active).append(row)
    return ChangeOverview(
        changes=_changes(user, cr),
        evidence=active,
        detached=detached,
        problems=submission_problems(cr) if cr.is_draft else [],
        meter=draft_completeness(cr),
        needs_evidence=keys_needing_evidence(base_document(cr), cr.document),
    )

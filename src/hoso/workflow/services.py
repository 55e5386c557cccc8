"""Writes of change requests: start a draft, save it (section by section as the person
types, or by a patch over the API), attach and detach evidence, submit it for review
(the steps of the province's chain, `routing`), resubmit a returned one, withdraw.
The reviewers' decisions are `decisions.py`.

Each is one atomic, audited write that locks the draft it changes and checks, through
the permission path, that the actor may change the person's file (`person.change`:
the person, or an HR officer of the unit — an HR correction is a change request too).
Two rules on top (DESIGN principle 3, Vĩnh Phúc Đ4.5, Đ7.3):

- a field the schema marks `managed_by_unit` (the header, the unit's remarks) cannot
  be changed by the person about their own file; a field the actor may not read
  (`permissions.file_access`) cannot be changed by them either, and keeps its value;
- submitting is refused, with the list of problems, while the schema finds the
  document invalid, or a change that needs a scanned decision has none attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import as_user, file_access, require
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError, PermissionDenied
from hoso.documents.models import EvidenceDocument
from hoso.documents.services import Upload, evidence_upload_many
from hoso.records.models import Person, Revision
from hoso.records.services import normalize_document

from .models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    ChangeEvidence,
    ChangeRequest,
    Origin,
    Status,
)
from .selectors import Problem, submission_problems


class SubmitRefused(DomainError):
    """Submitting was refused; `problems` lists every reason (`selectors.Problem`)."""

    code = "submit_refused"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(
            _("The change request cannot be submitted yet: %(n)d problem(s) to fix.")
            % {"n": len(self.problems)}
        )


class FieldsRefused(DomainError):
    """Some values of a patch were refused; `issues` maps a path to its messages."""

    code = "invalid"

    def __init__(self, issues: dict[str, list[str]]):
        self.issues = issues
        path, messages = next(iter(issues.items()))
        super().__init__(messages[0], field=path)


def _schema(category: str):
    from hoso.records.schema import get_schema

    return get_schema(category)


def _agency(unit):
    """The agency a unit belongs to: itself, or its nearest ancestor that is not a
    division (phòng, bộ phận) — the authority that manages its staff."""
    from hoso.org.models import UnitKind

    while unit.kind == UnitKind.DIVISION and unit.parent_id:
        unit = unit.parent
    return unit


def known_document(person: Person) -> dict:
    """What hoso already holds about a person whose file has no approved revision yet:
    the account's file row (name, birth date, sex, identification number, unit). The
    draft starts from it, so none of it is asked again (Vĩnh Phúc Đ4.5)."""
    schema = _schema(person.category)
    known = {
        "full_name": person.full_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "sex": person.sex,
        "id_number": person.id_number,
        "employing_unit": person.unit.code,
        "managing_unit": _agency(person.unit).code,
    }
    keys = {f.key for f in schema.fields}
    return normalize_document({k: v for k, v in known.items() if k in keys})


def _is_self(actor, person) -> bool:
    return getattr(actor, "person_id", None) == person.pk


@dataclass
class Editable:
    """Which top-level fields of a person's document an actor may change."""

    keys: frozenset[str]
    refused: dict[str, str] = field(default_factory=dict)  # key → why not

    def check(self, keys) -> dict[str, list[str]]:
        return {k: [self.refused.get(k) or _("This field is not on the form.")]
                for k in keys if k not in self.keys}


def editable_fields(*, actor, person, category: str) -> Editable:
    schema = _schema(category)
    access = file_access(actor, person)
    own = _is_self(actor, person)
    keys, refused = set(), {}
    for section in schema.sections:
        for f in section.fields:
            if own and f.managed_by_unit:
                refused[f.key] = _("This field is kept by your unit's HR officer.")
            elif not _sees(access, f, section):
                refused[f.key] = _("You may not read or change this field.")
            else:
                keys.add(f.key)
    return Editable(frozenset(keys), refused)


def _sees(access, f, section) -> bool:
    levels = {f.access} | {c.access for c in (f.columns or ())}
    return all(access.sees(level, section.grant_section) for level in levels)


def _lock(actor, draft: ChangeRequest, *, editing: bool = True) -> ChangeRequest:
    draft = ChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "person", "person__unit"
    ).get(pk=draft.pk)
    require(actor, Action.PERSON_CHANGE, draft.person)
    if editing and draft.status not in EDITABLE_STATUSES:
        if draft.status == Status.IN_REVIEW:
            message = _("This change request has been submitted and can no longer be changed.")
        else:
            message = _("This change request is closed (%(status)s) and can no longer be "
                        "changed.") % {"status": draft.get_status_display()}
        raise DomainError(message, code="not_draft")
    return draft


def _save_document(actor, draft: ChangeRequest, document: dict) -> ChangeRequest:
    document = normalize_document(document)
    if document != draft.document:
        draft.document = document
    draft.saved_at = timezone.now()
    draft.save()
    return draft


@transaction.atomic
def draft_start(*, actor, person: Person) -> ChangeRequest:
    """The person's open draft, or a new one starting from their approved revision (or,
    for a file without one, from what hoso already knows of them)."""
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    require(actor, Action.PERSON_CHANGE, person)
    current = ChangeRequest.objects.filter(person=person, status__in=sorted(OPEN_STATUSES))
    current = current.order_by("-created_at").first()
    if current is not None:
        if current.status in EDITABLE_STATUSES:  # a draft, or returned to be corrected
            return current
        raise DomainError(
            _(
                "A change request of this file is awaiting review; a new one can be "
                "started once it has been decided."
            ),
            code="open_request",
        )
    base = Revision.objects.filter(person=person).order_by("-number").first()
    draft = ChangeRequest(
        person=person,
        origin=Origin.SELF if _is_self(actor, person) else Origin.CORRECTION,
        base_revision=base,
        category=person.category,
        schema_version=str(_schema(person.category).version),
        created_by=as_user(actor),
        saved_at=timezone.now(),
    )
    draft.document = dict(base.document) if base else known_document(person)
    draft.full_clean(exclude=["person", "base_revision", "created_by"])
    draft.save()
    return draft


@dataclass
class SectionSave:
    """The outcome of saving one section: the draft, the bound form (with the errors
    of values that could not be read) and the schema's issues for that section."""

    draft: ChangeRequest
    form: object
    issues: list
    saved: bool


@transaction.atomic
def draft_save_section(*, actor, draft: ChangeRequest, section_key: str, data) -> SectionSave:
    """Save one section of the draft from its form's data (the page's autosave).

    What was typed is kept as typed, even a value the schema finds wrong (a
    half-typed date, a coefficient that no longer matches a new rank): the person
    loses nothing, the form shows the schema's message next to it, and submitting is
    refused until it is fixed. Fields the actor may not change keep their value."""
    from .forms import SectionForm

    draft = _lock(actor, draft)
    form = SectionForm(actor=actor, draft=draft, section_key=section_key, data=data)
    part, touched = form.readable_part()
    document = {k: v for k, v in draft.document.items() if k not in touched}
    document.update(part)
    _save_document(actor, draft, document)
    return SectionSave(draft, form, form.section_issues(), True)


@transaction.atomic
def draft_update(
    *, actor, draft: ChangeRequest, changes: dict | None = None, note: str | None = None
) -> ChangeRequest:
    """Patch the draft (the API): each key of `changes` replaces that field's value,
    a null removes it. Keys the actor may not change, and values the schema finds
    wrong, refuse the whole patch with a message per field; fields not named keep
    their value (an incomplete draft is fine until it is submitted)."""
    from hoso.records.schema import validate

    draft = _lock(actor, draft)
    changes = dict(changes or {})
    if changes:
        editable = editable_fields(actor=actor, person=draft.person, category=draft.category)
        refused = editable.check(changes)
        if refused:
            raise FieldsRefused(refused)
        document = dict(draft.document)
        for key, value in changes.items():
            if value is None:
                document.pop(key, None)
            else:
                document[key] = value
        document = normalize_document(document)
        named = {k for k, v in changes.items() if v is not None}
        wrong: dict[str, list[str]] = {}
        issues = validate(
            document, category=draft.category, on=timezone.localdate(), check_required=False
        )
        for issue in issues:
            top = issue.path.split(".", 1)[0]
            if top in named and top in document:
                wrong.setdefault(issue.path, []).append(str(issue.message))
        if wrong:
            raise FieldsRefused(wrong)
        _save_document(actor, draft, document)
    if note is not None:
        if len(note) > 2000:
            raise DomainError(_("At most %(limit)s characters.") % {"limit": 2000}, field="note")
        draft.note = note.strip()
        draft.save()
    return draft


def _attach(actor, draft: ChangeRequest, docs) -> None:
    for doc in docs:
        if doc.person_id != draft.person_id:
            raise DomainError(
                _("This evidence document belongs to another person's file."), field="evidence"
            )
        if ChangeEvidence.objects.filter(
            change_request=draft, evidence=doc, detached_at__isnull=True
        ).exists():
            raise DomainError(
                _("This evidence document is already attached."), field="evidence"
            )
        ChangeEvidence.objects.create(
            change_request=draft, evidence=doc, attached_by=as_user(actor)
        )


@transaction.atomic
def draft_attach(*, actor, draft: ChangeRequest, evidence: EvidenceDocument) -> ChangeRequest:
    """Attach an evidence document already uploaded to the person's file."""
    draft = _lock(actor, draft)
    _attach(actor, draft, [evidence])
    return draft


def draft_upload_evidence(
    *, actor, draft: ChangeRequest, uploads: Sequence[Upload]
) -> list[EvidenceDocument]:
    """Upload a batch of scans and attach them to the draft: all of them or none (a
    file refused by the checks, or any later failure, leaves nothing behind)."""
    with transaction.atomic():
        draft = _lock(actor, draft)
        return evidence_upload_many(
            actor=actor, person=draft.person, uploads=uploads,
            then=lambda docs: _attach(actor, draft, docs),
        )


@transaction.atomic
def draft_detach(*, actor, draft: ChangeRequest, evidence: EvidenceDocument) -> ChangeRequest:
    """Detach an evidence document from the draft. The document itself stays (an
    evidence row is never deleted); the link records who detached it and when."""
    draft = _lock(actor, draft)
    link = ChangeEvidence.objects.select_for_update().filter(
        change_request=draft, evidence=evidence, detached_at__isnull=True
    ).first()
    if link is None:
        raise DomainError(_("This evidence document is not attached."), field="evidence")
    link.detached_at = timezone.now()
    link.detached_by = as_user(actor)
    link.save()
    return draft


def _rebase(draft: ChangeRequest) -> list[Problem]:
    """Bring a request up to the newest approved revision when another one was written
    since it started (an import, another request): the fields the request does not
    change take the newer values, so that approving it loses nothing; a field both
    changed, differently, is a conflict the person resolves (nothing is changed)."""
    from .rules import changed_keys

    newest = Revision.objects.filter(person=draft.person).order_by("-number").first()
    if newest is None or newest.pk == draft.base_revision_id:
        return []
    base = draft.base_revision.document if draft.base_revision_id else {}
    theirs, mine = newest.document, draft.document
    ours = set(changed_keys(base, mine))
    conflicts = [
        k for k in changed_keys(base, theirs) if k in ours and mine.get(k) != theirs.get(k)
    ]
    if conflicts:
        schema = _schema(draft.category)
        labels = [str(schema.field(k).label) if k in schema else k for k in conflicts]
        return [Problem(
            "document",
            _("The approved file changed after this request was started (revision %(n)d) "
              "in fields it changes too: %(fields)s. Compare them with the approved file "
              "and enter them again.") % {"n": newest.number, "fields": ", ".join(labels)},
        )]
    document = dict(mine)
    for key in changed_keys(base, theirs):
        if key in theirs:
            document[key] = theirs[key]
        else:
            document.pop(key, None)
    draft.document = normalize_document(document)
    draft.base_revision = newest
    return []


@transaction.atomic
def draft_submit(*, actor, draft: ChangeRequest) -> ChangeRequest:
    """Submit the draft (or a returned request, corrected) for review; refused with
    every problem while there are any. It is then read-only and goes through the steps
    of the province's review chain, the first one active (`routing.new_round`); a
    resubmission is a new round, the earlier rounds kept."""
    from .routing import new_round

    draft = _lock(actor, draft)
    problems = _rebase(draft) or submission_problems(draft)
    if problems:
        raise SubmitRefused(problems)
    now = timezone.now()
    draft.submitted_at = now
    draft.submitted_by = as_user(actor)
    draft.decided_at = None
    new_round(draft, at=now)
    draft.status = Status.IN_REVIEW
    draft.save()
    return draft


def submit(change_request: ChangeRequest, *, actor) -> ChangeRequest:
    """Submit a draft or resubmit a returned request (the other apps' entry point)."""
    return draft_submit(actor=actor, draft=change_request)


resubmit = submit


@transaction.atomic
def withdraw(*, actor, change_request: ChangeRequest, reason: str = "") -> ChangeRequest:
    """Withdraw a draft or a returned request: it is closed and kept (with its
    evidence and its earlier rounds); the person may start a new one. A request in
    review is withdrawn by nobody: its reviewers return or reject it."""
    cr = _lock(actor, change_request, editing=False)
    if cr.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("Only a draft or a request returned for correction can be withdrawn; this one "
              "is %(status)s.") % {"status": cr.get_status_display()},
            code="not_withdrawable",
        )
    if len(reason) > 2000:
        raise DomainError(_("At most %(limit)s characters.") % {"limit": 2000}, field="reason")
    cr.status = Status.WITHDRAWN
    cr.decided_at = timezone.now()
    cr.current_step = None
    if reason.strip():
        cr.note = (cr.note + "\n\n" if cr.note else "") + reason.strip()
    cr.save()
    return cr


def route_unrouted(*, actor) -> tuple[int, list[tuple[int, str]]]:
    """Give the steps of the province's chain to the requests in review that have none
    (submitted before the review existed); (how many, [(request id, why not)]). The
    system only: it is an operator's step after an upgrade."""
    from hoso.accounts.permissions import SYSTEM

    from .routing import new_round

    if actor is not SYSTEM:
        raise PermissionDenied(_("Only the system routes requests in bulk."))
    routed, failed = 0, []
    pending = ChangeRequest.objects.filter(status=Status.IN_REVIEW, steps__isnull=True)
    for pk in pending.values_list("pk", flat=True).order_by("pk"):
        try:
            with transaction.atomic():
                cr = ChangeRequest.objects.select_for_update(of=("self",)).select_related(
                    "person", "person__unit").get(pk=pk)
                if cr.steps.exists():
                    continue
                new_round(cr, at=cr.submitted_at or timezone.now())
                cr.save()
        except DomainError as exc:
            failed.append((pk, str(exc.message)))
        else:
            routed += 1
    return routed, failed

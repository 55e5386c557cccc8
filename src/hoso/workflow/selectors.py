"""Reads of change requests, through the permission path.

A change request is seen by whoever may change the person's file (`person.change`:
the person, the unit's HR officers) and, once submitted, by its reviewers: those who
approve files of the person's unit (`person.approve`) and whoever holds, or holds by
delegation, the role of one of its steps (`permissions.role_filter`). Its document is
shown through `records.selectors.visible_document`, so a reviewer without the right to
a restricted section does not see it either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.roles import Action
from hoso.core.errors import NotFound

from .models import OPEN_STATUSES, ChangeRequest, ReviewStep, Status, StepStatus
from .rules import keys_needing_evidence


def visible_q(user) -> Q:
    """Who sees a change request, as a filter built from the permission path: whoever
    may change the person's file; once it is submitted, also whoever approves files of
    the person's unit, and the holders (or delegates) of its steps' roles."""
    from hoso.accounts.permissions import person_filter, role_filter
    from hoso.records.models import Person

    changers = Person.objects.filter(person_filter(user, Action.PERSON_CHANGE))
    approvers = Person.objects.filter(person_filter(user, Action.PERSON_APPROVE))
    steps = ReviewStep.objects.filter(role_filter(user, delegable_field="delegable"))
    return Q(person__in=changers) | (
        ~Q(status=Status.DRAFT)
        & (Q(person__in=approvers) | Q(pk__in=steps.values("change_request_id")))
    )


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.visible_to(user)
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
        problems=submission_problems(cr) if cr.editable else [],
        meter=draft_completeness(cr),
        needs_evidence=keys_needing_evidence(base_document(cr), cr.document),
    )


# --- the review ---------------------------------------------------------------------


def active_steps() -> QuerySet[ReviewStep]:
    """Every step awaiting a decision, soonest due first (for reminders and the
    compliance figures, which run as the system)."""
    return (
        ReviewStep.objects.filter(status=StepStatus.ACTIVE,
                                  change_request__status=Status.IN_REVIEW)
        .select_related("change_request", "change_request__person", "unit")
        .order_by("due_date", "pk")
    )


def queue_for(user) -> QuerySet[ReviewStep]:
    """The steps `user` may decide now, soonest due first (undated last): those whose
    role they hold on a covering unit, or hold by a delegation in force for a step that
    may be delegated; never on their own file or a change they made."""
    from django.db.models import F

    from hoso.accounts.permissions import role_filter

    qs = active_steps().filter(role_filter(user, delegable_field="delegable"))
    person_id = getattr(user, "person_id", None)
    if person_id:
        qs = qs.exclude(change_request__person_id=person_id)
    if getattr(user, "pk", None):
        qs = qs.exclude(change_request__created_by=user).exclude(
            change_request__submitted_by=user
        )
    return qs.select_related("change_request__person__unit").order_by(
        F("due_date").asc(nulls_last=True), "change_request__submitted_at", "pk"
    )


def steps_of(cr: ChangeRequest) -> list[ReviewStep]:
    """Every step of every round of `cr`, in order (the caller may see `cr`)."""
    return list(
        cr.steps.select_related("unit", "decided_by", "on_behalf_of", "delegation",
                                "signature")
        .order_by("round", "number")
    )


@dataclass
class Round:
    number: int
    steps: list


def rounds_of(cr: ChangeRequest) -> list[Round]:
    """The request's rounds of review, newest first."""
    rounds: dict[int, list] = {}
    for step in steps_of(cr):
        step.reason_rows = field_reason_rows(cr, step.field_reasons)
        rounds.setdefault(step.round, []).append(step)
    return [Round(n, rounds[n]) for n in sorted(rounds, reverse=True)]


def returned_reasons(cr: ChangeRequest) -> list:
    """The reasons per field of the last return, with each field's label, for the
    person correcting the request."""
    if cr.status != Status.RETURNED:
        return []
    step = cr.steps.filter(status=StepStatus.RETURNED).order_by("-round", "-number").first()
    if step is None:
        return []
    return field_reason_rows(cr, step.field_reasons)


@dataclass(frozen=True)
class FieldReason:
    path: str
    label: str
    reason: str
    section: str | None


def field_reason_rows(cr: ChangeRequest, reasons: dict) -> list[FieldReason]:
    from hoso.records.schema import get_schema

    schema = get_schema(cr.category)
    rows = []
    for path, reason in (reasons or {}).items():
        if path == "evidence":
            rows.append(FieldReason(path, _("Evidence documents"), reason, None))
            continue
        section, label = _section_of(schema, path)
        rest = path.split(".")[1:]
        if rest and rest[0].isdigit():
            label = _("%(table)s, row %(n)d") % {"table": label, "n": int(rest[0]) + 1}
        rows.append(FieldReason(path, label or path, reason, section))
    return rows


def decidable_step(*, user, cr: ChangeRequest) -> ReviewStep | None:
    """The active step of `cr` if `user` may decide it now, else None."""
    return queue_for(user).filter(change_request=cr).first()


def log_review_read(*, user, cr: ChangeRequest) -> None:
    """An access row for a reviewer's read of someone else's request (its proposed
    document is their file)."""
    from hoso.audit.services import log_access

    if cr.person_id != getattr(user, "person_id", None):
        log_access(action="view", obj=cr.person, person_id=cr.person_id,
                   detail={"what": "change_request", "change_request": cr.pk})


@dataclass
class SignerChoice:
    """The key an approver is about to sign with, as the decide form presents it."""

    description: str = ""
    needs_secret: bool = True
    error: str = ""


def signer_choice(*, user) -> SignerChoice:
    from hoso.core.errors import DomainError
    from hoso.signing.selectors import signer_for

    try:
        spec = signer_for(user=user)
    except DomainError as exc:
        return SignerChoice(needs_secret=False, error=str(exc.message))
    return SignerChoice(description=spec.describe(), needs_secret=spec.backend != "remote")


@dataclass
class ReviewPage:
    """What a request's review page shows: the changes and evidence (as the user may
    read them), every round's steps, and — when it is the user's turn — the step they
    decide, the key they sign with and whether the window is open."""

    overview: ChangeOverview
    rounds: list
    step: ReviewStep | None  # the step the user may decide now
    active: ReviewStep | None  # the step awaiting a decision, whoever decides it
    signer: SignerChoice | None
    window_note: str
    reasons: list  # the last return's reasons, for the person


def review_page(*, user, cr: ChangeRequest) -> ReviewPage:
    from hoso.core.policy import get_policy

    from .routing import window_refusal

    log_review_read(user=user, cr=cr)
    step = decidable_step(user=user, cr=cr) if cr.status == Status.IN_REVIEW else None
    active = cr.steps.filter(status=StepStatus.ACTIVE).select_related("unit").first()
    signer = signer_choice(user=user) if step is not None and step.signs else None
    note = ""
    if step is not None:
        note = window_refusal(step, get_policy(cr.policy or None),
                              today=timezone.localdate()) or ""
    return ReviewPage(
        overview=change_overview(user=user, cr=cr),
        rounds=rounds_of(cr),
        step=step,
        active=active,
        signer=signer,
        window_note=note,
        reasons=returned_reasons(cr),
    )

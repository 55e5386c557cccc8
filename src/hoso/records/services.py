"""Writes to people and their files.

A person is created by an HR officer (or the import) within their scope; their file
changes only by a new revision (`revision_create`), which the review of a change
request writes when its last approval lands (DESIGN principle 3), and the demo and the
import write as the system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM, as_user, can, require
from hoso.accounts.roles import Action
from hoso.audit.services import log_change
from hoso.core.crypto import keyed_hash
from hoso.core.errors import DomainError, PermissionDenied
from hoso.core.text import search_key

from .models import GENESIS, Person, Profile, Revision
from .projection import project


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    require(actor, Action.PERSON_CHANGE, fields["unit"])
    person = Person(**fields)
    person.full_clean(exclude=["id_number_hash"])
    if Person.objects.filter(id_number_hash=keyed_hash(person.id_number)).exists():
        raise DomainError(
            _("A file with this identification number already exists."), field="id_number"
        )
    person.save()
    return person


class DocumentInvalid(DomainError):
    """The document failed the schema's validation; `issues` holds every problem
    (`Issue(path, message)`), `message` and `field` the first."""

    code = "document_invalid"

    def __init__(self, issues):
        self.issues = list(issues)
        first = self.issues[0]
        message = first.message
        if len(self.issues) > 1:
            message = _("%(first)s (and %(more)d more problems)") % {
                "first": first.message, "more": len(self.issues) - 1,
            }
        super().__init__(message, field=first.path)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def normalize_document(document: dict) -> dict:
    """The stored form of a document: empty values are absent keys (never "" or null),
    empty table rows are dropped (the contract between the issue-4 helpers)."""
    out = {}
    for key, value in document.items():
        if isinstance(value, list):
            rows = []
            for row in value:
                if isinstance(row, dict):
                    row = {k: v for k, v in row.items() if not _empty(v)}
                    row = {
                        k: ({kk: vv for kk, vv in v.items() if not _empty(vv)}
                            if isinstance(v, dict) else v)
                        for k, v in row.items()
                    }
                    row = {k: v for k, v in row.items() if not _empty(v)}
                if not _empty(row):
                    rows.append(row)
            value = rows
        elif isinstance(value, dict):
            value = {k: v for k, v in value.items() if not _empty(v)}
        if not _empty(value):
            out[key] = value
    return out


def _change_request_id(change_request) -> int | None:
    if change_request is None:
        return None
    return int(getattr(change_request, "pk", change_request))


@transaction.atomic
def revision_create(
    *,
    actor,
    person: Person,
    document: dict,
    reason: str,
    approved_by=None,
    change_request=None,
    evidence_ids: Iterable[int] = (),
    approved_at: dt.datetime | None = None,
) -> Revision:
    """Write the next link of `person`'s chain holding `document` (validated with the
    schema) and rewrite the projection, in one transaction.

    `actor` must hold `person.approve` on the person (the system may always);
    `approved_by` defaults to the actor. Nobody approves their own file. A document
    equal to the current revision's is refused (nothing would change).
    `approved_at` (default: now) is for the import of a file's history: never in the
    future, never before the previous revision.
    """
    from .schema import get_schema, validate

    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    require(actor, Action.PERSON_APPROVE, person)
    approver = approved_by if approved_by is not None else as_user(actor)
    if approver is not None and approver.person_id == person.pk:
        raise PermissionDenied(_("Nobody approves changes to their own file."))
    now = timezone.now()
    if approved_at is not None:
        if approved_at > now:
            raise DomainError(_("A revision cannot be approved in the future."))
        now = approved_at
    document = normalize_document(document)
    issues = validate(document, category=person.category, on=timezone.localdate(now))
    if issues:
        raise DocumentInvalid(issues)

    last = person.revisions.order_by("-number").first()
    if last is not None and now < last.created_at:
        raise DomainError(_("A revision cannot be approved before the one it follows."))
    if last is not None and last.document == document:
        raise DomainError(_("The file would not change: it already holds this document."))

    projection = project(document)
    unit = person.unit
    if projection.unit_code and projection.unit_code != unit.code:
        from hoso.org.models import OrgUnit

        unit = OrgUnit.objects.filter(code=projection.unit_code).first()
        if unit is None:
            raise DomainError(
                _("No unit has the code %(code)s.") % {"code": projection.unit_code},
                field="employing_unit",
            )
        if actor is not SYSTEM and not can(actor, Action.PERSON_APPROVE, unit):
            raise PermissionDenied(
                _("You may not place a file in a unit outside your scope.")
            )
    if "id_number" in projection.person:
        taken = Person.objects.filter(
            id_number_hash=keyed_hash(projection.person["id_number"])
        ).exclude(pk=person.pk)
        if taken.exists():
            raise DomainError(
                _("A file with this identification number already exists."),
                field="id_number",
            )

    from .sealing import seal

    clear, sealed = seal(document, category=person.category)
    revision = Revision(
        person=person,
        number=(last.number + 1) if last else 1,
        parent_hash=last.content_hash if last else GENESIS,
        category=person.category,
        schema_version=str(get_schema(person.category).version),
        public=clear,
        sealed=sealed,
        created_at=now,
        approved_by=approver,
        change_request_id=_change_request_id(change_request),
        reason=reason or "",
        evidence_ids=sorted({int(e) for e in evidence_ids}),
    )
    revision.content_hash = revision.compute_hash(document)
    revision.save()
    revision.document = document
    # The revision's own row in the change log: what was approved, by whom, never the
    # document (its restricted part would end up in the clear).
    log_change(
        action="create",
        obj=revision,
        before=None,
        after={
            "person": person.pk, "number": revision.number,
            "content_hash": revision.content_hash, "approved_by": revision.approved_by_id,
            "change_request": revision.change_request_id, "reason": revision.reason,
        },
    )
    _write_projection(person, unit, projection, revision)
    return revision


def _write_projection(person: Person, unit, projection, revision: Revision) -> None:
    changed = False
    for name, value in projection.person.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    if unit.pk != person.unit_id:
        person.unit = unit
        changed = True
    if person.name_key != search_key(person.full_name):
        changed = True  # a repair (`hoso records reproject`): save() derives the key again
    if changed:
        person.full_clean(exclude=["id_number_hash"])
        person.save()  # audited: the change row shows the projected columns' old values
    Profile.objects.update_or_create(
        person=person,
        defaults={
            "revision": revision,
            "content_hash": revision.content_hash,
            **projection.profile,
        },
    )


def as_of_moment(on: dt.date) -> dt.datetime:
    """The last instant of the local day `on`: "as it was on 12/03/2025" includes what
    was approved that day."""
    start = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    return start - dt.timedelta(microseconds=1)


@transaction.atomic
def projection_rewrite(*, actor, person: Person) -> bool:
    """Rewrite `person`'s indexed columns from their newest revision (after a code list
    changed what a column derives from); True when something changed. The system only:
    it is an operator's repair (`hoso records reproject`)."""
    from .projection import differences

    if actor is not SYSTEM:
        raise PermissionDenied(_("Only the system rewrites the indexed columns."))
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    revision = person.revisions.order_by("-number").first()
    if revision is None:
        return False
    profile = Profile.objects.filter(person=person).first()
    if not differences(person, profile, revision):
        return False
    projection = project(revision.document)
    unit = person.unit
    if projection.unit_code and projection.unit_code != unit.code:
        from hoso.org.models import OrgUnit

        unit = OrgUnit.objects.get(code=projection.unit_code)
    _write_projection(person, unit, projection, revision)
    return True

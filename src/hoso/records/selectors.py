"""Reads of people and their files: only through `visible_to` / `can`, every read of
another's file is logged (DESIGN principle 7), and every document is cut to what the
reader may see (`visible_document`, deciding through `accounts.permissions.file_access`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hoso.accounts.permissions import can, file_access
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound

from .models import Person, Revision


def get_schema(category: str):
    from .schema import get_schema

    return get_schema(category)


def person_list(*, user, action: str = Action.PERSON_VIEW) -> QuerySet[Person]:
    return (
        Person.objects.visible_to(user, action)
        .select_related("unit")
        .order_by("full_name", "pk")
    )


def person_search(
    *,
    user,
    unit=None,
    category: str = "",
    status: str = "",
    name: str = "",
    action: str = Action.PERSON_VIEW,
) -> QuerySet[Person]:
    """The people list's filters over `person_list`; `unit` takes its whole sub-tree."""
    qs = person_list(user=user, action=action)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    name = name.strip()
    if name:
        qs = qs.filter(full_name__icontains=name)
    return qs


def person_counts(*, user, unit, action: str = Action.PERSON_VIEW) -> dict[str, int]:
    """How many people of the unit (`direct`) and of its sub-tree (`subtree`) the user
    may see, in one query. Counts carry no personal data, so they leave no access row."""
    return person_list(user=user, action=action).filter(
        unit__path__startswith=unit.path
    ).order_by().aggregate(subtree=Count("pk"), direct=Count("pk", filter=Q(unit=unit)))


def may_see_id_number(*, user, person: Person) -> bool:
    """The full identification number is for those who keep the file (the person, and
    whoever may change it); everyone else who may view the file sees it masked."""
    return can(user, Action.PERSON_CHANGE, person)


def person_get(*, user, pk: int, action: str = Action.PERSON_VIEW) -> Person:
    """One file; a view of someone else's leaves an access row."""
    person = person_list(user=user, action=action).get(pk=pk)
    if person.pk != getattr(user, "person_id", None):
        log_access(action="view", obj=person, person_id=person.pk)
    return person


def log_list_access(*, user, people, action: str = "search", detail: dict | None = None) -> None:
    """Access rows for a page of results that shows other people's data."""
    from hoso.audit.services import log_access_many

    ids = [p.pk for p in people if p.pk != getattr(user, "person_id", None)]
    if ids:
        log_access_many(action=action, person_ids=ids, detail=detail)


def person_find(
    *,
    user,
    id_number: str = "",
    unit=None,
    category: str = "",
    status: str = "",
    name: str = "",
) -> QuerySet[Person]:
    """`person_search`, narrowed to one exact identification number when given (through
    its keyed hash: the number itself is encrypted and cannot be searched)."""
    qs = person_search(user=user, unit=unit, category=category, status=status, name=name)
    if id_number:
        qs = qs.with_id_number(id_number)
    return qs


# --- the file and its revisions ------------------------------------------------------


def _own(user, person) -> bool:
    return person.pk == getattr(user, "person_id", None)


def _require_view(user, person: Person) -> None:
    """Out of the user's sight is "not found": the file's existence is not confirmed."""
    if not can(user, Action.PERSON_VIEW, person):
        raise NotFound(_("No such file."))


def _log_read(user, person: Person, what: str, **detail) -> None:
    """An access row for a read of someone else's file (DESIGN principle 7)."""
    if not _own(user, person):
        log_access(action="view", obj=person, person_id=person.pk, detail={"what": what, **detail})


def _grant_sections(schema) -> dict[str, str | None]:
    """Schema section key → the `records.sections` key a consent grant names."""
    return {s.key: s.grant_section for s in schema.sections}


def visible_document(user, person: Person, document: dict, *, category: str | None = None) -> dict:
    """The part of `document` (a profile document of `person`) that `user` may read:
    fields and table columns of an access level their roles open, or of a section a
    written-consent grant names (`accounts.permissions.file_access` decides)."""
    access = file_access(user, person)
    if access.everything:
        return dict(document)
    if not access.levels and not access.sections:
        return {}
    schema = get_schema(category or person.category)
    sections = _grant_sections(schema)
    out = {}
    for key, value in document.items():
        if key not in schema:
            continue  # a key the form does not know: only for who sees everything
        field = schema.field(key)
        section = sections.get(field.section)
        if not access.sees(field.access, section):
            continue
        hidden = {c.key for c in (field.columns or ()) if not access.sees(c.access, section)}
        if hidden and isinstance(value, list):
            value = [{k: v for k, v in row.items() if k not in hidden} for row in value]
        out[key] = value
    return out


def _shown(user, person: Person, revision: Revision) -> Revision:
    """`revision` with its document cut to what `user` may read."""
    full = revision.document
    revision.document = visible_document(user, person, full, category=revision.category)
    revision.hidden_keys = sorted(set(full) - set(revision.document))
    return revision


def revision_list(*, user, person: Person) -> list[Revision]:
    """The person's revisions, newest first (without their documents)."""
    _require_view(user, person)
    revisions = list(
        Revision.objects.filter(person=person)
        .select_related("approved_by")
        .defer("public", "sealed")
        .order_by("-number")
    )
    _log_read(user, person, "revisions")
    return revisions


def _one(user, person: Person, qs, what: str, **detail) -> Revision | None:
    _require_view(user, person)
    revision = qs.filter(person=person).select_related("approved_by").order_by("-number").first()
    _log_read(user, person, what, number=revision.number if revision else None, **detail)
    return _shown(user, person, revision) if revision else None


def revision_current(*, user, person: Person) -> Revision | None:
    """The approved file: the newest revision, as far as `user` may read it."""
    return _one(user, person, Revision.objects.all(), "current")


def revision_get(*, user, person: Person, number: int) -> Revision:
    revision = _one(user, person, Revision.objects.filter(number=number), "revision")
    if revision is None:
        raise NotFound(_("This file has no revision %(n)d.") % {"n": number})
    return revision


def revision_as_of(*, user, person: Person, on: dt.date) -> Revision | None:
    """The file as it was at the end of the day `on` (None: not approved yet then)."""
    from .services import as_of_moment

    return _one(
        user, person, Revision.objects.as_of(as_of_moment(on)), "as_of", on=on.isoformat()
    )


@dataclass(frozen=True)
class Change:
    """One difference between two revisions, in display form."""

    path: str  # "birth_date", "training.2.to", "training.3" (a whole row)
    label: str  # Vietnamese: "Ngày sinh", "Đào tạo, bồi dưỡng, dòng 3: Đến ngày"
    before: str
    after: str


def revision_diff(*, user, old: Revision | None, new: Revision) -> list[Change]:
    """Field by field (tables row by row) what changed from `old` (None: an empty
    file) to `new`, both of the same person, hiding what `user` may not read."""
    person = new.person
    if old is not None and old.person_id != new.person_id:
        raise DomainError(_("Both revisions must belong to the same file."))
    _require_view(user, person)
    _log_read(
        user, person, "diff", numbers=[old.number if old else 0, new.number]
    )
    before = visible_document(user, person, old.document, category=old.category) if old else {}
    after = visible_document(user, person, new.document, category=new.category)
    return diff_documents(before, after, category=new.category)


def diff_documents(before: dict, after: dict, *, category: str) -> list[Change]:
    """The differences between two documents of the form of `category`, in the
    form's order; keys the form does not know come last, by key."""
    from .display import display_value, row_text

    schema = get_schema(category)
    memo: dict = {}
    changes: list[Change] = []
    known = set()
    for field in schema.fields:
        known.add(field.key)
        a, b = before.get(field.key), after.get(field.key)
        if a == b:
            continue
        if field.type != "table":
            changes.append(Change(
                field.key, str(field.label),
                display_value(field, a, category=category, memo=memo),
                display_value(field, b, category=category, memo=memo),
            ))
            continue
        rows_a, rows_b = a or [], b or []
        for i in range(max(len(rows_a), len(rows_b))):
            ra = rows_a[i] if i < len(rows_a) else None
            rb = rows_b[i] if i < len(rows_b) else None
            if ra == rb:
                continue
            row = _("%(table)s, row %(n)d") % {"table": field.label, "n": i + 1}
            if ra is None or rb is None:
                changes.append(Change(
                    f"{field.key}.{i}", row,
                    row_text(field.columns, ra, category=category, memo=memo) if ra else "",
                    row_text(field.columns, rb, category=category, memo=memo) if rb else "",
                ))
                continue
            for col in field.columns:
                va, vb = ra.get(col.key), rb.get(col.key)
                if va != vb:
                    changes.append(Change(
                        f"{field.key}.{i}.{col.key}", f"{row}: {col.label}",
                        display_value(col, va, category=category, memo=memo),
                        display_value(col, vb, category=category, memo=memo),
                    ))
    for key in sorted((set(before) | set(after)) - known):
        if before.get(key) != after.get(key):
            changes.append(Change(key, key, str(before.get(key, "")), str(after.get(key, ""))))
    return changes


# --- the file page -------------------------------------------------------------------


@dataclass
class FieldView:
    key: str
    label: str
    text: str = ""  # the value as read ("" when empty)
    columns: list[str] | None = None  # a table's column labels
    rows: list[list[str]] | None = None  # a table's rows, as read
    required: bool = False

    @property
    def empty(self) -> bool:
        return not self.text and not self.rows


@dataclass
class SectionView:
    key: str
    label: str
    fields: list[FieldView]

    @property
    def empty(self) -> bool:
        return all(f.empty for f in self.fields)


def file_sections(user, person: Person, revision: Revision | None, *, category: str = ""):
    """The sections of the file `user` may read (each field with its value or empty),
    and the labels of the sections they may not. `revision` is already cut to what the
    user may read (a selector's result), or None for a file not yet approved."""
    from .display import display_value

    category = revision.category if revision else (category or person.category)
    schema = get_schema(category)
    access = file_access(user, person)
    document = revision.document if revision else {}
    memo: dict = {}
    shown, hidden = [], []
    for section in schema.sections:
        fields = []
        for field in section.fields:
            if not access.sees(field.access, section.grant_section):
                continue
            required = category in (field.required_for or ())
            value = document.get(field.key)
            if field.type == "table":
                columns = [
                    c for c in field.columns if access.sees(c.access, section.grant_section)
                ]
                rows = [
                    [display_value(c, row.get(c.key), category=category, memo=memo)
                     for c in columns]
                    for row in (value or [])
                ]
                fields.append(FieldView(field.key, str(field.label), "",
                                        [str(c.label) for c in columns], rows, required))
            else:
                fields.append(FieldView(field.key, str(field.label),
                                        display_value(field, value, category=category,
                                                      memo=memo),
                                        required=required))
        if fields:
            shown.append(SectionView(section.key, str(section.label), fields))
        else:
            hidden.append(str(section.label))
    return shown, hidden


@dataclass
class PersonFile:
    person: Person
    revision: Revision | None
    sections: list[SectionView]
    hidden_sections: list[str]
    missing_required: list[str]


def person_file(*, user, pk: int) -> PersonFile:
    """One person's file page: the person, their approved revision cut to what the user
    may read, by sections; one access row for someone else's file."""
    person = person_list(user=user).get(pk=pk)
    revision = (
        Revision.objects.filter(person=person).select_related("approved_by")
        .order_by("-number").first()
    )
    _log_read(user, person, "file", number=revision.number if revision else None)
    if revision is not None:
        _shown(user, person, revision)
    sections, hidden = file_sections(user, person, revision)
    missing = [
        f.label for s in sections for f in s.fields if f.required and f.empty
    ]
    return PersonFile(person, revision, sections, hidden, missing)


def revision_numbers(*, user, person: Person) -> list[int]:
    """The numbers of the person's revisions, oldest first (no content: no access row)."""
    _require_view(user, person)
    return list(
        Revision.objects.filter(person=person).order_by("number").values_list("number", flat=True)
    )


def revision_compare(
    *, user, person: Person, old_number: int, new_number: int
) -> tuple[Revision | None, Revision, list[Change]]:
    """Two revisions by number (0: the empty file before the first) and their diff;
    one access row."""
    _require_view(user, person)
    found = {
        r.number: r
        for r in Revision.objects.filter(person=person, number__in=[old_number, new_number])
    }
    if new_number not in found or (old_number and old_number not in found):
        missing = new_number if new_number not in found else old_number
        raise NotFound(_("This file has no revision %(n)d.") % {"n": missing})
    old, new = found.get(old_number), found[new_number]
    return old, new, revision_diff(user=user, old=old, new=new)

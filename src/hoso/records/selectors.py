"""Reads of people: only through `visible_to`, and every read of another's file is logged."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.audit.services import log_access

from .models import Person


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

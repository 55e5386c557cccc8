"""Reads of people: only through `visible_to`, and every read of another's file is logged."""

from __future__ import annotations

from django.db.models import QuerySet

from hoso.accounts.roles import Action
from hoso.audit.services import log_access

from .models import Person


def person_list(*, user, action: str = Action.PERSON_VIEW) -> QuerySet[Person]:
    return Person.objects.visible_to(user, action).select_related("unit").order_by("full_name", "pk")


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

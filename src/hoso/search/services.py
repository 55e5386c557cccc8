"""Writes of the search app: a user's saved searches (their own, nobody else's)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.errors import DomainError, NotFound

from .models import SavedSearch

MAX_SAVED = 100
# The parameters a saved search keeps (the page number and export format are not).
KEPT = frozenset({
    "q", "unit", "category", "status", "sex", "rank", "title", "job_position", "ethnicity",
    "education", "political_theory", "party", "age_min", "age_max", "changed_since",
})


def clean_query(query: str) -> str:
    """The search's own parameters of a query string, in a stable order."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in KEPT]
    return urlencode(sorted(pairs))


@transaction.atomic
def saved_search_create(*, actor, name: str, query: str) -> SavedSearch:
    """Save the search `query` (a query string of the search page) under `name`."""
    if actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        raise DomainError(_("Only a signed-in user saves searches."))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the search a name, e.g. “Retiring in 2026”."), field="name")
    if len(name) > 100:
        raise DomainError(_("The name is at most 100 characters long."), field="name")
    query = clean_query(query)
    if not query:
        raise DomainError(
            _("There is nothing to save: type a name or choose a filter first."), field="query"
        )
    if len(query) > 2000:
        raise DomainError(_("This search is too long to be saved."), field="query")
    mine = SavedSearch.objects.select_for_update().filter(owner=actor)
    if mine.filter(name=name).exists():
        raise DomainError(
            _("You already have a saved search named “%(name)s”: choose another name.")
            % {"name": name},
            field="name",
        )
    if mine.count() >= MAX_SAVED:
        raise DomainError(
            _("You have %(n)d saved searches, the most one may keep: delete some first.")
            % {"n": MAX_SAVED}
        )
    saved = SavedSearch(owner=actor, name=name, query=query)
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, actor, pk: int) -> None:
    """Delete one of the actor's own saved searches (someone else's is "not found")."""
    saved = SavedSearch.objects.select_for_update().filter(owner=actor, pk=pk).first()
    if saved is None:
        raise NotFound(_("No such saved search."))
    saved.delete()

"""Reads of the org tree, always through `visible_to`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from hoso.accounts.roles import Action

from .models import OrgUnit, OrgUnitQuerySet


def unit_list(*, user, action: str = Action.ORG_VIEW) -> OrgUnitQuerySet:
    return OrgUnit.objects.visible_to(user, action).order_by("path")


def unit_get(*, user, pk: int, action: str = Action.ORG_VIEW) -> OrgUnit:
    return unit_list(user=user, action=action).get(pk=pk)


def unit_tree(*, user, as_of: dt.date | None = None, text: str = "") -> OrgUnitQuerySet:
    """The units the user may see, in tree order (by `path`), in one query.

    `as_of` keeps the units valid on that day, so the three-level structure (before
    1/7/2025) and the two-level one can each be seen whole; None keeps every period.
    `text` matches the name, short name or electronic identifier code.
    """
    qs = unit_list(user=user)
    if as_of is not None:
        qs = qs.active_on(as_of)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text)
        )
    return qs


def unit_ancestors(*, user, unit: OrgUnit) -> OrgUnitQuerySet:
    """The unit's parent chain from the top, as far up as the user may see."""
    return unit.ancestors() & unit_list(user=user)


def unit_children(*, user, unit: OrgUnit) -> OrgUnitQuerySet:
    return unit_list(user=user).filter(parent=unit)


def units_changeable(*, user) -> OrgUnitQuerySet:
    """Units the user may edit, and so create units under or move units into."""
    return unit_list(user=user, action=Action.ORG_CHANGE)


def unit_search(
    *,
    user,
    as_of: dt.date | None = None,
    parent_id: int | None = None,
    kind: str = "",
    code: str = "",
) -> OrgUnitQuerySet:
    """`unit_tree` narrowed for the API: the direct children of `parent_id`, one kind,
    one electronic identifier code (exact)."""
    qs = unit_tree(user=user, as_of=as_of)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if kind:
        qs = qs.filter(kind=kind)
    if code:
        qs = qs.filter(code=code)
    return qs

"""Reads of the org tree, always through `visible_to`."""

from __future__ import annotations

from .models import OrgUnit, OrgUnitQuerySet


def unit_list(*, user, action: str = "org.view") -> OrgUnitQuerySet:
    return OrgUnit.objects.visible_to(user, action).order_by("path")


def unit_get(*, user, pk: int, action: str = "org.view") -> OrgUnit:
    return unit_list(user=user, action=action).get(pk=pk)

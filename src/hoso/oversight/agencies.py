"""Folding per-unit figures into agencies, for the batch's counts and the dashboard.

An agency is a unit that is not a division (phòng, bộ phận): the authority that
manages its staff and approves their files (the policies' `approver_unit = "agency"`).
A division's figures count for the nearest agency above it; a public service unit
under a department is an agency of its own. Only the units a query returned and their
ancestors are read (two small queries whatever the province's size), never the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hoso.org.models import OrgUnit, UnitKind


@dataclass(frozen=True)
class Unit:
    """What a figure's row needs of a unit (read as plain values: a page of a province's
    agencies does not need 800 model objects)."""

    pk: int
    parent_id: int | None
    kind: str
    path: str
    name: str
    code: str

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class AgencyFold:
    """unit id → the agency its figures count for, and the agencies in tree order."""

    agency_of: dict[int, int]
    agencies: dict[int, Unit]

    def ordered(self) -> list[Unit]:
        return sorted(self.agencies.values(), key=lambda u: u.path)

    def units_of(self, agency_id: int) -> list[int]:
        return sorted(u for u, a in self.agency_of.items() if a == agency_id)


FIELDS = ("pk", "parent_id", "kind", "path", "name", "code")


def _units(ids) -> dict[int, Unit]:
    return {row[0]: Unit(*row) for row in
            OrgUnit.objects.filter(pk__in=sorted(ids)).values_list(*FIELDS)}


def fold(unit_ids: Iterable[int], *, within: Callable[[Unit], bool] | None = None
         ) -> AgencyFold:
    """The agency of each unit: itself unless a division, else the nearest ancestor
    that is not one. `within` limits the walk to units a reader may see (a unit head
    of a division sees their division as the top of their figures)."""
    ids = set(unit_ids)
    if not ids:
        return AgencyFold({}, {})
    units = _units(ids)
    ancestor_ids = {int(s, 16) for u in units.values() for s in u.path.split(".") if s} - set(units)
    if ancestor_ids:
        units.update(_units(ancestor_ids))
    agency_of: dict[int, int] = {}
    agencies: dict[int, Unit] = {}
    for uid in ids:
        unit = units.get(uid)
        if unit is None:
            continue
        chain = [units[int(s, 16)] for s in unit.path.split(".") if s and int(s, 16) in units]
        chain.reverse()  # the unit first, then up to the root
        agency = unit
        for candidate in chain:
            if within is not None and not within(candidate):
                break
            agency = candidate
            if candidate.kind != UnitKind.DIVISION:
                break
        agency_of[uid] = agency.pk
        agencies[agency.pk] = agency
    return AgencyFold(agency_of, agencies)

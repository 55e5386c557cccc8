"""A list answer costs the same number of queries for 5 rows as for 50 (STYLE: query
counts, as NetBox keeps them): no endpoint reads per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.accounts.roles import Role
from hoso.org.models import UnitKind

from ..factories import GrantFactory, OrgUnitFactory, PersonFactory, RoleFactory, UserFactory
from .conftest import token_client


def _more_rows(world, how_many: int) -> None:
    """More of everything, all inside in_unit (so the unit administrator sees them)."""
    for n in range(how_many):
        unit = OrgUnitFactory(parent=world.in_unit, kind=UnitKind.DIVISION)
        person = PersonFactory(unit=unit)
        user = UserFactory(unit=unit, person=person)
        RoleFactory(user=user, role=Role.STAFF, unit=unit, include_subtree=False)
        grant = GrantFactory(grantee=user, unit=None if n % 2 else unit)
        grant.persons.set([person, world.people["out"]])


@pytest.mark.parametrize(
    "name", ["orgunit-list", "account-list", "roleassignment-list", "grant-list", "person-list"]
)
def test_list_queries_do_not_grow_with_rows(world, name):
    client = token_client(world.actors["unit_admin"])
    url = reverse(f"api:{name}")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"limit": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    _more_rows(world, 1)  # a row of each kind: a page's fixed queries are all made
    count()  # the first access row of a test database creates its chain head
    few, rows_before = count()
    _more_rows(world, 12)
    many, rows_after = count()
    assert rows_after >= rows_before + 12
    assert many == few

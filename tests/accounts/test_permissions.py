"""The one permission path: visible_to and can, by role, scope, expiry and revocation."""

import datetime as dt

import pytest
from django.utils import timezone

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.org.models import OrgUnit
from hoso.records.models import Person

from ..factories import GrantFactory, RoleFactory, UserFactory


def visible_names(user, action=Action.PERSON_VIEW):
    return set(Person.objects.visible_to(user, action).values_list("full_name", flat=True))


def test_province_admin_sees_every_person(world):
    assert visible_names(world.actors["province_admin"]) == set(
        Person.objects.values_list("full_name", flat=True)
    )


def test_unit_role_sees_its_subtree_and_not_the_sibling(world):
    names = visible_names(world.actors["hr_officer"])
    assert {"Nguyễn Văn Dũng", "Lê Thị Hoa"} <= names
    assert "Phạm Văn Nam" not in names and "Hoàng Văn Xã" not in names


def test_role_without_subtree_sees_only_its_own_unit(world):
    ra = world.actors["hr_officer"].role_assignments.get()
    ra.include_subtree = False
    ra.save()
    names = visible_names(world.actors["hr_officer"])
    assert "Nguyễn Văn Dũng" in names and "Lê Thị Hoa" not in names


@pytest.mark.parametrize("actor", ["expired", "revoked", "staff"])
def test_expired_revoked_and_plain_staff_see_only_their_own_file(world, actor):
    user = world.actors[actor]
    assert visible_names(user) == {user.person.full_name}


def test_auditor_sees_no_personal_file_but_their_own(world):
    user = world.actors["auditor"]
    assert visible_names(user) == {user.person.full_name}


def test_nobody_approves_their_own_file(world):
    head = world.actors["unit_head"]
    approvable = Person.objects.visible_to(head, Action.PERSON_APPROVE)
    assert head.person not in approvable
    assert world.people["in"] in approvable
    assert not can(head, Action.PERSON_APPROVE, head.person)


def test_chairman_sees_the_commune_staff(world):
    names = visible_names(world.actors["chairman"])
    assert "Hoàng Văn Xã" in names and "Nguyễn Văn Dũng" not in names


def test_consent_grant_opens_listed_people_until_it_expires(world):
    reader = UserFactory(username="reader", unit=world.out_unit)
    grant = GrantFactory(grantee=reader)
    grant.persons.set([world.people["in"]])
    assert visible_names(reader) == {"Nguyễn Văn Dũng"}
    assert can(reader, Action.PERSON_VIEW, world.people["in"])
    assert not can(reader, Action.PERSON_CHANGE, world.people["in"])
    grant.valid_to = timezone.localdate() - dt.timedelta(days=1)
    grant.valid_from = grant.valid_to - dt.timedelta(days=5)
    grant.save()
    reader = type(reader).objects.get(pk=reader.pk)
    assert visible_names(reader) == set()


def test_consent_grant_on_a_subtree(world):
    reader = UserFactory(username="reader", unit=world.out_unit)
    GrantFactory(grantee=reader, unit=world.in_unit, include_subtree=True)
    assert visible_names(reader) == {
        p.full_name for p in Person.objects.filter(unit__path__startswith=world.in_unit.path)
    }


def test_org_units_visible_follow_the_scope(world):
    units = set(OrgUnit.objects.visible_to(world.actors["unit_admin"]).values_list("pk", flat=True))
    assert units == {world.in_unit.pk, world.in_child.pk}
    assert (
        OrgUnit.objects.visible_to(world.actors["province_admin"]).count()
        == OrgUnit.objects.count()
    )


def test_locked_or_inactive_account_can_do_nothing(world):
    user = world.actors["province_admin"]
    user.is_active = False
    assert not can(user, Action.PERSON_VIEW, world.people["in"])


def test_own_file_outside_the_role_scope_stays_visible(world):
    """The own file is left out of the filter only when a scope already covers it."""
    user = world.actors["staff"]  # their file is in in_unit
    RoleFactory(user=user, role="hr_officer", unit=world.out_unit)
    names = visible_names(user)
    assert names == {user.person.full_name, "Phạm Văn Nam"}
    assert can(user, Action.PERSON_VIEW, user.person)

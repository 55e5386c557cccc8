"""Shared fixtures: a small province (`world`) with one actor per role.

`world.in_unit` is the department the unit-level roles are held on; `world.out_unit`
is a sibling department nobody but province roles reaches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from hoso.accounts.roles import Role
from hoso.core.context import acting_as
from hoso.org.models import UnitKind

from .factories import OrgUnitFactory, PersonFactory, RoleFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (tested in accounts/test_passwords.py); fixtures
    hash with a fast one so a world of a dozen accounts builds in milliseconds."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _system_actor(db):
    """Fixtures are written as a system job, as the demo and imports are."""
    with acting_as(label="system:tests"):
        yield


@dataclass
class World:
    root: object
    in_unit: object
    in_child: object
    out_unit: object
    commune: object
    people: dict = field(default_factory=dict)
    actors: dict = field(default_factory=dict)


# The role each actor holds, and whether on the root (province-wide) or on in_unit.
ACTOR_ROLES = {
    "province_admin": (Role.PROVINCE_ADMIN, "root"),
    "province_approver": (Role.PROVINCE_APPROVER, "root"),
    "auditor": (Role.AUDITOR, "root"),
    "unit_admin": (Role.UNIT_ADMIN, "in_unit"),
    "hr_officer": (Role.HR_OFFICER, "in_unit"),
    "hr_head": (Role.HR_HEAD, "in_unit"),
    "unit_head": (Role.UNIT_HEAD, "in_unit"),
    "chairman": (Role.CHAIRMAN, "commune"),
    "staff": (Role.STAFF, "in_unit"),
    # the HR officer role, but expired yesterday / revoked: must see nothing
    "expired": (Role.HR_OFFICER, "in_unit"),
    "revoked": (Role.HR_OFFICER, "in_unit"),
}


def build_world() -> World:
    root = OrgUnitFactory.root()
    in_unit = OrgUnitFactory(parent=root, name="Sở Nội vụ", code="000.01.00.H26")
    in_child = OrgUnitFactory(
        parent=in_unit, name="Phòng Tổ chức", code="001.01.00.H26", kind=UnitKind.DIVISION
    )
    out_unit = OrgUnitFactory(parent=root, name="Sở Y tế", code="000.02.00.H26")
    commune = OrgUnitFactory(
        parent=root, name="UBND xã Tam Đảo", code="000.00.05.H26", kind=UnitKind.COMMUNE
    )
    w = World(root, in_unit, in_child, out_unit, commune)
    w.people = {
        "in": PersonFactory(unit=in_unit, full_name="Nguyễn Văn Dũng"),
        "in_child": PersonFactory(unit=in_child, full_name="Lê Thị Hoa"),
        "out": PersonFactory(unit=out_unit, full_name="Phạm Văn Nam"),
        "commune": PersonFactory(unit=commune, full_name="Hoàng Văn Xã"),
    }
    today = timezone.localdate()
    for key, (role, where) in ACTOR_ROLES.items():
        unit = getattr(w, where)
        person = PersonFactory(unit=unit, full_name=f"Cán bộ {key}")
        user = UserFactory(username=key, full_name=person.full_name, unit=unit, person=person)
        ra = RoleFactory(user=user, role=role, unit=unit)
        if key == "expired":
            ra.valid_to = today - dt.timedelta(days=1)
            ra.save()
        if key == "revoked":
            ra.revoked_at = timezone.now()
            ra.save()
        w.actors[key] = user
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _evidence_storage(settings, tmp_path_factory):
    """Evidence files go to a temporary directory, never into the data dir."""
    from hoso.documents.storage import evidence_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": evidence_storage(data_dir=tmp_path_factory.mktemp("evidence")),
    }

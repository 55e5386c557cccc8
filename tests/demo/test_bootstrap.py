"""`hoso createadmin`: the first Sở Nội vụ administrator of a freshly loaded province."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.accounts.models import RoleAssignment, User
from hoso.accounts.permissions import can
from hoso.accounts.roles import Action, Role
from hoso.audit.models import ChangeLog
from hoso.org.models import UnitKind

from ..factories import OrgUnitFactory


@pytest.fixture
def province(db):
    root = OrgUnitFactory.root()
    snv = OrgUnitFactory(parent=root, name="Sở Nội vụ", code="000.00.02.H26")
    other = OrgUnitFactory(parent=root, name="Sở Y tế", code="000.00.15.H26")
    return root, snv, other


def createadmin(*args) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_createadmin_makes_a_province_administrator_with_a_one_time_password(province):
    root, snv, other = province
    out = createadmin("--username", "snv.admin", "--unit", "000.00.02.h26",
                      "--full-name", "Nguyễn Văn Quản")
    password = re.search(r"chỉ hiển thị lần này\): (\S+)", out).group(1)
    user = User.objects.get(username="snv.admin")
    assert user.unit == snv and user.full_name == "Nguyễn Văn Quản"
    assert user.must_change_password
    assert authenticate(username="snv.admin", password=password) == user
    assert password not in str(list(ChangeLog.objects.values_list("after", flat=True)))
    ra = RoleAssignment.objects.get(user=user)
    assert (ra.role, ra.unit, ra.include_subtree) == (Role.PROVINCE_ADMIN, root, True)
    assert can(user, Action.ORG_CHANGE, other)  # the whole province
    assert set(ChangeLog.objects.filter(object_type__startswith="accounts.").values_list(
        "actor_label", flat=True)) == {"system:createadmin"}


def test_createadmin_refuses_an_unknown_unit(province):
    with pytest.raises(CommandError, match="Không có đơn vị nào mang mã 000.00.77.H26"):
        createadmin("--username", "snv.admin", "--unit", "000.00.77.H26")
    assert not User.objects.exists()


def test_createadmin_refuses_a_unit_no_longer_in_force(province):
    root, _, _ = province
    OrgUnitFactory(parent=root, name="UBND huyện cũ", code="000.00.31.H26",
                   kind=UnitKind.DISTRICT, valid_to=dt.date(2025, 6, 30))
    with pytest.raises(CommandError, match="không còn hiệu lực"):
        createadmin("--username", "snv.admin", "--unit", "000.00.31.H26")
    assert not User.objects.exists()


def test_createadmin_refuses_a_taken_user_name_and_changes_nothing(province):
    createadmin("--username", "snv.admin", "--unit", "000.00.02.H26")
    before = (User.objects.count(), RoleAssignment.objects.count(), ChangeLog.objects.count())
    with pytest.raises(CommandError, match="snv.admin"):
        createadmin("--username", "snv.admin", "--unit", "000.00.15.H26")
    assert before == (User.objects.count(), RoleAssignment.objects.count(),
                      ChangeLog.objects.count())

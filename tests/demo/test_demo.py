"""`hoso demo`: the shipped Lâm Đồng tree, consistent people, one login per role.

The demo is generated once for the module (the whole shipped tree is loaded, as
`make demo` does) inside a transaction rolled back at the end; each test runs in its
own savepoint over it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.accounts.models import RoleAssignment, User
from hoso.accounts.roles import REQUIRES_2FA, Role
from hoso.audit.models import ChangeLog
from hoso.audit.verify import verify_all
from hoso.core.crypto import keyed_hash
from hoso.demo.generator import DEMO_PASSWORD, ROOT_CODE, retirement_date
from hoso.demo.names import FAMILY
from hoso.org.models import TWO_LEVEL_FROM, OrgUnit, UnitKind
from hoso.records.models import Person, Sex, Status
from hoso.records.validators import PROVINCE_CODES, validate_id_number

PEOPLE = 150


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                out = io.StringIO()
                call_command("demo", people=PEOPLE, seed="tests", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_id_numbers_carry_province_sex_century_and_birth_year(demo):
    people = list(Person.objects.all())
    assert len(people) == PEOPLE
    for p in people:
        validate_id_number(p.id_number, birth_date=p.birth_date, sex=p.sex)
        assert p.id_number[:3] in PROVINCE_CODES
        assert p.id_number_hash == keyed_hash(p.id_number)
        assert dt.date(1966, 1, 1) <= p.birth_date <= dt.date(2003, 12, 31)
    assert len({p.id_number for p in people}) == PEOPLE
    # most were born in Lâm Đồng (068) or the provinces merged into it
    local = sum(p.id_number[:3] in ("068", "067", "060") for p in people)
    assert local > PEOPLE * 0.6


def test_names_are_vietnamese_and_match_the_sex(demo):
    families = {name for name, _ in FAMILY}
    for p in Person.objects.all():
        family, middle, *_ = p.full_name.split()
        assert family in families
        if p.sex == Sex.MALE:
            assert middle != "Thị"
        else:
            assert middle != "Văn"
    names = " ".join(Person.objects.values_list("full_name", flat=True))
    assert any(c in names for c in "ễăơưđ")  # diacritics, not ASCII stand-ins


def test_nobody_is_retired_before_the_retirement_age(demo):
    today = dt.date.today()
    for p in Person.objects.filter(status=Status.RETIRED):
        assert retirement_date(p.birth_date, p.sex) <= today


def test_both_local_government_structures_are_present_with_people(demo):
    districts = OrgUnit.objects.filter(kind=UnitKind.DISTRICT)
    assert districts.count() == 10
    assert all(d.valid_to < TWO_LEVEL_FROM for d in districts)
    old_communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE, parent__kind=UnitKind.DISTRICT)
    new_communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE, parent__code=ROOT_CODE)
    assert old_communes.count() > 100 and all(c.valid_to < TWO_LEVEL_FROM for c in old_communes)
    assert new_communes.count() > 40
    assert all(c.valid_from == TWO_LEVEL_FROM for c in new_communes)
    assert new_communes.filter(name__contains="đặc khu").exists()
    root = OrgUnit.objects.get(code=ROOT_CODE)
    assert root.kind == UnitKind.PROVINCE and "Lâm Đồng" in root.name
    for kind in UnitKind.values:
        assert OrgUnit.objects.filter(kind=kind).exists(), kind
    # people in units of both periods; the closed ones keep only those who left
    closed = Person.objects.filter(unit__valid_to__lt=TWO_LEVEL_FROM)
    assert Person.objects.filter(unit__valid_from=TWO_LEVEL_FROM).exists()
    assert closed.exists() and not closed.filter(status=Status.ACTIVE).exists()


def test_every_role_has_a_login_with_the_demo_password(demo):
    today = dt.date.today()
    for role in Role.values:
        ra = RoleAssignment.objects.active_on(today).filter(role=role).select_related(
            "user", "unit"
        ).get()
        user = ra.user
        assert user.username in demo  # printed in the table
        assert authenticate(username=user.username, password=DEMO_PASSWORD) == user
        assert user.person is not None and user.person.unit == user.unit
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert (device is not None) == (role in REQUIRES_2FA)
        if role in (Role.PROVINCE_ADMIN, Role.PROVINCE_APPROVER, Role.AUDITOR):
            assert ra.unit.code == ROOT_CODE and ra.include_subtree
        if role == Role.CHAIRMAN:
            assert ra.unit.kind == UnitKind.COMMUNE and ra.unit.is_active_on(today)
    assert "Vai trò" in demo and "Tên đăng nhập" in demo and DEMO_PASSWORD in demo


def test_totp_command_prints_the_code_the_device_accepts(demo):
    out = io.StringIO()
    call_command("demo", "totp", "snv.quantri", stdout=out)
    code = out.getvalue().split()[0]
    device = TOTPDevice.objects.get(user__username="snv.quantri")
    assert len(code) == 6 and device.verify_token(code)


def test_totp_command_refuses_accounts_that_are_not_demo_logins(demo):
    user = User.objects.create(username="thuc.te", full_name="Người thật")
    TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    for username in ("thuc.te", "syt.tccb"):  # a real account; a demo login without 2FA
        with pytest.raises(CommandError, match="không phải tài khoản demo"):
            call_command("demo", "totp", username, stdout=io.StringIO())


def test_audit_chain_verifies_and_every_person_has_its_creation_row(demo):
    assert all(report.ok for report in verify_all())
    call_command("audit", "verify", stdout=io.StringIO())
    created = set(
        ChangeLog.objects.filter(object_type="records.person", action="create").values_list(
            "object_id", flat=True
        )
    )
    assert created == {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    labels = set(ChangeLog.objects.values_list("actor_label", flat=True))
    assert labels == {"system:demo"}


def test_rerunning_the_demo_adds_nothing_and_prints_the_logins_again(demo):
    counts = (Person.objects.count(), User.objects.count(), OrgUnit.objects.count(),
              RoleAssignment.objects.count(), TOTPDevice.objects.count(), ChangeLog.objects.count())
    out = io.StringIO()
    call_command("demo", people=PEOPLE, seed="tests", stdout=out)
    assert "đã có trong cơ sở dữ liệu" in out.getvalue()
    assert "snv.quantri" in out.getvalue()
    assert counts == (Person.objects.count(), User.objects.count(), OrgUnit.objects.count(),
                      RoleAssignment.objects.count(), TOTPDevice.objects.count(),
                      ChangeLog.objects.count())


def test_rerunning_with_more_people_adds_only_the_missing_ones(demo):
    call_command("demo", people=PEOPLE + 20, seed="tests", stdout=io.StringIO())
    assert Person.objects.count() == PEOPLE + 20
    assert Person.objects.values("id_number_hash").distinct().count() == PEOPLE + 20
    assert all(report.ok for report in verify_all())



def test_every_demo_person_has_an_approved_first_revision(demo):
    from hoso.records.models import Revision

    assert Revision.objects.count() == Person.objects.count() == PEOPLE
    assert set(Revision.objects.values_list("number", flat=True)) == {1}
    revision = Revision.objects.select_related("person").order_by("pk").first()
    person = revision.person
    from hoso.accounts.permissions import SYSTEM
    from hoso.records.selectors import revision_current

    current = revision_current(user=SYSTEM, person=person)
    assert current.document["full_name"] == person.full_name
    assert current.document["birth_date"] == person.birth_date.isoformat()

"""factory_boy factories: realistic records built through the models (audited)."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone

from hoso.accounts.models import AccessGrant, RoleAssignment, User
from hoso.org.models import OrgUnit, UnitKind
from hoso.org.services import _set_path
from hoso.records.models import Person, Sex, StaffCategory
from hoso.records.validators import sex_century_digit

PASSWORD = "Matkhau2026x"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{n // 100 % 1000:03d}.{n % 100:02d}.00.H26")
    name = factory.Sequence(lambda n: f"Sở số {n}")
    kind = UnitKind.DEPARTMENT
    parent = None

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        if create:
            _set_path(obj)

    @classmethod
    def root(cls, **kw) -> OrgUnit:
        return cls(code="000.00.00.H26", name="UBND tỉnh Vĩnh Phúc", kind=UnitKind.PROVINCE, **kw)


def id_number_for(birth_date: dt.date, sex: str, n: int) -> str:
    century = sex_century_digit(sex, birth_date.year)
    return f"026{century}{birth_date.year % 100:02d}{n % 1_000_000:06d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    birth_date = factory.LazyFunction(lambda: dt.date(random.randint(1965, 2000), 5, 17))
    sex = Sex.MALE
    category = StaffCategory.CONG_CHUC
    unit = factory.SubFactory(OrgUnitFactory)
    id_number = factory.LazyAttributeSequence(lambda o, n: id_number_for(o.birth_date, o.sex, n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Trần Thị Dùng {n}")
    must_change_password = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    include_subtree = True
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessGrant

    grantee = factory.SubFactory(UserFactory)
    document_number = factory.Sequence(lambda n: f"{n}/SNV-CCVC")
    document_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    signer_name = "Lê Văn Ký"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    sections = factory.LazyFunction(lambda: ["personal"])

"""A small generated province whose every figure is known by hand.

    UBND tỉnh (root) ── Sở Nội vụ ── Phòng Công chức (division)
                    └── Sở Y tế ──── Bệnh viện Đa khoa tỉnh (public service unit)

Thirteen people (P1 … P13 below). Ages are set against today, so every age group is
known whatever day the tests run. Seven have an approved file (a revision written by
`revision_create`, so its projection is the real one); P6 retires while the fixture
runs (a status change the audit trail keeps: this month's one departure); P11 left
long ago. The expected figures are written out in test_figures.py.

Accounts hold roles but no personnel file of their own, so they add no one to count:
the province administrator (root, sub-tree), the head of Sở Y tế (sub-tree), the
unit administrator of Sở Nội vụ (no restricted fields), a staff member and an auditor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone

from hoso.accounts.permissions import forget_scopes
from hoso.accounts.roles import Role
from hoso.catalogs import selectors as catalogs
from hoso.core.context import acting_as
from hoso.org.models import UnitKind
from hoso.records.models import Sex, StaffCategory, Status
from hoso.stats.selectors import years_before

from ..factories import OrgUnitFactory, PersonFactory, RoleFactory, UserFactory
from ..records.documents import first_revision

CC, CB, VC, LD = (StaffCategory.CONG_CHUC, StaffCategory.CAN_BO, StaffCategory.VIEN_CHUC,
                  StaffCategory.LAO_DONG)
M, F = Sex.MALE, Sex.FEMALE


def born_aged(age: int, today: dt.date | None = None) -> dt.date:
    """A birth date that makes the person exactly `age` today (ten days past the
    birthday: far from the band's edges)."""
    today = today or timezone.localdate()
    return years_before(today, age) - dt.timedelta(days=10)


def month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Province:
    root: object
    snv: object
    snv_div: object
    syt: object
    hospital: object
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


# key: (unit, category, sex, age, status, the file's fields — None: no file)
PEOPLE = {
    "P1": ("snv", CC, M, 45, Status.ACTIVE, {
        "ethnicity": "01", "education_level": "dh", "political_theory": "trung_cap",
        "state_management": "cv", "it_level": "co_ban", "rank_code": "01.003",
        "languages": [{"language": "en", "level": "bac_3"}],
    }),
    "P2": ("snv", CC, F, 32, Status.ACTIVE, {
        "ethnicity": "02", "education_level": "ths", "political_theory": None,
        "state_management": "cvc", "rank_code": "01.002", "party_join_date": None,
        "party_official_date": None,
        "languages": [{"language": "en", "level": "bac_5"}, {"language": "fr", "level": "bac_2"}],
        "recruitment": 2,  # recruited at the start of the month two months ago
    }),
    "P3": ("snv", CB, M, 58, Status.ACTIVE, {
        "ethnicity": "01", "education_level": "dh", "political_theory": "cao_cap",
        "state_management": "cvcc", "rank_code": None, "job_position": None,
        "languages": None,
    }),
    "P4": ("snv_div", CC, F, 27, Status.ACTIVE, {
        "ethnicity": "07", "education_level": "dh", "it_level": "nang_cao",
        "rank_code": "01.003", "party_join_date": None, "party_official_date": None,
        "languages": [{"language": "en", "level": "bac_2"}, {"language": "en", "level": "bac_4"}],
    }),
    "P5": ("snv_div", LD, M, 23, Status.ACTIVE, None),
    "P6": ("snv", CC, M, 50, Status.ACTIVE, None),  # retires in the fixture
    "P7": ("syt", CC, M, 40, Status.ACTIVE, {
        "ethnicity": "01", "education_level": "ts", "political_theory": "cu_nhan",
        "rank_code": "01.001", "languages": [{"language": "en", "level": "bac_6"}],
    }),
    "P8": ("syt", CC, F, 35, Status.ACTIVE, None),
    "P9": ("hospital", VC, F, 29, Status.ACTIVE, {
        "ethnicity": "09", "education_level": "dh", "political_theory": None,
        "rank_code": "V.08.01.03", "job_position": "cm_chuyen_nganh", "party_join_date": None,
        "party_official_date": None,
        "languages": [{"language": "en", "level": "chung_chi_b"}],
    }),
    "P10": ("hospital", VC, F, 61, Status.ACTIVE, None),
    "P11": ("hospital", VC, M, 44, Status.RESIGNED, None),
    "P12": ("hospital", VC, F, 38, Status.SECONDED, None),
    "P13": ("root", CB, M, 55, Status.ACTIVE, {
        "ethnicity": "01", "education_level": "dh", "rank_code": None, "job_position": None,
        "languages": [{"language": "kpm", "level": "chung_chi_dtts"}],
    }),
}


def _file(person, fields: dict) -> None:
    changes = dict(fields)
    rank = changes.get("rank_code")
    if rank:  # step 3 of the rank's salary group (Decree 204/2004/NĐ-CP)
        coefficient = str(catalogs.salary_coefficient(catalogs.rank_info(rank).salary_group, 3))
        changes |= {"salary_coefficient": coefficient, "salary_history": [
            {"month": "2020-09", "rank_code": rank, "salary_step": 3,
             "salary_coefficient": coefficient},
        ]}
    back = changes.pop("recruitment", None)
    if back is not None:
        start = month_start(timezone.localdate(), back)
        changes |= {"recruitment_date": start.isoformat(), "current_unit_date": start.isoformat(),
                    "salary_since": start.isoformat()}
        changes["salary_history"][0]["month"] = start.strftime("%Y-%m")
    if person.category == CB:
        # A cadre's CV needs no rank or salary; the sample's salary rows name a rank.
        changes |= {"salary_step": None, "salary_coefficient": None, "salary_since": None,
                    "salary_history": None}
    first_revision(person, **changes)


def build_province() -> Province:
    root = OrgUnitFactory.root()
    snv = OrgUnitFactory(parent=root, name="Sở Nội vụ", code="000.01.00.H26")
    snv_div = OrgUnitFactory(parent=snv, name="Phòng Công chức", code="001.01.00.H26",
                             kind=UnitKind.DIVISION)
    syt = OrgUnitFactory(parent=root, name="Sở Y tế", code="000.02.00.H26")
    hospital = OrgUnitFactory(parent=syt, name="Bệnh viện Đa khoa tỉnh", code="001.02.00.H26",
                              kind=UnitKind.PUBLIC_SERVICE)
    p = Province(root, snv, snv_div, syt, hospital)
    for key, (unit, category, sex, age, status, fields) in PEOPLE.items():
        person = PersonFactory(
            unit=getattr(p, unit), category=category, sex=sex, birth_date=born_aged(age),
            status=status, full_name=f"Người {key}",
        )
        if fields is not None:
            _file(person, fields)
        p.people[key] = person
    retiring = p.people["P6"]
    retiring.status = Status.RETIRED
    retiring.save()  # audited: the change row is this month's departure
    today = timezone.localdate()
    for key, role, unit in (
        ("province_admin", Role.PROVINCE_ADMIN, root),
        ("syt_head", Role.UNIT_HEAD, syt),
        ("snv_unit_admin", Role.UNIT_ADMIN, snv),
        ("auditor", Role.AUDITOR, root),
        ("staff", Role.STAFF, snv),
    ):
        user = UserFactory(username=key, unit=unit)
        RoleFactory(user=user, role=role, unit=unit, valid_from=today - dt.timedelta(days=30))
        p.users[key] = user
    return p


@pytest.fixture(scope="module")
def _province(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at its end; each
    test runs in a savepoint inside it (pytest-django's `db`), so what a test writes
    is undone before the next one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with acting_as(label="system:tests"):
                yield build_province()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def province(_province, db) -> Province:
    for user in _province.users.values():
        forget_scopes(user)
    return _province

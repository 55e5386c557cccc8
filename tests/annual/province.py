"""A generated province whose annual-report figures are known: people described one by
one (`Spec`), each with a first revision approved on a given day through
`records.services.revision_create` (validation, sealing, projection — the real path),
and the figures the report must show computed from the specs by plain counting."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.catalogs.selectors import rank_info, salary_coefficient
from hoso.records.models import Person, Sex, StaffCategory, Status
from hoso.records.services import revision_create

from ..factories import PersonFactory
from ..records.documents import document_for

YEAR = 2025
END = dt.date(2025, 12, 31)


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


APPROVED = aware(2025, 6, 2, 9, 0)


@contextlib.contextmanager
def at(moment: dt.datetime):
    """Run a block as if it were `moment`: the audit rows written inside it carry that
    time (a status changed then, say). Only `timezone.now` moves."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


@dataclass(frozen=True)
class Spec:
    unit: str  # attribute of the world: in_unit, in_child, out_unit, commune
    category: str = StaffCategory.CONG_CHUC
    sex: str = Sex.MALE
    born: dt.date = dt.date(1985, 5, 17)
    rank: str = "01.003"
    position: str = "dc_tong_hop"
    education: str = "dh"
    political: str = "trung_cap"
    state: str = "cv"
    ethnicity: str = "01"
    party: bool = False
    status: str = Status.ACTIVE


def document(person, spec: Spec) -> dict:
    changes: dict = {
        "job_position": spec.position, "education_level": spec.education,
        "political_theory": spec.political or None, "state_management": spec.state or None,
        "ethnicity": spec.ethnicity, "salary_history": None,
    }
    if spec.rank:
        info = rank_info(spec.rank)
        since = max(dt.date(2020, 9, 1), dt.date(person.birth_date.year + 23, 9, 1))
        changes |= {
            "rank_code": spec.rank, "salary_step": 1, "salary_since": since.isoformat(),
            "salary_coefficient": str(salary_coefficient(info.salary_group, 1, since)),
        }
    else:
        changes |= {"rank_code": None, "salary_step": None, "salary_coefficient": None,
                    "salary_since": None}
    if not spec.party:
        changes |= {"party_join_date": None, "party_official_date": None}
    return document_for(person, **changes)


def make(world, spec: Spec, *, approved_at: dt.datetime = APPROVED, name: str = "") -> Person:
    unit = getattr(world, spec.unit)
    person = PersonFactory(unit=unit, category=spec.category, sex=spec.sex, birth_date=spec.born,
                           status=spec.status, full_name=name or "Người Báo Cáo")
    revision_create(actor=SYSTEM, person=person, document=document(person, spec),
                    reason="Hồ sơ ban đầu", approved_at=approved_at)
    return person


# The province: Sở Nội vụ (with its Phòng Tổ chức), Sở Y tế and a commune, 20 people.
SPECS: tuple[Spec, ...] = (
    # Sở Nội vụ — civil servants
    Spec("in_unit", rank="01.001", position="ld_cap_truong", education="ts", political="cao_cap",
         state="cvcc", party=True, born=dt.date(1968, 3, 2)),
    Spec("in_unit", sex=Sex.FEMALE, rank="01.002", position="ld_cap_pho", education="ths",
         political="cao_cap", state="cvc", party=True, born=dt.date(1975, 1, 1)),
    Spec("in_unit", sex=Sex.FEMALE, rank="01.003", position="dc_to_chuc_can_bo",
         ethnicity="02", born=dt.date(1995, 1, 1)),  # aged 30 on 31/12/2025
    Spec("in_unit", rank="01.003", position="dc_to_chuc_can_bo", born=dt.date(1994, 12, 31)),
    Spec("in_unit", rank="06.031", position="dc_ke_toan", education="dh", political="so_cap",
         born=dt.date(1985, 12, 31)),  # aged 40
    Spec("in_child", sex=Sex.FEMALE, rank="01.003", position="dc_tong_hop", ethnicity="08",
         party=True, born=dt.date(1980, 6, 15)),
    Spec("in_child", rank="01.005", position="ht_lai_xe", education="tc", political="",
         state="", born=dt.date(1965, 1, 10)),  # aged 60
    # Sở Y tế — public employees and a civil servant
    Spec("out_unit", category=StaffCategory.VIEN_CHUC, sex=Sex.FEMALE, rank="V.08.01.02",
         position="cm_kham_chua_benh", education="ths", political="", state="",
         born=dt.date(1978, 4, 4)),
    Spec("out_unit", category=StaffCategory.VIEN_CHUC, sex=Sex.FEMALE, rank="V.08.05.12",
         position="cm_kham_chua_benh", education="dh", political="", state="",
         ethnicity="06", born=dt.date(1990, 9, 9)),
    Spec("out_unit", category=StaffCategory.VIEN_CHUC, rank="V.08.01.03",
         position="cm_kham_chua_benh", education="dh", political="so_cap", state="",
         party=True, born=dt.date(1988, 2, 29)),
    Spec("out_unit", category=StaffCategory.VIEN_CHUC, sex=Sex.FEMALE, rank="V.08.05.13",
         position="cm_kham_chua_benh", education="cd", political="", state="",
         born=dt.date(1999, 11, 30)),
    Spec("out_unit", rank="01.002", position="ld_cap_truong", education="ts",
         political="cu_nhan", state="cvc", party=True, born=dt.date(1970, 7, 7)),
    Spec("out_unit", rank="06.030", position="dc_ke_toan", education="dh", state="cvc",
         born=dt.date(1982, 8, 8)),
    # the commune — cadres and commune civil servants
    Spec("commune", category=StaffCategory.CAN_BO, rank="", position="ld_cap_truong",
         political="cao_cap", state="cv", party=True, born=dt.date(1972, 1, 1)),
    Spec("commune", category=StaffCategory.CAN_BO, sex=Sex.FEMALE, rank="",
         position="ld_cap_pho", political="trung_cap", state="", party=True,
         ethnicity="03", born=dt.date(1983, 3, 3)),
    Spec("commune", category=StaffCategory.CAP_XA, rank="01.003", position="dc_van_thu",
         political="so_cap", state="", born=dt.date(1996, 6, 6)),
    Spec("commune", category=StaffCategory.CAP_XA, sex=Sex.FEMALE, rank="01.004",
         position="dc_ke_toan", education="cd", political="", state="can_su",
         born=dt.date(1992, 2, 2)),
    # departed before the end of the year: not counted
    Spec("in_unit", rank="01.003", status=Status.RETIRED, born=dt.date(1962, 1, 1)),
    Spec("out_unit", category=StaffCategory.VIEN_CHUC, rank="V.08.05.12",
         position="cm_kham_chua_benh", status=Status.RESIGNED, political="", state=""),
    # seconded elsewhere: still the unit's (Vĩnh Phúc Đ14.2)
    Spec("commune", category=StaffCategory.CAP_XA, rank="01.003", position="dc_tong_hop",
         status=Status.SECONDED, political="", state="", born=dt.date(1991, 10, 10)),
)

COUNTED = (Status.ACTIVE, Status.SECONDED)


def build(world, specs=SPECS) -> list[Person]:
    return [make(world, spec, name=f"Người số {i}") for i, spec in enumerate(specs, start=1)]


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def expected(specs, units: tuple[str, ...]) -> dict:
    """What the report of `units` (world attribute names) must show, counted from the
    specs: totals by column, by category, by rank or title code and by position."""
    mine = [s for s in specs if s.unit in units and s.status in COUNTED]
    totals: Counter = Counter()
    for s in mine:
        totals["total"] += 1
        totals["female"] += s.sex == Sex.FEMALE
        totals["minority"] += s.ethnicity not in ("01", "55", "")
        totals["party"] += s.party
        age = age_on(s.born, END)
        band = ("age_30" if age <= 30 else "age_40" if age <= 40 else "age_50" if age <= 50
                else "age_60" if age <= 60 else "age_61")
        totals[band] += 1
        edu = {"ts": "edu_ts", "tskh": "edu_ts", "ths": "edu_ths", "dh": "edu_dh",
               "cd": "edu_cd", "tc": "edu_tc"}.get(s.education, "edu_other")
        totals[edu] += 1
        pol = {"cao_cap": "pol_cc", "cu_nhan": "pol_cc", "trung_cap": "pol_tc",
               "so_cap": "pol_sc"}.get(s.political)
        if pol:
            totals[pol] += 1
        sm = {"cvcc": "sm_cvcc", "cvc": "sm_cvc", "cv": "sm_cv", "can_su": "sm_cs"}.get(s.state)
        if sm:
            totals[sm] += 1
    return {
        "totals": totals,
        "category": Counter(s.category for s in mine),
        "code": Counter(s.rank for s in mine if s.rank),
        "position": Counter(s.position for s in mine),
    }

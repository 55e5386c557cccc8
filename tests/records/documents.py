"""Small, valid profile documents for the tests of the revisions (a civil servant's CV
form with every required field), built to agree with their person (name, birth date,
sex, identification number, unit), and the first revision written from one."""

from __future__ import annotations

import copy

from hoso.accounts.permissions import SYSTEM
from hoso.records.services import revision_create

PLACE = {"province": "68", "text": "Phường 1, Đà Lạt"}


def document_for(person, **changes) -> dict:
    """A complete công chức document for `person`; `changes` replace or add keys
    (None removes one)."""
    born = person.birth_date
    # the salary step's date: in the 2004 scale (Decree 204/2004/NĐ-CP), never in the future
    raised = max(born.year + 26, 2020)
    doc = {
        "managing_unit": person.unit.code,
        "employing_unit": person.unit.code,
        "staff_number": "NV-0042",
        "full_name": person.full_name,
        "birth_date": born.isoformat(),
        "sex": person.sex,
        "birth_place": dict(PLACE),
        "home_town": {"province": "68", "text": "Xã Tà Nung"},
        "ethnicity": "01",
        "religion": "01",
        "permanent_address": {"text": "12 Trần Phú, Đà Lạt"},
        "current_address": {"text": "12 Trần Phú, Đà Lạt"},
        "id_number": person.id_number,
        "id_issue_date": "2021-04-12",
        "id_issue_place": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "social_insurance_number": "6812345678",
        "recruitment_date": f"{born.year + 23}-09-01",
        "recruiting_agency": "Sở Nội vụ tỉnh Lâm Đồng",
        "current_unit_date": f"{born.year + 23}-09-01",
        "job_position": "dc_to_chuc_can_bo",
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": "3.00",
        "salary_since": f"{raised}-09-01",
        "general_education": "12/12",
        "education_level": "dh",
        "political_theory": "trung_cap",
        "languages": [{"language": "en", "level": "bac_3"}],
        "training": [
            {"institution": "Đại học Đà Lạt", "major": "Luật", "from": f"{born.year + 18}-09",
             "to": f"{born.year + 22}-06", "form": "chinh_quy"},
        ],
        "work_history": [
            {"from": f"{born.year + 23}-09", "description": "Chuyên viên, Sở Nội vụ"},
        ],
        "salary_history": [
            {"month": f"{raised}-09", "rank_code": "01.003", "salary_step": 3,
             "salary_coefficient": "3.00"},
        ],
        "evaluations": [{"year": 2024, "grade": "htt"}],
        "party_join_date": f"{born.year + 25}-05-19",
        "party_official_date": f"{born.year + 26}-05-19",
        "health_status": "Tốt",
        "family_own": [
            {"relationship": "con", "full_name": "Nguyễn Văn Con", "birth_year": born.year + 25},
        ],
        "history_detention": "Không",
    }
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = copy.deepcopy(value)
    return doc


def first_revision(person, **changes):
    return revision_create(
        actor=SYSTEM, person=person, document=document_for(person, **changes),
        reason="Hồ sơ ban đầu",
    )

"""Which changes need scanned evidence before they may be submitted.

Vĩnh Phúc Đ7.3 (and Lai Châu 2.2, in nearly the same words): a person who updates
their data "kèm theo bản số hóa của tài liệu đã được cấp có thẩm quyền xác nhận" —
the decisions on appointment, dismissal, leaving a post, transfer, rotation,
secondment, resignation and retirement; on appointment to, change of, promotion in
and demotion from a rank or professional title; on salary and allowances; on work
assignment and job position; on rewards, discipline and the annual evaluation; the
decisions and the degrees and certificates of training and professional
qualification.

These are the fields those documents prove. A change to any of them (a value added,
altered or removed against the approved revision) needs at least one evidence
document attached to the change request. Personal details (an address, a phone
number) are the person's own declaration and need none.
"""

from __future__ import annotations

EVIDENCE_FIELDS = frozenset(
    {
        # recruitment, appointment, transfer, rotation, secondment (quyết định tuyển
        # dụng, bổ nhiệm, điều động, luân chuyển, biệt phái)
        "recruitment_date", "recruiting_agency", "current_unit_date", "positions",
        "work_history",
        # work assignment and job position (phân công công tác, vị trí việc làm)
        "main_work", "job_position",
        # rank and professional title (chuyển ngạch, nâng ngạch, thăng hạng, hạ ngạch)
        "rank_code",
        # salary and allowances (quyết định liên quan đến lương, phụ cấp)
        "salary_step", "salary_coefficient", "salary_since", "next_raise_date",
        "position_allowance", "seniority_allowance_percent", "salary_history",
        "allowances",
        # rewards, discipline, annual evaluation (khen thưởng, kỷ luật, đánh giá)
        "rewards", "disciplines", "evaluations", "highest_award", "highest_award_year",
        "highest_discipline", "highest_discipline_year", "honorary_title",
        # training, degrees and certificates (văn bằng, chứng chỉ, trình độ)
        "training", "general_education", "education_level", "education_major",
        "political_theory", "state_management", "languages", "it_level",
        "academic_title", "academic_degree",
        # the labour contract and its changes (Circular 05/2023/TT-BNV, Phụ lục II)
        "contract_number", "contract_date", "contract_type", "contract_from",
        "contract_to", "job_title", "salary_amount",
    }
)


def changed_keys(before: dict, after: dict) -> list[str]:
    """Top-level keys whose value differs (added, altered or removed), in `after`'s
    order then `before`'s."""
    keys = list(after) + [k for k in before if k not in after]
    return [k for k in keys if before.get(k) != after.get(k)]


def keys_needing_evidence(before: dict, after: dict) -> list[str]:
    return [k for k in changed_keys(before, after) if k in EVIDENCE_FIELDS]

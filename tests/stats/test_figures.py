"""Every statistic of the generated province (conftest.py), counted by hand.

In service (working or seconded): P1–P5, P7–P10, P12, P13 — eleven people; P6 retired
while the fixture ran, P11 resigned long ago. Figures are for the province
administrator over the whole province unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hoso.records.models import Sex, StaffCategory, Status
from hoso.stats import selectors
from hoso.stats.selectors import Filters

from .conftest import month_start

pytestmark = pytest.mark.django_db


def figures(province, key, user="province_admin", **filters):
    filters.setdefault("unit", province.root)
    stat = selectors.statistic_get(
        user=province.users[user], key=key, filters=Filters(**filters)
    )
    rows = {row.key: row.values for row in stat.rows}
    return stat, rows


def test_headcount_counts_each_branch_of_the_province_by_category(province):
    stat, rows = figures(province, "headcount")
    cb, cc, vc, ld = (StaffCategory.CAN_BO, StaffCategory.CONG_CHUC, StaffCategory.VIEN_CHUC,
                      StaffCategory.LAO_DONG)
    # the root's own staff (P13), Sở Nội vụ with its division (P1–P5), Sở Y tế with the
    # hospital (P7–P10, P12: P11 resigned)
    assert list(rows) == ["000.00.00.H26", "000.01.00.H26", "000.02.00.H26"]
    assert rows["000.00.00.H26"] | {} == {cb: 1, cc: 0, vc: 0, "cap_xa": 0, ld: 0, "total": 1}
    assert rows["000.01.00.H26"] == {cb: 1, cc: 3, vc: 0, "cap_xa": 0, ld: 1, "total": 5}
    assert rows["000.02.00.H26"] == {cb: 0, cc: 2, vc: 3, "cap_xa": 0, ld: 0, "total": 5}
    assert stat.total.values == {cb: 2, cc: 5, vc: 3, "cap_xa": 0, ld: 1, "total": 11}
    assert stat.rows[0].label == "UBND tỉnh Vĩnh Phúc (cán bộ của chính đơn vị)"


def test_headcount_of_a_unit_lists_its_own_staff_and_each_sub_unit(province):
    _stat, rows = figures(province, "headcount", unit=province.snv)
    assert rows["000.01.00.H26"]["total"] == 3  # P1, P2, P3
    assert rows["001.01.00.H26"]["total"] == 2  # P4, P5 in the division
    assert set(rows) == {"000.01.00.H26", "001.01.00.H26"}


def test_age_pyramid_counts_ages_on_the_reference_date_by_sex(province):
    stat, rows = figures(province, "age")
    male, female = Sex.MALE, Sex.FEMALE
    expected = {  # age group: (men, women)
        "lt25": (1, 0),  # P5 (23)
        "25_29": (0, 2),  # P4 (27), P9 (29)
        "30_34": (0, 1),  # P2 (32)
        "35_39": (0, 2),  # P8 (35), P12 (38)
        "40_44": (1, 0),  # P7 (40)
        "45_49": (1, 0),  # P1 (45)
        "50_54": (0, 0),  # P6 (50) retired
        "55_59": (2, 0),  # P13 (55), P3 (58)
        "60plus": (0, 1),  # P10 (61)
    }
    assert {k: (v[male], v[female]) for k, v in rows.items()} == expected
    assert stat.total.values[male] == 5 and stat.total.values[female] == 6
    assert rows["25_29"]["share"] == 18.2  # 2 of 11


def test_age_groups_move_with_the_reference_date(province):
    """Five years ago P5 (23) was 18, P4 (27) 22 and P9 (29) 24: all under 25; P3 (58)
    was 53 and P13 (55) 50; P10 (61) was 56."""
    then = selectors.years_before(timezone.localdate(), 5)
    _stat, rows = figures(province, "age", on=then)
    assert (rows["lt25"][Sex.MALE], rows["lt25"][Sex.FEMALE]) == (1, 2)
    assert rows["50_54"][Sex.MALE] == 2
    assert rows["55_59"][Sex.FEMALE] == 1
    assert rows["60plus"]["total"] == 0


def test_people_born_after_the_reference_date_are_not_counted(province):
    """Thirty years ago P5 (23), P4 (27) and P9 (29) were not born yet."""
    stat, rows = figures(province, "age", on=selectors.years_before(timezone.localdate(), 30))
    assert stat.total.values["total"] == 11 - 3
    assert rows["lt25"]["total"] == 5  # P2 (2), P8 (5), P12 (8), P7 (10), P1 (15)


def test_ethnic_minorities_are_listed_beside_the_kinh(province):
    stat, rows = figures(province, "ethnicity")
    assert rows["01"]["count"] == 4  # P1, P3, P7, P13
    assert {k: rows[k]["count"] for k in ("02", "07", "09")} == {"02": 1, "07": 1, "09": 1}
    assert rows["none"]["count"] == 4  # no approved file: P5, P8, P10, P12
    assert [r.key for r in stat.charted_rows] == ["02", "07", "09"]  # the minorities
    assert stat.total.values["count"] == 11
    assert stat.note == "Người dân tộc thiểu số: 3 trên 11 người (27,3%)."


@pytest.mark.parametrize(("key", "expected"), [
    ("education", {"tskh": 0, "ts": 1, "ths": 1, "dh": 5, "cd": 0, "tc": 0, "sc": 0,
                   "chua_dao_tao": 0, "none": 4}),
    ("political_theory", {"cu_nhan": 1, "cao_cap": 1, "trung_cap": 3, "so_cap": 0, "none": 6}),
    ("state_management", {"cvcc": 1, "cvc": 1, "cv": 1, "can_su": 0, "none": 8}),
    ("it", {"co_ban": 1, "nang_cao": 1, "chung_chi_a": 0, "chung_chi_b": 0, "chung_chi_c": 0,
            "trung_cap": 0, "cao_dang": 0, "dai_hoc": 0, "none": 9}),
])
def test_levels_of_training_follow_their_code_lists(province, key, expected):
    stat, rows = figures(province, key)
    assert {k: v["count"] for k, v in rows.items()} == expected
    assert stat.total.values["count"] == 11
    assert sum(v["count"] for v in rows.values()) == 11


def test_foreign_languages_count_each_persons_highest_level_per_language(province):
    stat, rows = figures(province, "languages")
    # English: P9 certificate B (level 2); P1 bậc 3 and P4 bậc 2 + bậc 4 (highest 4);
    # P2 bậc 5 and P7 bậc 6. French: P2 bậc 2. K'Ho (a minority language): P13.
    assert rows["en"] == {"basic": 1, "intermediate": 2, "advanced": 2, "other": 0, "count": 5}
    assert rows["fr"] == {"basic": 1, "intermediate": 0, "advanced": 0, "other": 0, "count": 1}
    assert rows["kpm"]["other"] == 1 and rows["kpm"]["count"] == 1
    assert [r.key for r in stat.rows][-2:] == ["kpm", "none"]  # minority languages last
    # no foreign language: P3, P13 (K'Ho only) and the four without a file
    assert rows["none"]["count"] == 6
    assert stat.total.values["count"] == 11


def test_party_members_come_from_the_restricted_projection(province):
    stat, rows = figures(province, "party")
    # P1, P3, P7, P13 joined the Party; P2, P4, P9 did not; P5, P8, P10, P12 have no file
    assert rows["000.00.00.H26"] == {"member": 1, "other": 0, "unfiled": 0, "total": 1,
                                     "share": 100.0}
    assert rows["000.01.00.H26"] == {"member": 2, "other": 2, "unfiled": 1, "total": 5,
                                     "share": 50.0}
    assert rows["000.02.00.H26"] == {"member": 1, "other": 1, "unfiled": 3, "total": 5,
                                     "share": 50.0}
    assert stat.total.values == {"member": 4, "other": 3, "unfiled": 4, "total": 11,
                                 "share": 57.1}


def test_ranks_and_titles_are_counted_by_code_most_frequent_first(province):
    stat, rows = figures(province, "ranks")
    assert [(r.key, r.values["count"]) for r in stat.rows] == [
        ("01.003", 2), ("01.001", 1), ("01.002", 1), ("V.08.01.03", 1), ("none", 6),
    ]
    assert stat.rows[0].label == "01.003 Chuyên viên"
    assert stat.rows[3].label == "V.08.01.03 Bác sĩ (hạng III)"


def test_arrivals_are_recruitments_and_departures_are_status_changes(province):
    stat, rows = figures(province, "movements")
    today = timezone.localdate()
    this_month = today.strftime("%Y-%m")
    recruited = month_start(today, 2).strftime("%Y-%m")  # P2
    assert len(stat.rows) == 12 and stat.rows[-1].key == this_month
    assert rows[recruited]["recruited"] == 1 and rows[recruited]["arrivals"] == 1
    assert rows[this_month][Status.RETIRED] == 1  # P6
    assert rows[this_month]["departures"] == 1
    assert stat.total.values["arrivals"] == 1 and stat.total.values["departures"] == 1


def test_a_return_to_service_is_an_arrival_and_a_reference_date_moves_the_window(province):
    p11 = province.people["P11"]
    p11.status = Status.ACTIVE
    p11.save()
    _stat, rows = figures(province, "movements")
    this_month = timezone.localdate().strftime("%Y-%m")
    assert rows[this_month]["returned"] == 1 and rows[this_month]["arrivals"] == 1
    # a year and a month ago, neither this month's changes nor P2's recruitment count
    earlier = month_start(timezone.localdate(), 13) + dt.timedelta(days=14)
    stat, _rows = figures(province, "movements", on=earlier)
    assert stat.total.values["arrivals"] == 0 and stat.total.values["departures"] == 0


def test_completeness_separates_files_of_the_current_form_from_missing_ones(province):
    stat, rows = figures(province, "completeness")
    assert rows["000.01.00.H26"] == {"complete": 4, "older": 0, "unfiled": 1, "total": 5,
                                     "share": 80.0}
    assert rows["000.02.00.H26"] == {"complete": 2, "older": 0, "unfiled": 3, "total": 5,
                                     "share": 40.0}
    assert stat.total.values["complete"] == 7 and stat.total.values["unfiled"] == 4


def test_a_file_approved_under_an_earlier_form_is_not_complete(province, monkeypatch):
    from hoso.records.schema import get_schema

    schema = get_schema(StaffCategory.CONG_CHUC)
    # The CV form in force changes (a new version, e.g. a province's extension): files
    # approved under the old version may lack what the new one requires. All seven
    # files are CVs (cán bộ, công chức, viên chức share the form).
    monkeypatch.setattr(schema, "version", f"{schema.version}+new")
    stat, rows = figures(province, "completeness")
    assert stat.total.values == {"complete": 0, "older": 7, "unfiled": 4, "total": 11,
                                 "share": 0.0}
    assert rows["000.01.00.H26"]["older"] == 4


def test_a_staff_category_filter_narrows_every_statistic(province):
    stat, rows = figures(province, "age", category=StaffCategory.VIEN_CHUC)
    # P9 (29), P10 (61), P12 (38, seconded): P11 resigned
    assert stat.total.values["total"] == 3
    assert rows["25_29"]["total"] == 1 and rows["60plus"]["total"] == 1

"""The annual report's figures (Vĩnh Phúc Đ14.4, Đ16.7; Lâm Đồng Đ13.9): the headcount as
of 31/12 by staff category, grade, rank, professional title and job position, with the
Ministry's breakdowns — checked against a generated province whose totals are known
(`province.SPECS`, counted by hand in `province.expected`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.annual import layout, selectors
from hoso.annual.headcount import classify
from hoso.records.models import Sex, StaffCategory, Status
from hoso.records.services import revision_create

from . import province
from .province import YEAR, Spec, aware

ALL = ("in_unit", "in_child", "out_unit", "commune")


def column(values, key):
    return values[layout.INDEX[key]]


def figures_of(unit, year=YEAR, user=SYSTEM):
    return selectors.unit_figures(user=user, unit=unit, year=year)


def test_the_province_totals_are_the_generated_ones(world, people):
    figures = figures_of(world.root)
    expected = province.expected(province.SPECS, ALL)
    assert {k: column(figures.total, k) for k in layout.COLUMN_KEYS} == {
        k: expected["totals"][k] for k in layout.COLUMN_KEYS
    }
    # by hand, for the record: 20 specs, a retired and a resigned person not counted
    assert column(figures.total, "total") == 18
    assert column(figures.total, "female") == 8
    assert column(figures.total, "party") == 7


def test_each_table_counts_everyone_once_and_its_totals_row_is_the_sum_of_its_rows(
        world, people):
    figures = figures_of(world.root)
    total = column(figures.total, "total")
    for table in figures.tables:
        summed = layout.zeros()
        for row in table.rows:
            if not row.subtotal:
                layout.add(summed, row.values)
        assert table.total == summed, table.key
    # category, grade and job position cover everyone; rank + title + none too
    for key in ("category", "grade", "position"):
        assert figures.table(key).total == figures.total, key
    ranks, titles = figures.table("rank").total, figures.table("title").total
    none = next(r for r in figures.table("grade").rows if r.key == "grade:none").values
    assert [a + b + c for a, b, c in zip(ranks, titles, none, strict=True)] == figures.total
    # the breakdown groups that split everyone add up to the total
    for group in (("age_30", "age_40", "age_50", "age_60", "age_61"),
                  ("edu_ts", "edu_ths", "edu_dh", "edu_cd", "edu_tc", "edu_other")):
        for table in figures.tables:
            for row in table.rows:
                assert sum(column(row.values, k) for k in group) == column(row.values, "total")
    assert total == 18


def test_rows_by_category_rank_title_and_position_are_the_generated_ones(world, people):
    figures = figures_of(world.root)
    expected = province.expected(province.SPECS, ALL)
    by_category = {r.key.split(":")[1]: column(r.values, "total")
                   for r in figures.table("category").rows}
    assert by_category == {c: expected["category"].get(c, 0) for c in StaffCategory.values}
    codes = {r.code: column(r.values, "total")
             for t in ("rank", "title") for r in figures.table(t).rows}
    assert codes == dict(expected["code"])
    assert {r.code for r in figures.table("title").rows} == {
        "V.08.01.02", "V.08.05.12", "V.08.01.03", "V.08.05.13"}
    positions = {r.code: column(r.values, "total") for r in figures.table("position").rows
                 if not r.subtotal}
    assert positions == dict(expected["position"])
    # the four groups of NĐ 62/2020 Đ4, each line the sum of its positions
    groups = {r.key: column(r.values, "total") for r in figures.table("position").rows
              if r.subtotal}
    assert groups == {"group:lanh_dao": 5, "group:chuyen_mon": 4, "group:dung_chung": 8,
                      "group:ho_tro": 1}


def test_grades_follow_the_salary_group_of_the_rank_or_title(world, people):
    grades = {r.key: column(r.values, "total") for r in figures_of(world.root).table("grade").rows}
    # A3: 01.001; A2: 01.002 ×2, 06.030, V.08.01.02; A1: 01.003 ×5, 06.031, V.08.05.12,
    # V.08.01.03; A0: 01.004; B: 01.005, V.08.05.13; none: the two cadres
    assert grades == {"grade:cvcc": 1, "grade:cvc": 4, "grade:cv": 8, "grade:cs": 1,
                      "grade:nv": 2, "grade:none": 2}


def test_a_unit_report_covers_its_sub_tree_only(world, people):
    home = figures_of(world.in_unit)
    expected = province.expected(province.SPECS, ("in_unit", "in_child"))
    assert column(home.total, "total") == expected["totals"]["total"] == 7
    assert column(home.total, "female") == 3
    assert column(home.total, "minority") == 2  # Tày, HMông
    child = figures_of(world.in_child)
    assert column(child.total, "total") == 2
    health = figures_of(world.out_unit)
    assert column(health.total, "total") == 6
    assert column(health.table("category").rows[2].values, "total") == 4  # viên chức


def test_ages_are_completed_years_on_31_december(world, people):
    figures = figures_of(world.in_unit)
    total = figures.total
    # born 01/01/1995 is 30 (≤ 30), born 31/12/1994 is 31; born 31/12/1985 is 40;
    # born 10/01/1965 is 60; born 02/03/1968 is 57; 01/01/1975 is 50; 15/06/1980 is 45
    assert [column(total, k) for k in ("age_30", "age_40", "age_50", "age_60", "age_61")] == [
        1, 2, 2, 2, 0]


def test_departed_staff_are_not_counted_and_seconded_staff_are(world, people):
    commune = figures_of(world.commune)
    # two cadres, two commune civil servants and one seconded
    assert column(commune.total, "total") == 5
    health = figures_of(world.out_unit)
    titles = {r.code: column(r.values, "total") for r in health.table("title").rows}
    assert titles["V.08.05.12"] == 1  # the one who resigned is not counted


def test_a_person_first_approved_after_31_december_is_not_counted(world, people):
    late = province.make(world, Spec("in_unit", rank="01.002"), approved_at=aware(2026, 1, 5))
    assert column(figures_of(world.in_unit).total, "total") == 7
    # the next year's (provisional) figures count them
    assert column(figures_of(world.in_unit, year=2026).total, "total") == 8
    assert late.profile.rank_code == "01.002"


def test_the_file_counted_is_the_revision_approved_on_or_before_31_december(world, people):
    person = province.make(world, Spec("in_unit", rank="01.003", position="dc_tong_hop",
                                       party=True, born=dt.date(1990, 3, 3)))
    # promoted to principal specialist in 2026, and no longer a Party member
    document = province.document(person, Spec("in_unit", rank="01.002", position="ld_cap_pho",
                                               born=dt.date(1990, 3, 3)))
    revision_create(actor=SYSTEM, person=person, document=document, reason="Nâng ngạch",
                    approved_at=aware(2026, 2, 1))
    before = figures_of(world.in_unit)
    ranks = {r.code: column(r.values, "total") for r in before.table("rank").rows}
    assert ranks["01.003"] == 4 and ranks["01.002"] == 1
    assert column(before.total, "party") == 4  # 3 of the specs + this person then
    after = figures_of(world.in_unit, year=2026)
    ranks = {r.code: column(r.values, "total") for r in after.table("rank").rows}
    assert ranks["01.003"] == 3 and ranks["01.002"] == 2
    assert column(after.total, "party") == 3


def test_status_and_unit_are_taken_as_they_were_on_31_december(world, people):
    retired_before = province.make(world, Spec("out_unit", rank="06.030"))
    retired_after = province.make(world, Spec("out_unit", rank="06.030"))
    moved_after = province.make(world, Spec("out_unit", rank="06.030"))
    with province.at(aware(2025, 10, 1)):
        retired_before.status = Status.RETIRED
        retired_before.save()
    with province.at(aware(2026, 1, 10)):
        retired_after.status = Status.RETIRED
        retired_after.save()
        moved_after.unit = world.commune
        moved_after.save()
    health = figures_of(world.out_unit)
    # 6 of the specs, the one who retired in January and the one who moved in January
    assert column(health.total, "total") == 8
    accountants = {r.code: column(r.values, "total") for r in health.table("rank").rows}
    assert accountants["06.030"] == 3
    assert column(figures_of(world.commune).total, "total") == 5
    # in 2026's figures: the retired are gone, the mover is the commune's
    assert column(figures_of(world.out_unit, year=2026).total, "total") == 6
    assert column(figures_of(world.commune, year=2026).total, "total") == 6


def test_files_without_an_approved_revision_are_counted_apart(world, people):
    figures = figures_of(world.root)
    # the world's people and actors have no approved revision (but the expired and
    # revoked actors' people are working staff too)
    assert figures.not_approved == 4 + 11


def test_the_python_classification_matches_the_sql_one(world, people):
    """The people re-projected from an older revision are classified in Python:
    the same person must land in the same columns either way."""
    spec = Spec("in_child", sex=Sex.FEMALE, rank="01.003", position="dc_tong_hop",
                ethnicity="08", party=True, born=dt.date(1980, 6, 15), education="ths",
                political="cu_nhan", state="cvc")
    person = province.make(world, spec)
    sql = column(figures_of(world.in_child).total, "total")
    values = {"sex": "female", "ethnicity": "08", "party": "1",
              "birth_date": dt.date(1980, 6, 15), "education_level": "ths",
              "political_theory": "cu_nhan", "state_management": "cvc"}
    row = classify(values, province.END)
    assert [k for k in layout.COLUMN_KEYS if column(row, k)] == [
        "total", "female", "minority", "party", "age_50", "edu_ths", "pol_cc", "sm_cvc"]
    # the same person counted by SQL adds exactly those columns
    before = figures_of(world.in_child).total
    document = province.document(person, spec)
    document["phone"] = "0912345678"
    revision_create(actor=SYSTEM, person=person, document=document, reason="Cập nhật",
                    approved_at=aware(2026, 3, 1))
    after = figures_of(world.in_child).total  # now through the older revision, in Python
    assert after == before and sql == 3


def test_the_preview_of_a_running_year_is_flagged(world, people):
    figures = figures_of(world.root, year=2026)
    assert figures.preview
    assert figures.as_of == timezone.localdate().isoformat()
    assert column(figures.total, "total") == 18

"""The Catalog API: validity dates, salary look-ups, ranks, and a cache that follows
every change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.signals import request_started
from django.db.models import F

from hoso.accounts.permissions import SYSTEM
from hoso.catalogs import selectors, services
from hoso.catalogs.models import CodeList

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def test_a_code_valid_only_before_the_reform_is_not_valid_after(db):
    # Vĩnh Phúc (26) merged into Phú Thọ on 1/7/2025; Hà Giang (02) into Tuyên Quang.
    for code in ("26", "02"):
        assert selectors.code_valid("provinces", code, BEFORE)
        assert not selectors.code_valid("provinces", code, AFTER)
        assert selectors.code_valid("provinces", code)  # a birth place may still name it
    assert selectors.code_valid("provinces", "68", BEFORE)  # Lâm Đồng, both structures
    assert selectors.code_valid("provinces", "68", AFTER)
    new_wards = {c for c, _ in selectors.choices("communes", AFTER, parent="68")}
    # New Lâm Đồng took in Đắk Nông (67) and Bình Thuận (60): compare with every old code.
    old_wards = {c for c, _ in selectors.choices("communes", BEFORE)}
    assert len(old_wards) > 10000 and len(new_wards) > 100
    # Each new commune kept the code of one of the communes merged into it; the others'
    # codes stop on 30/6/2025.
    assert new_wards <= old_wards
    assert all(selectors.code_valid("communes", c, AFTER) for c in new_wards)
    gone = sorted(old_wards - new_wards)[0]  # a commune merged away on 1/7/2025
    assert selectors.code_valid("communes", gone, BEFORE)
    assert not selectors.code_valid("communes", gone, AFTER)


def test_codes_of_other_periods_are_shown_with_their_end(db):
    labels = dict(selectors.choices("provinces"))
    assert labels["26"] == "Vĩnh Phúc (đến 30/06/2025)"
    assert "26" not in dict(selectors.choices("provinces", AFTER))
    assert len(selectors.choices("provinces", AFTER)) == 34
    assert len(selectors.choices("provinces", BEFORE)) == 63


def test_evaluation_grades_follow_the_2019_amendment(db):
    assert selectors.code_valid("evaluation_grades", "ht_han_che", dt.date(2019, 12, 31))
    assert not selectors.code_valid("evaluation_grades", "ht_han_che", dt.date(2020, 12, 31))
    assert selectors.code_valid("evaluation_grades", "ht", dt.date(2020, 12, 31))
    assert not selectors.code_valid("evaluation_grades", "ht", dt.date(2019, 12, 31))


@pytest.mark.parametrize(("group", "step", "expected"), [
    ("A1", 1, "2.34"), ("A1", 9, "4.98"), ("A3.1", 6, "8.00"), ("A2.1", 8, "6.78"),
    ("A0", 10, "4.89"), ("B", 12, "4.06"), ("C1", 12, "3.63"), ("A2.2", 2, "4.34"),
])
def test_salary_coefficients_of_decree_204(db, group, step, expected):
    assert selectors.salary_coefficient(group, step, dt.date(2024, 7, 1)) == Decimal(expected)


def test_a_step_or_group_outside_the_scale_has_no_coefficient(db):
    assert selectors.salary_coefficient("A1", 10) is None
    assert selectors.salary_coefficient("A1", 0) is None
    assert selectors.salary_coefficient("Z9", 1) is None
    assert selectors.salary_coefficient("A1", 1, dt.date(2004, 9, 30)) is None  # before 204
    assert selectors.salary_steps("B") == 12


def test_rank_info_gives_the_group_and_the_raise_interval(db):
    cv = selectors.rank_info("01.003")
    assert (cv.name, cv.kind, cv.salary_group, cv.raise_interval_months) == (
        "Chuyên viên", "rank", "A1", 36)
    teacher = selectors.rank_info("V.07.05.15")
    assert (teacher.kind, teacher.salary_group) == ("title", "A1")
    assert selectors.rank_info("01.005").raise_interval_months == 24
    assert selectors.rank_info("00.000") is None


def test_base_salary_is_dated(db):
    assert selectors.base_salary(dt.date(2024, 7, 1)) == 2_340_000
    assert selectors.base_salary(dt.date(2024, 6, 30)) == 1_800_000


def test_labels_and_unknown_codes(db):
    assert selectors.code_label("ethnicities", "01") == "Kinh"
    assert selectors.code_label("ethnicities", "nope") == "nope"
    assert not selectors.code_valid("ethnicities", 1)
    with pytest.raises(selectors.UnknownList):
        selectors.code_valid("no_such_list", "01")


def test_the_cache_follows_a_change_in_this_process(db):
    religions = CodeList.objects.get(key="religions")
    assert not selectors.code_valid("religions", "77")
    services.entry_create(actor=SYSTEM, code_list=religions, code="77", label="Đạo thử",
                          valid_from=dt.date(2026, 1, 1))
    assert selectors.code_valid("religions", "77", dt.date(2026, 1, 2))
    assert not selectors.code_valid("religions", "77", dt.date(2025, 12, 31))


def test_the_cache_follows_a_change_made_by_another_process(db):
    assert selectors.code_label("religions", "01") == "Phật giáo"
    # Another process relabels the entry and bumps the revision, as services do.
    religions = CodeList.objects.get(key="religions")
    religions.entries.filter(code="01").update(label="Phật giáo (sửa)")
    CodeList.objects.filter(pk=religions.pk).update(revision=F("revision") + 1)
    assert selectors.code_label("religions", "01") == "Phật giáo"  # same request: cached
    # The next request starts with a re-check (sending request_started itself would
    # also close the test's database connection).
    assert any(key[0] == "hoso.catalogs.recheck" for key, *_ in request_started.receivers)
    selectors.recheck_soon()
    assert selectors.code_label("religions", "01") == "Phật giáo (sửa)"


def test_validating_a_full_profile_can_ask_hundreds_of_times(db):
    import time

    on = dt.date(2020, 1, 1)
    selectors.code_valid("communes", "00004", on)
    start = time.perf_counter()
    for _ in range(10_000):
        selectors.code_valid("ethnicities", "01", on)
        selectors.salary_coefficient("A1", 3, on)
    assert time.perf_counter() - start < 1.0

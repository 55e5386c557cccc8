"""Regular salary-step raises (Thông tư 08/2013/TT-BNV, Điều 2.1: 36 months at a step
for ranks requiring college training or more, 24 for the others) and the seniority
allowance at the last step (Thông tư 04/2005/TT-BNV: 5 % after the same period, then
+1 % a year), hand-computed; then the list, on 10/05/2026 (this month and the next
ones)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hoso.hr import selectors
from hoso.hr.dates import add_months, full_months, last_day, month_index
from hoso.hr.raises import Kind, next_raise, seniority_percent, step_due

from .conftest import salaried

D = dt.date


def test_a_step_is_due_after_36_months_for_college_ranks_and_24_for_the_others():
    assert step_due(D(2023, 6, 1), 36) == D(2026, 6, 1)
    assert step_due(D(2024, 6, 1), 24) == D(2026, 6, 1)
    assert step_due(D(2024, 6, 10), 36) == D(2027, 6, 10)


def test_month_ends_and_leap_days_are_held_on_the_months_last_day():
    assert step_due(D(2024, 2, 29), 24) == D(2026, 2, 28)
    assert step_due(D(2024, 2, 29), 48) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert full_months(D(2026, 1, 31), D(2026, 2, 28)) == 1
    assert full_months(D(2026, 3, 15), D(2026, 6, 14)) == 2
    assert full_months(D(2026, 3, 15), D(2026, 6, 15)) == 3


def test_the_seniority_allowance_starts_at_5_and_grows_1_a_year():
    # A1 (36 months): at the last step since 20/05/2023 → 5 % from 20/05/2026.
    assert seniority_percent(D(2023, 5, 20), 36, D(2026, 5, 19)) == 0
    assert seniority_percent(D(2023, 5, 20), 36, D(2026, 5, 20)) == 5
    assert seniority_percent(D(2023, 5, 20), 36, D(2027, 5, 19)) == 5
    assert seniority_percent(D(2023, 5, 20), 36, D(2027, 5, 20)) == 6
    # B (24 months): since 01/08/2021 → 5 % 1/8/2023, 6 % 2024, 7 % 2025, 8 % 1/8/2026.
    assert seniority_percent(D(2021, 8, 1), 24, D(2026, 5, 10)) == 7
    assert next_raise(step=12, steps=12, since=D(2021, 8, 1), interval=24,
                      after=D(2026, 5, 1)) == next_raise(step=12, steps=12, since=D(2021, 8, 1),
                                                         interval=24, after=D(2026, 8, 1))
    nxt = next_raise(step=12, steps=12, since=D(2021, 8, 1), interval=24, after=D(2026, 5, 1))
    assert (nxt.kind, nxt.due, nxt.percent) == (Kind.SENIORITY, D(2026, 8, 1), 8)
    nxt = next_raise(step=12, steps=12, since=D(2021, 8, 1), interval=24, after=D(2026, 8, 2))
    assert (nxt.due, nxt.percent) == (D(2027, 8, 1), 9)


def test_below_the_last_step_the_next_raise_is_the_next_step_even_when_overdue():
    nxt = next_raise(step=5, steps=12, since=D(2024, 3, 31), interval=24, after=D(2026, 5, 1))
    assert (nxt.kind, nxt.due, nxt.step) == (Kind.STEP, D(2026, 3, 31), 6)


# --- the list ------------------------------------------------------------------------

A1, B = ("01.003", "A1"), ("01.005", "B")  # Chuyên viên (36 months, 9 steps), Nhân viên (24, 12)


@pytest.fixture
def staff(quiet_world):
    u = quiet_world.in_unit
    return {
        "a1_due_june": salaried(u, rank=A1[0], group=A1[1], step=3, since=D(2023, 6, 1),
                                name="Ân Chuyên Viên"),
        "b_due_july": salaried(u, rank=B[0], group=B[1], step=5, since=D(2024, 7, 15),
                               name="Bình Nhân Viên"),
        # Same day, different rule: 24 months → 10/06/2026, 36 months → 10/06/2027.
        "b_same_day": salaried(u, rank=B[0], group=B[1], step=2, since=D(2024, 6, 10),
                               name="Cúc Nhân Viên"),
        "a1_same_day": salaried(u, rank=A1[0], group=A1[1], step=2, since=D(2024, 6, 10),
                                name="Dũng Chuyên Viên"),
        "a1_november": salaried(u, rank=A1[0], group=A1[1], step=3, since=D(2023, 11, 1),
                                name="Giang Chuyên Viên"),
        "b_overdue": salaried(u, rank=B[0], group=B[1], step=5, since=D(2024, 3, 31),
                              name="Hà Nhân Viên"),
        "a1_last": salaried(u, rank=A1[0], group=A1[1], step=9, since=D(2023, 5, 20),
                            name="Khánh Bậc Cuối"),
        "b_last": salaried(quiet_world.in_child, rank=B[0], group=B[1], step=12,
                           since=D(2021, 8, 1), name="Lan Bậc Cuối"),
        "out": salaried(quiet_world.out_unit, rank=B[0], group=B[1], step=5,
                        since=D(2024, 7, 15), name="Minh Ngoài"),
    }


def _due(user, **filters):
    rows = selectors.raise_rows(selectors.raise_people(user=user, **filters))
    return [(r.person.full_name, r.next.due, r.next.kind, r.next.step, r.next.percent)
            for r in rows]


def test_the_raise_list_by_due_date_in_the_next_six_months(quiet_world, staff):
    hr = quiet_world.actors["hr_officer"]
    assert _due(hr) == [
        ("Khánh Bậc Cuối", D(2026, 5, 20), Kind.SENIORITY, 9, 5),
        ("Ân Chuyên Viên", D(2026, 6, 1), Kind.STEP, 4, None),
        ("Cúc Nhân Viên", D(2026, 6, 10), Kind.STEP, 3, None),
        ("Bình Nhân Viên", D(2026, 7, 15), Kind.STEP, 6, None),
        ("Lan Bậc Cuối", D(2026, 8, 1), Kind.SENIORITY, 12, 8),
    ]


def test_the_window_overdue_raises_and_the_kind_filter(quiet_world, staff):
    hr = quiet_world.actors["hr_officer"]
    names = [n for n, *_ in _due(hr, months=7, overdue=True)]
    assert names[0] == "Hà Nhân Viên"  # due 31/03/2026, not in the file yet
    assert "Giang Chuyên Viên" in names  # 01/11/2026: the 7th month
    assert "Dũng Chuyên Viên" not in names  # 10/06/2027
    assert [n for n, *_ in _due(hr, kind=Kind.SENIORITY)] == ["Khánh Bậc Cuối", "Lan Bậc Cuối"]
    assert [n for n, *_ in _due(hr, months=1)] == ["Khánh Bậc Cuối"]
    assert _due(hr, category="vien_chuc") == []
    assert [n for n, *_ in _due(hr, unit=quiet_world.in_child)] == ["Lan Bậc Cuối"]


def test_the_raise_list_shows_nobody_outside_the_users_scope(quiet_world, staff):
    assert "Minh Ngoài" not in [n for n, *_ in _due(quiet_world.actors["hr_officer"])]
    assert "Minh Ngoài" in [n for n, *_ in _due(quiet_world.actors["province_admin"])]
    assert _due(quiet_world.actors["auditor"]) == []
    assert _due(quiet_world.actors["revoked"]) == []


def test_a_raise_row_carries_the_new_coefficient_and_todays_allowance(quiet_world, staff):
    people = selectors.raise_people(user=quiet_world.actors["hr_officer"])
    rows = {r.person.full_name: r for r in selectors.raise_rows(people)}
    assert rows["Ân Chuyên Viên"].new_coefficient == Decimal("3.33")  # A1 step 4
    assert rows["Bình Nhân Viên"].new_coefficient == Decimal("2.86")  # B step 6
    assert rows["Lan Bậc Cuối"].seniority_now == 7
    assert rows["Khánh Bậc Cuối"].seniority_now == 0
    assert (rows["Cúc Nhân Viên"].interval, rows["Ân Chuyên Viên"].interval) == (24, 36)


RANKS = [("01.005", "B", 12, 24), ("01.003", "A1", 9, 36), ("01.002", "A2.1", 8, 36),
         ("01.004", "A0", 10, 36)]


def test_the_database_finds_exactly_whom_the_rule_finds(quiet_world):
    """The list is filtered, counted and ordered by the database, month by month; here
    it is checked against the rule itself (`raises.next_raise`) applied to every person,
    for windows shorter and longer than a year, with and without overdue raises."""
    import random

    rng = random.Random(7)
    people = []
    for i in range(48):
        code, group, steps, interval = RANKS[i % len(RANKS)]
        step = steps if i % 3 == 0 else rng.randint(1, steps - 1)
        if i % 8 == 0:  # month ends: a leap day, the 31st of a month
            since = D(2024, 2, 29) if i % 16 == 0 else last_day(month_index(
                D(2022 + i % 3, rng.randint(1, 12), 1)))
        else:
            since = D(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3780))  # to 08/05/2026
        people.append((salaried(quiet_world.in_unit, rank=code, group=group, step=step,
                                since=since, name=f"Người {i:02d}"), steps, interval))
    hr = quiet_world.actors["hr_officer"]
    start = D(2026, 5, 1)
    sizes = {}
    for months in (1, 3, 6, 12, 13, 24, 60):
        end = add_months(start, months) - dt.timedelta(days=1)
        for overdue in (False, True):
            for kind in ("", Kind.STEP, Kind.SENIORITY):
                expected = set()
                for p, steps, interval in people:
                    nxt = next_raise(step=p.profile.salary_step, steps=steps,
                                     since=p.profile.salary_since, interval=interval,
                                     after=start)
                    if kind and nxt.kind != kind or nxt.due > end:
                        continue
                    if nxt.kind == Kind.STEP and nxt.due < start and not overdue:
                        continue
                    expected.add(p.full_name)
                listed = selectors.raise_people(user=hr, months=months, overdue=overdue,
                                                kind=kind)
                rows = selectors.raise_rows(listed)
                assert {r.person.full_name for r in rows} & {p.full_name for p, *_ in people} \
                    == expected, (months, overdue, kind)
                sizes[(months, overdue, kind)] = len(expected)
                assert listed.count() == len(rows)
                dues = [(r.next.due.year, r.next.due.month) for r in rows]
                assert dues == sorted(dues), (months, overdue, kind)
    # The cases are not empty: a month finds few, five years nearly everyone.
    assert 0 < sizes[(1, False, "")] < sizes[(12, False, "")] < sizes[(60, True, "")] <= 48
    assert sizes[(6, True, Kind.STEP)] > sizes[(6, False, Kind.STEP)]
    assert sizes[(13, False, Kind.SENIORITY)] > 0

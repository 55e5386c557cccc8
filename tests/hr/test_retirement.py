"""The retirement moment (Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP,
Điều 3–4, Phụ lục I), against hand-computed cases across the roadmap's years.

How each expectation was computed: the age that applies is the one of the year in
which it is reached (men 60y3m in 2021 + 3 months a year up to 62 from 2028; women
55y4m in 2021 + 4 months a year up to 60 from 2035; 60 and 55 before 2021); the moment
is the last day of that month (Điều 3.1)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hoso.hr.dates import month_index
from hoso.hr.retirement import (
    last_birth_retired_before,
    retirement,
    retirement_age_in,
    retirement_date,
    retirement_months,
)

D = dt.date


@pytest.mark.parametrize(("born", "sex", "age", "moment"), [
    # Men. Before the roadmap: 60.
    (D(1960, 5, 10), "male", (60, 0), D(2020, 5, 31)),
    (D(1960, 12, 31), "male", (60, 0), D(2020, 12, 31)),
    # 2021: 60y3m. The decree's own example (laodong/nld, 26/11/2020): born 1/1961,
    # retires at the end of 4/2021, pension from 1/5/2021.
    (D(1961, 1, 1), "male", (60, 3), D(2021, 4, 30)),
    (D(1961, 3, 15), "male", (60, 3), D(2021, 6, 30)),
    (D(1961, 9, 30), "male", (60, 3), D(2021, 12, 31)),
    # Born 10/1961: 60y3m would fall in 1/2022, where 60y6m applies → 4/2022.
    (D(1961, 10, 1), "male", (60, 6), D(2022, 4, 30)),
    (D(1962, 6, 30), "male", (60, 6), D(2022, 12, 31)),
    (D(1962, 7, 1), "male", (60, 9), D(2023, 4, 30)),
    (D(1963, 4, 1), "male", (61, 0), D(2024, 4, 30)),
    (D(1964, 1, 20), "male", (61, 3), D(2025, 4, 30)),
    # `hoso hr retirement --born 1965-03-15 --sex male`: 2026 asks 61y6m → 9/2026.
    (D(1965, 3, 15), "male", (61, 6), D(2026, 9, 30)),
    (D(1966, 3, 31), "male", (61, 9), D(2027, 12, 31)),
    # The roadmap's end: from 4/1966 on, 62.
    (D(1966, 4, 1), "male", (62, 0), D(2028, 4, 30)),
    (D(1970, 2, 28), "male", (62, 0), D(2032, 2, 29)),  # a leap February's last day
    (D(1985, 8, 31), "male", (62, 0), D(2047, 8, 31)),
    # Women. Before the roadmap: 55.
    (D(1965, 8, 31), "female", (55, 0), D(2020, 8, 31)),
    # 2021: 55y4m. The decree's example: born 1/1966, retires at the end of 5/2021.
    (D(1966, 1, 1), "female", (55, 4), D(2021, 5, 31)),
    (D(1966, 8, 31), "female", (55, 4), D(2021, 12, 31)),
    (D(1966, 9, 1), "female", (55, 8), D(2022, 5, 31)),
    (D(1967, 5, 5), "female", (56, 0), D(2023, 5, 31)),
    # Born 12/1968: "đủ tuổi nghỉ hưu vào tháng 8.2025" (laodong.vn, 26/09/2022, on
    # Phụ lục I).
    (D(1968, 12, 15), "female", (56, 8), D(2025, 8, 31)),
    (D(1970, 1, 31), "female", (57, 4), D(2027, 5, 31)),
    (D(1974, 9, 1), "female", (59, 8), D(2034, 5, 31)),
    (D(1975, 4, 30), "female", (59, 8), D(2034, 12, 31)),
    # The roadmap's end: from 5/1975 on, 60.
    (D(1975, 5, 1), "female", (60, 0), D(2035, 5, 31)),
    (D(1975, 6, 10), "female", (60, 0), D(2035, 6, 30)),
    (D(1980, 2, 29), "female", (60, 0), D(2040, 2, 29)),
])
def test_the_retirement_moment_is_the_last_day_of_the_month_the_age_is_reached(
    born, sex, age, moment
):
    r = retirement(born, sex)
    assert r.age == age
    assert r.date == moment == retirement_date(born, sex)
    # Điều 3.2: the pension starts on the first day of the next month.
    assert r.pension_from == moment + dt.timedelta(days=1)


def test_the_roadmap_rises_by_three_and_four_months_a_year_then_stops():
    men = [retirement_age_in(y, "male") for y in range(2020, 2030)]
    women = [retirement_age_in(y, "female") for y in (2020, 2021, 2022, 2034, 2035, 2036)]
    assert men == [720, 723, 726, 729, 732, 735, 738, 741, 744, 744]
    assert women == [660, 664, 668, 716, 720, 720]


def test_the_day_of_birth_within_the_month_does_not_matter():
    moments = {retirement_date(D(1965, 3, d), "male") for d in (1, 15, 31)}
    assert moments == {D(2026, 9, 30)}


def test_a_later_birth_month_never_retires_earlier():
    for sex in ("male", "female"):
        months = [retirement(D(1955 + i // 12, i % 12 + 1, 1), sex).month for i in range(30 * 12)]
        assert all(b > a for a, b in zip(months, months[1:], strict=False))


def test_the_birth_months_retiring_in_a_window_are_those_the_rule_gives():
    first, last = month_index(D(2026, 5, 1)), month_index(D(2027, 4, 1))
    spans = retirement_months(first, last, "male")
    # 61y6m in 2026: born 11/1964 → 5/2026 … born 6/1965 → 12/2026; 61y9m in 2027:
    # born 7/1965 → 4/2027.
    assert (spans[0][0], spans[-1][1]) == (D(1964, 11, 1), D(1965, 7, 31))
    assert [s[2].date for s in spans] == [
        D(2026, m, 31 if m in (5, 7, 8, 10, 12) else 30) for m in range(5, 13)
    ] + [D(2027, 4, 30)]
    # Women in the same window: 57 in 2026 (born 5/1969 → 5/2026 … 12/1969 → 12/2026),
    # 57y4m in 2027 (born 1/1970 → 5/2027 is out: only to 4/2027 … none).
    spans = retirement_months(first, last, "female")
    assert (spans[0][0], spans[-1][1]) == (D(1969, 5, 1), D(1969, 12, 31))


def test_who_was_born_by_then_is_past_the_age():
    # Men retiring before 5/2026: born by 10/1964 (10/1964 + 61y6m = 4/2026).
    assert last_birth_retired_before(month_index(D(2026, 5, 1)), "male") == D(1964, 10, 31)
    # Women: born by 4/1969 (4/1969 + 56y8m = 12/2025).
    assert last_birth_retired_before(month_index(D(2026, 5, 1)), "female") == D(1969, 4, 30)


def test_the_command_prints_the_date_alone():
    for sex, expected in (("male", "2026-09-30\n"), ("female", "2020-03-31\n")):
        out = StringIO()
        call_command("hr", "retirement", "--born", "1965-03-15", "--sex", sex, stdout=out)
        assert out.getvalue() == expected


def test_the_command_names_a_wrong_date_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"), pytest.raises(CommandError, match="--born"):
        call_command("hr", "retirement", "--born", "15/03/1965", "--sex", "male")

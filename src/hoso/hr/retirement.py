"""The retirement age and the retirement moment, in normal working conditions.

Bộ luật Lao động 2019, Điều 169.2: from 2021 the retirement age rises by a roadmap
until men reach 62 in 2028 and women 60 in 2035; Nghị định 135/2020/NĐ-CP, Điều 4.1
fixes it: in 2021 men retire at 60 years 3 months and women at 55 years 4 months,
then every year men's age rises by 3 months and women's by 4 months. Before 2021 the
ages were 60 and 55 (Bộ luật Lao động 2012, Điều 187). The age that applies is the one
of the year in which it is reached — the rows of Phụ lục I of the decree, "lộ trình
tuổi nghỉ hưu … gắn với tháng, năm sinh tương ứng", are exactly that: e.g. a man born
in 1/1961 – 9/1961 reaches 60 years 3 months in 2021, one born in 10/1961 does not
reach it in 2021 and reaches 2022's 60 years 6 months in 4/2022.

The moment (Nghị định 135/2020/NĐ-CP, Điều 3): "Thời điểm nghỉ hưu là kết thúc ngày
cuối cùng của tháng đủ tuổi nghỉ hưu" (3.1) — the end of the last day of the month in
which the age is reached, which is the date hoso prints; the pension starts on the
first day of the next month (3.2); a file that gives only the year of birth counts
from 1 January of that year (3.3: the projection of a year-only birth date already
reads it so). Days within the month do not matter: the roadmap and the moment are by
month.

Earlier or later retirement (Điều 169.3–4: reduced working capacity, hard or remote
work; highly qualified or leading officials) is decided case by case, not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import first_day, last_day, month_index, month_of

ROADMAP_FROM = 2021
# sex → (the age before the roadmap, months added a year, the final age), in months.
ROADMAP = {
    "male": (60 * 12, 3, 62 * 12),
    "female": (55 * 12, 4, 60 * 12),
}


def retirement_age_in(year: int, sex: str) -> int:
    """The retirement age, in months, for someone who reaches it in `year`."""
    base, step, final = ROADMAP[sex]
    if year < ROADMAP_FROM:
        return base
    return min(base + step * (year - ROADMAP_FROM + 1), final)


@dataclass(frozen=True)
class Retirement:
    age_months: int  # the retirement age that applies (e.g. 738 = 61 years 6 months)
    month: int  # the month in which it is reached (a month index, see dates.py)

    @property
    def age(self) -> tuple[int, int]:
        """(years, months)."""
        return divmod(self.age_months, 12)

    @property
    def date(self) -> dt.date:
        """The retirement moment: the last day of the month the age is reached."""
        return last_day(self.month)

    @property
    def pension_from(self) -> dt.date:
        """The first day of the pension: the first day of the next month."""
        return first_day(self.month + 1)


def retirement(born: dt.date, sex: str) -> Retirement:
    """When someone born on `born` (only the month counts) of `sex` ("male" or
    "female") reaches the retirement age: the earliest year whose age they reach
    within that year."""
    if sex not in ROADMAP:
        raise ValueError(f"sex must be one of {sorted(ROADMAP)}, not {sex!r}")
    birth = month_index(born)
    year = born.year + ROADMAP[sex][0] // 12
    while True:
        age = retirement_age_in(year, sex)
        reached = birth + age
        reached_year = month_of(reached)[0]
        # Each year adds at most 4 months to the age while a year passes: the month
        # reached never falls behind `year`, and the loop ends within a few years.
        if reached_year == year:
            return Retirement(age, reached)
        year += 1


def retirement_date(born: dt.date, sex: str) -> dt.date:
    """The retirement moment (the last day of the month the age is reached)."""
    return retirement(born, sex).date


def retirement_months(
    first_month: int, last_month: int, sex: str
) -> list[tuple[dt.date, dt.date, Retirement]]:
    """For each birth month whose people of `sex` retire in the months `first_month`
    … `last_month` (month indexes): its first and last day and their retirement.

    The retirement month rises with the birth month (born a month later, retired at
    least a month later), so these birth months are one run; a list filters on the
    birth date's index with its ends and orders by the retirement it annotates."""
    base, _step, final = ROADMAP[sex]
    out = []
    # Everybody retires between `base` and `final` months of age.
    for m in range(first_month - final, last_month - base + 1):
        r = retirement(first_day(m), sex)
        if first_month <= r.month <= last_month:
            out.append((first_day(m), last_day(m), r))
    return out


def last_birth_retired_before(month: int, sex: str) -> dt.date:
    """The last day of the latest birth month whose people of `sex` reached the
    retirement age before `month` (a month index): who was born by then and still
    works is past the age."""
    m = month - ROADMAP[sex][0]  # born then, the age is reached in `month` at the earliest
    while retirement(first_day(m), sex).month >= month:
        m -= 1
    return last_day(m)

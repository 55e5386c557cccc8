"""The reporting year, the date the figures are taken on, and the due dates.

- Units report "định kỳ chậm nhất là ngày 15 tháng 01 hàng năm" (Vĩnh Phúc Đ14.4;
  Lâm Đồng Đ13.9: "chậm nhất là ngày 15 tháng 01 năm sau");
- Sở Nội vụ reports to the Ministry "chậm nhất là ngày 31 tháng 01 năm sau" the year
  before's figures (Vĩnh Phúc Đ16.7).

Both are calendar dates: the regulations name a day of the month, not a number of
working days, so a 15 January that falls on a Saturday or Sunday stays the due date
(nothing moves it to the next working day; `hoso.core.calendar` is for deadlines
counted in working days). Cần Thơ (Đ13.4.b: periodic reports) and Quảng Nam (Đ11: as
Thông tư 06/2023/TT-BNV Đ16.11 says) name no day of their own, and Lai Châu's draft
none: the same two dates apply to every province until its policy file says otherwise.

The figures are those of 31 December of the reporting year, at the end of that day
(what was approved that day counts). A year that is not over yet is shown as of now,
as a preview; it can be signed and submitted only once it is over.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

# (month, day) of the next year.
UNIT_DUE = (1, 15)  # Vĩnh Phúc Đ14.4, Lâm Đồng Đ13.9
PROVINCE_DUE = (1, 31)  # Vĩnh Phúc Đ16.7
FIRST_YEAR = 2000


def unit_due(year: int) -> dt.date:
    return dt.date(year + 1, *UNIT_DUE)


def province_due(year: int) -> dt.date:
    return dt.date(year + 1, *PROVINCE_DUE)


def due_date(year: int, *, province: bool) -> dt.date:
    return province_due(year) if province else unit_due(year)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of the local day `day`."""
    start = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start - dt.timedelta(microseconds=1)


def year_over(year: int, *, now: dt.datetime | None = None) -> bool:
    return timezone.localdate(now or timezone.now()) > dt.date(year, 12, 31)


def as_of(year: int, *, now: dt.datetime | None = None) -> dt.datetime:
    """The moment the figures are taken at: the end of 31/12 of `year`, or now while
    the year runs."""
    now = now or timezone.now()
    return min(end_of_day(dt.date(year, 12, 31)), now)


def last_year(*, today: dt.date | None = None) -> int:
    """The year reported in January: the one before today's."""
    return (today or timezone.localdate()).year - 1


def check_year(year) -> int:
    """The reporting year as an int, or a DomainError naming what is allowed."""
    this_year = timezone.localdate().year
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = None
    if value is None or not FIRST_YEAR <= value <= this_year:
        raise DomainError(
            _("The reporting year must be a year from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": this_year},
            field="year", code="year",
        )
    return value


def require_year_over(year: int) -> None:
    if not year_over(year):
        raise DomainError(
            _("The year %(year)d is not over: its report is signed and submitted from "
              "01/01/%(next)d; until then the figures are a preview as of today.")
            % {"year": year, "next": year + 1},
            code="year_not_over",
        )


def on_time(submitted_at: dt.datetime, due: dt.date) -> bool:
    return timezone.localdate(submitted_at) <= due

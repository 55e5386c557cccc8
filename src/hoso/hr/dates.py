"""Month arithmetic the HR lists share: a month as one integer (year × 12 + month − 1),
adding months to a day the way a salary decision counts them (31/1 + 1 month = 28/2 or
29/2), and the first and last day of a month."""

from __future__ import annotations

import calendar
import datetime as dt


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> tuple[int, int]:
    """(year, month) of a month index."""
    year, month0 = divmod(index, 12)
    return year, month0 + 1


def first_day(index: int) -> dt.date:
    year, month = month_of(index)
    return dt.date(year, month, 1)


def last_day(index: int) -> dt.date:
    year, month = month_of(index)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day."""
    year, month = month_of(month_index(day) + months)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier): 15/3 → 14/6
    is 2, 15/3 → 15/6 is 3; a month-end start is held on the target month's last day
    (31/1 → 28/2 is one month), as `add_months` counts."""
    months = month_index(end) - month_index(start)
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months

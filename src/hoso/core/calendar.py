"""Working days: the one place that knows which days Vietnamese offices work.

DESIGN principle 5. Every deadline of the regulations counted in working days ("ngày
làm việc": Cần Thơ 641/QĐ-UBND Đ5, Lâm Đồng Đ7, Lai Châu 2.2 …) and every "last 5
working days of the month" window (Lai Châu 2.3) is computed here.

A day is off when it is
- a Saturday or a Sunday (the 40-hour week of state offices, Quyết định
  188/1999/QĐ-TTg, Điều 1);
- a public holiday of the Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), Điều 112.1:
  Tết Dương lịch 1/1; Tết Âm lịch, 5 days; Ngày Chiến thắng 30/4; Quốc tế Lao động 1/5;
  Quốc khánh 2/9 and one day before or after it; Giỗ Tổ Hùng Vương 10/3 (lunar);
- a day off in lieu: Điều 111.3 — a weekly rest day that coincides with a holiday of
  Điều 112.1 is given back on the next working day ("được nghỉ bù ngày nghỉ hằng tuần
  vào ngày làm việc kế tiếp");
- a day the government adds or swaps in a given year (Điều 112.3: "Thủ tướng Chính
  phủ quyết định cụ thể ngày nghỉ quy định tại điểm b và điểm đ khoản 1", and the
  yearly announcements of the Ministry for state offices), from `data/workdays.toml`,
  the administrator's file `settings.WORKDAY_OVERRIDES`, and the `[calendar]` table of
  the province's policy file — each of which may also turn a day into a working day
  (a make-up Saturday, or an in-lieu day the government placed elsewhere).

Which five days of Tết, and which day next to 2/9, are the Prime Minister's choice each
year (Điều 112.3). Without a decision in the data files the calendar uses the usual
arrangement: the last day of the lunar year and the first four days of the new one;
for 2/9 the neighbour that joins the weekend (the choices of 2021–2026).

The lunar dates come from `holidays`' Vietnamese lunisolar tables (1901–2100), which
differ from the Chinese calendar in some years (Tết 1985 and 2007).
"""

from __future__ import annotations

import calendar as _pycalendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from holidays.calendars.chinese import VIETNAMESE_CALENDAR, _ChineseLunisolar

from hoso.core import _toml
from hoso.core._toml import ConfigFileError

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "workdays.toml"
FIRST_YEAR, LAST_YEAR = 1901, 2100  # the range of the lunar tables
DAY_KINDS = ("working", "calendar")

_LUNAR = _ChineseLunisolar(VIETNAMESE_CALENDAR)
_ONE_DAY = dt.timedelta(days=1)

# Names of the days off (English msgids; Vietnamese in core's catalog).
NEW_YEAR = gettext_noop("New Year's Day")
TET_EVE = gettext_noop("Lunar New Year (last day of the lunar year)")
TET_DAYS = (
    gettext_noop("Lunar New Year (1st day)"),
    gettext_noop("Lunar New Year (2nd day)"),
    gettext_noop("Lunar New Year (3rd day)"),
    gettext_noop("Lunar New Year (4th day)"),
    gettext_noop("Lunar New Year (5th day)"),
)
HUNG_KINGS = gettext_noop("Hung Kings' Commemoration Day (10th day of the 3rd lunar month)")
VICTORY = gettext_noop("Reunification Day (30 April)")
LABOUR = gettext_noop("International Labour Day (1 May)")
NATIONAL = gettext_noop("National Day (2 September)")
NATIONAL_ADJACENT = gettext_noop("National Day (the day next to 2 September)")
IN_LIEU = gettext_noop("Day off in lieu of %(holiday)s, %(date)s")
# Names the shipped decision file uses.
DECISION_NAMES = (
    gettext_noop("Lunar New Year (day placed by the government)"),
    gettext_noop("Working day (the government placed the day off elsewhere)"),
    gettext_noop("Day off swapped with a make-up Saturday"),
    gettext_noop("Make-up working Saturday"),
)

# The neighbour of 2/9 by weekday (Mon=0): the one that joins the weekend.
_NATIONAL_ADJACENT = {0: 1, 1: -1, 2: -1, 3: 1, 4: -1, 5: -1, 6: 1}


class WorkdayFileError(ConfigFileError):
    """A working-day adjustment file is wrong (file, line, field, Vietnamese reason)."""


@dataclass(frozen=True)
class Adjustment:
    day: dt.date
    name: str  # an English msgid (shipped data) or the administrator's own words
    source: str  # the government document that decided it
    file: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Adjustments:
    """Days a file turns off (`days_off`) or into working days (`working_days`)."""

    days_off: tuple[Adjustment, ...] = ()
    working_days: tuple[Adjustment, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.days_off or self.working_days)


# --- the law's days ---------------------------------------------------------------


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        from hoso.core.errors import DomainError

        raise DomainError(
            _("Working days can only be computed for the years %(first)d–%(last)d "
              "(the range of the lunar calendar); %(year)d is outside it.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year},
            code="year_out_of_range",
        )


def lunar_new_year(year: int) -> dt.date:
    """The first day of the lunar year that starts in `year` (Vietnamese calendar)."""
    _check_year(year)
    return _LUNAR.lunar_new_year_date(year)[0]


def hung_kings_day(year: int) -> dt.date:
    """10th day of the 3rd lunar month in `year` (Vietnamese calendar)."""
    _check_year(year)
    return _LUNAR.hung_kings_date(year)[0]


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days of Điều 112.1 in `year` (whatever weekday they fall on), by the usual
    arrangement for the two the Prime Minister places (Tết, the day next to 2/9)."""
    tet = lunar_new_year(year)
    national = dt.date(year, 9, 2)
    days = {
        dt.date(year, 1, 1): NEW_YEAR,
        tet - dt.timedelta(days=1): TET_EVE,
        hung_kings_day(year): HUNG_KINGS,
        dt.date(year, 4, 30): VICTORY,
        dt.date(year, 5, 1): LABOUR,
        national: NATIONAL,
        national + dt.timedelta(days=_NATIONAL_ADJACENT[national.weekday()]): NATIONAL_ADJACENT,
    }
    for offset in range(4):
        days[tet + dt.timedelta(days=offset)] = TET_DAYS[offset]
    return dict(sorted(days.items()))


@lru_cache(maxsize=256)
def fixed_holidays(year: int) -> frozenset[dt.date]:
    """The holidays with a date fixed by the law itself (no government may move them):
    1/1, 10/3 lunar, 30/4, 1/5, 2/9."""
    return frozenset({dt.date(year, 1, 1), hung_kings_day(year), dt.date(year, 4, 30),
                      dt.date(year, 5, 1), dt.date(year, 9, 2)})


def _default_days_off(year: int) -> dict[dt.date, tuple[str, dict]]:
    """Holidays plus their days in lieu (Điều 111.3), before any decision file."""
    holidays = statutory_holidays(year)
    off: dict[dt.date, tuple[str, dict]] = {d: (name, {}) for d, name in holidays.items()}
    for day, name in holidays.items():
        if day.weekday() < 5:
            continue
        lieu = day + dt.timedelta(days=1)
        while lieu.weekday() >= 5 or lieu in off:
            lieu += dt.timedelta(days=1)
        off[lieu] = (IN_LIEU, {"date": day, "holiday": name})
    return off


# --- adjustment files -------------------------------------------------------------


def parse_adjustments(data, locator: _toml.Locator, *, file, prefix: tuple = (),
                      error: type[ConfigFileError] = WorkdayFileError) -> Adjustments:
    """Read a `days_off`/`working_days` table (a whole workdays file, or the
    `[calendar]` table of a policy file at `prefix`)."""

    def fail(path: tuple, message: str):
        raise error(file, locator.line(path), _toml.field_name(path), message)

    if not isinstance(data, dict):
        fail(prefix, _("must be a table with the lists “days_off” and “working_days”."))
    for key in data:
        if key not in ("days_off", "working_days"):
            fail((*prefix, key), _("unknown key; a working-day file has only the lists "
                                   "“days_off” and “working_days”."))
    seen: dict[dt.date, tuple] = {}
    out: dict[str, list[Adjustment]] = {"days_off": [], "working_days": []}
    for kind in ("days_off", "working_days"):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            fail((*prefix, kind), _("must be a list of tables: write each day as "
                                    "[[%(kind)s]] with date, name and source.") % {"kind": kind})
        for index, entry in enumerate(entries):
            here = (*prefix, kind, index)
            if not isinstance(entry, dict):
                fail(here, _("must be a table with date, name and source."))
            for key in entry:
                if key not in ("date", "name", "source"):
                    fail((*here, key), _("unknown key; a day has only date, name and source."))
            day = entry.get("date")
            if day is None:
                fail(here, _("the date is missing (write date = 2025-05-02)."))
            if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                fail((*here, "date"), _("must be a date written as YYYY-MM-DD without "
                                        "quotes, e.g. date = 2025-05-02."))
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                fail((*here, "date"), _("the year must be between %(first)d and %(last)d.")
                     % {"first": FIRST_YEAR, "last": LAST_YEAR})
            for key in ("name", "source"):
                value = entry.get(key)
                if not isinstance(value, str) or not value.strip():
                    fail((*here, key) if key in entry else here,
                         _("“%(key)s” is missing or empty: give the name of the day and the "
                           "number of the document that decided it.") % {"key": key})
            if day in seen:
                fail((*here, "date"), _("%(date)s is listed twice in this file (also at line "
                                        "%(line)s).")
                     % {"date": day.strftime("%d/%m/%Y"), "line": locator.line(seen[day])})
            seen[day] = (*here, "date")
            if kind == "working_days":
                if day in fixed_holidays(day.year):
                    fail((*here, "date"), _("%(date)s is a public holiday fixed by the Labour "
                                            "Code (Điều 112.1); it cannot be a working day.")
                         % {"date": day.strftime("%d/%m/%Y")})
                if day.weekday() < 5 and day not in _default_days_off(day.year):
                    fail((*here, "date"), _("%(date)s is a weekday that is already a working "
                                            "day; a working day here is a Saturday, a Sunday or "
                                            "a day off the government moved.")
                         % {"date": day.strftime("%d/%m/%Y")})
            out[kind].append(Adjustment(day=day, name=entry["name"].strip(),
                                        source=entry["source"].strip(), file=str(file),
                                        line=locator.line((*here, "date"))))
    return Adjustments(days_off=tuple(out["days_off"]),
                       working_days=tuple(out["working_days"]))


@lru_cache(maxsize=16)
def _load_file(path: str, mtime: float) -> Adjustments:
    data, locator = _toml.load(Path(path), WorkdayFileError)
    return parse_adjustments(data, locator, file=path)


def load_adjustments(path) -> Adjustments:
    """A workdays file (the shipped one or the administrator's), validated; cached
    until the file changes."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _load_file(str(path), mtime)


def _layers(key: tuple) -> tuple[Adjustments, ...]:
    province, _dir, overrides = key
    layers = [load_adjustments(SHIPPED_FILE)]
    if overrides:
        layers.append(load_adjustments(overrides))
    from hoso.core.policy import get_policy

    layers.append(get_policy(province).calendar)
    return tuple(layers)


# --- the year tables --------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    year: int
    off: dict  # day → (msgid, params): every day off other than a plain weekend
    weekday_off: frozenset  # Monday–Friday days that are off
    weekend_working: frozenset  # Saturdays/Sundays that are working days


# The settings the calendar and the policies depend on, read once: a lookup through
# Django's lazy settings costs more than the whole working-day test. Reset when a test
# (or anything) changes one of them.
_SETTINGS: list[tuple] = []
_WATCHED = frozenset({"PROVINCE", "POLICY_DIR", "WORKDAY_OVERRIDES"})


def settings_key() -> tuple[str, str, str]:
    """(settings.PROVINCE, settings.POLICY_DIR, settings.WORKDAY_OVERRIDES) as text."""
    if not _SETTINGS:
        _SETTINGS.append((settings.PROVINCE, str(settings.POLICY_DIR),
                          str(getattr(settings, "WORKDAY_OVERRIDES", "") or "")))
    return _SETTINGS[0]


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in _WATCHED:
        _SETTINGS.clear()


def _key(province: str | None) -> tuple:
    """The cache key of a province's calendar: its code and the files it reads (the
    `settings` fixture of the tests switches them)."""
    current = settings_key()
    if province is None or province == current[0]:
        return current
    return (province, current[1], current[2])


_YEARS: dict[tuple, _Year] = {}


def _year(year: int, key: tuple) -> _Year:
    """The year's table for a calendar key, computed once."""
    table = _YEARS.get((year, key))
    if table is None:
        table = _YEARS[(year, key)] = _compute_year(year, key)
    return table


def _compute_year(year: int, key: tuple) -> _Year:
    _check_year(year)
    off = _default_days_off(year)
    working: set[dt.date] = set()
    for layer in _layers(key):
        for adj in layer.days_off:
            if adj.day.year == year:
                off[adj.day] = (adj.name, {})
                working.discard(adj.day)
        for adj in layer.working_days:
            if adj.day.year == year:
                off.pop(adj.day, None)
                working.add(adj.day)
    return _Year(
        year=year,
        off=dict(sorted(off.items())),
        weekday_off=frozenset(d for d in off if d.weekday() < 5),
        weekend_working=frozenset(d for d in working if d.weekday() >= 5),
    )


def clear_cache() -> None:
    """Forget every computed year (after an override file was edited in place)."""
    _YEARS.clear()
    _SETTINGS.clear()
    _load_file.cache_clear()


def _working(day: dt.date, table: _Year) -> bool:
    if day.weekday() >= 5:
        return day in table.weekend_working
    return day not in table.weekday_off


# --- the public functions ----------------------------------------------------------


def is_working_day(day: dt.date, *, province: str | None = None) -> bool:
    return _working(day, _year(day.year, _key(province)))


def add_working_days(start: dt.date, n: int, *, province: str | None = None) -> dt.date:
    """The n-th working day after `start` (n > 0); `start` itself never counts. n = 0
    gives `start`; n < 0 counts backwards (the n-th working day before `start`)."""
    key = _key(province)
    delta = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    day = start
    table = _year(day.year, key)
    while remaining:
        day += delta
        if day.year != table.year:
            table = _year(day.year, key)
        if _working(day, table):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *, province: str | None = None) -> int:
    """The working days in (start, end]: after `start`, up to and including `end`;
    0 when end <= start."""
    if end <= start:
        return 0
    key = _key(province)
    count = 0
    year = start.year
    while year <= end.year:
        table = _year(year, key)
        first = max(start + _ONE_DAY, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        if first <= last:
            count += _count_working(first, last, table)
        year += 1
    return count


def _count_working(first: dt.date, last: dt.date, table: _Year) -> int:
    """Working days in [first, last] (one year) in O(holidays), not O(days)."""
    days = (last - first).days + 1
    full_weeks, rest = divmod(days, 7)
    weekdays = full_weeks * 5
    wd = first.weekday()
    for i in range(rest):
        if (wd + i) % 7 < 5:
            weekdays += 1
    weekdays -= sum(1 for d in table.weekday_off if first <= d <= last)
    weekdays += sum(1 for d in table.weekend_working if first <= d <= last)
    return weekdays


def add_days(start: dt.date, n: int, *, kind: str, province: str | None = None) -> dt.date:
    """`start` plus n days of `kind`: "working" (add_working_days) or "calendar"."""
    if kind == "working":
        return add_working_days(start, n, province=province)
    if kind == "calendar":
        return start + dt.timedelta(days=n)
    raise ValueError(f"unknown kind of day: {kind!r} (use one of {DAY_KINDS})")


def _check_window(year: int, month: int, n: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    if not 1 <= n <= 28:
        raise ValueError(f"a month-end window has 1..28 days, not {n}")


def last_days_of_month(year: int, month: int, n: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the last n calendar days of the month (Vĩnh Phúc Đ8.1,
    Quảng Nam Đ5.1, Cần Thơ Đ5.3: "05 ngày cuối tháng")."""
    _check_window(year, month, n)
    last = _pycalendar.monthrange(year, month)[1]
    return dt.date(year, month, last - n + 1), dt.date(year, month, last)


def last_working_days_of_month(year: int, month: int, n: int, *,
                               province: str | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of the month's last n working days (Lai Châu 2.3: "05
    ngày làm việc cuối cùng của tháng")."""
    _check_window(year, month, n)
    table = _year(year, _key(province))
    day = dt.date(year, month, _pycalendar.monthrange(year, month)[1])
    found: list[dt.date] = []
    while len(found) < n and day.month == month:
        if _working(day, table):
            found.append(day)
        day -= _ONE_DAY
    if len(found) < n:
        raise ValueError(f"{month:02d}/{year} has fewer than {n} working days")
    return found[-1], found[0]


def holidays_in(year: int, *, province: str | None = None) -> dict[dt.date, str]:
    """Every day off of `year` other than an ordinary weekend, with its Vietnamese
    name: the holidays (also those on a weekend), the days in lieu and the days the
    government or the province added."""
    table = _year(year, _key(province))
    out = {}
    for day, (name, params) in table.off.items():
        if params:
            params = {"date": params["date"].strftime("%d/%m/%Y"),
                      "holiday": _(params["holiday"])}
            out[day] = _(name) % params
        else:
            out[day] = _(name)
    return out


def make_up_days_in(year: int, *, province: str | None = None) -> list[dt.date]:
    """The Saturdays and Sundays that are working days in `year` (make-up days)."""
    return sorted(_year(year, _key(province)).weekend_working)

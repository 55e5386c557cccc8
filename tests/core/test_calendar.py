"""The working-day calendar (DESIGN principle 5): weekends, the Labour Code's holidays
including the lunar ones, days off in lieu, the government's yearly decisions, the
administrator's and the province's own days, month-end windows and the CLI.

Expected dates are hand-checked against published calendars and the government's
announcements cited in src/hoso/core/data/workdays.toml.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.core import calendar as cal
from hoso.core.calendar import (
    WorkdayFileError,
    add_days,
    add_working_days,
    holidays_in,
    is_working_day,
    last_days_of_month,
    last_working_days_of_month,
    working_days_between,
)
from hoso.core.errors import DomainError

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_calendar():
    cal.clear_cache()
    yield
    cal.clear_cache()


# --- lunar dates -------------------------------------------------------------------


@pytest.mark.parametrize(("year", "tet"), [
    (1985, D(1985, 1, 21)),  # Ất Sửu: Vietnam 21/1, China 20/2 (the calendars differed)
    (2007, D(2007, 2, 17)),  # Đinh Hợi: Vietnam 17/2, China 18/2
    (2024, D(2024, 2, 10)),  # Giáp Thìn
    (2025, D(2025, 1, 29)),  # Ất Tỵ
    (2026, D(2026, 2, 17)),  # Bính Ngọ
    (2027, D(2027, 2, 6)),  # Đinh Mùi
])
def test_tet_is_the_vietnamese_lunar_new_year_not_the_chinese_one(year, tet):
    assert cal.lunar_new_year(year) == tet


@pytest.mark.parametrize(("year", "day"), [
    (2024, D(2024, 4, 18)), (2025, D(2025, 4, 7)), (2026, D(2026, 4, 26)),
    (2027, D(2027, 4, 16)),
])
def test_hung_kings_day_is_the_10th_of_the_3rd_lunar_month(year, day):
    assert cal.hung_kings_day(year) == day
    assert not is_working_day(day)


def test_tet_1985_fell_in_january_in_vietnam():
    # Labour Code days are counted on the Vietnamese calendar: 20/1/1985 (the last day
    # of Giáp Tý) to 24/1/1985 were Tết; 20/2/1985 (Chinese New Year) was a Wednesday
    # like any other.
    assert not is_working_day(D(1985, 1, 21))
    assert is_working_day(D(1985, 2, 20))


# --- Tết and the other holidays --------------------------------------------------------


def test_tet_2026_is_monday_16_to_friday_20_february():
    # The last day of Ất Tỵ (29 Chạp) and mùng 1–4 of Bính Ngọ (decided 13/10/2025:
    # off 14/02–22/02 with the two weekends).
    off = [D(2026, 2, d) for d in range(14, 23)]
    assert [d for d in off if is_working_day(d)] == []
    assert is_working_day(D(2026, 2, 13))
    assert is_working_day(D(2026, 2, 23))


def test_tet_2027_without_a_decision_uses_the_usual_days_and_gives_saturday_and_sunday_back():
    # 05/02 (last day of Bính Ngọ, Friday) … 09/02 (mùng 4, Tuesday); mùng 1 and 2 fall
    # on Saturday and Sunday: days in lieu on the next working days, 10 and 11/02
    # (Bộ luật Lao động 2019, Điều 111.3).
    assert [d.day for d in (D(2027, 2, 1) + dt.timedelta(n) for n in range(14))
            if not is_working_day(d) and d.weekday() < 5] == [5, 8, 9, 10, 11]
    assert is_working_day(D(2027, 2, 12))


def test_tet_2024_follows_the_government_decision_not_the_default():
    # Thông báo 5015/TB-LĐTBXH: off Thursday 08/02 (29 Chạp) to Wednesday 14/02/2024.
    assert not is_working_day(D(2024, 2, 8))
    assert not is_working_day(D(2024, 2, 14))
    assert is_working_day(D(2024, 2, 15))
    assert is_working_day(D(2024, 2, 7))


def test_tet_2025_monday_27_january_off_and_monday_3_february_worked():
    # Thông báo 6150/TB-BLĐTBXH: 25/01–02/02/2025, five Tết days Monday–Friday.
    assert [d.day for d in (D(2025, 1, 27) + dt.timedelta(n) for n in range(5))
            if is_working_day(d)] == []
    assert is_working_day(D(2025, 2, 3))
    assert is_working_day(D(2025, 1, 24))


def test_a_holiday_on_sunday_gives_the_next_monday_off():
    # Giỗ Tổ Hùng Vương 2026 is Sunday 26/04: Monday 27/04 off, Tuesday worked.
    assert not is_working_day(D(2026, 4, 27))
    assert is_working_day(D(2026, 4, 28))
    # 1/1/2023 was a Sunday: Monday 2/1/2023 was off.
    assert not is_working_day(D(2023, 1, 2))
    assert is_working_day(D(2023, 1, 3))


def test_two_holidays_on_a_weekend_give_monday_and_tuesday_off():
    # 30/4/2022 Saturday, 1/5/2022 Sunday: off until Tuesday 3/5/2022.
    assert not is_working_day(D(2022, 5, 2))
    assert not is_working_day(D(2022, 5, 3))
    assert is_working_day(D(2022, 5, 4))


def test_national_day_on_saturday_takes_friday_as_its_neighbour_and_monday_in_lieu():
    # 2/9/2028 is a Saturday: 1/9 (Friday) is the adjacent day, 4/9 (Monday) in lieu —
    # as decided for 2/9/2023, also a Saturday.
    assert not is_working_day(D(2028, 9, 1))
    assert not is_working_day(D(2028, 9, 4))
    assert is_working_day(D(2028, 9, 5))
    assert not is_working_day(D(2023, 9, 1)) and not is_working_day(D(2023, 9, 4))


@pytest.mark.parametrize(("year", "neighbour"), [
    (2024, D(2024, 9, 3)),  # Monday 2/9 → Tuesday (decided: 31/8–3/9/2024)
    (2025, D(2025, 9, 1)),  # Tuesday 2/9 → Monday (decided: 30/8–2/9/2025)
    (2026, D(2026, 9, 1)),  # Wednesday 2/9 → Tuesday (decided: 29/8–2/9/2026)
    (2027, D(2027, 9, 3)),  # Thursday 2/9 → Friday
])
def test_the_day_next_to_national_day_joins_the_weekend(year, neighbour):
    assert not is_working_day(neighbour)
    assert not is_working_day(D(year, 9, 2))


def test_swapped_days_and_make_up_saturdays_of_the_decisions():
    # 2024: Monday 29/04 off, Saturday 04/05 worked (Công văn 2450/VPCP-KGVX).
    assert not is_working_day(D(2024, 4, 29)) and is_working_day(D(2024, 5, 4))
    # 2025: Friday 02/05 off, Saturday 26/04 worked.
    assert not is_working_day(D(2025, 5, 2)) and is_working_day(D(2025, 4, 26))
    # 2026: Friday 02/01 off, Saturday 10/01 worked (Công văn 12729/VPCP-KGVX); Monday
    # 31/08 off, Saturday 22/08 worked.
    assert not is_working_day(D(2026, 1, 2)) and is_working_day(D(2026, 1, 10))
    assert not is_working_day(D(2026, 8, 31)) and is_working_day(D(2026, 8, 22))
    # an ordinary Saturday stays off
    assert not is_working_day(D(2026, 1, 17))


def test_vietnam_cultural_day_is_not_a_legal_day_off_in_2026():
    # Nghị quyết 80-NQ/TW chose 24/11 "with the policy" of a paid day off; the Labour
    # Code (Điều 112.1) was not amended: Tuesday 24/11/2026 is a working day until an
    # administrator adds it (see the override tests below).
    assert is_working_day(D(2026, 11, 24))


def test_holidays_in_names_each_day_off_in_vietnamese():
    days = holidays_in(2026)
    assert days[D(2026, 1, 1)] == "Tết Dương lịch"
    assert days[D(2026, 2, 16)] == "Tết Nguyên đán (ngày cuối năm Âm lịch)"
    assert days[D(2026, 2, 17)] == "Tết Nguyên đán (mùng 1)"
    assert days[D(2026, 4, 26)] == "Giỗ Tổ Hùng Vương (10/3 Âm lịch)"
    assert days[D(2026, 4, 27)] == "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 Âm lịch), ngày 26/04/2026"
    assert days[D(2026, 9, 1)] == "Quốc khánh (ngày liền kề 2/9)"
    assert days[D(2026, 1, 2)] == "Ngày nghỉ hoán đổi (làm bù vào thứ Bảy)"
    # 11 days of the Labour Code + 1 in lieu + 2 swapped days; no ordinary weekend
    assert len(days) == 14
    assert D(2026, 1, 10) not in days


def test_years_outside_the_lunar_tables_are_refused_in_vietnamese():
    with pytest.raises(DomainError) as exc:
        is_working_day(D(2101, 3, 1))
    assert "1901–2100" in str(exc.value.message)


# --- counting ----------------------------------------------------------------------


def test_the_fifth_working_day_after_1_february_2027_skips_tet():
    # 2, 3, 4 February; Tết 5–11; 12 (Friday) is the 4th, Monday 15 the 5th.
    assert add_working_days(D(2027, 2, 1), 5) == D(2027, 2, 15)


def test_adding_working_days_never_counts_the_start_and_crosses_the_year():
    assert add_working_days(D(2026, 2, 16), 1) == D(2026, 2, 23)  # from inside Tết
    assert add_working_days(D(2026, 3, 6), 0) == D(2026, 3, 6)
    # 31/12 (1), New Year 1–2/1/2026 off, weekend, 5/1 (2), 6/1 (3)
    assert add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 6)
    # the make-up Saturday 10/01/2026 counts
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    # backwards: the working day before Monday 23/02/2026 is Friday 13/02
    assert add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)


def test_working_days_between_counts_after_the_start_up_to_and_including_the_end():
    assert working_days_between(D(2027, 2, 1), D(2027, 2, 26)) == 14
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 6)) == 0
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # Friday → Monday
    # 5–9/1/2026 and the make-up Saturday 10/1
    assert working_days_between(D(2025, 12, 31), D(2026, 1, 10)) == 6
    # 2026 has 365 − 104 weekend days − 13 weekdays off + 2 make-up Saturdays
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 250


def test_between_is_the_inverse_of_add():
    rng = random.Random(5)
    for _ in range(300):
        start = D(2023, 1, 1) + dt.timedelta(days=rng.randrange(365 * 5))
        n = rng.randrange(1, 70)
        end = add_working_days(start, n)
        assert is_working_day(end)
        assert working_days_between(start, end) == n


def test_add_days_counts_working_or_calendar_days():
    assert add_days(D(2026, 2, 12), 5, kind="working") == D(2026, 2, 26)
    assert add_days(D(2026, 2, 12), 5, kind="calendar") == D(2026, 2, 17)
    with pytest.raises(ValueError):
        add_days(D(2026, 2, 12), 5, kind="weeks")


# --- month-end windows ---------------------------------------------------------------


@pytest.mark.parametrize(("year", "month", "window"), [
    (2024, 2, (D(2024, 2, 25), D(2024, 2, 29))),  # leap year
    (2026, 2, (D(2026, 2, 24), D(2026, 2, 28))),
    (2026, 4, (D(2026, 4, 26), D(2026, 4, 30))),
    (2026, 12, (D(2026, 12, 27), D(2026, 12, 31))),
])
def test_last_five_days_of_a_month(year, month, window):
    # Vĩnh Phúc Đ8.1, Quảng Nam Đ5.1: "05 ngày cuối từng tháng" (calendar days)
    assert last_days_of_month(year, month, 5) == window


@pytest.mark.parametrize(("year", "month", "window"), [
    # August 2026: 29–30 weekend, 31 swapped off → Monday 24 to Friday 28
    (2026, 8, (D(2026, 8, 24), D(2026, 8, 28))),
    # January 2025: 25–31 Tết and weekend → 20 to 24
    (2025, 1, (D(2025, 1, 20), D(2025, 1, 24))),
    # April 2026: 30 Thursday is a holiday, 27 in lieu, 25–26 weekend → 22, 23, 24, 28, 29
    (2026, 4, (D(2026, 4, 22), D(2026, 4, 29))),
    # February 2026: Saturday 28 → Monday 23 to Friday 27
    (2026, 2, (D(2026, 2, 23), D(2026, 2, 27))),
])
def test_last_five_working_days_of_a_month(year, month, window):
    # Lai Châu 2.3: "05 ngày làm việc cuối của từng tháng"
    assert last_working_days_of_month(year, month, 5) == window


def test_a_window_longer_than_a_month_is_refused():
    with pytest.raises(ValueError):
        last_days_of_month(2026, 2, 29)
    with pytest.raises(ValueError):
        last_working_days_of_month(2026, 13, 5)


# --- the administrator's file and the province's days ------------------------------


def _write(tmp_path, text, name="overrides.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_administrator_adds_vietnam_cultural_day_by_file(settings, tmp_path):
    settings.WORKDAY_OVERRIDES = str(_write(tmp_path, """\
        [[days_off]]
        date = 2026-11-24
        name = "Ngày Văn hóa Việt Nam"
        source = "Luật sửa đổi Bộ luật Lao động (giả định cho bài kiểm thử)"
        """))
    assert not is_working_day(D(2026, 11, 24))
    assert holidays_in(2026)[D(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_the_shipped_decisions_apply_without_an_administrator_file(settings):
    settings.WORKDAY_OVERRIDES = ""
    assert is_working_day(D(2026, 11, 24))
    assert not is_working_day(D(2026, 8, 31))


def _province_dir(tmp_path, extra: str) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    for path in Path(settings.POLICY_DIR).glob("*.toml"):
        shutil.copy(path, folder / path.name)
    with open(folder / "can-tho.toml", "a", encoding="utf-8") as f:
        f.write(textwrap.dedent(extra))
    return folder


def test_a_province_day_off_applies_to_that_province_only(settings, tmp_path):
    settings.POLICY_DIR = _province_dir(tmp_path, """
        [[calendar.days_off]]
        date = 2026-03-10
        name = "Ngày kỷ niệm của tỉnh"
        source = "Quyết định .../QĐ-UBND (giả định cho bài kiểm thử)"
        """)
    assert not is_working_day(D(2026, 3, 10), province="can-tho")
    assert is_working_day(D(2026, 3, 10), province="lai-chau")
    settings.PROVINCE = "can-tho"
    assert not is_working_day(D(2026, 3, 10))
    assert add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)


def test_switching_the_policy_directory_switches_the_calendar(settings, tmp_path):
    assert is_working_day(D(2026, 3, 10), province="can-tho")
    settings.POLICY_DIR = _province_dir(tmp_path, """
        [[calendar.working_days]]
        date = 2026-03-14
        name = "Thứ Bảy làm bù của tỉnh"
        source = "Quyết định .../QĐ-UBND (giả định cho bài kiểm thử)"
        """)
    assert is_working_day(D(2026, 3, 14), province="can-tho")
    assert cal.make_up_days_in(2026, province="can-tho")[1] == D(2026, 3, 14)


BAD_FILES = [
    # (file text, line, field, words of the Vietnamese message)
    ("[[days_off]]\ndate = \"2026-11-24\"\nname = \"x\"\nsource = \"y\"\n", 2,
     "days_off[1].date", "YYYY-MM-DD"),
    ("[[days_off]]\ndate = 2026-11-24\nname = \"x\"\n", 1, "days_off[1]", "source"),
    ("[[days_off]]\ndate = 2026-11-24\nname = \"x\"\nsource = \"y\"\nreason = \"z\"\n", 5,
     "days_off[1].reason", "khóa không hợp lệ"),
    ("[[working_days]]\ndate = 2026-09-02\nname = \"x\"\nsource = \"y\"\n", 2,
     "working_days[1].date", "Điều 112"),
    ("[[working_days]]\ndate = 2026-03-10\nname = \"x\"\nsource = \"y\"\n", 2,
     "working_days[1].date", "đã là ngày làm việc"),
    ("[[days_off]]\ndate = 2026-11-24\nname = \"x\"\nsource = \"y\"\n\n"
     "[[days_off]]\ndate = 2026-11-24\nname = \"x\"\nsource = \"y\"\n", 7,
     "days_off[2].date", "hai lần"),
    ("[[days_off]]\ndate = 2026-11-24\nname = \"\"\nsource = \"y\"\n", 3,
     "days_off[1].name", "trống"),
    ("holidays = []\n", 1, "holidays", "khóa không hợp lệ"),
    ("[[days_off]]\ndate = 2026-11-24\nname = \"x\nsource = \"y\"\n", 3, "", "TOML"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), BAD_FILES)
def test_a_bad_override_file_names_file_line_and_field_in_vietnamese(
    settings, tmp_path, text, line, field, words
):
    path = tmp_path / "overrides.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkdayFileError) as exc:
        cal.load_adjustments(path)
    error = exc.value
    assert (error.line, error.field_path) == (line, field)
    assert words in error.reason
    assert str(path) in str(error.message) and f"dòng {line}" in str(error.message)
    settings.WORKDAY_OVERRIDES = str(path)
    with pytest.raises(WorkdayFileError):
        is_working_day(D(2026, 11, 24))


def test_a_missing_override_file_is_an_error_not_silence(settings, tmp_path):
    settings.WORKDAY_OVERRIDES = str(tmp_path / "nowhere.toml")
    with pytest.raises(WorkdayFileError) as exc:
        is_working_day(D(2026, 11, 24))
    assert "không tồn tại" in str(exc.value.message)


def test_the_shipped_decisions_each_cite_a_document():
    shipped = cal.load_adjustments(cal.SHIPPED_FILE)
    entries = shipped.days_off + shipped.working_days
    assert {e.day.year for e in entries} == {2024, 2025, 2026}
    assert all("VPCP" in e.source or "Văn phòng Chính phủ" in e.source for e in entries)
    assert all(e.day.weekday() == 5 for e in shipped.working_days if "Saturday" in e.name)


# --- the command line ----------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_cli_add_prints_the_date_alone():
    assert _run("add", "2027-02-01", "5") == "2027-02-15\n"


def test_cli_between_prints_the_count_alone():
    assert _run("between", "2027-02-01", "2027-02-26") == "14\n"


def test_cli_takes_the_province_for_its_own_days(settings, tmp_path):
    settings.POLICY_DIR = _province_dir(tmp_path, """
        [[calendar.days_off]]
        date = 2027-02-03
        name = "Ngày kỷ niệm của tỉnh"
        source = "Quyết định .../QĐ-UBND (giả định cho bài kiểm thử)"
        """)
    assert _run("add", "2027-02-01", "5", "--province", "can-tho") == "2027-02-16\n"
    assert _run("add", "2027-02-01", "5", "--province", "lai-chau") == "2027-02-15\n"
    assert _run("between", "2027-02-01", "2027-02-26", "--province", "can-tho") == "13\n"


def test_cli_holidays_lists_the_days_off_with_their_names():
    lines = _run("holidays", "2026").splitlines()
    assert ("27/04/2026  Thứ 2     Nghỉ bù Giỗ Tổ Hùng Vương (10/3 Âm lịch), ngày 26/04/2026"
            in lines)
    assert lines[0].startswith("01/01/2026") and "Tết Dương lịch" in lines[0]
    assert any(line.startswith("10/01/2026") and "làm bù" in line for line in lines)


def test_cli_refuses_a_bad_date_or_province_in_vietnamese():
    with pytest.raises(CommandError, match="không phải là ngày"):
        _run("add", "01-02-2027", "5")
    with pytest.raises(CommandError, match="không phải là số nguyên"):
        _run("add", "2027-02-01", "năm")
    with pytest.raises(CommandError, match="không có tệp chính sách cho tỉnh “ha-noi”"):
        _run("add", "2027-02-01", "5", "--province", "ha-noi")


def test_cli_accepts_dd_mm_yyyy_too():
    assert _run("add", "01/02/2027", "5") == "2027-02-15\n"
    assert "là ngày nghỉ" in _run("check", "2027-02-10")

"""Province policy files (DESIGN principle 4): the five regulations as data, validated
with Vietnamese errors naming file, line and field, checked at start-up, readable on
the command line.

The expected chains and deadlines are read off the regulations in
/work/shared/regulations/ (articles quoted next to each expectation).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from hoso.core import policy as pol
from hoso.core.checks import check_province_rules
from hoso.core.policy import (
    POLICY_CODES,
    Deadline,
    PolicyError,
    Window,
    get_policy,
    load_policy,
)
from hoso.org.models import UnitKind
from hoso.records.models import StaffCategory

D = dt.date
POLICIES = Path(settings.POLICY_DIR)


@pytest.fixture(autouse=True)
def _fresh_caches():
    pol.clear_cache()
    yield
    pol.clear_cache()


def steps_of(chain):
    return [(s.key, s.role, s.approver_unit, s.deadline, s.clock, s.signs, s.delegable)
            for s in chain.steps]


WD = "working"


# --- the five provinces ----------------------------------------------------------------


def test_the_five_provinces_are_shipped_and_valid():
    assert set(POLICY_CODES) == {p.stem for p in POLICIES.glob("*.toml")}
    for code in POLICY_CODES:
        policy = get_policy(code)
        assert policy.code == code
        assert policy.document


@pytest.mark.parametrize("code", POLICY_CODES)
def test_every_staff_category_in_every_unit_kind_has_a_chain_ending_in_a_signature(code):
    policy = get_policy(code)
    for category, kind in itertools.product(StaffCategory.values, UnitKind.values):
        chain = policy.chain_for(category, kind)
        assert chain.steps[-1].signs
        assert len({s.key for s in chain.steps}) == len(chain.steps)
        for step in chain.steps:
            assert step.source


@pytest.mark.parametrize("code", POLICY_CODES)
def test_every_label_of_a_shipped_file_is_translated(code):
    for chain in get_policy(code).chains:
        for step in chain.steps:
            assert step.label in pol.STEP_LABELS
            assert gettext(step.label) != step.label


def test_can_tho_hr_officer_head_of_hr_then_head_of_unit_signs():
    # Cần Thơ 641/QĐ-UBND Đ5.1.c–đ, Đ5.2.b–d: 5, 5 and 10 working days, each from the
    # previous step; the head of the employing agency signs.
    policy = get_policy("can-tho")
    chain = policy.chain_for("vien_chuc", "public_service")
    assert steps_of(chain) == [
        ("hr_check", "hr_officer", "agency", Deadline(5, WD), "submitted", False, False),
        ("hr_head", "hr_head", "agency", Deadline(5, WD), "previous_step", False, False),
        ("unit_head", "unit_head", "agency", Deadline(10, WD), "previous_step", True, False),
    ]
    assert [s.source for s in chain.steps] == ["Đ5.1.c, Đ5.2.b", "Đ5.1.d, Đ5.2.c",
                                               "Đ5.1.đ, Đ5.2.d"]
    # in a commune the head of the employing body is the chairman
    assert policy.chain_for("cap_xa", "commune").steps[-1].role == "chairman"
    assert policy.unit_window is None
    assert policy.province_window == Window("last_days", 5)  # Đ5.3


def test_can_tho_due_dates_hand_computed():
    # Submitted Thursday 12/02/2026: the HR check is due 5 working days later, across
    # Tết (16–20/02): 13, 23, 24, 25, 26 → Thursday 26/02/2026.
    chain = get_policy("can-tho").chain_for("cong_chuc", "department")
    hr, head, unit = chain.steps
    assert hr.deadline.due(D(2026, 2, 12), province="can-tho") == D(2026, 2, 26)
    # head of HR decides from Friday 27/02: 5 wd → Friday 06/03/2026
    assert head.deadline.due(D(2026, 2, 27), province="can-tho") == D(2026, 3, 6)
    # head of unit from 06/03: 10 wd → Friday 20/03/2026
    assert unit.deadline.due(D(2026, 3, 6), province="can-tho") == D(2026, 3, 20)


def test_quang_nam_head_of_agency_district_chairman_and_association_head():
    policy = get_policy("quang-nam")
    # Đ5.1.a: heads of provincial agencies sign, may delegate (Đ5.2)
    final = policy.chain_for("cong_chuc", "department").steps[-1]
    assert (final.role, final.approver_unit, final.delegable, final.signs) == (
        "unit_head", "agency", True, True)
    # Đ5.1.b: the district chairman for district staff and commune cadres
    for kind in ("district", "commune"):
        final = policy.chain_for("cap_xa", kind).steps[-1]
        assert (final.role, final.approver_unit, final.delegable) == (
            "chairman", "parent_district", True)
    # Đ5.1.c: association heads for their workers
    final = policy.chain_for("lao_dong", "association").steps[-1]
    assert (final.role, final.approver_unit) == ("unit_head", "association")
    # Đ5.1 window: the last 5 days of each month, for every step
    assert policy.unit_window == Window("last_days", 5)
    assert all(s.clock == "window" for c in policy.chains for s in c.steps)


def test_quang_nam_district_public_service_units_go_to_the_district_chairman():
    # Đ5.1.b covers "đơn vị sự nghiệp công lập, Hội ... cấp huyện": selected by the
    # kinds of the units above the agency (nearest first).
    policy = get_policy("quang-nam")
    under_district = policy.chain_for("vien_chuc", "public_service",
                                      ancestor_kinds=["district", "province"])
    assert under_district.steps[-1].role == "chairman"
    assert under_district.steps[-1].approver_unit == "parent_district"
    provincial = policy.chain_for("vien_chuc", "public_service",
                                  ancestor_kinds=["department", "province"])
    assert provincial.steps[-1].role == "unit_head"
    # without the ancestors: the province-wide rule
    assert policy.chain_for("vien_chuc", "public_service").steps[-1].role == "unit_head"


def test_vinh_phuc_unit_approver_in_the_last_five_days():
    # Đ8.1: "Trong vòng 05 ngày cuối từng tháng, người có thẩm quyền hoặc được ủy quyền"
    policy = get_policy("vinh-phuc")
    chain = policy.chain_for("cong_chuc", "department")
    assert steps_of(chain) == [
        ("hr_check", "hr_officer", "agency", None, "window", False, False),  # Đ15.3
        ("unit_head", "unit_head", "agency", None, "window", True, True),
    ]
    window = policy.unit_window
    assert window == Window("last_days", 5)
    assert window.contains(D(2026, 2, 24), province="vinh-phuc")
    assert not window.contains(D(2026, 2, 23), province="vinh-phuc")
    assert window.next_end(D(2026, 2, 3), province="vinh-phuc") == D(2026, 2, 28)
    assert window.next_end(D(2026, 12, 31), province="vinh-phuc") == D(2026, 12, 31)
    assert policy.deadlines == {
        "update": Deadline(15, WD),  # Đ7.3
        "move_within_unit": Deadline(10, WD),  # Đ11.1.b
        "move_within_province": Deadline(10, WD),  # Đ11.1.c
    }
    assert policy.province_window is None  # Đ8.2, Đ13: monthly, no window given


def test_lai_chau_last_five_working_days():
    # 2.3: "Trong vòng 05 ngày làm việc cuối của từng tháng" — units and Sở Nội vụ
    policy = get_policy("lai-chau")
    window = policy.unit_window
    assert window == Window("last_working_days", 5) == policy.province_window
    # August 2026: 31 is a swapped day off → Monday 24 to Friday 28
    assert window.bounds(2026, 8, province="lai-chau") == (D(2026, 8, 24), D(2026, 8, 28))
    # Saturday 29/08 is past August's window: the next one ends Wednesday 30/09
    assert window.next_end(D(2026, 8, 29), province="lai-chau") == D(2026, 9, 30)
    final = policy.chain_for("vien_chuc", "public_service").steps[-1]
    assert (final.role, final.delegable, final.clock) == ("unit_head", True, "window")
    assert policy.deadlines["self_entry"] == Deadline(5, WD)
    assert policy.deadlines["update"] == Deadline(15, WD)


def test_lam_dong_head_or_commune_chairman_within_ten_working_days_of_the_signature():
    # Đ7.3: "Trong thời hạn 10 ngày làm việc, kể từ ngày ... ký số ..., người đứng đầu cơ
    # quan, đơn vị trực thuộc UBND tỉnh, Chủ tịch UBND cấp xã ... phê duyệt hoặc ủy quyền"
    policy = get_policy("lam-dong")
    final = policy.chain_for("cong_chuc", "commune").steps[-1]
    assert (final.role, final.approver_unit, final.deadline, final.clock, final.delegable) == (
        "chairman", "agency", Deadline(10, WD), "submitted", True)
    final = policy.chain_for("vien_chuc", "department").steps[-1]
    assert final.role == "unit_head"
    under = policy.chain_for("vien_chuc", "public_service", ancestor_kinds=["commune"])
    assert (under.steps[-1].role, under.steps[-1].approver_unit) == (
        "chairman", "parent_district")
    assert policy.unit_window is None
    assert policy.province_window == Window("last_days", 5)  # Đ7.4


@pytest.mark.parametrize(("code", "expected"), [
    ("vinh-phuc", {"update": 15, "move_within_unit": 10, "move_within_province": 10}),
    ("can-tho", {"account_creation": 5, "self_entry": 5, "update": 5, "move_within_unit": 15,
                 "move_within_province": 30, "status_change": 10, "national_transfer": 10}),
    ("quang-nam", {"move_within_unit": 1, "move_within_province": 1}),
    ("lai-chau", {"self_entry": 5, "update": 15, "move_within_unit": 5,
                  "move_within_province": 5, "status_change": 10, "national_transfer": 10}),
    ("lam-dong", {"account_creation": 3, "self_entry": 5, "move_within_unit": 3,
                  "move_within_province": 5, "status_change": 3}),
])
def test_deadlines_of_each_regulation_in_working_days(code, expected):
    deadlines = get_policy(code).deadlines
    assert {k: d.days for k, d in deadlines.items()} == expected
    assert all(d.kind == WD and d.source for d in deadlines.values())


def test_backups_monthly_for_three_months_where_the_regulation_says_so():
    assert get_policy("can-tho").backup.keep_months == 3  # Đ8.1
    assert get_policy("lai-chau").backup.every_months == 1  # 2.8
    assert get_policy("vinh-phuc").backup is None  # Đ11.2: "định kỳ", no interval


# --- get_policy: settings and cache ------------------------------------------------------


def test_get_policy_follows_settings_province(settings):
    settings.PROVINCE = "lam-dong"
    assert get_policy().code == "lam-dong"
    settings.PROVINCE = "can-tho"
    assert get_policy().code == "can-tho"
    assert get_policy() is get_policy("can-tho")


def test_get_policy_reads_the_configured_directory(settings, tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    text = (POLICIES / "lai-chau.toml").read_text(encoding="utf-8")
    (folder / "lai-chau.toml").write_text(text.replace('name = "Lai Châu"',
                                                       'name = "Lai Châu (thử)"'),
                                          encoding="utf-8")
    assert get_policy("lai-chau").name == "Lai Châu"
    settings.POLICY_DIR = folder
    assert get_policy("lai-chau").name == "Lai Châu (thử)"


def test_an_unknown_province_names_the_available_ones():
    with pytest.raises(PolicyError) as exc:
        get_policy("ha-noi")
    message = str(exc.value.message)
    assert "không có tệp chính sách cho tỉnh “ha-noi”" in message
    assert "can-tho, lai-chau, lam-dong, quang-nam, vinh-phuc" in message
    with pytest.raises(PolicyError, match="không phải là mã tỉnh"):
        get_policy("../etc/passwd")


def test_chain_for_an_unknown_combination_raises_policy_error():
    with pytest.raises(PolicyError, match="không có quy trình duyệt"):
        get_policy("can-tho").chain_for("astronaut", "department")


# --- validation ------------------------------------------------------------------------

BASE = (POLICIES / "can-tho.toml").read_text(encoding="utf-8")


def _bad(old: str, new: str, *, count: int = 1) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, count)


BAD_POLICIES = [
    # (mutated text, marker on the expected line, field, words of the message)
    (_bad('role = "hr_head"', 'role = "hr_boss"'), 'role = "hr_boss"',
     "chains[1].steps[2].role", "vai trò “hr_boss” không hợp lệ"),
    (_bad('unit_kinds = ["district", "commune"]', 'unit_kinds = ["district", "hamlet"]'),
     '"hamlet"', "chains[2].unit_kinds", "loại đơn vị “hamlet”"),
    (_bad('categories = ["*"]', 'categories = ["can_bo", "monk"]'), '"monk"',
     "chains[1].categories", "đối tượng “monk”"),
    (_bad('key = "hr_head"', 'key = "hr_check"'), 'key = "hr_check"\nrole = "hr_head"',
     "chains[1].steps[2].key", "bị lặp"),
    (_bad("deadline = { days = 10, kind", "deadline = { days = -10, kind"), "days = -10",
     "chains[1].steps[3].deadline.days", "phải lớn hơn 0"),
    (_bad("days = 5\nkind = \"working\"\nsource = \"Đ5.1.b\"",
          "days = 0\nkind = \"working\"\nsource = \"Đ5.1.b\""), "days = 0",
     "deadlines.self_entry.days", "phải lớn hơn 0"),
    (_bad('deadline = { days = 5, kind = "working" }\nclock = "previous_step"',
          'deadline = { days = 5, kind = "weeks" }\nclock = "previous_step"'),
     'kind = "weeks"', "chains[1].steps[2].deadline.kind", "loại ngày “weeks”"),
    (_bad("[deadlines.update]\ndays = 5\nkind = \"working\"",
          "[deadlines.update]\ndays = 5\nkind = \"fortnights\""), 'kind = "fortnights"',
     "deadlines.update.kind", "loại ngày “fortnights”"),
    (_bad('unit_kinds = ["district", "commune"]', 'unit_kinds = ["district"]'),
     "[[chains]]", "chains", "chưa có quy trình duyệt cho can_bo × commune"),
    (_bad("kind = \"last_days\"\ndays = 5", "kind = \"last_days\"\ndays = 40"), "days = 40",
     "windows.province.days", "không được lớn hơn 28"),
    (_bad("kind = \"last_days\"", "kind = \"first_days\""), 'kind = "first_days"',
     "windows.province.kind", "loại đợt phê duyệt “first_days”"),
    (_bad('clock = "submitted"', 'clock = "previous_step"'), 'clock = "previous_step"',
     "chains[1].steps[1].clock", "bước đầu tiên"),
    (_bad('clock = "submitted"', 'clock = "window"'), 'clock = "window"',
     "chains[1].steps[1].clock", "[windows.unit]"),
    (_bad("signs = true", "signs = false"), "signs = false\ndelegable = false\n"
     "source = \"Đ5.1.đ", "chains[1].steps[3].signs", "signs = true"),
    (_bad('unit_kinds = ["district", "commune"]',
          'unit_kinds = ["district", "commune", "department"]'),
     '[[chains]]\nkey = "people_committees"', "chains[2]",
     "đã có quy trình duyệt (quy trình thứ 1)"),
    (_bad('code = "can-tho"', 'code = "can-thoo"'), 'code = "can-thoo"', "code",
     "phải trùng với tên tệp"),
    (_bad("[backup]", "[backups]"), "[backups]", "backups", "khóa không hợp lệ"),
    (_bad('approver_unit = "agency"', 'approver_unit = "ministry"'), '"ministry"',
     "chains[1].steps[1].approver_unit", "đơn vị của người duyệt “ministry”"),
    (_bad("delegable = false", "delegable = \"no\""), 'delegable = "no"',
     "chains[1].steps[1].delegable", "true hoặc false"),
    (_bad('source = "Đ5.1.c, Đ5.2.b"', 'source = ""'), 'source = ""',
     "chains[1].steps[1].source", "không rỗng"),
    (_bad('key = "people_committees"', 'key = "agencies"'), 'key = "agencies"\n'
     'categories = ["*"]\nunit_kinds = ["district"', "chains[2].key", "đã được dùng"),
    (_bad("[[chains.steps]]\nkey = \"hr_check\"", "[[chains.steps]]\nkey = \"HR check\""),
     'key = "HR check"', "chains[1].steps[1].key", "chữ thường"),
    (_bad("days = 5\nkind", "days = 5\nkind", count=1) + "\n[calendar]\n[[calendar.working_days]]"
     "\ndate = 2026-09-02\nname = \"x\"\nsource = \"y\"\n", "date = 2026-09-02",
     "calendar.working_days[1].date", "Điều 112"),
    (_bad('name = "Cần Thơ"', 'name = "Cần Thơ'), 'name = "Cần Thơ', "", "TOML"),
]


@pytest.mark.parametrize(("text", "marker", "field", "words"), BAD_POLICIES,
                         ids=[b[2] or "syntax" for b in BAD_POLICIES])
def test_a_bad_policy_file_names_file_line_and_field_in_vietnamese(
    tmp_path, text, marker, field, words
):
    path = tmp_path / "can-tho.toml"
    path.write_text(text, encoding="utf-8")
    expected_line = text[: text.index(marker)].count("\n") + 1
    with pytest.raises(PolicyError) as exc:
        load_policy(path)
    error = exc.value
    assert (error.line, error.field_path) == (expected_line, field), error.message
    assert words in error.reason
    message = str(error.message)
    assert message.startswith(f"{path}, dòng {expected_line}")


def test_a_missing_file_is_reported_in_vietnamese(tmp_path):
    with pytest.raises(PolicyError, match="tệp không tồn tại"):
        load_policy(tmp_path / "nowhere.toml")


def test_a_new_province_is_a_new_file(settings, tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    text = BASE.replace('code = "can-tho"', 'code = "hau-giang"').replace(
        'name = "Cần Thơ"', 'name = "Hậu Giang"')
    (folder / "hau-giang.toml").write_text(text, encoding="utf-8")
    settings.POLICY_DIR = folder
    settings.PROVINCE = "hau-giang"
    assert get_policy().name == "Hậu Giang"
    assert check_province_rules() == []


# --- start-up check ----------------------------------------------------------------------


def test_the_startup_check_passes_for_each_shipped_province(settings):
    for code in POLICY_CODES:
        settings.PROVINCE = code
        assert check_province_rules() == []


def test_the_startup_check_reports_a_broken_province_file(settings, tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    (folder / "can-tho.toml").write_text(BAD_POLICIES[0][0], encoding="utf-8")
    settings.POLICY_DIR = folder
    settings.PROVINCE = "can-tho"
    [error] = check_province_rules()
    assert error.id == "hoso.E201"
    assert "vai trò “hr_boss” không hợp lệ" in error.msg and "dòng" in error.msg
    settings.PROVINCE = "nowhere"
    [error] = check_province_rules()
    assert error.id == "hoso.E201" and "nowhere" in error.msg


def test_the_startup_check_reports_a_broken_override_file(settings, tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text("[[days_off]]\ndate = 2026-11-24\n", encoding="utf-8")
    settings.WORKDAY_OVERRIDES = str(path)
    [error] = check_province_rules()
    assert error.id == "hoso.E202" and "thiếu hoặc để trống “name”" in error.msg


# --- command line ------------------------------------------------------------------------


def test_policy_check_validates_every_shipped_file():
    out = io.StringIO()
    call_command("policy", "check", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 5
    assert all("hợp lệ" in line for line in lines)


def test_policy_check_reports_each_bad_file_and_fails(tmp_path):
    bad = tmp_path / "can-tho.toml"
    bad.write_text(BAD_POLICIES[0][0], encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 trong 2 tệp chính sách có lỗi"):
        call_command("policy", "check", str(bad), str(POLICIES / "lai-chau.toml"),
                     stdout=out, stderr=err)
    assert "vai trò “hr_boss” không hợp lệ" in err.getvalue()
    assert "lai-chau.toml: hợp lệ" in out.getvalue()


def test_policy_show_summarises_chains_and_deadlines_in_vietnamese():
    out = io.StringIO()
    call_command("policy", "show", "can-tho", stdout=out)
    text = out.getvalue()
    assert text.startswith("Cần Thơ (can-tho)\nVăn bản: Quyết định 641/QĐ-UBND")
    assert ("1. Công chức tổ chức cán bộ rà soát, kiểm tra — Cán bộ tổ chức @ cơ quan "
            "quản lý người đó; 5 ngày làm việc kể từ ngày gửi duyệt (Đ5.1.c, Đ5.2.b)") in text
    assert "Điều chuyển hồ sơ sang đơn vị khác trong tỉnh: 30 ngày làm việc (Đ6.2)" in text
    assert "Đợt phê duyệt của tỉnh: 5 ngày cuối mỗi tháng (Đ5.3)" in text


def test_policy_show_defaults_to_the_configured_province(settings):
    settings.PROVINCE = "lai-chau"
    out = io.StringIO()
    call_command("policy", "show", stdout=out)
    assert out.getvalue().startswith("Lai Châu (lai-chau)")
    assert "5 ngày làm việc cuối mỗi tháng (2.3)" in out.getvalue()

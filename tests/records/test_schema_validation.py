"""`validate`: every rule with a document that breaks it and one that keeps it. The
messages are Vietnamese, name the field (and the row of a table) and say what is right."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import translation

from hoso.catalogs import selectors as catalogs
from hoso.records.schema import completeness, get_schema, validate
from hoso.records.schema.samples import sample_document
from hoso.records.validators import sex_century_digit
from tests.factories import OrgUnitFactory

TODAY = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def unit():
    return OrgUnitFactory()


@pytest.fixture
def doc(unit):
    return sample_document("cong_chuc", unit_code=unit.code, rows=1, today=TODAY)


def issues(document, category="cong_chuc", **kw):
    kw.setdefault("on", TODAY)
    return {i.path: i.message for i in validate(document, category=category, **kw)}


def id_number(birth: dt.date, sex: str) -> str:
    return f"026{sex_century_digit(sex, birth.year)}{birth.year % 100:02d}000123"


@pytest.mark.parametrize("category", ["can_bo", "cong_chuc", "vien_chuc", "cap_xa", "lao_dong"])
def test_a_full_document_of_every_category_is_valid(category, unit):
    document = sample_document(category, unit_code=unit.code, rows=3, today=TODAY)
    assert validate(document, category=category, on=TODAY) == []
    filled = completeness(document, category=category)
    assert filled.missing == [] and filled.filled == filled.required > 10


def test_unknown_keys_are_an_error(doc):
    found = issues({**doc, "nickname": "Lan"})
    assert "nickname" in found and "không phải là trường" in found["nickname"]
    row = {**doc["training"][0], "grade": "giỏi"}
    found = issues({**doc, "training": [row]})
    assert "không phải là cột" in found["training.0.grade"]


def test_empty_values_must_be_left_out(doc):
    found = issues({**doc, "other_names": "", "languages": []})
    assert "“Tên gọi khác” đang rỗng" in found["other_names"]
    assert "languages" in found


def test_required_fields_depend_on_the_staff_category(doc):
    without_rank = {k: v for k, v in doc.items() if k not in ("rank_code", "salary_step",
                                                                "salary_coefficient")}
    found = issues(without_rank)
    assert found["rank_code"].startswith("“Ngạch công chức/chức danh nghề nghiệp viên chức” là "
                                         "thông tin bắt buộc đối với Công chức")
    assert "rank_code" not in issues(without_rank, category="can_bo")
    assert issues(without_rank, check_required=False) == {}
    without_history = {k: v for k, v in doc.items() if k != "work_history"}
    assert "phải có ít nhất một dòng" in issues(without_history)["work_history"]


def test_required_columns_of_a_table_row(doc):
    row = {k: v for k, v in doc["training"][0].items() if k != "institution"}
    found = issues({**doc, "training": [doc["training"][0], row]})
    assert found["training.1.institution"] == (
        "“Đào tạo, bồi dưỡng về chuyên môn, nghiệp vụ, lý luận chính trị, ngoại ngữ, tin học”, "
        "dòng 2, “Tên trường” phải được khai ở mọi dòng."
    )


@pytest.mark.parametrize(
    ("key", "bad", "good", "says"),
    [
        ("full_name", 12, "Trần Văn Nam", "phải là văn bản"),
        ("full_name", "x" * 151, "Trần Văn Nam", "tối đa 150 ký tự"),
        ("birth_date", "17/05/1985", "1985", "ngày/tháng/năm"),
        ("birth_date", "1985-02-30", "1985-02", "ngày/tháng/năm"),
        ("recruitment_date", "2008-09", "2008-09-01", "YYYY-MM-DD"),
        ("salary_step", "3", 3, "số nguyên"),
        ("salary_step", 0, 3, "từ 1 đến 16"),
        ("height_cm", 300, 160, "từ 100 đến 230"),
        ("position_allowance", "0.305", "0.3", "tối đa 2 chữ số thập phân"),
        ("position_allowance", 0.3, "0.30", "chuỗi"),
        ("declaration", "yes", True, "có hoặc không"),
        ("sex", "nam", "female", "không thuộc các lựa chọn"),
        ("highest_award_year", 85, 2016, "bốn chữ số"),
        ("email", "lan@", "lan@sonoivu.gov.vn", "email hợp lệ"),
        ("phone", "091 234 5678", "+84912345678", "số điện thoại"),
        ("phone", "12345", "0211386200", "số điện thoại"),
        ("social_insurance_number", "12345678", "0123456789", "gồm đúng 10 chữ số"),
        ("legacy_id_number", "12345", "123456789", "gồm 9 hoặc 12 chữ số"),
        ("war_invalid_grade", "5/4", "1/4", "từ 1/4 đến 4/4"),
        ("managing_unit", "Sở Nội vụ", None, "mã định danh điện tử"),
        ("current_address", {"street": "x"}, {"text": "Số 1 đường Kim Ngọc"}, "tỉnh, xã"),
        ("current_address", "Số 1", {"text": "Số 1 đường Kim Ngọc"}, "tỉnh, xã"),
        ("photo", "anh.jpg", 17, "tài liệu đã tải lên"),
    ],
)
def test_types_and_formats(doc, key, bad, good, says):
    found = issues({**doc, key: bad})
    assert key in found and says in found[key], found
    label = str(get_schema("cong_chuc").field(key).label)
    assert found[key].startswith(f"“{label}”")
    if good is not None:
        assert key not in issues({**doc, key: good})


def test_the_document_must_be_an_object():
    assert issues(["not", "a", "document"]) == {
        "": "Hồ sơ phải là một tập các trường (đối tượng JSON)."}


def test_codes_must_exist_in_their_list(doc):
    found = issues({**doc, "ethnicity": "99"})
    assert "“Dân tộc”: “99” không phải là mã của danh mục “ethnicities”" in found["ethnicity"]
    assert "ethnicity" not in issues({**doc, "ethnicity": "02"})


def test_codes_must_be_in_force_on_the_date_they_are_used(doc):
    # "Hoàn thành nhiệm vụ" (ht) is a grade of Nghị định 90/2020/NĐ-CP (from 1/7/2020).
    assert catalogs.code_valid("evaluation_grades", "ht", dt.date(2021, 12, 31))
    old = {**doc, "evaluations": [{"year": 2015, "grade": "ht"}]}
    found = issues(old)
    assert "có hiệu lực vào ngày 31/12/2015" in found["evaluations.0.grade"]
    assert "dòng 1" in found["evaluations.0.grade"]
    assert issues({**doc, "evaluations": [{"year": 2021, "grade": "ht"}]}) == {}


def test_a_viên_chức_rank_is_a_professional_title(unit):
    document = sample_document("vien_chuc", unit_code=unit.code, rows=1, today=TODAY)
    assert catalogs.rank_info(document["rank_code"]).kind == "title"
    assert issues(document, "vien_chuc") == {}
    found = issues({**document, "rank_code": "01.003"}, "vien_chuc")
    assert "titles" in found["rank_code"]


def test_places_accept_units_before_and_after_the_2025_reorganisation(doc):
    old = [c for c, _l in catalogs.choices("provinces", dt.date(2024, 1, 1))
           if not catalogs.code_valid("provinces", c, TODAY)]
    new = [c for c, _l in catalogs.choices("provinces", TODAY)]
    assert old and new
    assert issues({**doc, "birth_place": {"province": old[0]}}) == {}
    assert issues({**doc, "birth_place": {"province": new[0], "text": "Xã Tam Hồng"}}) == {}
    found = issues({**doc, "birth_place": {"province": "999"}})
    assert "không phải là mã tỉnh, thành phố" in found["birth_place.province"]


def test_units_must_exist(doc):
    found = issues({**doc, "employing_unit": "999.99.99.H99"})
    assert "không có cơ quan, đơn vị nào mang mã “999.99.99.H99”" in found["employing_unit"]


def test_id_number_agrees_with_birth_date_and_sex(doc):
    birth = dt.date.fromisoformat(doc["birth_date"])
    assert issues({**doc, "id_number": id_number(birth, "female")}) == {}
    found = issues({**doc, "id_number": id_number(birth, "male")})
    assert "“Số định danh cá nhân/CCCD”" in found["id_number"]
    assert "Chữ số thứ 4" in found["id_number"]
    other_year = id_number(birth.replace(year=birth.year + 1), "female")
    assert "id_number" in issues({**doc, "id_number": other_year})
    assert "12 chữ số" in issues({**doc, "id_number": "12345"})["id_number"]
    # A birth date without day and month still fixes the year and the century.
    assert issues({**doc, "birth_date": str(birth.year)}) == {}


def test_recruitment_is_at_18_or_older(doc):
    document = {**doc, "birth_date": "1990-06-15",
                "id_number": id_number(dt.date(1990, 6, 15), "female")}
    found = issues({**document, "recruitment_date": "2008-06-14"})
    assert found["recruitment_date"] == (
        "“Ngày tuyển dụng” (14/06/2008) phải từ ngày đủ 18 tuổi (15/06/2008) trở đi: "
        "người được tuyển dụng phải đủ 18 tuổi trở lên."
    )
    assert "recruitment_date" not in issues({**document, "recruitment_date": "2008-06-15"})
    # Only a year of birth: 18 counts from 1 January of that year.
    year_only = {**document, "birth_date": "1990"}
    assert "recruitment_date" not in issues({**year_only, "recruitment_date": "2008-01-01"})
    assert "recruitment_date" in issues({**year_only, "recruitment_date": "2007-12-31"})


@pytest.mark.parametrize(
    ("earlier", "later", "bad_later"),
    [
        ("recruitment_date", "current_unit_date", "2008-08-31"),
        ("recruitment_date", "salary_since", "2008-01-01"),
        ("party_join_date", "party_official_date", "2010-05-18"),
        ("military_enlist_date", "military_discharge_date", "2003-08-01"),
    ],
)
def test_dates_in_order(doc, earlier, later, bad_later):
    found = issues({**doc, later: bad_later})
    schema = get_schema("cong_chuc")
    assert found[later].startswith(f"“{schema.field(later).label}”")
    assert f"không được trước “{schema.field(earlier).label}”" in found[later]
    assert later not in issues({**doc, later: doc[earlier]})


def test_table_rows_run_from_before_to(doc):
    row = {**doc["work_history"][0], "from": "2015-06", "to": "2014-12"}
    found = issues({**doc, "work_history": [doc["work_history"][0], row]})
    assert found["work_history.1.to"] == (
        "“Tóm tắt quá trình công tác”, dòng 2: “Đến tháng, năm” (12/2014) không được trước "
        "“Từ tháng, năm” (06/2015)."
    )
    same_month = {**row, "to": "2015-06"}
    assert issues({**doc, "work_history": [same_month]}) == {}


def test_nothing_lies_in_the_future_unless_the_form_says_so(doc):
    found = issues({**doc, "current_unit_date": "2025-10-02"})
    assert "là ngày trong tương lai; phải từ ngày 01/10/2025 trở về trước" in found[
        "current_unit_date"]
    row = {**doc["training"][0], "to": "2026-01"}
    assert "training.0.to" in issues({**doc, "training": [row]})
    assert "next_raise_date" not in issues({**doc, "next_raise_date": "2027-07-01"})
    assert issues({**doc, "current_unit_date": "2025-10-01"}) == {}


def test_dates_before_birth_are_an_error_but_relatives_may_be_older(doc):
    found = issues({**doc, "party_join_date": "1980-01-01",
                    "party_official_date": "1981-01-01"})
    assert "trước ngày sinh (17/05/1985)" in found["party_join_date"]
    relative = {**doc["family_own"][0], "birth_year": 1950, "death_year": 1980}
    assert issues({**doc, "family_own": [relative]}) == {}
    dead_before_born = {**relative, "death_year": 1940}
    assert "family_own.0.death_year" in issues({**doc, "family_own": [dead_before_born]})


def test_salary_coefficient_matches_the_group_and_step(doc):
    info = catalogs.rank_info(doc["rank_code"])
    right = catalogs.salary_coefficient(info.salary_group, 4, dt.date(2022, 7, 1))
    document = {**doc, "salary_step": 4, "salary_coefficient": str(right)}
    assert issues(document) == {}
    found = issues({**document, "salary_coefficient": "9.99"})
    assert found["salary_coefficient"].startswith(
        f"“Hệ số lương” phải là {str(right).replace('.', ',')} đối với {info.name} bậc 4")
    steps = catalogs.salary_steps(info.salary_group)
    found = issues({**document, "salary_step": steps + 1})
    assert f"không có bậc {steps + 1}" in found["salary_step"]


def test_salary_history_rows_are_checked_too(doc):
    row = {**doc["salary_history"][0], "salary_coefficient": "9.99"}
    found = issues({**doc, "salary_history": [row]})
    assert "dòng 1" in found["salary_history.0.salary_coefficient"]


def test_completeness_lists_the_empty_required_fields(doc):
    partial = {k: v for k, v in doc.items() if k not in ("ethnicity", "work_history")}
    result = completeness(partial, category="cong_chuc")
    assert {f.key for f in result.missing} == {"ethnicity", "work_history"}
    assert result.filled == result.required - 2 and 0 < result.percent < 100


def test_a_full_document_with_20_rows_per_table_validates_in_a_few_ms(unit):
    document = sample_document("cong_chuc", unit_code=unit.code, rows=20, today=TODAY)
    assert sum(len(v) for v in document.values() if isinstance(v, list)) == 20 * 12
    assert validate(document, category="cong_chuc", on=TODAY) == []  # warm the caches
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        validate(document, category="cong_chuc", on=TODAY)
    per_call = (time.perf_counter() - start) / runs
    # A few ms on a laptop; the bound leaves room for a loaded CI machine.
    assert per_call < 0.05, f"{per_call * 1000:.1f} ms"

"""A province extends the form with data (issue 4): YAML files in HOSO_SCHEMA_EXTENSIONS
add fields, tables and sections and make fields required; mistakes are reported at
start-up in Vietnamese by the system check."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core import checks
from django.utils import translation

from hoso.records.schema import SchemaError, get_schema, json_schema, validate
from hoso.records.schema.checks import check_schema
from hoso.records.schema.samples import sample_document
from tests.factories import OrgUnitFactory

EXAMPLE = (Path(__file__).resolve().parents[2] / "src" / "hoso" / "records" / "schema"
           / "extensions" / "example.yaml")
TODAY = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def ext_dir(tmp_path, settings):
    settings.SCHEMA_EXTENSIONS = str(tmp_path)
    yield tmp_path
    settings.SCHEMA_EXTENSIONS = ""


def test_the_example_extension_adds_fields_a_section_and_required_ness(ext_dir):
    shutil.copy(EXAMPLE, ext_dir / "example.yaml")
    schema = get_schema("cong_chuc")
    assert schema.extensions == ("vi-du-tinh",) and schema.version.endswith("+vi-du-tinh")
    assert schema.field("vp_zalo").section == "personal"
    keys = [s.key for s in schema.sections]
    assert keys[keys.index("qualifications") + 1] == "vp_local"
    assert str(schema.section("vp_local").label) == "Thông tin riêng của tỉnh"
    assert str(schema.field("vp_projects").column("role").choice_label("lead")) == "Chủ nhiệm"
    assert "cong_chuc" in schema.field("phone").required_for
    assert "can_bo" not in schema.field("phone").required_for
    # The contract form is not extended by a file for the CV.
    assert "vp_zalo" not in get_schema("lao_dong")
    assert "vp_projects" in json_schema("cong_chuc")["properties"]
    assert check_schema() == []


def test_extended_fields_are_validated_like_the_others(ext_dir):
    shutil.copy(EXAMPLE, ext_dir / "example.yaml")
    unit = OrgUnitFactory()
    document = sample_document("cong_chuc", unit_code=unit.code, rows=1, today=TODAY)
    assert {"vp_zalo", "vp_projects", "phone"} <= set(document)
    assert validate(document, category="cong_chuc", on=TODAY) == []
    bad = {**document, "vp_zalo": "abc", "vp_projects": [{"name": "Đề án 06", "role": "x"}]}
    found = {i.path: i.message for i in validate(bad, category="cong_chuc", on=TODAY)}
    assert found["vp_zalo"].startswith("“Số Zalo” phải là số điện thoại")
    assert "“Năm” phải được khai ở mọi dòng" in found["vp_projects.0.year"]
    assert "không thuộc các lựa chọn" in found["vp_projects.0.role"]
    without_phone = {k: v for k, v in document.items() if k != "phone"}
    found = {i.path: i.message for i in validate(without_phone, category="cong_chuc",
                                                  on=TODAY)}
    assert "“Số điện thoại” là thông tin bắt buộc" in found["phone"]


BAD = """
forms: [cv]
sections:
  - key: personal
    fields:
      - {key: full_name, label_vi: Trùng khóa, type: text}
      - {key: nick, label_vi: Biệt danh, type: txt}
      - {key: club, label_vi: Câu lạc bộ, type: code, code_list: clubs}
  - key: hobbies
    fields:
      - {key: hobby, label_vi: Sở thích, type: text}
required:
  no_such_field: all
"""


def test_a_wrong_extension_is_reported_at_start_up_in_vietnamese(ext_dir):
    (ext_dir / "bad.yaml").write_text(BAD, encoding="utf-8")
    messages = [e.msg for e in check_schema()]
    text = "\n".join(messages)
    assert "bad.yaml: mục “personal”, trường “full_name”: khóa “full_name” bị trùng" in text
    assert "kiểu dữ liệu “txt” không xác định" in text
    assert "danh mục “clubs” không xác định" in text
    assert "bad.yaml: mục “hobbies”: mục không xác định" in text
    assert "bắt buộc “no_such_field”: không có trường nào của mẫu mang khóa này" in text
    assert all(e.id == "hoso.E101" for e in check_schema())
    with pytest.raises(SchemaError):
        get_schema("cong_chuc")
    # The check is registered by the app's ready(), so it runs at every start-up.
    assert check_schema in checks.registry.registry.get_checks()


def test_an_unreadable_extension_or_a_missing_directory_is_reported(ext_dir, settings):
    (ext_dir / "broken.yaml").write_text("sections: [\n", encoding="utf-8")
    assert "broken.yaml: không đọc được dưới dạng YAML" in check_schema()[0].msg
    settings.SCHEMA_EXTENSIONS = str(ext_dir / "missing")
    assert "không tồn tại" in check_schema()[0].msg


def test_the_shipped_forms_pass_the_check():
    assert check_schema() == []

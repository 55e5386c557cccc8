"""The profile schema's definitions: every item of the CV form is in it, every label is
Vietnamese, access levels mark what must be protected, and the JSON Schema, import
template and print order come out of the same definition."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jsonschema
import pytest
from django.utils import translation

from hoso.records.schema import (
    get_schema,
    json_schema,
    print_items,
    sensitive_keys,
    template_columns,
)
from hoso.records.schema.outputs import template_tables
from hoso.records.schema.samples import sample_document
from hoso.records.schema.types import CONTEXT
from hoso.records.sections import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
# The project's copy of the team's field list (../shared/domain/cv-form.md), kept in the
# repository so that these tests run wherever the repository is cloned.
CV_FORM = ROOT / "docs" / "domain" / "cv-form.md"
SCHEMA_DIR = ROOT / "src" / "hoso" / "records" / "schema"

BRIEF_KEYS = """managing_unit employing_unit staff_number photo full_name other_names birth_date
sex birth_place home_town ethnicity religion permanent_address current_address id_number
id_issue_date id_issue_place legacy_id_number phone email social_insurance_number
recruitment_occupation recruitment_date recruiting_agency current_unit_date positions
main_work job_position rank_code salary_step salary_coefficient salary_since
next_raise_date position_allowance seniority_allowance_percent strengths
general_education education_level education_major political_theory state_management
languages it_level academic_title academic_degree honorary_title party_join_date
party_official_date mass_organisations military_enlist_date military_discharge_date
military_rank highest_award highest_award_year highest_discipline
highest_discipline_year health_status height_cm weight_kg blood_group war_invalid_grade
policy_family training work_history salary_history allowances rewards disciplines
evaluations family_own family_spouse history_detention history_old_regime
history_foreign_orgs history_relatives_abroad unit_remarks""".split()
CONTRACT_KEYS = """contract_number contract_date contract_type contract_from contract_to
job_title workplace working_time salary_amount full_name birth_date sex id_number
id_issue_date id_issue_place permanent_address phone""".split()


def _cv_form_rows() -> dict[int, str]:
    """The numbered rows of cv-form.md's tables: {#: Vietnamese field}."""
    rows = {}
    for line in CV_FORM.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*(\d+)\s*\|\s*([^|]+)\|", line)
        if m:
            rows[int(m[1])] = m[2].strip()
    return rows


def test_every_numbered_item_of_cv_form_md_is_implemented_by_the_schema():
    rows = _cv_form_rows()
    assert len(rows) >= 47 and set(rows) == set(range(1, max(rows) + 1))
    schema = get_schema("cong_chuc")
    implemented = {f.form_item for f in schema.fields if f.form_item is not None}
    missing = {n: rows[n] for n in rows if n not in implemented}
    assert not missing, f"cv-form.md items without a field: {missing}"
    unknown = implemented - set(rows)
    assert not unknown, f"form_item numbers that cv-form.md does not have: {unknown}"


def test_header_of_cv_form_md_is_managed_by_the_unit():
    text = CV_FORM.read_text(encoding="utf-8")
    assert "## Header (managed by the unit" in text
    schema = get_schema("cong_chuc")
    header = schema.section("header")
    assert [f.key for f in header.fields] == [
        "managing_unit", "employing_unit", "staff_number", "photo"]
    assert all(f.managed_by_unit for f in header.fields)
    assert schema.field("unit_remarks").managed_by_unit
    assert not schema.field("full_name").managed_by_unit


def test_the_forms_have_every_key_the_other_parts_rely_on():
    cv = get_schema("vien_chuc")
    assert [k for k in BRIEF_KEYS if k not in cv] == []
    contract = get_schema("lao_dong")
    assert contract.form == "contract" and cv.form == "cv"
    assert [k for k in CONTRACT_KEYS if k not in contract] == []
    # The contract shares the CV's definition of the personal details.
    assert contract.field("id_number").label_msgid == cv.field("id_number").label_msgid


def test_every_field_cites_its_source_and_every_section_a_grant_section():
    for category in ("cong_chuc", "lao_dong"):
        schema = get_schema(category)
        for section in schema.sections:
            assert section.grant_section in SECTIONS, section.key
        for field in schema.fields:
            assert field.source, field.key
            assert field.access in ("public", "restricted", "secret")
            if field.access != "public":
                assert field.access_basis, f"{field.key}: say why it is not public"


def test_protected_fields_are_not_public():
    """ID number, health, family relations, Party dates, discipline and the
    self-history are restricted or secret (Cần Thơ Đ3.3, Quảng Nam Đ2.3, Lâm Đồng Đ6.2)."""
    schema = get_schema("cong_chuc")
    keys = sensitive_keys(schema)
    for key in ("id_number", "health_status", "blood_group", "family_own", "family_spouse",
                "party_join_date", "party_official_date", "disciplines",
                "highest_discipline", "history_detention", "history_relatives_abroad"):
        assert key in keys, key
    assert schema.field("history_old_regime").access == "secret"
    assert "full_name" not in keys and "rank_code" not in keys
    # A table's columns share its level.
    assert {c.access for c in schema.field("family_own").columns} == {"restricted"}


def test_required_fields_differ_by_staff_category():
    cv = get_schema("cong_chuc")
    assert "cong_chuc" in cv.field("rank_code").required_for
    assert "can_bo" not in cv.field("rank_code").required_for  # elected, paid by position
    assert cv.field("rank_code").code_list_for("vien_chuc") == "titles"
    assert cv.field("rank_code").code_list_for("cong_chuc") == "ranks"
    contract = get_schema("lao_dong")
    assert contract.field("contract_number").required_for == {"lao_dong"}
    assert not contract.field("ethnicity").required_for


# -- translations ------------------------------------------------------------------------


def _yaml_msgids(schema) -> set[str]:
    ids = {schema.title_msgid}
    for section in schema.sections:
        ids.add(section.label_msgid)
    stack = list(schema.fields)
    while stack:
        f = stack.pop()
        ids.update(x for x in (f.label_msgid, f.help_msgid, f.pattern_message_msgid) if x)
        ids.update(c.label_msgid for c in f.choices)
        stack.extend(f.columns)
    return ids


def test_every_label_and_help_of_the_yaml_has_a_vietnamese_translation():
    """makemessages cannot read YAML: the catalog entries are kept by hand."""
    untranslated = []
    catalog = translation.trans_real.translation("vi")._catalog
    for category in ("cong_chuc", "lao_dong"):
        for msgid in _yaml_msgids(get_schema(category)):
            if f"{CONTEXT}\x04{msgid}" not in catalog:
                untranslated.append(msgid)
    assert not untranslated, untranslated
    with translation.override("vi"):
        assert str(get_schema("cong_chuc").field("full_name").label) == "Họ và tên khai sinh"


def test_every_message_of_the_schema_code_has_a_vietnamese_translation():
    """The messages of this package's Python code, which makemessages files in this
    package's own catalog (the project-wide test reads only the apps' catalogs)."""
    catalog = translation.trans_real.translation("vi")._catalog
    missing = []
    for path in SCHEMA_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "gettext", "gettext_lazy") and node.args):
                arg = node.args[0]
                assert isinstance(arg, ast.Constant), f"{path.name}: a msgid must be literal"
                if arg.value not in catalog:
                    missing.append(f"{path.name}: {arg.value}")
    assert not missing, missing


# -- JSON Schema ---------------------------------------------------------------------------


@pytest.fixture
def unit():
    from tests.factories import OrgUnitFactory

    return OrgUnitFactory()


@pytest.mark.parametrize("category", ["cong_chuc", "vien_chuc", "lao_dong"])
def test_json_schema_is_draft_2020_12_and_accepts_a_valid_document(category, unit):
    schema = json_schema(category)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    document = sample_document(category, unit_code=unit.code, rows=2)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_json_schema_rejects_wrong_types_and_unknown_keys(unit):
    validator = jsonschema.Draft202012Validator(json_schema("cong_chuc"))
    good = sample_document("cong_chuc", unit_code=unit.code, rows=1)
    for bad in (
        {**good, "salary_step": "3"},
        {**good, "birth_date": 1985},
        {**good, "salary_coefficient": 4.98},
        {**good, "unknown_key": "x"},
        {**good, "training": [{**good["training"][0], "from": 2010}]},
        {**good, "birth_place": {"province": "01", "street": "x"}},
        {k: v for k, v in good.items() if k != "full_name"},
    ):
        assert not validator.is_valid(bad)


# -- import template and print order ------------------------------------------------------


def test_template_columns_are_vietnamese_labels_with_keys():
    with translation.override("vi"):
        columns = template_columns("cong_chuc")
    headers = {c.key: c.header for c in columns}
    assert headers["full_name"] == "Họ và tên khai sinh [full_name]"
    assert headers["birth_place.province"].startswith("Nơi sinh")
    assert "training" not in headers and "photo" not in headers
    assert next(c for c in columns if c.key == "birth_date").hint.startswith("dd/mm/yyyy")
    assert next(c for c in columns if c.key == "full_name").required
    tables = template_tables("cong_chuc")
    assert [c.key for c in tables["training"]][:3] == ["id_number", "institution", "major"]


def test_print_items_follow_the_form_and_group_one_item():
    items = print_items(get_schema("cong_chuc"))
    assert items[0].number == 0 and [f.key for f in items[0].fields][:2] == [
        "managing_unit", "employing_unit"]
    by_key = {f.key: item for item in items for f in item.fields}
    assert by_key["birth_date"] is by_key["sex"]
    assert by_key["id_number"] is by_key["id_issue_place"]
    assert "legacy_id_number" not in by_key  # not on the printed form
    assert by_key["training"].table.key == "training"
    numbers = [i.number for i in items]
    assert numbers == sorted(numbers)

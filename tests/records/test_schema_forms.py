"""The section forms generated from the schema: Vietnamese labels, dd/mm/yyyy dates,
selects from the catalogs, formsets for tables; their errors come from `validate`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from hoso.records.schema import get_schema, section_form, validate
from hoso.records.schema.samples import sample_document
from tests.factories import OrgUnitFactory

TODAY = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def schema():
    return get_schema("cong_chuc")


@pytest.fixture
def doc():
    return sample_document("cong_chuc", unit_code=OrgUnitFactory().code, rows=2, today=TODAY)


def personal_post(doc, **changes):
    data = {
        "full_name": "Nguyễn Thị Lan",
        "birth_date": "17/05/1985",
        "sex": "female",
        "birth_place_province": doc["birth_place"]["province"],
        "birth_place_text": "Xã Tam Hồng",
        "home_town_text": "Yên Lạc",
        "ethnicity": "01",
        "religion": "00",
        "permanent_address_text": "Số 1 Kim Ngọc",
        "current_address_text": "Số 1 Kim Ngọc",
        "id_number": doc["id_number"],
        "id_issue_date": "10/04/2021",
        "id_issue_place": "Cục Cảnh sát QLHC về TTXH",
        "social_insurance_number": "2612345678",
    }
    data.update(changes)
    return data


def test_an_unbound_section_form_speaks_vietnamese(schema, doc):
    form = section_form(schema, "personal", category="cong_chuc", initial=doc)
    html = str(form)
    assert "Họ và tên khai sinh" in html and "Số định danh cá nhân/CCCD" in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert form.initial["birth_date"] == "1985-05-17"
    assert form["birth_date"].value() == "17/05/1985"
    assert 'value="17/05/1985"' in str(form["birth_date"])
    assert '<option value="01" selected>Kinh</option>' in str(form["ethnicity"])
    assert 'aria-required="true"' in str(form["full_name"])
    assert str(form.section_label) == "Thông tin cá nhân"


def test_a_bound_form_returns_its_part_of_the_document(schema, doc):
    form = section_form(schema, "personal", category="cong_chuc", data=personal_post(doc),
                        document=doc, on=TODAY)
    assert form.is_valid(), form.errors
    part = form.cleaned_document()
    assert part["birth_date"] == "1985-05-17" and part["id_issue_date"] == "2021-04-10"
    assert part["birth_place"] == {"province": doc["birth_place"]["province"],
                                   "text": "Xã Tam Hồng"}
    assert part["home_town"] == {"text": "Yên Lạc"}
    assert "other_names" not in part and "phone" not in part  # empty = left out
    assert set(part) <= {f.key for f in schema.section("personal").fields}
    assert validate(form.merged_document(), category="cong_chuc", on=TODAY) == []


def test_partial_birth_dates_and_decimal_commas_are_converted(schema, doc):
    form = section_form(schema, "personal", category="cong_chuc", document=doc, on=TODAY,
                        data=personal_post(doc, birth_date="1985"))
    assert form.is_valid(), form.errors
    assert form.cleaned_document()["birth_date"] == "1985"
    data = {"rank_code": doc["rank_code"], "salary_step": "3",
            "salary_coefficient": doc["salary_coefficient"].replace(".", ","),
            "salary_since": "01/07/2022", "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0"}
    form = section_form(schema, "employment", category="cong_chuc", data=data, document=doc,
                        on=TODAY)
    assert form.is_valid(), form.errors
    part = form.cleaned_document()
    assert part["salary_coefficient"] == doc["salary_coefficient"]
    assert part["salary_step"] == 3


def test_form_errors_are_the_messages_of_validate(schema, doc):
    data = personal_post(doc, birth_date="31/02/1985", phone="123", id_issue_date="2021-04-10")
    form = section_form(schema, "personal", category="cong_chuc", data=data, document=doc,
                        on=TODAY)
    assert not form.is_valid()
    merged = form.merged_document()
    expected = {i.path: i.message for i in validate(merged, category="cong_chuc", on=TODAY,
                                                     check_required=False)}
    assert form.errors["birth_date"] == [expected["birth_date"]]
    assert form.errors["phone"] == [expected["phone"]]
    assert "ngày/tháng/năm" in form.errors["birth_date"][0]
    assert "id_issue_date" not in form.errors  # ISO is accepted as typed


def test_rules_across_sections_use_the_rest_of_the_document(schema, doc):
    data = personal_post(doc, birth_date="17/05/1995",
                         id_number=doc["id_number"][:4] + "95" + doc["id_number"][6:])
    form = section_form(schema, "personal", category="cong_chuc", data=data, document=doc,
                        on=TODAY)
    # Recruited in 2008 at 13: the error belongs to the employment section.
    assert form.is_valid(), form.errors
    employment = section_form(schema, "employment", category="cong_chuc",
                              document=form.merged_document(), on=TODAY,
                              data={"recruitment_date": "01/09/2008",
                                    "positions-TOTAL_FORMS": "0",
                                    "positions-INITIAL_FORMS": "0"})
    assert not employment.is_valid()
    assert "đủ 18 tuổi" in employment.errors["recruitment_date"][0]


def test_required_fields_are_checked_only_when_asked(schema, doc):
    data = personal_post(doc, full_name="")
    draft = section_form(schema, "personal", category="cong_chuc", data=data, document=doc,
                         on=TODAY)
    assert draft.is_valid()
    final = section_form(schema, "personal", category="cong_chuc", data=data, document=doc,
                         on=TODAY, check_required=True)
    assert not final.is_valid()
    assert "là thông tin bắt buộc" in final.errors["full_name"][0]


def table_post(rows, prefix="training", initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


ROW = {"institution": "Học viện Hành chính", "major": "Quản lý công", "from": "09/2010",
       "to": "06/2012", "form": "chinh_quy", "qualification": "Cử nhân"}


def test_table_rows_can_be_added_and_removed(schema, doc):
    unbound = section_form(schema, "training", category="cong_chuc", initial=doc)
    formset = unbound.formsets["training"]
    assert len(formset.forms) == 2 and formset.can_delete
    assert "Tên trường" in str(formset.empty_form)
    rows = [ROW, {**ROW, "institution": "Trường Chính trị tỉnh", "DELETE": "on"},
            {**ROW, "major": "Luật", "from": "2013-01", "to": "12/2014"}, {}]
    form = section_form(schema, "training", category="cong_chuc", data=table_post(rows),
                        document=doc, on=TODAY)
    assert form.is_valid(), (form.errors, [f.errors for f in form.formsets["training"]])
    training = form.cleaned_document()["training"]
    assert [r["major"] for r in training] == ["Quản lý công", "Luật"]
    assert training[0] == {"institution": "Học viện Hành chính", "major": "Quản lý công",
                           "from": "2010-09", "to": "2012-06", "form": "chinh_quy",
                           "qualification": "Cử nhân"}


def test_a_row_error_lands_on_its_row_and_column(schema, doc):
    rows = [ROW, {**ROW, "DELETE": "on"}, {**ROW, "from": "05/2015", "to": "04/2015"}]
    form = section_form(schema, "training", category="cong_chuc", data=table_post(rows),
                        document=doc, on=TODAY)
    assert not form.is_valid()
    forms = form.formsets["training"].forms
    assert forms[0].errors == {} and forms[1].errors == {}
    # The third form is the document's second row.
    assert forms[2].errors["to"] == [
        "“Đào tạo, bồi dưỡng về chuyên môn, nghiệp vụ, lý luận chính trị, ngoại ngữ, tin học”,"
        " dòng 2: “Đến tháng, năm” (04/2015) không được trước “Từ tháng, năm” (05/2015)."
    ]


def test_a_persons_own_form_leaves_out_what_the_unit_manages(schema, doc):
    form = section_form(schema, "header", category="cong_chuc", initial=doc,
                        exclude_managed=True)
    assert list(form.fields) == []
    form = section_form(schema, "remarks", category="cong_chuc", initial=doc,
                        exclude_managed=True)
    assert list(form.fields) == ["declaration"]


def test_the_commune_is_chosen_from_the_province_once_known(schema, doc):
    from hoso.catalogs import selectors

    province = next(p for p, _l in selectors.choices("provinces", TODAY)
                    if selectors.choices("communes", parent=p))
    document = {**doc, "birth_place": {"province": province}}
    form = section_form(schema, "personal", category="cong_chuc", initial=document)
    commune = selectors.choices("communes", parent=province)[0]
    assert f'<option value="{commune[0]}">' in str(form["birth_place"])

"""A person fills an empty file end to end in a real browser (issue 4): logs in, opens
"My file", fills every required field section by section while the draft saves itself,
attaches a scanned decision (Vĩnh Phúc Đ7.3), watches the completeness meter reach
100 % and submits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from hoso.accounts.roles import Role
from hoso.records.models import Sex
from hoso.workflow.models import ChangeRequest, Status

from ..documents.samples import scanned_pdf_bytes
from ..factories import PASSWORD, OrgUnitFactory, PersonFactory, RoleFactory, UserFactory
from .helpers import label, log_in

pytestmark = pytest.mark.browser


def _saved(page):
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"Đã lưu lúc \d\d:\d\d"))


def _next(page):
    page.get_by_role("button", name="Lưu và sang phần tiếp theo").click()


def _fill(page, values: dict[str, str]):
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_a_person_fills_an_empty_file_and_submits_it(page, tmp_path):
    root = OrgUnitFactory.root()
    unit = OrgUnitFactory(parent=root, name="Sở Nội vụ", code="000.01.00.H26")
    person = PersonFactory(unit=unit, full_name="Trần Văn Bình", sex=Sex.MALE,
                           birth_date=dt.date(1985, 5, 17))
    user = UserFactory(username="binhtv", full_name=person.full_name, unit=unit, person=person)
    RoleFactory(user=user, role=Role.STAFF, unit=unit)
    scan = tmp_path / "quyet-dinh-tuyen-dung.pdf"
    scan.write_bytes(scanned_pdf_bytes(pages=2, marker="browser"))

    log_in(page, "binhtv", PASSWORD)
    page.get_by_role("navigation", name="Menu chính").get_by_role(
        "link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    # what the unit already knows (name, birth date, sex, number, units) is not asked again
    expect(page.locator("#meter")).to_contain_text("6/27")
    expect(page.locator("#missing")).to_contain_text("Dân tộc")
    page.get_by_role("button", name="Cập nhật hồ sơ").click()

    # Personal details: the draft is saved as the person types.
    expect(page.get_by_role("heading", name="Thông tin cá nhân")).to_be_visible()
    expect(page.locator('[name="full_name"]')).to_have_value("Trần Văn Bình")
    page.get_by_label(re.compile(r"^Dân tộc\W")).select_option("01")
    _saved(page)
    _fill(page, {
        "religion": "01",
        "birth_place_text": "Xã Tam Hồng, huyện Yên Lạc, tỉnh Vĩnh Phúc",
        "home_town_text": "Xã Tam Hồng, huyện Yên Lạc, tỉnh Vĩnh Phúc",
        "permanent_address_text": "Số 5 Kim Ngọc, phường Vĩnh Yên, tỉnh Phú Thọ",
        "current_address_text": "Số 5 Kim Ngọc, phường Vĩnh Yên, tỉnh Phú Thọ",
        "id_issue_date": "12/04/2021",
        "id_issue_place": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "social_insurance_number": "2612345678",
    })
    page.locator('[name="phone"]').focus()  # leaving the last field saves it
    _saved(page)
    expect(page.locator("#meter")).to_contain_text("15/27")
    _next(page)

    # Employment: a wrong date is reported next to its field, then corrected.
    expect(page.get_by_role("heading", name="Tuyển dụng, chức vụ, ngạch và lương")).to_be_visible()
    _fill(page, {"recruitment_date": "31/02/2008"})
    page.locator('[name="recruiting_agency"]').focus()
    expect(page.locator("#err-recruitment_date")).to_contain_text("Ngày tuyển dụng")
    _fill(page, {
        "recruitment_date": "01/09/2008",
        "recruiting_agency": "Sở Nội vụ tỉnh Vĩnh Phúc",
        "current_unit_date": "01/09/2008",
        "job_position": "dc_to_chuc_can_bo",
        "rank_code": "01.003",
        "salary_step": "3",
        "salary_coefficient": "3,00",
        "salary_since": "01/09/2020",
    })
    page.locator('[name="next_raise_date"]').focus()
    _saved(page)
    expect(page.locator("#err-recruitment_date")).to_be_empty()
    _next(page)

    expect(page.get_by_role("heading", name="Trình độ")).to_be_visible()
    _fill(page, {"general_education": "12/12", "education_level": "dh"})
    _saved(page)

    # The tables: one row each, through the section list.
    page.get_by_role("navigation", name="Các phần của mẫu").get_by_role(
        "link", name=re.compile("Quá trình công tác")).click()
    _fill(page, {"work_history-0-from": "09/2008",
                 "work_history-0-description": "Chuyên viên Sở Nội vụ tỉnh Vĩnh Phúc"})
    page.locator('[name="work_history-0-to"]').focus()
    _saved(page)
    page.get_by_role("navigation", name="Các phần của mẫu").get_by_role(
        "link", name=re.compile("Quan hệ gia đình")).click()
    _fill(page, {"family_own-0-relationship": "bo", "family_own-0-full_name": "Trần Văn An",
                 "family_own-0-birth_year": "1955"})
    page.locator('[name="family_own-0-home_town"]').focus()
    _saved(page)
    expect(page.locator("#meter")).to_contain_text("Mức độ đầy đủ: 100 %")

    # Review: the change needs its decision attached before it can be sent.
    page.get_by_role("link", name="Xem lại và gửi").click()
    expect(page.locator("#problems")).to_contain_text("Đ7.3")
    page.get_by_label(label("Tệp bản số hóa (PDF, JPEG hoặc PNG)")).set_input_files(str(scan))
    page.get_by_label(label("Loại văn bản")).select_option("qd_tuyen_dung")
    page.get_by_label(label("Số văn bản")).fill("215/QĐ-SNV")
    page.get_by_role("button", name="Tải lên và đính kèm").click()
    expect(page.get_by_text("Đã đính kèm văn bản.")).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("215/QĐ-SNV")
    expect(page.locator("#meter")).to_contain_text("100 %")
    expect(page.locator("#problems")).to_have_count(0)

    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.locator("#request-status")).to_have_text("Đã gửi")
    expect(page.get_by_text("không sửa được nữa")).to_be_visible()
    request = ChangeRequest.objects.get(person=person)
    assert request.status == Status.SUBMITTED
    assert request.document["ethnicity"] == "01"
    assert request.document["work_history"][0]["from"] == "2008-09"
    assert request.active_evidence().count() == 1

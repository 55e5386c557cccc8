"""An HR officer works through the weekly lists in a real browser: who retires this
month (with the date the decree gives), the export of that list, and a file whose
family table names two living spouses — from the list of files with problems straight
to the section of the form that fixes it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoso.accounts.permissions import SYSTEM
from hoso.accounts.roles import Role
from hoso.hr.dates import month_index
from hoso.hr.retirement import retirement_months
from hoso.records.services import revision_create

from ..factories import PASSWORD, OrgUnitFactory, PersonFactory, RoleFactory, UserFactory
from ..records.documents import document_for
from .helpers import label, log_in

pytestmark = pytest.mark.browser

SPOUSE = {"relationship": "vo", "full_name": "Nguyễn Thị Vợ", "birth_year": 1982}


def test_an_hr_officer_finds_who_retires_and_fixes_a_file(page):
    root = OrgUnitFactory.root()
    unit = OrgUnitFactory(parent=root, name="Sở Nội vụ", code="000.01.00.H26")
    other = OrgUnitFactory(parent=root, name="Sở Y tế", code="000.02.00.H26")
    this_month = month_index(timezone.localdate())
    born, _last, due = retirement_months(this_month, this_month, "male")[0]
    PersonFactory(unit=unit, full_name="Trần Văn Hưu", birth_date=born)
    PersonFactory(unit=other, full_name="Phạm Văn Ngoài", birth_date=born)
    spouses = PersonFactory(unit=unit, full_name="Hai Văn Vợ",
                            birth_date=dt.date(1980, 5, 17))
    revision_create(actor=SYSTEM, person=spouses, reason="Hồ sơ ban đầu",
                    document=document_for(spouses, family_own=[
                        SPOUSE, {**SPOUSE, "full_name": "Trần Thị Vợ"}]))
    officer = PersonFactory(unit=unit, full_name="Lê Thị Tổ Chức",
                            birth_date=dt.date(1990, 1, 1))
    user = UserFactory(username="tochuc", full_name=officer.full_name, unit=unit, person=officer)
    RoleFactory(user=user, role=Role.HR_OFFICER, unit=unit)

    log_in(page, "tochuc", PASSWORD)
    page.goto("/hr/")
    page.get_by_role("link", name="Đến tuổi nghỉ hưu").click()
    expect(page.get_by_role("heading", name="Đến tuổi nghỉ hưu")).to_be_visible()
    page.get_by_label(label("Trong số tháng tới")).fill("1")
    page.get_by_role("button", name="Lọc").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Trần Văn Hưu")
    expect(table).to_contain_text(due.date.strftime("%d/%m/%Y"))
    expect(table).not_to_contain_text("Phạm Văn Ngoài")
    expect(page.locator("#count")).to_contain_text("1 người")

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất ra CSV").click()
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][1] == "Họ và tên" and [r[1] for r in rows[1:]] == ["Trần Văn Hưu"]

    page.goto("/hr/problems/")
    card = page.locator("li.card", has_text="Hai Văn Vợ")
    expect(card).to_contain_text("khai hai người vợ/chồng còn sống")
    card.get_by_role("button", name="Sửa “Quan hệ gia đình”").click()
    expect(page.get_by_role("heading", name="Quan hệ gia đình")).to_be_visible()
    expect(page.locator('[name="family_own-1-full_name"]')).to_have_value("Trần Thị Vợ")

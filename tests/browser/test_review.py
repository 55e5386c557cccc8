"""Cần Thơ's three-step review in a real browser (641/QĐ-UBND, Điều 5.2.b–d): the
unit's HR officer checks a person's change, the head of HR verifies it, the head of the
unit approves it with a digital signature; each finds it in their queue with its due
date, reads the field-by-field changes, and decides. The person then reads that their
file holds the change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from hoso.core.calendar import add_working_days
from hoso.records.models import Revision
from hoso.signing.models import Signature
from hoso.workflow.models import ChangeRequest, Status

from ..conftest import build_world
from ..factories import PASSWORD
from ..signing.conftest import PASSPHRASE, test_pki, trust  # noqa: F401 (fixtures)
from ..workflow.conftest import submitted
from .helpers import label, log_in

pytestmark = pytest.mark.browser


def _log_in(page, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    log_in(page, user.username, PASSWORD, device=device)


def _log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def _open_from_queue(page, cr, due: dt.date):
    page.goto("/changes/review/")
    expect(page.get_by_role("heading", name="Đề nghị cần xem xét")).to_be_visible()
    row = page.locator("#queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    row.get_by_role("link", name=f"số {cr.pk}").click()
    expect(page.get_by_role("heading", name=f"Xem xét đề nghị cập nhật số {cr.pk}")).to_be_visible()
    expect(page.locator("#changes")).to_contain_text("Số điện thoại")
    expect(page.locator("#changes")).to_contain_text("0912345678")


def test_can_tho_three_step_review_in_the_browser(page, settings, test_pki, trust):  # noqa: F811
    settings.PROVINCE = "can-tho"
    world = build_world()
    staff, hr, hr_head, head = (world.actors[k] for k in
                                ("staff", "hr_officer", "hr_head", "unit_head"))
    p12 = test_pki.p12(test_pki.person(head.person), "browser-head")
    Path(settings.SIGNING_SIGNERS_FILE).write_text(
        f'[user."{head.username}"]\nbackend = "p12"\nfile = "{p12}"\n', encoding="utf-8")
    cr = submitted(staff)
    today = timezone.localdate()

    # 1. The HR officer checks against the paper file: 5 working days from the entry.
    _log_in(page, hr)
    _open_from_queue(page, cr, add_working_days(today, 5, province="can-tho"))
    expect(page.locator("#current-step")).to_contain_text("bước 1/3")
    page.locator("#approve-form").get_by_label(label("Ý kiến (không bắt buộc)")).fill(
        "Khớp với hồ sơ gốc")
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt: đề nghị chuyển sang bước 2/3.")).to_be_visible()
    _log_out(page)

    # 2. The head of HR verifies: 5 working days from the check.
    _log_in(page, hr_head)
    _open_from_queue(page, cr, add_working_days(today, 5, province="can-tho"))
    expect(page.locator("#round-1")).to_contain_text("Khớp với hồ sơ gốc")
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt: đề nghị chuyển sang bước 3/3.")).to_be_visible()
    _log_out(page)

    # 3. The head of the unit approves and signs: 10 working days from the verification.
    _log_in(page, head)
    _open_from_queue(page, cr, add_working_days(today, 10, province="can-tho"))
    approve = page.locator("#approve-form")
    expect(approve).to_contain_text("ký số")
    page.get_by_role("button", name="Phê duyệt và ký số").click()  # the PIN forgotten
    expect(approve.locator(".errors")).to_contain_text("Hãy nhập mật khẩu hoặc mã PIN")
    approve.get_by_label(label("Mật khẩu hoặc mã PIN của khóa ký số của bạn")).fill(PASSPHRASE)
    page.get_by_role("button", name="Phê duyệt và ký số").click()
    expect(page.get_by_text("Đã phê duyệt và ký số: hồ sơ nay là phiên bản 2.")).to_be_visible()
    expect(page.locator("#request-status")).to_have_text("Đã duyệt")
    expect(page.locator("#round-1")).to_contain_text("đã ký số")
    _log_out(page)

    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.status == Status.APPROVED
    revision = Revision.objects.get(pk=cr.revision_id)
    assert revision.approved_by == head and revision.document["phone"] == "0912345678"
    assert Signature.objects.get(subject_type="records.revision",
                                 subject_id=str(revision.pk)).signed_by == head

    # 4. The person reads that the file holds the change.
    _log_in(page, staff)
    page.goto(f"/changes/{cr.pk}/")
    expect(page.locator("#request-status")).to_have_text("Đã duyệt")
    expect(page.get_by_role("status").filter(has_text="phiên bản 2")).to_be_visible()
    expect(page.locator("#round-1 tbody tr")).to_have_count(3)

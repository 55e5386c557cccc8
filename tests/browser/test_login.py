"""The login flow in a real browser: a first login that forces a new password, an
administrator who sets up the second factor and then logs in with it, and the
Vietnamese message for a wrong password."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hoso.accounts.models import User
from hoso.accounts.roles import Role

from ..factories import PASSWORD, OrgUnitFactory, RoleFactory, UserFactory
from .helpers import confirmed_device, label, log_in, pending_device, totp_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Mat-khau-rieng-2026"


def test_a_first_login_must_set_a_new_password(page):
    unit = OrgUnitFactory.root()
    user = UserFactory(username="hoanglan", full_name="Hoàng Thị Lan", unit=unit,
                       must_change_password=True)
    log_in(page, "hoanglan", PASSWORD)
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    expect(page.get_by_text("Đây là lần đăng nhập đầu tiên")).to_be_visible()

    page.get_by_label(label("Mật khẩu hiện tại")).fill(PASSWORD)
    page.get_by_label(label("Mật khẩu mới")).fill("ngan1")
    page.get_by_label(label("Nhập lại mật khẩu mới")).fill("ngan1")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_text("Mật khẩu quá ngắn")).to_be_visible()

    page.get_by_label(label("Mật khẩu hiện tại")).fill(PASSWORD)
    page.get_by_label(label("Mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_label(label("Nhập lại mật khẩu mới")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("heading", name="Xin chào, Hoàng Thị Lan")).to_be_visible()
    expect(page.get_by_text("Đã đặt mật khẩu mới.")).to_be_visible()
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)


def test_an_administrator_sets_up_two_factor_then_logs_in_with_it(page):
    root = OrgUnitFactory.root()
    admin = UserFactory(username="quantri", full_name="Quản Trị Tỉnh", unit=root)
    RoleFactory(user=admin, role=Role.PROVINCE_ADMIN, unit=root)

    log_in(page, "quantri", PASSWORD)
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai yếu tố")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    device = pending_device(admin)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    page.get_by_label(label("Mã trên ứng dụng xác thực")).fill(totp_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Đã bật xác thực hai yếu tố")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu chính")
    expect(nav.get_by_role("link", name="Quản trị hệ thống")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    log_in(page, "quantri", PASSWORD, device=confirmed_device(admin))
    expect(page.get_by_role("heading", name="Xin chào, Quản Trị Tỉnh")).to_be_visible()
    page.get_by_role("link", name="Quản trị hệ thống").click()
    expect(page.get_by_text("hoso — quản trị hệ thống").first).to_be_visible()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(page):
    UserFactory(username="tranbinh", full_name="Trần Bình")
    log_in(page, "tranbinh", "sai-mat-khau-9")
    expect(page.get_by_role("alert")).to_contain_text(
        "Tên đăng nhập hoặc mật khẩu không đúng"
    )
    log_in(page, "khongcoai", "sai-mat-khau-9")
    expect(page.get_by_role("alert")).to_contain_text(
        "Tên đăng nhập hoặc mật khẩu không đúng"
    )
    assert page.url.endswith("/accounts/login/")
    assert User.objects.get(username="tranbinh").failed_logins == 1

"""Each role logs in through the browser (with its second factor) and finds the menu
and the home page its role gives it; expired and revoked roles give nothing."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..conftest import ACTOR_ROLES, build_world
from ..factories import PASSWORD
from ..web.test_shell import NAV
from .helpers import log_in

pytestmark = pytest.mark.browser

def test_each_role_sees_its_own_menu_and_home(page):
    world = build_world()
    assert set(NAV) == set(ACTOR_ROLES)
    for key, user in world.actors.items():
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        log_in(page, user.username, PASSWORD, device=device)
        expect(page.get_by_role("heading", name=f"Xin chào, {user.full_name}")).to_be_visible()
        menu = page.get_by_role("navigation", name="Menu chính").get_by_role("link")
        expect(menu).to_have_text(
            ["Trang chủ", *NAV[key], "Kiểm tra chữ ký số", "Tài khoản của tôi"]
        )
        if key in ("expired", "revoked", "staff"):
            expect(page.locator(".card h2")).to_have_text(["Hồ sơ của tôi"])
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

"""Helpers shared by the browser tests and the login-flow page tests: the code an
authenticator app would show, and logging in through the real login pages."""

from __future__ import annotations

import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows now.

    django-otp refuses a code of a time step it has already accepted (no replay), so a
    second log-in within the same 30 seconds takes the next step's code, which the
    device's tolerance of one step accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        totp.drift += 1
    return f"{totp.token():0{device.digits}d}"


def pending_device(user) -> TOTPDevice:
    """The device being set up on the setup page (made when the page is shown)."""
    return TOTPDevice.objects.get(user=user, confirmed=False)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def label(text: str) -> re.Pattern:
    """A form field's label exactly, with or without Django's trailing colon."""
    return re.compile(rf"^{re.escape(text)}:?$")


def log_in(page, username: str, password: str, *, device: TOTPDevice | None = None) -> None:
    """Log in through the login page as a person would; with `device`, answer the
    two-factor step with the code its app shows."""
    page.goto("/accounts/login/")
    page.get_by_label(label("Tên đăng nhập")).fill(username)
    page.get_by_label(label("Mật khẩu")).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.wait_for_url("**/accounts/2fa/verify/**")
        page.get_by_label(label("Mã trên ứng dụng xác thực")).fill(totp_code(device))
        page.get_by_role("button", name="Xác thực").click()

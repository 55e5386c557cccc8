"""The monthly approval in a real browser: in Cần Thơ's window (the last 5 days of the
month, 641/QĐ-UBND Đ5.3) the province approver prepares the batch of the units'
approvals, signs it with their key and sees it signed, with its package to download."""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..oversight.conftest import PASSPHRASE, Clock, approve, keys, province  # noqa: F401
from ..signing.conftest import test_pki, trust  # noqa: F401 (fixtures)
from .helpers import label, log_in

pytestmark = pytest.mark.browser

OVERSIGHT_TRIGGERS = "hoso.oversight.migrations.0002_immutable_triggers"


@pytest.fixture(scope="module", autouse=True)
def _flushable_batches():
    """Signed batches refuse DELETE and TRUNCATE (their point): lift the oversight
    triggers for the moment of the live server's flush, as tests/browser/conftest.py
    does for the audit tables."""
    from django.core.management.commands import flush

    from .conftest import TRIGGER_MIGRATIONS

    if OVERSIGHT_TRIGGERS in TRIGGER_MIGRATIONS:  # the shared flush already lifts them
        yield
        return
    triggers = importlib.import_module(OVERSIGHT_TRIGGERS)
    original = flush.Command.handle

    def handle(self, **options):
        editor = SimpleNamespace(connection=connections[options.get("database") or "default"])
        triggers.backwards(None, editor)
        try:
            return original(self, **options)
        finally:
            triggers.forwards(None, editor)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


def test_province_approver_signs_the_batch_in_the_window(page, world, province, keys,  # noqa: F811
                                                        monkeypatch):
    province("can-tho")
    today = timezone.localdate()
    last = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    Clock(monkeypatch).set(last, hour=10)  # the last day of the month: inside the window
    for key in ("in", "in_child", "out", "commune"):
        approve(world.people[key])
    approver = world.actors["province_approver"]
    device = TOTPDevice.objects.create(user=approver, name="app", confirmed=True)

    log_in(page, approver.username, PASSWORD, device=device)
    page.goto("/oversight/batch/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Phê duyệt dữ liệu hằng tháng của tỉnh")
    expect(page.get_by_text("Đang trong thời gian ký")).to_be_visible()
    page.get_by_role("button", name="Chuẩn bị đợt phê duyệt").click()
    expect(page.get_by_text("Đã đưa 4 hồ sơ được phê duyệt vào đợt.")).to_be_visible()
    expect(page.get_by_role("link", name="Sở Y tế")).to_be_visible()
    expect(page.get_by_role("link", name=world.people["out"].full_name)).to_be_visible()

    page.get_by_label(label("Mật khẩu hoặc mã PIN của khóa ký số của bạn")).fill(PASSPHRASE)
    page.get_by_role("button", name="Ký số đợt phê duyệt").click()
    expect(page.get_by_text("Đã ký số dữ liệu của tỉnh: 4 hồ sơ")).to_be_visible()
    expect(page.locator(".badge")).to_have_text("Đã ký")
    expect(page.get_by_role("link", name="Tải gói dữ liệu đã ký (.zip)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải gói dữ liệu đã ký (.zip)").click()
    assert download.value.suggested_filename.endswith(".zip")

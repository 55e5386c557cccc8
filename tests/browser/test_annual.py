"""The annual report in a real browser: the head of Sở Nội vụ opens the unit's report
for 2025, signs it (for the unit and the agency) and submits it to the Department of
Home Affairs; Sở Nội vụ's administrator then sees it among the units' reports, late
(the due date was 15/01/2026), and the province's figures built from it."""

from __future__ import annotations

import importlib

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..annual import province
from ..annual.conftest import write_signers
from ..conftest import build_world
from ..factories import PASSWORD
from ..signing.conftest import PASSPHRASE, test_pki, trust  # noqa: F401 (fixtures)
from .helpers import label, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _annual_reports_flushable():
    """Submitted reports refuse DELETE by trigger (migration 0002); the browser tests'
    flush lifts it with the other immutability triggers."""
    conftest = importlib.import_module("tests.browser.conftest")
    name = "hoso.annual.migrations.0002_submitted_immutable"
    original = conftest.TRIGGER_MIGRATIONS
    if name not in original:
        conftest.TRIGGER_MIGRATIONS = (*original, name)
    yield
    conftest.TRIGGER_MIGRATIONS = original


def _log_in(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    log_in(page, user.username, PASSWORD, device=device)


def test_a_unit_signs_and_submits_its_report_and_home_affairs_sees_it(
        page, test_pki, trust, settings):  # noqa: F811
    world = build_world()
    province.build(world)
    head = world.actors["unit_head"]
    write_signers(
        settings,
        users={"unit_head": test_pki.p12(test_pki.person(head.person), "br-head")},
        units={world.in_unit.code: test_pki.p12(test_pki.unit(world.in_unit), "br-agency")},
    )

    _log_in(page, head)
    page.goto("/annual-report/?year=2025")
    expect(page.get_by_role("heading", name="Báo cáo năm")).to_be_visible()
    page.get_by_role("link", name="Sở Nội vụ").click()
    expect(page.get_by_role("heading", name="Báo cáo năm 2025")).to_be_visible()
    expect(page.get_by_text("Tổng số 7 người, tính từ hồ sơ đã được phê duyệt.")).to_be_visible()
    expect(page.get_by_role("row", name="Chuyên viên (01.003)")).to_contain_text("3")

    page.get_by_role("link", name="Ký số báo cáo").click()
    page.get_by_label(label("Khó khăn, vướng mắc phát sinh (không bắt buộc)")).fill(
        "Hai hồ sơ chưa cập nhật vị trí việc làm.")
    page.get_by_label(label("Mật khẩu hoặc mã PIN của khóa ký số của bạn")).fill(PASSPHRASE)
    page.get_by_label(label("Ký luôn chữ ký số của cơ quan")).check()
    page.get_by_label(label("Mật khẩu hoặc mã PIN của khóa cơ quan")).fill(PASSPHRASE)
    page.get_by_role("button", name="Ký số", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Báo cáo đã có chữ ký số của bạn và của Sở Nội vụ")
    page.get_by_role("button", name="Gửi Sở Nội vụ").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã gửi báo cáo, sau hạn 15/01/2026.")
    expect(page.locator(".badge.active")).to_have_text("Đã gửi")
    expect(page.get_by_role("link", name="Báo cáo đã ký số (PDF)")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, world.actors["province_admin"])
    page.goto("/annual-report/?year=2025")
    page.get_by_role("link", name="Báo cáo năm 2025 của tỉnh và tình hình gửi báo cáo").click()
    rows = page.get_by_role("table").first.get_by_role("row")
    expect(rows.filter(has_text="Sở Nội vụ")).to_contain_text("gửi chậm")
    expect(rows.filter(has_text="Sở Y tế")).to_contain_text("quá hạn, chưa gửi")
    expect(page.get_by_text("Tổng số 18 người, tính từ hồ sơ đã được phê duyệt.")).to_be_visible()
    sources = page.locator("section", has_text="Nguồn số liệu của tỉnh")
    expect(sources.get_by_role("row", name="Sở Nội vụ")).to_contain_text("số liệu đơn vị đã gửi")

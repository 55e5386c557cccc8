"""The statistics page in Chromium: the head of Sở Nội vụ's statistics, every chart an
image with its name, the menu and filters gone and the charts kept when printed."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..stats.conftest import build_province
from .helpers import label, log_in

pytestmark = pytest.mark.browser


def test_the_statistics_page_draws_its_charts_on_screen_and_on_paper(page):
    province = build_province()
    admin = province.users["province_admin"]
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(page, admin.username, PASSWORD, device=device)
    page.goto("/stats/")
    expect(page.get_by_role("heading", name="Thống kê", exact=True)).to_be_visible()

    pyramid = page.get_by_role("img", name="Tháp tuổi theo giới tính")
    expect(pyramid).to_be_visible()
    box = pyramid.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    # twelve charts, each an image named by its statistic, each beside its table
    expect(page.locator("svg.chart[role=img]")).to_have_count(12)
    expect(page.get_by_role("table", name="Tháp tuổi theo giới tính: bảng số liệu")).to_be_visible()
    bars = page.locator("svg[data-chart=age] rect.bar")
    expect(bars.first).to_be_visible()

    page.screenshot(path="/tmp/stats-screen.png", full_page=True)
    # a filter: one staff category
    page.get_by_label(label("Đối tượng")).select_option("vien_chuc")
    page.get_by_role("button", name="Xem thống kê").click()
    expect(page.locator("p.stats-scope")).to_contain_text("Đối tượng: Viên chức")
    total = page.locator("table[data-statistic=headcount] tfoot td[data-column=total]")
    expect(total).to_have_text("3")

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu chính")).to_be_hidden()
    expect(page.get_by_role("button", name="Xem thống kê")).to_be_hidden()
    expect(pyramid).to_be_visible()
    printed = pyramid.bounding_box()
    assert printed and printed["width"] > 300
    page.screenshot(path="/tmp/stats-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000

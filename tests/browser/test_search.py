"""In the browser: type a name without accents, see the person appear as one types
(htmx), narrow by a facet, and export what was found."""

from __future__ import annotations

import csv
import io

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from hoso.audit.models import AccessLog

from ..conftest import build_world
from ..factories import PASSWORD, PersonFactory
from .helpers import log_in

pytestmark = pytest.mark.browser


def test_type_a_name_without_accents_see_the_person_and_export(page):
    world = build_world()
    person = PersonFactory(unit=world.in_child, full_name="Đặng Thị Thu Hương")
    PersonFactory(unit=world.out_unit, full_name="Đặng Thị Thu Hương")  # out of scope
    user = world.actors["hr_officer"]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    log_in(page, user.username, PASSWORD, device=device)

    page.goto("/search/")
    box = page.get_by_role("searchbox", name="Họ tên, năm sinh hoặc số định danh")
    box.type("dang thi thu huong", delay=20)  # no Enter: the results come as one types
    results = page.locator("#results table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Đặng Thị Thu Hương")
    expect(results.first).to_contain_text("Phòng Tổ chức")
    expect(page.locator("#results .summary")).to_contain_text("Tìm thấy 1 người.")
    assert page.url.endswith("/search/?q=dang%20thi%20thu%20huong")  # only what is set

    # a facet narrows the search; the person is still there
    page.locator("#results .facet").filter(has_text="Đơn vị").get_by_role(
        "link", name="Phòng Tổ chức").click()
    expect(page.get_by_label("Đơn vị (gồm cả đơn vị trực thuộc)")).to_have_value(
        str(world.in_child.pk))
    expect(results).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_role("link", name="Kết quả (CSV)").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["STT", "Họ và tên"]
    assert [r[1] for r in rows[1:]] == ["Đặng Thị Thu Hương"]
    assert download.value.suggested_filename == "ket-qua-tim-kiem.csv"
    exported = AccessLog.objects.filter(action="export")
    assert [r.person_id for r in exported] == [person.pk]
    assert AccessLog.objects.filter(action="search", actor=user).exists()

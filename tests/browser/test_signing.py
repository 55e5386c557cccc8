"""The verification page in a real browser: a PDF signed by the competent person and by
the agency is dropped in and both signatures show as valid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import build_world
from ..factories import PASSWORD
from ..signing.conftest import test_pki, trust  # noqa: F401 (fixtures)
from ..signing.helpers import signed_twice
from .helpers import label, log_in

pytestmark = pytest.mark.browser


def test_a_pdf_signed_by_person_and_agency_verifies_in_the_browser(page, test_pki, trust,  # noqa: F811
                                                                    tmp_path):
    world = build_world()
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(signed_twice(test_pki, world.people["in"], world.in_unit))
    log_in(page, world.actors["staff"].username, PASSWORD)
    page.get_by_role("link", name="Kiểm tra chữ ký số").click()
    page.get_by_label(label("Tệp đã ký")).set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Mọi chữ ký đều nguyên vẹn và tin cậy.")
    expect(page.locator("article.signature h3")).to_have_count(2)
    expect(page.locator("article.signature").first).to_contain_text("Nguyễn Văn Dũng")
    expect(page.locator("article.signature").last).to_contain_text(world.in_unit.name)

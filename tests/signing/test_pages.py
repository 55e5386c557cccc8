"""The verification page: anyone with an account drops a file and reads the result."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoso.core.canonical import canonical_json
from hoso.signing import data
from hoso.signing.backends import open_p12

from ..clients import client_for
from .conftest import PASSPHRASE
from .helpers import signed_twice

URL = "/signing/verify/"


def _post(client, name, content, **extra):
    files = {"file": SimpleUploadedFile(name, content)}
    files.update(extra)
    return client.post(URL, files)


def test_pdf_signed_by_person_and_agency_verifies_in_the_page(world, test_pki, trust):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    response = _post(client_for(world.actors["staff"]), "quyet-dinh.pdf", document)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mọi chữ ký đều nguyên vẹn và tin cậy." in page
    assert page.count("hợp lệ</h3>") == 2 and "không hợp lệ</h3>" not in page
    assert "Nguyễn Văn Dũng" in page and world.in_unit.name in page
    assert "không thay đổi; chỉ có thêm các chữ ký khác" in page
    assert "chuỗi đến chứng thư gốc tin cậy" in page
    assert "Xác thực của cơ quan" in page


def test_tampered_pdf_shows_as_not_valid(world, test_pki, trust):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    tampered = document.replace(b"so 123/QD", b"so 456/QD")
    page = _post(client_for(world.actors["staff"]), "x.pdf", tampered).content.decode()
    assert "Không phải mọi chữ ký đều nguyên vẹn và tin cậy." in page
    assert "đã bị thay đổi sau khi ký, hoặc chữ ký bị hỏng" in page


def test_data_package_and_json_with_signature_verify(world, test_pki, trust):
    opened = open_p12(str(test_pki.p12(test_pki.person(world.people["in"]), "page")),
                      PASSPHRASE)
    content = canonical_json({"đợt": "2026-06"})
    der = data.sign_many(opened, [content])[0]
    client = client_for(world.actors["auditor"])
    page = _post(client, "goi.zip", data.make_package(content, [der])).content.decode()
    assert "Mọi chữ ký đều nguyên vẹn và tin cậy." in page
    page = _post(client, "du-lieu.json", content,
                 signature=SimpleUploadedFile("du-lieu.json.sig", der)).content.decode()
    assert "Mọi chữ ký đều nguyên vẹn và tin cậy." in page


def test_garbage_gets_a_clear_vietnamese_error(world, trust):
    response = _post(client_for(world.actors["staff"]), "anh.png", b"\x89PNG\r\n garbage")
    page = response.content.decode()
    assert response.status_code == 200
    assert "không phải PDF đã ký" in page


def test_upload_size_is_limited(world, trust, settings):
    settings.SIGNING_UPLOAD_MAX_BYTES = 1000
    page = _post(client_for(world.actors["staff"]), "lon.pdf", b"%PDF" + b"0" * 2000)
    assert "Tệp quá lớn" in page.content.decode()


def test_anonymous_visitor_is_sent_to_log_in(db):
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_menu_offers_the_page_to_everyone(world):
    page = client_for(world.actors["staff"]).get(reverse("web:home")).content.decode()
    assert "Kiểm tra chữ ký số" in page and URL in page

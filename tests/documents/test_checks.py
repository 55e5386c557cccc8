"""Uploads are recognised by their content, never by their name (Vĩnh Phúc Đ7.3: the
digitised copy of a decision), refused with a Vietnamese message when they are not a
readable PDF, JPEG or PNG, and limited in size by settings."""

from __future__ import annotations

import hashlib

import pytest

from hoso.core.errors import DomainError
from hoso.documents.checks import JPEG, PDF, PNG, inspect_upload

from .samples import jpeg_bytes, png_bytes, scanned_pdf_bytes, upload


def test_a_scanned_pdf_is_accepted_with_its_pages_counted_and_hashed():
    content = scanned_pdf_bytes(pages=3)
    ins = inspect_upload(upload("qd-nang-luong.pdf", content))
    assert ins.content_type == PDF
    assert ins.pages == 3
    assert ins.size == len(content)
    assert ins.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("maker,kind", [(jpeg_bytes, JPEG), (png_bytes, PNG)])
def test_photos_are_accepted_as_what_they_contain(maker, kind):
    assert inspect_upload(upload("anh.bin", maker())).content_type == kind


def test_a_png_named_pdf_is_taken_for_the_png_it_is():
    ins = inspect_upload(upload("bang-tot-nghiep.pdf", png_bytes(), "application/pdf"))
    assert ins.content_type == PNG
    assert ins.extension == "png"


def test_an_html_file_named_jpg_is_refused_in_vietnamese():
    page = b"<!doctype html><html><script>alert(1)</script></html>"
    with pytest.raises(DomainError) as exc:
        inspect_upload(upload("anh-the.jpg", page, "image/jpeg"))
    assert exc.value.field == "file"
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in str(exc.value.message)


def test_a_truncated_pdf_is_refused():
    content = scanned_pdf_bytes()
    with pytest.raises(DomainError) as exc:
        inspect_upload(upload("qd.pdf", content[: len(content) * 2 // 3]))
    assert "không đọc được" in str(exc.value.message)


def test_a_pdf_header_on_garbage_is_refused():
    with pytest.raises(DomainError):
        inspect_upload(upload("qd.pdf", b"%PDF-1.7\n" + b"\x00" * 500))


@pytest.mark.parametrize("maker", [jpeg_bytes, png_bytes])
def test_a_truncated_image_is_refused(maker):
    content = maker(size=(800, 800))
    with pytest.raises(DomainError) as exc:
        inspect_upload(upload("anh", content[: len(content) // 2]))
    assert "không đọc được" in str(exc.value.message)


def test_an_oversize_file_is_refused_before_it_is_read(settings):
    settings.EVIDENCE_MAX_MB = 1
    big = scanned_pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(DomainError) as exc:
        inspect_upload(upload("qd.pdf", big))
    assert exc.value.code == "too_large"
    assert "1 MB" in str(exc.value.message)


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError) as exc:
        inspect_upload(upload("rong.pdf", b""))
    assert exc.value.code == "empty"

"""PAdES: a visible Vietnamese box, two signatures on one document (person, then
agency), tampering caught, RFC 3161 timestamps from a configured TSA."""

from __future__ import annotations

import pytest
from django.utils import translation

from hoso.core.errors import DomainError
from hoso.signing import pdf
from hoso.signing.backends import open_p12

from .conftest import PASSPHRASE
from .helpers import DECISION, sample_pdf, signed_twice, visible_text


def test_person_then_agency_signatures_both_verify(world, test_pki, trust):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    report = pdf.verify_pdf(document)
    assert report.ok, report.text()
    person, agency = report.signatures
    assert person.identity.kind == "person" and agency.identity.kind == "unit"
    assert person.only_signatures_added and person.unchanged
    assert agency.reason == "Xác thực của cơ quan"


def test_signature_boxes_are_visible_and_in_vietnamese(world, test_pki, trust):
    with translation.override("vi"):
        document = signed_twice(test_pki, world.people["in"], world.in_unit)
    text = visible_text(document)
    assert "Ký bởi: Nguyễn Văn Dũng" in text
    assert "Ký bởi: Sở Nội vụ" in text
    assert "Ngày ký:" in text and "Cơ quan:" in text


def test_tampered_pdf_is_caught(world, test_pki, trust):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    assert DECISION.encode() in document
    tampered = document.replace(b"so 123/QD", b"so 456/QD")
    report = pdf.verify_pdf(tampered)
    assert not report.ok
    assert not any(s.intact for s in report.signatures)


def test_content_appended_after_signing_is_caught(world, test_pki, trust):
    opened = open_p12(str(test_pki.p12(test_pki.person(world.people["in"]), "append")),
                      PASSPHRASE)
    signed = pdf.sign_pdf(sample_pdf(), opened)
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.add_stream_to_page(0, writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 400 Td (DA SUA) Tj ET")))
    out = BytesIO()
    writer.write(out)
    report = pdf.verify_pdf(out.getvalue())
    assert report.signatures[0].intact
    assert not report.signatures[0].unchanged
    assert not report.ok


def test_timestamp_from_the_configured_tsa(world, test_pki, trust, tsa_server, settings):
    settings.SIGNING_TSA_URL = tsa_server.url
    before = tsa_server.requests
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    assert tsa_server.requests > before
    report = pdf.verify_pdf(document)
    assert report.ok, report.text()
    assert all(s.timestamp_time is not None for s in report.signatures)


def test_unreachable_tsa_signs_nothing(world, test_pki, trust, settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    opened = open_p12(str(test_pki.p12(test_pki.person(world.people["in"]), "no-tsa")),
                      PASSPHRASE)
    with pytest.raises(DomainError) as caught:
        pdf.sign_pdf(sample_pdf(), opened)
    assert caught.value.code == "tsa"


def test_garbage_is_not_a_pdf(trust):
    with pytest.raises(DomainError) as caught:
        pdf.verify_pdf(b"%PDF-1.7 nothing else")
    assert caught.value.code == "garbage"
    with pytest.raises(DomainError):
        pdf.verify_pdf(b"GIF89a")


def test_unsigned_pdf_is_not_valid(trust):
    report = pdf.verify_pdf(sample_pdf())
    assert not report.ok and report.problems

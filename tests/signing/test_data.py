"""Detached signatures over canonical JSON and data packages: what they cover, and the
verifier catching tampering, an untrusted chain, an expired or revoked certificate."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from asn1crypto import cms
from django.utils import timezone

from hoso.core.canonical import canonical_json
from hoso.core.errors import DomainError
from hoso.signing import data
from hoso.signing.backends import open_p12
from hoso.signing.trust import check_signing_certificate

from .conftest import PASSPHRASE

DOC = {"full_name": "Lê Thị Hoa", "salary_coefficient": "3.66", "training": [{"from": "2010"}]}


def _open(test_pki, issued, name):
    return open_p12(str(test_pki.p12(issued, name)), PASSPHRASE)


def test_signature_covers_the_sha256_of_the_canonical_json(world, test_pki, trust):
    opened = _open(test_pki, test_pki.person(world.people["in"]), "cover")
    content, der = data.sign_document(opened, DOC)
    assert content == canonical_json(DOC)
    signer_info = cms.ContentInfo.load(der)["content"]["signer_infos"][0]
    attrs = {a["type"].native: a["values"][0] for a in signer_info["signed_attrs"]}
    assert attrs["message_digest"].native == hashlib.sha256(canonical_json(DOC)).digest()
    assert "signing_time" in attrs and "signing_certificate_v2" in attrs
    assert cms.ContentInfo.load(der)["content"]["encap_content_info"]["content"].native is None
    # the same document laid out differently verifies: what is signed is its canonical form
    relaid = data.json_bytes(b'{\n "training": [{"from": "2010"}], "salary_coefficient": "3.66",'
                             b' "full_name": "L\\u00ea Th\\u1ecb Hoa"}')
    assert data.verify_detached(relaid, der).ok


def test_tampered_data_package_is_caught(world, test_pki, trust):
    opened = _open(test_pki, test_pki.person(world.people["in"]), "pkg")
    content, der = data.sign_document(opened, DOC)
    package = data.make_package(content, [der])
    assert data.verify_package(package).ok

    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == data.PACKAGE_DATA:
                body = body.replace(b"3.66", b"4.98")
            dst.writestr(name, body)
    report = data.verify_package(tampered.getvalue())
    assert not report.ok
    assert not report.signatures[0].intact


def test_package_signed_by_two_parties_lists_both(world, test_pki, trust):
    person = _open(test_pki, test_pki.person(world.people["in"]), "two-a")
    agency = _open(test_pki, test_pki.unit(world.in_unit), "two-b")
    content = canonical_json(DOC)
    package = data.make_package(content, data.sign_many(person, [content])
                                + data.sign_many(agency, [content]))
    report = data.verify_package(package)
    assert report.ok, report.text()
    assert [s.identity.kind for s in report.signatures] == ["person", "unit"]


def test_untrusted_chain_is_caught(world, test_pki, trust):
    issued = test_pki.person(world.people["in"], ca=test_pki.stranger)
    opened = _open(test_pki, issued, "stranger")
    with pytest.raises(DomainError) as caught:
        check_signing_certificate(opened.asn1_certificate, opened.chain)
    assert caught.value.code == "certificate"
    content, der = data.sign_document(opened, DOC)  # signing below the service's checks
    report = data.verify_detached(content, der)
    assert report.signatures[0].intact
    assert not report.signatures[0].trusted
    assert not report.ok


def test_expired_certificate_is_caught(world, test_pki, trust):
    start = timezone.now() - dt.timedelta(days=400)
    issued = test_pki.person(world.people["in"], not_before=start,
                             not_after=start + dt.timedelta(days=365))
    opened = _open(test_pki, issued, "expired")
    with pytest.raises(DomainError) as caught:
        check_signing_certificate(opened.asn1_certificate, opened.chain)
    assert caught.value.code == "certificate"
    content, der = data.sign_document(opened, DOC)
    report = data.verify_detached(content, der)
    assert not report.ok
    assert not report.signatures[0].valid_at_signing


def test_revoked_certificate_is_caught(world, test_pki, trust, settings):
    settings.SIGNING_REVOCATION = "require"
    issued = test_pki.person(world.people["in"])
    opened = _open(test_pki, issued, "revoked")
    content, der = data.sign_document(opened, DOC)
    assert data.verify_detached(content, der).signatures[0].revocation == "ok"

    test_pki.province.revoke(issued.cert)
    test_pki.install(trust)  # the new CRL reaches the trust store
    with pytest.raises(DomainError) as caught:
        check_signing_certificate(opened.asn1_certificate, opened.chain)
    assert caught.value.code == "certificate"
    report = data.verify_detached(content, der)
    assert not report.ok
    assert report.signatures[0].revocation == "revoked"


def test_garbage_signature_file_gets_a_clear_error(trust):
    with pytest.raises(DomainError) as caught:
        data.verify_detached(b"{}", b"not a signature")
    assert caught.value.code == "garbage"
    with pytest.raises(DomainError):
        data.verify_package(b"PK\x03\x04 broken zip")


def test_integrity_check_refuses_an_altered_signature_value(world, test_pki, trust):
    opened = _open(test_pki, test_pki.person(world.people["in"]), "intact")
    content, der = data.sign_document(opened, DOC)
    digest = hashlib.sha256(content).digest()
    assert data.cms_intact(der, digest)
    assert not data.cms_intact(der, hashlib.sha256(content + b" ").digest())
    info = cms.ContentInfo.load(der)
    signature = info["content"]["signer_infos"][0]["signature"].native
    altered = der.replace(signature, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert altered != der and not data.cms_intact(altered, digest)

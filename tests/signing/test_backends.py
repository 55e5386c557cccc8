"""The three signer backends sign data that verifies; their failures are clear and
leave nothing signed."""

from __future__ import annotations

import threading
import time

import pytest
from django.utils import translation

from hoso.core.errors import DomainError
from hoso.signing import data
from hoso.signing.backends import SignerSpec, open_p12, open_pkcs11, open_signer
from hoso.signing.models import Purpose, Signature
from hoso.signing.services import SignItem, sign_batch_and_store

from .conftest import HSM_PERSON_ID, PASSPHRASE, PIN, PULL_TOKEN, TOKEN

DOC = {"họ_tên": "Nguyễn Văn Dũng", "ngạch": "01.003", "hệ_số": "4.98"}


def _verifies(opened) -> None:
    content, cms = data.sign_document(opened, DOC)
    report = data.verify_detached(content, cms)
    assert report.ok, report.text()


def test_p12_key_signs_data_that_verifies(world, test_pki, trust):
    issued = test_pki.person(world.people["in"])
    opened = open_p12(str(test_pki.p12(issued, "p12-ok")), PASSPHRASE)
    assert opened.identity.value == world.people["in"].id_number
    _verifies(opened)


def test_wrong_p12_passphrase_is_refused_in_vietnamese(world, test_pki, trust):
    path = test_pki.p12(test_pki.person(world.people["in"]), "p12-wrong")
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        open_p12(str(path), "đoán-bừa")
    assert caught.value.code == "wrong_secret"
    assert "Mật khẩu" in str(caught.value.message)
    assert "đoán-bừa" not in str(caught.value.message)


def test_pkcs11_token_signs_data_that_verifies(softhsm, trust):
    opened = open_pkcs11(softhsm.lib, TOKEN, PIN)
    try:
        assert opened.backend == "pkcs11"
        assert opened.identity.value == HSM_PERSON_ID
        _verifies(opened)
    finally:
        opened.close()


def test_wrong_pin_is_refused(softhsm, trust):
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        open_pkcs11(softhsm.lib, TOKEN, "0000")
    assert caught.value.code == "wrong_secret"
    assert "PIN" in str(caught.value.message)


def test_missing_token_is_named(softhsm, trust):
    with pytest.raises(DomainError) as caught:
        open_pkcs11(softhsm.lib, "KHONG-CO", PIN)
    assert caught.value.code == "no_token"


def test_token_pulled_out_mid_batch_stores_nothing(softhsm, trust, hsm_person):
    """Five documents; the token goes away after the second: no signature at all."""
    opened = open_pkcs11(softhsm.lib, PULL_TOKEN, PIN)
    items = [SignItem(document={"n": i}, reference=f"lô {i}") for i in range(5)]

    def progress(done):
        if done == 2:
            softhsm.pull(PULL_TOKEN)

    try:
        with pytest.raises(DomainError) as caught:
            sign_batch_and_store(actor=hsm_person, purpose=Purpose.BATCH, items=items,
                                 signer=opened, progress=progress)
    finally:
        opened.close()
    assert caught.value.code == "token_removed"
    assert Signature.objects.count() == 0
    # the other token (or this one plugged back in) still signs afterwards
    other = open_pkcs11(softhsm.lib, TOKEN, PIN)
    other.close()


def test_remote_service_signs_after_confirmation_on_the_phone(world, test_pki, remote):
    person = world.people["in"]
    issued = test_pki.person(person)
    remote.enrol(person.id_number, issued.key, issued.cert, issued.chain)
    remote.auto = None  # the user confirms by hand, a moment later

    def phone():
        for _ in range(100):
            pending = [k for k, t in remote.transactions.items() if t.status == "pending"]
            if pending:
                remote.confirm(pending[0])
                return
            time.sleep(0.02)

    thread = threading.Thread(target=phone)
    thread.start()
    opened = open_signer(SignerSpec("remote", service="ky-so-tu-xa"),
                         remote_user=person.id_number)
    _verifies(opened)
    thread.join()


def test_refusal_on_the_phone_signs_nothing(world, test_pki, remote):
    actor = world.actors["unit_head"]
    issued = test_pki.person(actor.person)
    remote.enrol(actor.person.id_number, issued.key, issued.cert, issued.chain)
    remote.auto = "deny"
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        sign_batch_and_store(
            actor=actor, purpose=Purpose.BATCH,
            items=[SignItem(document={"n": 1}), SignItem(document={"n": 2})],
            spec=SignerSpec("remote", service="ky-so-tu-xa"),
        )
    assert caught.value.code == "remote_denied"
    assert "từ chối" in str(caught.value.message)
    assert Signature.objects.count() == 0


def test_a_remote_batch_needs_one_confirmation(world, test_pki, remote):
    actor = world.actors["unit_head"]
    issued = test_pki.person(actor.person)
    remote.enrol(actor.person.id_number, issued.key, issued.cert, issued.chain)
    before = remote.requests_seen
    rows = sign_batch_and_store(
        actor=actor, purpose=Purpose.BATCH,
        items=[SignItem(document={"n": i}) for i in range(4)],
        spec=SignerSpec("remote", service="ky-so-tu-xa"),
    )
    assert remote.requests_seen == before + 1
    assert [r.backend for r in rows] == ["remote"] * 4
    for row, n in zip(rows, range(4), strict=True):
        report = data.verify_detached(data.canonical_bytes({"n": n}), bytes(row.cms))
        assert report.ok, report.text()


def test_remote_service_with_an_untrusted_tls_certificate_is_refused(world, remote, settings):
    text = settings.SIGNING_SIGNERS_FILE.read_text().replace("ca_file", "# ca_file")
    settings.SIGNING_SIGNERS_FILE.write_text(text)
    with pytest.raises(DomainError) as caught:
        open_signer(SignerSpec("remote", service="ky-so-tu-xa"), remote_user="001")
    assert caught.value.code == "remote"


def test_remote_service_refuses_a_wrong_client_secret(world, remote, monkeypatch):
    monkeypatch.setenv("HOSO_TEST_REMOTE_SECRET", "sai")
    with pytest.raises(DomainError) as caught:
        open_signer(SignerSpec("remote", service="ky-so-tu-xa"), remote_user="001")
    assert caught.value.code == "remote"

"""`hoso sign pdf|json|verify` and `hoso pki demo|revoke`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from hoso.signing import demo, pki
from hoso.signing.backends import open_p12

from .conftest import HSM_PERSON_ID, PASSPHRASE, PIN, TOKEN
from .helpers import sample_pdf


def run(*args) -> str:
    out = io.StringIO()
    with translation.override("vi"):
        call_command(*args, stdout=out)
    return out.getvalue()


def fails(*args) -> tuple[CommandError, str]:
    out = io.StringIO()
    with translation.override("vi"), pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out)
    return caught.value, out.getvalue()


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("HOSO_KEY_SECRET", PASSPHRASE)
    monkeypatch.setenv("HOSO_TOKEN_PIN", PIN)


def test_pdf_signed_by_person_then_agency_verifies_in_the_command(
        world, test_pki, trust, tmp_path, secret_env):
    person, unit = world.actors["unit_head"], world.in_unit
    p12_person = test_pki.p12(test_pki.person(person.person), "cli-person")
    p12_unit = test_pki.p12(test_pki.unit(unit), "cli-unit")
    source, once, twice = tmp_path / "in.pdf", tmp_path / "once.pdf", tmp_path / "twice.pdf"
    source.write_bytes(sample_pdf())
    run("sign", "pdf", str(source), str(once), "--p12", str(p12_person),
        "--secret-env", "HOSO_KEY_SECRET", "--user", person.username, "--reason", "Phê duyệt")
    run("sign", "pdf", str(once), str(twice), "--p12", str(p12_unit),
        "--secret-env", "HOSO_KEY_SECRET", "--unit", unit.code)
    out = run("sign", "verify", str(twice))
    assert out.count("HỢP LỆ") == 2
    assert "Kết quả: mọi chữ ký đều nguyên vẹn và tin cậy." in out

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(twice.read_bytes().replace(b"so 123/QD", b"so 999/QD"))
    error, out = fails("sign", "verify", str(tampered))
    assert error.returncode == 1
    assert "KHÔNG HỢP LỆ" in out


def test_json_signature_and_package(world, test_pki, trust, tmp_path, secret_env):
    p12 = test_pki.p12(test_pki.person(world.people["in"]), "cli-json")
    doc = tmp_path / "batch.json"
    doc.write_text(json.dumps({"lô": 7, "người": ["A", "B"]}, ensure_ascii=False, indent=2),
                   encoding="utf-8")
    sig = tmp_path / "batch.json.sig"
    run("sign", "json", str(doc), str(sig), "--p12", str(p12), "--secret-env",
        "HOSO_KEY_SECRET")
    assert "HỢP LỆ" in run("sign", "verify", str(doc), "--sig", str(sig))
    doc.write_text(json.dumps({"lô": 8, "người": ["A", "B"]}), encoding="utf-8")
    error, _out = fails("sign", "verify", str(doc), "--sig", str(sig))
    assert error.returncode == 1

    package = tmp_path / "batch.zip"
    run("sign", "json", str(doc), str(package), "--p12", str(p12), "--secret-env",
        "HOSO_KEY_SECRET")
    agency = test_pki.p12(test_pki.unit(world.in_unit), "cli-json-unit")
    run("sign", "json", str(package), str(package), "--p12", str(agency), "--secret-env",
        "HOSO_KEY_SECRET")
    out = run("sign", "verify", str(package))
    assert "Chữ ký 2: HỢP LỆ" in out


def test_pdf_signed_on_a_pkcs11_token_from_the_command(
        softhsm, trust, tmp_path, secret_env, hsm_person):
    source, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(sample_pdf())
    run("sign", "pdf", str(source), str(out), "--pkcs11-lib", softhsm.lib, "--token", TOKEN,
        "--key-label", "ky-so", "--secret-env", "HOSO_TOKEN_PIN", "--user", "token.holder")
    report = run("sign", "verify", str(out))
    assert "HỢP LỆ" in report and HSM_PERSON_ID[-3:] in report


def test_remote_signer_from_the_command(world, test_pki, remote, tmp_path):
    person = world.people["in"]
    issued = test_pki.person(person)
    remote.enrol(person.id_number, issued.key, issued.cert, issued.chain)
    source, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(sample_pdf())
    run("sign", "pdf", str(source), str(out), "--remote", "ky-so-tu-xa", "--remote-user",
        person.id_number)
    assert "HỢP LỆ" in run("sign", "verify", str(out))


def test_secret_is_never_taken_from_the_command_line(world, test_pki, trust, tmp_path):
    p12 = test_pki.p12(test_pki.person(world.people["in"]), "cli-secret")
    source = tmp_path / "in.pdf"
    source.write_bytes(sample_pdf())
    error, _ = fails("sign", "pdf", str(source), str(tmp_path / "o.pdf"), "--p12", str(p12))
    assert "--secret-env" in str(error)
    assert not (tmp_path / "o.pdf").exists()


def test_certificate_of_another_user_is_refused_by_the_command(
        world, test_pki, trust, tmp_path, secret_env):
    p12 = test_pki.p12(test_pki.person(world.people["out"]), "cli-other")
    source = tmp_path / "in.pdf"
    source.write_bytes(sample_pdf())
    error, _ = fails("sign", "pdf", str(source), str(tmp_path / "o.pdf"), "--p12", str(p12),
                     "--secret-env", "HOSO_KEY_SECRET", "--user", "unit_head")
    assert "người khác" in str(error)
    assert not (tmp_path / "o.pdf").exists()


def test_garbage_file_gets_a_clear_error(trust, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not signed")
    error, _ = fails("sign", "verify", str(junk))
    assert "PDF" in str(error)


def test_pki_demo_issues_once_and_installs_its_root(world, trust, settings):
    out = run("pki", "demo")
    assert demo.DEMO_PASSPHRASE in out
    people = Path(settings.SIGNING_PKI_DIR) / "people"
    head = world.actors["unit_head"]
    key, cert, _chain = pki.load_p12((people / "unit_head.p12").read_bytes(),
                                     demo.DEMO_PASSPHRASE)
    assert pki.identity_of(cert) == pki.Identity("person", head.person.id_number)
    units = {p.stem for p in (Path(settings.SIGNING_PKI_DIR) / "units").iterdir()}
    # the units whose head or chairman has an account, and Sở Nội vụ
    assert {world.in_unit.code, world.commune.code} <= units
    assert (Path(settings.SIGNING_TRUST_ANCHORS) / demo.ROOT_FILE).exists()
    opened = open_p12(str(people / "unit_head.p12"), demo.DEMO_PASSPHRASE)
    from hoso.signing.trust import check_signing_certificate

    check_signing_certificate(opened.asn1_certificate, opened.chain)

    before = (people / "unit_head.p12").read_bytes()
    assert "(0 mới cấp)" in run("pki", "demo")
    assert (people / "unit_head.p12").read_bytes() == before
    assert 'user."unit_head"' in Path(settings.SIGNING_SIGNERS_FILE).read_text()


def test_revoked_demo_certificate_can_no_longer_sign(world, trust, settings, tmp_path,
                                                     monkeypatch):
    run("pki", "demo")
    settings.SIGNING_REVOCATION = "require"
    p12 = Path(settings.SIGNING_PKI_DIR) / "people" / "unit_head.p12"
    run("pki", "revoke", str(p12))
    monkeypatch.setenv("HOSO_KEY_SECRET", demo.DEMO_PASSPHRASE)
    source = tmp_path / "in.pdf"
    source.write_bytes(sample_pdf())
    error, _ = fails("sign", "pdf", str(source), str(tmp_path / "o.pdf"), "--p12", str(p12),
                     "--secret-env", "HOSO_KEY_SECRET")
    assert "thu hồi" in str(error)


def test_a_demo_key_can_be_put_on_a_token_and_sign_from_there(
        world, test_pki, softhsm, trust, tmp_path, secret_env):
    p12 = test_pki.p12(test_pki.person(world.people["in"]), "to-token")
    out = run("pki", "to-token", str(p12), "--pkcs11-lib", softhsm.lib, "--token", TOKEN,
              "--label", "nhap-tu-p12", "--secret-env", "HOSO_KEY_SECRET",
              "--pin-env", "HOSO_TOKEN_PIN")
    assert "nhap-tu-p12" in out
    source, signed = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(sample_pdf())
    run("sign", "pdf", str(source), str(signed), "--pkcs11-lib", softhsm.lib, "--token", TOKEN,
        "--key-label", "nhap-tu-p12", "--secret-env", "HOSO_TOKEN_PIN")
    report = run("sign", "verify", str(signed))
    assert "HỢP LỆ" in report and world.people["in"].full_name in report

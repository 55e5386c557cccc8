"""`sign_and_store`: the signer must be who acts, nothing is half-signed, stored
signatures are immutable and `hoso audit verify` checks them again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import ChangeLog
from hoso.audit.verify import verify_all
from hoso.core.canonical import canonical_json
from hoso.core.errors import DomainError, PermissionDenied
from hoso.signing import subjects
from hoso.signing.backends import SignerSpec, open_p12
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Purpose, Signature
from hoso.signing.selectors import signer_for
from hoso.signing.services import SignItem, sign_and_store, sign_batch_and_store

from ..audit.tampering import triggers_off
from .conftest import PASSPHRASE

DECISION = {"change_request": 41, "decision": "approve", "comment": "Đúng hồ sơ gốc"}


def _signer(test_pki, issued, name):
    return open_p12(str(test_pki.p12(issued, name)), PASSPHRASE)


def _unit_payload(unit):
    return {"code": unit.code, "name": unit.name}


def test_sign_and_store_keeps_what_was_signed(world, test_pki, trust):
    head = world.actors["unit_head"]
    opened = _signer(test_pki, test_pki.person(head.person), "store")
    sig = sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                         reference="CR-41", signer=opened)
    sig.refresh_from_db()
    assert sig.content_hash == hashlib.sha256(canonical_json(DECISION)).hexdigest()
    assert sig.signed_by == head and sig.backend == "p12"
    assert sig.signer_name == head.person.full_name
    assert ChangeLog.objects.filter(object_type="signing.signature",
                                    object_id=str(sig.pk)).exists()
    assert check_signatures().ok


def test_certificate_of_another_person_is_refused(world, test_pki, trust):
    head = world.actors["unit_head"]
    someone_else = _signer(test_pki, test_pki.person(world.people["out"]), "other")
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                       signer=someone_else)
    assert caught.value.code == "wrong_holder"
    assert "người khác" in str(caught.value.message)
    assert not Signature.objects.exists()


def test_signing_for_a_unit_needs_the_units_certificate(world, test_pki, trust):
    head = world.actors["unit_head"]
    own = _signer(test_pki, test_pki.person(head.person), "unit-own")
    with pytest.raises(DomainError) as caught:
        sign_and_store(actor=head, purpose=Purpose.BATCH, document=DECISION,
                       on_behalf_of=world.in_unit, signer=own)
    assert caught.value.code == "wrong_holder"
    agency = _signer(test_pki, test_pki.unit(world.in_unit), "unit-agency")
    sig = sign_and_store(actor=head, purpose=Purpose.BATCH, document=DECISION,
                         on_behalf_of=world.in_unit, signer=agency)
    assert sig.on_behalf_of == world.in_unit


def test_signing_for_a_unit_out_of_ones_scope_is_denied(world, test_pki, trust):
    head = world.actors["unit_head"]
    agency = _signer(test_pki, test_pki.unit(world.out_unit), "out-agency")
    with pytest.raises(PermissionDenied):
        sign_and_store(actor=head, purpose=Purpose.BATCH, document=DECISION,
                       on_behalf_of=world.out_unit, signer=agency)


def test_expired_certificate_cannot_sign(world, test_pki, trust):
    import datetime as dt

    from django.utils import timezone

    head = world.actors["unit_head"]
    start = timezone.now() - dt.timedelta(days=800)
    old = _signer(test_pki, test_pki.person(head.person, not_before=start,
                                            not_after=start + dt.timedelta(days=730)), "old")
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION, signer=old)
    assert "hết hạn" in str(caught.value.message)
    assert not Signature.objects.exists()


def test_signer_is_found_for_the_user_then_the_units_ancestors(world, test_pki, trust,
                                                              settings):
    Path(settings.SIGNING_SIGNERS_FILE).write_text(
        '[user."unit_head"]\nbackend = "p12"\nfile = "/keys/head.p12"\n\n'
        f'[unit."{world.in_unit.code}"]\nbackend = "pkcs11"\n'
        'lib = "/usr/lib/softhsm/libsofthsm2.so"\ntoken = "SNV"\n',
        encoding="utf-8",
    )
    assert signer_for(user=world.actors["unit_head"]).file == "/keys/head.p12"
    assert signer_for(unit=world.in_child) == SignerSpec(
        "pkcs11", lib="/usr/lib/softhsm/libsofthsm2.so", token="SNV")
    with pytest.raises(DomainError):
        signer_for(unit=world.out_unit)
    with pytest.raises(DomainError):
        signer_for(user=world.actors["staff"])


def test_signers_file_errors_are_clear(world, trust, settings):
    Path(settings.SIGNING_SIGNERS_FILE).write_text('[user."x"]\nbackend = "usb"\n')
    with pytest.raises(DomainError) as caught:
        signer_for(user=world.actors["staff"])
    assert "user.x" in str(caught.value.message)


def test_configured_signer_asks_for_the_passphrase_at_signing_time(world, test_pki, trust,
                                                                  settings):
    head = world.actors["unit_head"]
    path = test_pki.p12(test_pki.person(head.person), "configured")
    Path(settings.SIGNING_SIGNERS_FILE).write_text(
        f'[user."unit_head"]\nbackend = "p12"\nfile = "{path}"\n', encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION, secret="sai")
    assert caught.value.code == "wrong_secret"
    sig = sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                         secret=PASSPHRASE)
    assert PASSPHRASE not in str(ChangeLog.objects.filter(object_id=str(sig.pk)).values())


def test_a_batch_is_signed_whole(world, test_pki, trust):
    opened = _signer(test_pki, test_pki.unit(world.root), "batch")
    rows = sign_batch_and_store(
        actor=SYSTEM, purpose=Purpose.PROVINCE_APPROVAL, on_behalf_of=world.root,
        items=[SignItem(document={"person": i}, reference=f"#{i}") for i in range(25)],
        signer=opened,
    )
    assert len(rows) == 25 and len({r.batch_id for r in rows}) == 1
    assert Signature.objects.count() == 25
    assert check_signatures().ok


def test_stored_signatures_are_immutable(world, test_pki, trust):
    head = world.actors["unit_head"]
    sig = sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                         signer=_signer(test_pki, test_pki.person(head.person), "immut"))
    with pytest.raises(TypeError):
        sig.save()
    with pytest.raises(TypeError):
        sig.delete()
    with pytest.raises(TypeError):
        Signature.objects.update(reference="x")
    for sql in (f"UPDATE signing_signature SET reference = 'x' WHERE id = {sig.pk}",
                f"DELETE FROM signing_signature WHERE id = {sig.pk}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)


def test_audit_verify_catches_a_forged_signature_row(world, test_pki, trust):
    head = world.actors["unit_head"]
    sig = sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                         signer=_signer(test_pki, test_pki.person(head.person), "forge"))
    forged = hashlib.sha256(canonical_json({**DECISION, "decision": "reject"})).hexdigest()
    with triggers_off("signing_signature"), connection.cursor() as c:
        c.execute("UPDATE signing_signature SET content_hash = %s WHERE id = %s",
                  [forged, sig.pk])
    report = check_signatures()
    assert (report.broken_seq, report.problem) == (sig.pk, "signature_broken")
    assert any(r.chain == "signatures" and not r.ok for r in verify_all())


def test_audit_verify_catches_a_subject_changed_after_signing(world, test_pki, trust,
                                                             monkeypatch):
    monkeypatch.setitem(subjects._PAYLOADS, "org.orgunit", _unit_payload)
    opened = _signer(test_pki, test_pki.unit(world.in_child), "subject")
    sig = sign_and_store(actor=SYSTEM, purpose=Purpose.OTHER, subject=world.in_child,
                         on_behalf_of=world.in_child, signer=opened)
    assert sig.subject_type == "org.orgunit" and check_signatures().ok
    from hoso.org.models import OrgUnit

    OrgUnit.objects.filter(pk=world.in_child.pk).update(name="Phòng đã đổi tên")
    report = check_signatures()
    assert (report.broken_seq, report.problem) == (sig.pk, "subject_changed")


def test_audit_verify_command_checks_signatures(world, test_pki, trust, capsys):
    head = world.actors["unit_head"]
    sign_and_store(actor=head, purpose=Purpose.REVIEW, document=DECISION,
                   signer=_signer(test_pki, test_pki.person(head.person), "cmd"))
    with translation.override("vi"):
        call_command("audit", "verify")
    assert "chữ ký" in capsys.readouterr().out.lower()

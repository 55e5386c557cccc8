"""The province batch: gathering the units' approvals, the window, signing as one act.

Vĩnh Phúc Đ8.2, Đ12.4; Cần Thơ 641/QĐ-UBND Đ5.3 ("trong vòng 05 ngày cuối của từng
tháng"); Lai Châu 2.3 (the last 5 working days); Lâm Đồng Đ7.4; Quảng Nam Đ5.3.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from hoso.audit.models import AccessLog
from hoso.core.canonical import canonical_json
from hoso.core.errors import DomainError, PermissionDenied
from hoso.oversight import services
from hoso.oversight.manifest import manifest_of
from hoso.oversight.models import BatchStatus, ProvinceBatch, ProvinceBatchItem
from hoso.oversight.selectors import counts_by_unit, signed_batches
from hoso.signing import data as signing_data
from hoso.signing.backends import open_p12
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Purpose, Signature

from ..audit.tampering import triggers_off
from .conftest import PASSPHRASE, approve


def _sign(actor, batch, **kw):
    return services.batch_sign(actor=actor, batch_id=batch.pk, version=batch.version,
                               secret=PASSPHRASE, **kw)


# --- the window ----------------------------------------------------------------------


def test_can_tho_window_is_the_last_five_days_of_the_month(province):
    province("can-tho")  # Cần Thơ 641/QĐ-UBND Đ5.3
    inside = services.window_state(dt.date(2027, 2, 24))
    assert (inside.first, inside.last) == (dt.date(2027, 2, 24), dt.date(2027, 2, 28))
    assert inside.open and (inside.year, inside.month) == (2027, 2)
    before = services.window_state(dt.date(2027, 2, 23))
    assert not before.open and before.first == dt.date(2027, 2, 24)


def test_lai_chau_window_is_the_last_five_working_days(province):
    province("lai-chau")  # Lai Châu 2.3
    # April 2027: 30/4 (Friday) is a holiday, 1/5 a Saturday: the last five working
    # days are 23, 26, 27, 28 and 29 April.
    state = services.window_state(dt.date(2027, 4, 29))
    assert (state.first, state.last) == (dt.date(2027, 4, 23), dt.date(2027, 4, 29))
    assert state.open
    # on the holiday the April window is over: the next is May's, 25–31 May 2027
    after = services.window_state(dt.date(2027, 4, 30))
    assert not after.open
    assert (after.first, after.last) == (dt.date(2027, 5, 25), dt.date(2027, 5, 31))
    assert (after.year, after.month) == (2027, 5)


def test_a_province_without_a_window_signs_any_day(province):
    province("vinh-phuc")  # Vĩnh Phúc Đ8.2: monthly, no window of its own
    state = services.window_state(dt.date(2027, 3, 3))
    assert state.open and not state.has_window and (state.year, state.month) == (2027, 3)


def test_signing_outside_the_window_names_its_dates_and_changes_nothing(
        world, approved, province, clock, keys):
    province("can-tho")
    clock.set(dt.date(2027, 3, 12))
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    before = AccessLog.objects.filter(action="denied").count()
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        _sign(approver, batch)
    assert caught.value.code == "outside_window"
    message = str(caught.value.message)
    assert "27/03/2027" in message and "31/03/2027" in message and "12/03/2027" in message
    assert "5 ngày cuối" in message
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN and not Signature.objects.exists()
    denied = AccessLog.objects.filter(action="denied").order_by("seq")
    assert denied.count() == before + 1
    assert denied.last().detail["code"] == "outside_window"


# --- gathering -----------------------------------------------------------------------


def test_prepare_gathers_every_approval_no_batch_holds(world, approved, province, clock):
    province("can-tho")
    clock.set(dt.date(2027, 3, 10))
    prepared = services.batch_prepare(actor=world.actors["province_approver"])
    batch = prepared.batch
    assert prepared.added == 4 and batch.item_count == 4 and batch.version == 1
    # prepared before the window: for March's window (27–31/03)
    assert (batch.year, batch.month) == (2027, 3)
    assert set(batch.items.values_list("revision_id", flat=True)) == {
        r.pk for r in approved.values()}
    # the division's approval counts for its agency (Sở Nội vụ)
    counts = counts_by_unit(batch)
    assert {c.unit.name: c.count for c in counts} == {
        "Sở Nội vụ": 2, "Sở Y tế": 1, "UBND xã Tam Đảo": 1}
    # Sở Nội vụ's sub-tree opens one level further: its own approval, its division's
    inside = counts_by_unit(batch, within=world.in_unit)
    assert [(c.unit.name, c.count, c.own) for c in inside] == [
        ("Sở Nội vụ", 1, True), ("Phòng Tổ chức", 1, False)]
    assert [c.has_below for c in counts] == [True, False, False]


def test_preparing_again_adds_only_new_approvals(world, approved, province, clock):
    province("can-tho")
    clock.set(dt.date(2027, 3, 10))
    approver = world.actors["province_approver"]
    first = services.batch_prepare(actor=approver).batch
    again = services.batch_prepare(actor=approver)
    assert again.added == 0 and again.batch.pk == first.pk and again.batch.version == 1
    approve(world.people["out"], phone="0912345678")
    third = services.batch_prepare(actor=approver)
    assert third.added == 1 and third.batch.item_count == 5 and third.batch.version == 2


def test_items_freeze_what_the_manifest_names(world, approved, province, clock):
    province("can-tho")
    clock.set(dt.date(2027, 3, 10))
    batch = services.batch_prepare(actor=world.actors["province_approver"]).batch
    person = world.people["out"]
    item = batch.items.get(person=person)
    assert (item.unit_id, item.unit_code, item.id_number_hash) == (
        person.unit_id, person.unit.code, person.id_number_hash)
    assert item.revision == approved["out"]


def test_only_province_approvers_gather_and_sign(world, approved, province, keys):
    province("vinh-phuc")
    for key in ("hr_head", "unit_head", "auditor", "staff"):
        with pytest.raises(PermissionDenied):
            services.batch_prepare(actor=world.actors[key])
    batch = services.batch_prepare(actor=world.actors["province_admin"]).batch
    with pytest.raises(PermissionDenied):
        _sign(world.actors["hr_head"], batch)
    assert not Signature.objects.exists()


# --- signing -------------------------------------------------------------------------


def test_signing_in_the_window_signs_the_manifest_once(world, approved, province, clock, keys):
    province("can-tho")
    clock.set(dt.date(2027, 3, 29))
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    signed = _sign(approver, batch)

    assert signed.status == BatchStatus.SIGNED and signed.signed_by == approver
    assert (signed.year, signed.month) == (2027, 3)
    sig = Signature.objects.get()
    assert sig.purpose == Purpose.PROVINCE_APPROVAL
    assert sig.subject_type == "oversight.provincebatch" and sig.subject_id == str(batch.pk)
    manifest = manifest_of(signed)
    data = canonical_json(manifest)
    assert sig.content_hash == signed.manifest_hash == hashlib.sha256(data).hexdigest()
    assert manifest["period"] == "2027-03" and manifest["count"] == 4
    assert manifest["province"] == {"policy": "can-tho", "code": world.root.code}
    assert manifest["items_hash"] == hashlib.sha256(
        canonical_json(manifest["items"])).hexdigest()
    out = world.people["out"]
    assert {"person": out.pk, "id_number_hash": out.id_number_hash,
            "revision": 1, "content_hash": approved["out"].content_hash,
            "unit": world.out_unit.code} in manifest["items"]
    # the person's key, never their data
    text = data.decode()
    for person in world.people.values():
        assert person.full_name not in text and person.id_number not in text
    # a real signature over those bytes, by the approver, that `hoso audit verify` rechecks
    report = signing_data.verify_detached(data, bytes(sig.cms))
    assert report.ok, report.text()
    assert report.signatures[0].signer == approver.person.full_name
    assert check_signatures().ok


def test_a_revision_is_in_at_most_one_signed_batch(world, approved, province, clock, keys):
    province("can-tho")
    clock.set(dt.date(2027, 3, 29))
    approver = world.actors["province_approver"]
    march = _sign(approver, services.batch_prepare(actor=approver).batch)
    newer = approve(world.people["in"], phone="0987654321")
    april = services.batch_prepare(actor=approver).batch
    # March's window already has its signed batch: the next batch is April's
    assert april.pk != march.pk and (april.year, april.month) == (2027, 4)
    assert list(april.items.values_list("revision_id", flat=True)) == [newer.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceBatchItem.objects.create(
            batch=april, revision=approved["in"], person=world.people["in"],
            unit=world.in_unit, unit_code=world.in_unit.code, id_number_hash="x" * 64)
    assert list(signed_batches()) == [march]


def test_two_approvers_signing_at_once_give_one_batch(world, approved, province, clock, keys,
                                                      test_pki):
    province("can-tho")
    clock.set(dt.date(2027, 3, 30))
    approver, admin = world.actors["province_approver"], world.actors["province_admin"]
    batch = services.batch_prepare(actor=approver).batch
    # the approver's device signs; meanwhile the administrator signs the same batch
    slow = services.sign_manifest(actor=approver, batch_id=batch.pk, version=batch.version,
                                  secret=PASSPHRASE)
    _sign(admin, batch)
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        services.commit_signature(actor=approver, signed=slow)
    assert caught.value.code == "already_signed"
    assert admin.full_name in str(caught.value.message)
    batch.refresh_from_db()
    assert batch.signed_by == admin
    assert Signature.objects.count() == 1
    assert ProvinceBatch.objects.signed().count() == 1


def test_a_batch_that_grew_since_it_was_opened_is_not_signed(world, approved, province, clock,
                                                             keys):
    province("can-tho")
    clock.set(dt.date(2027, 3, 30))
    approver = world.actors["province_approver"]
    seen = services.batch_prepare(actor=approver).batch
    approve(world.people["commune"], phone="0900000001")
    services.batch_prepare(actor=world.actors["province_admin"])
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        _sign(approver, seen)  # the version the approver saw
    assert caught.value.code == "stale" and "5" in str(caught.value.message)
    assert not Signature.objects.exists()


def test_a_revoked_certificate_refuses_and_changes_nothing(world, approved, province, clock,
                                                          test_pki, trust, settings):
    province("can-tho")
    clock.set(dt.date(2027, 3, 30))
    settings.SIGNING_REVOCATION = "require"
    approver = world.actors["province_approver"]
    issued = test_pki.person(approver.person)
    test_pki.province.revoke(issued.cert)
    test_pki.install(trust)  # the new CRL reaches the trust store
    batch = services.batch_prepare(actor=approver).batch
    opened = open_p12(str(test_pki.p12(issued, "revoked")), PASSPHRASE)
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        services.batch_sign(actor=approver, batch_id=batch.pk, version=batch.version,
                            signer=opened)
    assert caught.value.code == "certificate" and "thu hồi" in str(caught.value.message)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN and batch.signature is None
    assert not Signature.objects.exists()
    assert AccessLog.objects.filter(action="denied",
                                    detail__code="certificate").exists()


def test_someone_elses_certificate_is_refused(world, approved, province, clock, test_pki,
                                              trust):
    province("can-tho")
    clock.set(dt.date(2027, 3, 30))
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    other = open_p12(str(test_pki.p12(test_pki.person(world.people["out"]), "other")),
                     PASSPHRASE)
    with pytest.raises(DomainError) as caught:
        services.batch_sign(actor=approver, batch_id=batch.pk, version=batch.version,
                            signer=other)
    assert caught.value.code == "wrong_holder"
    assert not Signature.objects.exists()


def test_an_empty_batch_is_not_signed(world, province, keys):
    province("vinh-phuc")
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    assert batch.item_count == 0
    with pytest.raises(DomainError) as caught:
        _sign(approver, batch)
    assert caught.value.code == "empty"


# --- immutability --------------------------------------------------------------------


def test_a_signed_batch_and_its_items_cannot_change(world, approved, province, keys):
    province("vinh-phuc")
    approver = world.actors["province_approver"]
    batch = _sign(approver, services.batch_prepare(actor=approver).batch)
    batch.item_count = 1
    with pytest.raises(TypeError):
        batch.save()
    with pytest.raises(TypeError):
        batch.delete()
    with pytest.raises(TypeError):
        ProvinceBatchItem.objects.filter(batch=batch).delete()
    for sql in ("UPDATE oversight_provincebatch SET item_count = 1",
                "DELETE FROM oversight_provincebatch",
                "UPDATE oversight_provincebatchitem SET unit_code = 'x'",
                "DELETE FROM oversight_provincebatchitem"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert ProvinceBatch.objects.get().item_count == 4


def test_an_open_batch_changes_through_its_model_only(world, approved, province):
    province("vinh-phuc")
    batch = services.batch_prepare(actor=world.actors["province_approver"]).batch
    with connection.cursor() as c:  # the trigger lets an open batch be updated
        c.execute("UPDATE oversight_provincebatch SET prepared_at = prepared_at")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM oversight_provincebatch")
    assert ProvinceBatch.objects.filter(pk=batch.pk).exists()


def test_audit_verify_catches_an_altered_item_of_a_signed_batch(world, approved, province,
                                                                keys):
    province("vinh-phuc")
    approver = world.actors["province_approver"]
    batch = _sign(approver, services.batch_prepare(actor=approver).batch)
    assert check_signatures().ok
    with triggers_off("oversight_provincebatchitem"), connection.cursor() as c:
        c.execute("UPDATE oversight_provincebatchitem SET unit_code = %s WHERE batch_id = %s",
                  ["000.99.99.H26", batch.pk])
        report = check_signatures()
    assert not report.ok and report.problem == "subject_changed"


def test_signed_package_holds_the_manifest_and_verifies(world, approved, province, keys):
    from hoso.oversight.selectors import batch_package

    province("vinh-phuc")
    approver = world.actors["province_approver"]
    batch = _sign(approver, services.batch_prepare(actor=approver).batch)
    package = batch_package(user=approver, pk=batch.pk)
    data, sigs = signing_data.read_package(package.data)
    assert json.loads(data)["batch"] == batch.pk and len(sigs) == 1
    assert signing_data.verify_package(package.data).ok
    assert AccessLog.objects.filter(action="export", object_type="oversight.provincebatch",
                                    object_id=str(batch.pk)).exists()

"""The signed copy of the printed CV: signed by the competent person, then by the agency,
it has the legal value of the paper original (Vĩnh Phúc Đ9.4, Cần Thơ 641/QĐ-UBND Đ7.5);
it prints from the approved revision only (Cần Thơ Đ7.6, Lâm Đồng Đ9.5).

Real keys from the signing tests' session PKI (tests/signing/conftest.py), real PDFs,
real verification (the page and `hoso sign verify`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import AccessLog, ChangeLog
from hoso.audit.verify import verify_all
from hoso.core.crypto import fernet
from hoso.core.errors import DomainError, PermissionDenied
from hoso.records.services import revision_create
from hoso.reports.integrity import check_signed_exports
from hoso.reports.models import SignedExport
from hoso.reports.selectors import NothingToPrint
from hoso.reports.services import signed_cv_complete, signed_cv_create
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Signature
from hoso.signing.pdf import verify_pdf
from hoso.workflow.services import draft_start

from ..clients import client_for
from ..records.documents import document_for, first_revision
from ..signing import conftest as signing_fixtures
from ..signing.conftest import PASSPHRASE
from ..signing.helpers import visible_text

# The signing tests' session PKI and per-test trust anchors (fixtures).
test_pki = signing_fixtures.test_pki
trust = signing_fixtures.trust

WRONG = "không-phải-mật-khẩu"


def new_url(person) -> str:
    return reverse("reports:signed_cv_new", kwargs={"pk": person.pk})


def list_url(person) -> str:
    return reverse("reports:signed_cv_list", kwargs={"pk": person.pk})


def agency_url(export) -> str:
    return reverse("reports:signed_cv_agency", kwargs={"pk": export.pk})


def download_url(export) -> str:
    return reverse("reports:signed_cv_download", kwargs={"pk": export.pk})


def write_signers(settings, *, users=None, units=None) -> None:
    lines = []
    for name, p12 in (users or {}).items():
        lines += [f'[user."{name}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    for code, p12 in (units or {}).items():
        lines += [f'[unit."{code}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    Path(settings.SIGNING_SIGNERS_FILE).write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def keys(world, test_pki, trust, settings):
    """The head of unit's own key, and the agency key of Sở Nội vụ (world.in_unit)."""
    head = world.actors["unit_head"]
    files = {
        "head": test_pki.p12(test_pki.person(head.person), "cv-head"),
        "agency": test_pki.p12(test_pki.unit(world.in_unit), "cv-agency"),
    }
    write_signers(settings, users={"unit_head": files["head"]},
                  units={world.in_unit.code: files["agency"]})
    return files


def _text(pdf: bytes) -> str:
    """What a reader sees, with every run of white space (wrapped lines) as one space."""
    return " ".join(unicodedata.normalize("NFC", visible_text(pdf)).split())


def test_competent_person_then_agency_sign_a_copy_that_verifies_in_the_page_and_the_command(
        world, keys, tmp_path):
    person = world.people["in"]
    revision = first_revision(person)
    head, hr_head = world.actors["unit_head"], world.actors["hr_head"]

    response = client_for(head).post(new_url(person), {"secret": PASSPHRASE})
    assert response.status_code == 302 and response["Location"] == list_url(person)
    export = SignedExport.objects.get()
    assert (export.status, export.revision, export.requested_by, export.agency) == (
        SignedExport.Status.AWAITING_AGENCY, revision, head, world.in_unit)
    assert Signature.objects.for_subject(export).count() == 1

    # whoever may sign for Sở Nội vụ and holds its key completes the copy
    client = client_for(hr_head)
    page = client.get(agency_url(export)).content.decode()
    assert world.in_unit.name in page and head.full_name in page
    response = client.post(agency_url(export), {"secret": PASSPHRASE})
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == SignedExport.Status.COMPLETE and export.completed_by == hr_head
    first, second = Signature.objects.for_subject(export).order_by("pk")
    assert (first.signed_by, first.on_behalf_of, first.signer_name) == (
        head, None, head.person.full_name)
    assert (second.signed_by, second.on_behalf_of) == (hr_head, world.in_unit)

    data = client.get(download_url(export)).content
    assert hashlib.sha256(data).hexdigest() == export.sha256

    # the verification page
    page = client_for(world.actors["staff"]).post(
        reverse("signing:verify"), {"file": SimpleUploadedFile("ban-sao.pdf", data)}
    ).content.decode()
    assert "Mọi chữ ký đều nguyên vẹn và tin cậy." in page
    assert page.count("hợp lệ</h3>") == 2 and "không hợp lệ</h3>" not in page
    assert head.person.full_name in page and world.in_unit.name in page
    assert "Xác nhận bản sao, phiên bản 1" in page and "Xác thực của cơ quan" in page

    # and the command
    path = tmp_path / "ban-sao.pdf"
    path.write_bytes(data)
    out = io.StringIO()
    with translation.override("vi"):
        call_command("sign", "verify", str(path), stdout=out)
    assert out.getvalue().count("HỢP LỆ") == 2
    assert "Kết quả: mọi chữ ký đều nguyên vẹn và tin cậy." in out.getvalue()

    # what a reader sees: the cover, the CV of the approved revision, both boxes
    text = _text(data)
    assert "BẢN SAO ĐIỆN TỬ CÓ KÝ SỐ" in text
    assert "có giá trị pháp lý như bản gốc văn bản giấy" in text
    assert person.full_name.upper() in text
    assert revision.content_hash in text
    assert text.count("Ký bởi:") == 2
    # both stored signatures check again, as does the copy
    assert check_signatures().ok and check_signed_exports().ok


def test_each_step_leaves_an_access_row_and_the_secret_is_kept_nowhere(world, keys):
    person = world.people["in"]
    first_revision(person)
    head = world.actors["unit_head"]
    export = signed_cv_create(actor=head, pk=person.pk, secret=PASSPHRASE)
    signed_cv_complete(actor=world.actors["hr_head"], pk=export.pk, secret=PASSPHRASE)
    client_for(world.actors["hr_officer"]).get(download_url(export))
    rows = AccessLog.objects.filter(action="export", person_id=person.pk).order_by("seq")
    assert [r.detail["step"] for r in rows] == ["competent_person", "agency", "download"]
    assert {r.detail["export"] for r in rows} == {export.pk}
    assert rows[0].detail["revision"] == 1
    for model in (AccessLog, ChangeLog):
        for row in model.objects.all():
            assert PASSPHRASE not in str(row.__dict__)
    assert PASSPHRASE.encode() not in export.pdf


def test_one_step_when_the_competent_person_may_also_sign_for_the_agency(world, keys):
    person = world.people["in"]
    first_revision(person)
    head = world.actors["unit_head"]
    page = client_for(head).get(new_url(person)).content.decode()
    assert "Ký luôn chữ ký số của cơ quan" in page
    response = client_for(head).post(new_url(person), {
        "secret": PASSPHRASE, "with_agency": "on", "agency_secret": PASSPHRASE})
    assert response.status_code == 302
    export = SignedExport.objects.get()
    assert export.complete and export.completed_by == head
    assert Signature.objects.for_subject(export).count() == 2
    report = verify_pdf(export.pdf)
    assert report.ok and len(report.signatures) == 2
    assert report.signatures[1].identity.value == world.in_unit.code


def test_a_wrong_passphrase_gets_a_clear_error_and_stores_nothing(world, keys):
    person = world.people["in"]
    first_revision(person)
    client = client_for(world.actors["unit_head"])
    before = AccessLog.objects.count()
    response = client.post(new_url(person), {"secret": WRONG})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu của tệp khóa không đúng" in page
    assert WRONG not in page  # never rendered back
    assert not SignedExport.objects.exists() and not Signature.objects.exists()
    assert AccessLog.objects.count() == before  # the file was not even read
    # an empty one is asked for again, in Vietnamese
    page = client.post(new_url(person), {"secret": ""}).content.decode()
    assert "Hãy nhập mật khẩu hoặc mã PIN" in page


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("expired", "hết hạn"),
        ("revoked", "thu hồi"),
        ("another_person", "người khác"),
    ],
)
def test_an_unusable_certificate_is_refused_and_nothing_is_stored(
        case, message, world, test_pki, trust, settings):
    person = world.people["in"]
    first_revision(person)
    head = world.actors["unit_head"]
    if case == "expired":
        start = timezone.now() - dt.timedelta(days=800)
        issued = test_pki.person(head.person, not_before=start,
                                 not_after=start + dt.timedelta(days=730))
    elif case == "revoked":
        settings.SIGNING_REVOCATION = "require"
        issued = test_pki.person(head.person)
        test_pki.province.revoke(issued.cert)
        test_pki.install(trust)  # the new CRL reaches the trust store
    else:
        issued = test_pki.person(world.people["out"])
    write_signers(settings, users={"unit_head": test_pki.p12(issued, f"cv-{case}")},
                  units={world.in_unit.code: test_pki.p12(test_pki.unit(world.in_unit),
                                                          "cv-agency")})
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        signed_cv_create(actor=head, pk=person.pk, secret=PASSPHRASE)
    assert message in str(caught.value.message)
    assert not SignedExport.objects.exists() and not Signature.objects.exists()
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_agency_signature_needs_the_agencys_own_certificate(world, test_pki, trust,
                                                               settings):
    person = world.people["in"]
    first_revision(person)
    head = world.actors["unit_head"]
    write_signers(
        settings, users={"unit_head": test_pki.p12(test_pki.person(head.person), "cv-head")},
        # Sở Nội vụ's entry holds the key of Sở Y tế
        units={world.in_unit.code: test_pki.p12(test_pki.unit(world.out_unit), "cv-other")},
    )
    export = signed_cv_create(actor=head, pk=person.pk, secret=PASSPHRASE)
    sha = export.sha256
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        signed_cv_complete(actor=world.actors["hr_head"], pk=export.pk, secret=PASSPHRASE)
    assert "không phải của Sở Nội vụ" in str(caught.value.message)
    export.refresh_from_db()
    assert not export.complete and export.sha256 == sha
    assert Signature.objects.for_subject(export).count() == 1


def test_only_a_competent_person_may_sign_a_copy(world, keys):
    person = world.people["in"]
    first_revision(person)
    staff = world.actors["staff"]
    first_revision(staff.person)
    # the HR officer prints the file but does not approve it
    assert client_for(world.actors["hr_officer"]).get(new_url(person)).status_code == 403
    with pytest.raises(PermissionDenied):
        signed_cv_create(actor=world.actors["hr_officer"], pk=person.pk, secret=PASSPHRASE)
    # nobody signs a copy of their own file as the competent person
    assert client_for(staff).get(new_url(staff.person)).status_code == 403
    # the unit administrator keeps accounts, not files: not even found
    assert client_for(world.actors["unit_admin"]).get(new_url(person)).status_code == 404
    assert not SignedExport.objects.exists()


def test_a_copy_is_printed_from_the_approved_revision_only(world, keys):
    person = world.people["in"]
    head = world.actors["unit_head"]
    draft_start(actor=SYSTEM, person=person)  # a draft is no approved file
    response = client_for(head).get(new_url(person))
    assert response.status_code == 404
    assert "chưa có phiên bản được phê duyệt" in response.content.decode()
    with pytest.raises(NothingToPrint):
        signed_cv_create(actor=head, pk=person.pk, secret=PASSPHRASE)

    first_revision(person)
    newest = revision_create(actor=SYSTEM, person=person, reason="Nâng bậc lương",
                             document=document_for(person, staff_number="NV-0099"))
    export = signed_cv_create(actor=head, pk=person.pk, secret=PASSPHRASE)
    assert export.revision == newest
    text = _text(export.pdf)
    assert newest.content_hash in text and "NV-0099" in text
    assert "BẢN NHÁP" not in text


def test_a_copy_opens_only_for_who_may_read_as_much_as_it_shows(world, keys):
    staff = world.actors["staff"]
    first_revision(staff.person)
    export = signed_cv_create(actor=world.actors["unit_head"], pk=staff.person.pk,
                              secret=PASSPHRASE)
    assert client_for(staff).get(download_url(export)).status_code == 200  # their own file
    assert client_for(world.actors["hr_officer"]).get(download_url(export)).status_code == 200
    # the province approver reads restricted fields, not the secret ones the copy shows
    for key in ("province_approver", "unit_admin", "auditor", "chairman"):
        assert client_for(world.actors[key]).get(download_url(export)).status_code == 404, key
    page = client_for(world.actors["province_approver"]).get(list_url(staff.person))
    assert "Bản sao có thông tin bạn không được xem." in page.content.decode()
    assert download_url(export) not in page.content.decode()


def test_the_agency_signature_is_applied_once_by_who_may_sign_for_the_agency(world, keys):
    person = world.people["in"]
    first_revision(person)
    export = signed_cv_create(actor=world.actors["unit_head"], pk=person.pk, secret=PASSPHRASE)
    # the HR officer may read the copy, not sign for Sở Nội vụ
    assert client_for(world.actors["hr_officer"]).get(agency_url(export)).status_code == 403
    with pytest.raises(PermissionDenied):
        signed_cv_complete(actor=world.actors["hr_officer"], pk=export.pk, secret=PASSPHRASE)
    hr_head = world.actors["hr_head"]
    signed_cv_complete(actor=hr_head, pk=export.pk, secret=PASSPHRASE)
    page = client_for(hr_head).post(agency_url(export), {"secret": PASSPHRASE})
    assert "Bản sao này đã có chữ ký số của cơ quan." in page.content.decode()
    with pytest.raises(DomainError):
        signed_cv_complete(actor=hr_head, pk=export.pk, secret=PASSPHRASE)
    assert Signature.objects.for_subject(export).count() == 2


def test_a_tampered_copy_is_caught_by_audit_verify(world, keys):
    person = world.people["in"]
    first_revision(person)
    export = signed_cv_create(actor=world.actors["unit_head"], pk=person.pk, secret=PASSPHRASE,
                              with_agency=True, agency_secret=PASSPHRASE)
    assert check_signed_exports().ok
    data = bytearray(export.pdf)
    data[2000] ^= 0xFF  # inside what the signatures cover
    altered = bytes(data)
    SignedExport.objects.filter(pk=export.pk).update(
        pdf_sealed=fernet().encrypt(altered).decode())
    report = check_signed_exports()
    assert (report.broken_seq, report.problem) == (export.pk, "export_changed")
    # whoever also rewrites the recorded hash is caught by the stored signatures
    SignedExport.objects.filter(pk=export.pk).update(
        sha256=hashlib.sha256(altered).hexdigest())
    report = check_signed_exports()
    assert (report.broken_seq, report.problem) == (export.pk, "export_signatures")
    assert not next(r for r in verify_all() if r.chain == "signed_exports").ok


def test_the_file_page_offers_the_signed_copies(world, keys):
    person = world.people["in"]
    first_revision(person)
    detail = reverse("people:person_detail", kwargs={"pk": person.pk})
    page = client_for(world.actors["hr_officer"]).get(detail).content.decode()
    assert list_url(person) in page and "Bản sao có ký số" in page
    listing = client_for(world.actors["hr_officer"]).get(list_url(person)).content.decode()
    assert new_url(person) not in listing  # prints, does not approve
    listing = client_for(world.actors["unit_head"]).get(list_url(person)).content.decode()
    assert new_url(person) in listing and "Ký bản sao mới" in listing


def test_the_copy_is_encrypted_at_rest_and_rotates_with_the_keys(world, keys, settings):
    from cryptography.fernet import Fernet

    person = world.people["in"]
    first_revision(person)
    export = signed_cv_create(actor=world.actors["unit_head"], pk=person.pk, secret=PASSPHRASE)
    data = export.pdf
    raw = SignedExport.objects.values_list("pdf_sealed", flat=True).get(pk=export.pk)
    assert b"%PDF" not in raw.encode() and person.full_name.encode() not in raw.encode()
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "reports.SignedExport.pdf_sealed" in out.getvalue()
    settings.ENCRYPTION_KEYS = [new_key]  # the old key retired
    assert SignedExport.objects.get(pk=export.pk).pdf == data
    assert check_signed_exports().ok

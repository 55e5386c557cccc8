"""`GET /api/v1/persons/{id}/cv.pdf` (approved revision only, `person.export`),
`…/cv-draft.pdf`, and `POST /api/v1/signatures/verify/` (the verification report as
JSON, in Vietnamese)."""

from __future__ import annotations

import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.core.canonical import canonical_json
from hoso.reports.services import signed_cv_create
from hoso.signing import data
from hoso.signing.backends import open_p12
from hoso.workflow.services import draft_start, draft_update

from ..records.documents import first_revision
from ..reports import test_signed_export as signed_export
from ..reports.pdf import Pdf
from ..signing import conftest as signing_fixtures
from ..signing.conftest import PASSPHRASE
from ..signing.helpers import signed_twice

# The signing tests' session PKI and per-test trust anchors (fixtures).
test_pki = signing_fixtures.test_pki
trust = signing_fixtures.trust
# The head of unit's and Sở Nội vụ's keys in the signers file (fixture).
keys = signed_export.keys

VERIFY = reverse("api:signature-verify")


def cv_url(person) -> str:
    return reverse("api:person-cv-pdf", kwargs={"pk": person.pk})


def draft_url(person) -> str:
    return reverse("api:person-cv-draft-pdf", kwargs={"pk": person.pk})


def _text(content: bytes) -> str:
    return " ".join(unicodedata.normalize("NFC", Pdf(content).all_text).split())


def test_the_cv_is_served_from_the_approved_revision_with_an_access_row(world, as_actor):
    person = world.people["in"]
    revision = first_revision(person, other_names="Tên đã duyệt")
    assert cv_url(person) == f"/api/v1/persons/{person.pk}/cv.pdf"
    response = as_actor("hr_officer").get(cv_url(person), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = _text(response.content)
    assert person.full_name.upper() in text and "Tên đã duyệt" in text
    assert revision.content_hash in text and "BẢN NHÁP" not in text
    row = AccessLog.objects.filter(action="print").latest("seq")
    assert (row.person_id, row.actor_id) == (person.pk, world.actors["hr_officer"].pk)
    assert row.detail == {"what": "cv", "revision": 1}


def test_without_an_approved_revision_there_is_no_cv(world, as_actor):
    person = world.people["in"]
    draft_start(actor=world.actors["hr_officer"], person=person)
    response = as_actor("hr_officer").get(cv_url(person))
    assert response.status_code == 404
    assert "chưa có phiên bản được phê duyệt" in response.json()["detail"]


def test_who_may_not_export_the_file_gets_not_found(world, as_actor):
    first_revision(world.people["in"])
    first_revision(world.people["out"])
    assert as_actor("unit_admin").get(cv_url(world.people["in"])).status_code == 404
    assert as_actor("hr_officer").get(cv_url(world.people["out"])).status_code == 404
    assert not AccessLog.objects.filter(action="print").exists()


def test_the_draft_prints_watermarked_and_only_when_there_is_one(world, as_actor):
    staff = world.actors["staff"]
    first_revision(staff.person)
    client = as_actor("staff")
    response = client.get(draft_url(staff.person))
    assert response.status_code == 404
    assert "không có bản nháp" in response.json()["detail"]
    draft = draft_start(actor=staff, person=staff.person)
    draft_update(actor=staff, draft=draft, changes={"other_names": "Tên đang sửa"})
    response = client.get(draft_url(staff.person))
    assert response.status_code == 200
    text = _text(response.content)
    assert "BẢN NHÁP" in text and "Tên đang sửa" in text


def _verify(client, name, content, **extra):
    files = {"file": SimpleUploadedFile(name, content)}
    files.update(extra)
    return client.post(VERIFY, files, format="multipart")


def test_a_pdf_signed_by_person_and_agency_verifies_as_json(world, test_pki, trust,
                                                            as_actor):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    response = _verify(as_actor("staff"), "quyet-dinh.pdf", document)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["kind"] == "pdf" and body["name"] == "quyet-dinh.pdf"
    assert body["summary"] == "Mọi chữ ký đều nguyên vẹn và tin cậy."
    person, agency = body["signatures"]
    assert person["signer"] == "Nguyễn Văn Dũng" and person["ok"] is True
    assert person["identity"].startswith("số định danh cá nhân")
    assert world.people["in"].id_number not in response.content.decode()  # masked
    assert person["only_signatures_added"] is True and agency["unchanged"] is True
    assert agency["organisation"] == world.in_unit.name
    assert agency["reason"] == "Xác thực của cơ quan"
    assert agency["lines"][0] == "Chữ ký 2: HỢP LỆ"
    assert "Kết quả: mọi chữ ký đều nguyên vẹn và tin cậy." in body["text"]


def test_a_tampered_pdf_is_reported_not_valid(world, test_pki, trust, as_actor):
    document = signed_twice(test_pki, world.people["in"], world.in_unit)
    body = _verify(as_actor("auditor"), "x.pdf",
                   document.replace(b"so 123/QD", b"so 456/QD")).json()
    assert body["ok"] is False
    assert body["summary"] == "Không phải mọi chữ ký đều nguyên vẹn và tin cậy."
    assert any("đã bị thay đổi sau khi ký" in p for s in body["signatures"]
               for p in s["problems"])


def test_json_with_its_detached_signature_verifies(world, test_pki, trust,
                                                   as_actor):
    opened = open_p12(str(test_pki.p12(test_pki.person(world.people["in"]), "api-json")),
                      PASSPHRASE)
    content = canonical_json({"đợt": "2026-06"})
    der = data.sign_many(opened, [content])[0]
    body = _verify(as_actor("staff"), "du-lieu.json", content,
                   signature=SimpleUploadedFile("du-lieu.json.sig", der)).json()
    assert body["ok"] is True and body["kind"] == "data"
    assert len(body["content_hash"]) == 64


def test_a_signed_copy_of_the_cv_verifies_through_the_api(world, keys, as_actor):
    person = world.people["in"]
    first_revision(person)
    export = signed_cv_create(actor=world.actors["unit_head"], pk=person.pk,
                              secret=PASSPHRASE, with_agency=True, agency_secret=PASSPHRASE)
    body = _verify(as_actor("staff"), "ban-sao.pdf", export.pdf).json()
    assert body["ok"] is True and len(body["signatures"]) == 2
    assert body["signatures"][1]["identity"] == f"mã định danh cơ quan {world.in_unit.code}"


def test_garbage_and_oversized_files_get_a_clear_vietnamese_error(world, trust, as_actor,
                                                                  settings):
    response = _verify(as_actor("staff"), "anh.png", b"\x89PNG\r\n garbage")
    assert response.status_code == 400
    assert "không phải PDF đã ký" in response.json()["file"][0]
    settings.SIGNING_UPLOAD_MAX_BYTES = 1000
    response = _verify(as_actor("staff"), "lon.pdf", b"%PDF" + b"0" * 2000)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.json()["file"][0]
    assert as_actor("staff").post(VERIFY, {}, format="multipart").status_code == 400

"""Uploading evidence: checked, hashed, stored by hash through the "evidence" storage,
recorded immutably (Vĩnh Phúc Đ7.3, Lai Châu 2.2; DESIGN principle 2); a batch is all
or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import DatabaseError, connection, transaction

from hoso.core.errors import DomainError, PermissionDenied
from hoso.documents.models import EvidenceDocument, ImmutableError
from hoso.documents.services import Upload, evidence_upload, evidence_upload_many
from hoso.documents.storage import evidence_files

from .samples import png_bytes, scanned_pdf_bytes, upload


def _stored_names() -> list[str]:
    storage = evidence_files()
    if not storage.exists(""):
        return []
    names = []
    stack = [""]
    while stack:
        d = stack.pop()
        dirs, files = storage.listdir(d)
        names += [f"{d}/{f}".lstrip("/") for f in files]
        stack += [f"{d}/{x}".lstrip("/") for x in dirs]
    return sorted(names)


def test_an_upload_is_hashed_and_stored_under_its_hash_not_a_name(world, evidence_kind):
    staff = world.actors["staff"]
    content = scanned_pdf_bytes(marker="a")
    doc = evidence_upload(
        actor=staff, person=staff.person,
        upload=Upload(
            file=upload(f"{staff.person.full_name} quyết định.pdf", content),
            kind=evidence_kind, number="12/QĐ-SNV", issued_on=dt.date(2025, 3, 1),
            issuer="Sở Nội vụ",
        ),
    )
    sha = hashlib.sha256(content).hexdigest()
    assert doc.sha256 == sha
    assert doc.storage_name == f"{sha[:2]}/{sha[2:4]}/{sha}.pdf"
    assert staff.person.full_name not in doc.storage_name
    with evidence_files().open(doc.storage_name, "rb") as fh:
        assert fh.read() == content
    assert doc.uploaded_by == staff and doc.content_type == "application/pdf"


def test_the_same_scan_uploaded_twice_is_stored_once(world, evidence_kind):
    staff = world.actors["staff"]
    content = png_bytes()
    for _ in range(2):
        evidence_upload(actor=staff, person=staff.person,
                        upload=Upload(file=upload("a.png", content), kind=evidence_kind))
    assert EvidenceDocument.objects.filter(person=staff.person).count() == 2
    assert len(_stored_names()) == 1


def test_a_kind_outside_the_catalog_is_refused(world):
    staff = world.actors["staff"]
    with pytest.raises(DomainError) as exc:
        evidence_upload(actor=staff, person=staff.person,
                        upload=Upload(file=upload("a.png", png_bytes()), kind="khong-co"))
    assert exc.value.field == "kind"
    assert not _stored_names()


def test_nobody_uploads_to_a_file_they_may_not_change(world, evidence_kind):
    with pytest.raises(PermissionDenied):
        evidence_upload(actor=world.actors["staff"], person=world.people["in"],
                        upload=Upload(file=upload("a.png", png_bytes()), kind=evidence_kind))
    doc = evidence_upload(actor=world.actors["hr_officer"], person=world.people["in"],
                          upload=Upload(file=upload("a.png", png_bytes()), kind=evidence_kind))
    assert doc.person == world.people["in"]


def test_a_batch_with_one_bad_file_stores_nothing(world, evidence_kind):
    staff = world.actors["staff"]
    uploads = [
        Upload(file=upload("1.pdf", scanned_pdf_bytes(marker="1")), kind=evidence_kind),
        Upload(file=upload("2.jpg", b"<html>not an image</html>"), kind=evidence_kind),
    ]
    with pytest.raises(DomainError) as exc:
        evidence_upload_many(actor=staff, person=staff.person, uploads=uploads)
    assert "Tệp thứ 2 (2.jpg)" in str(exc.value.message)
    assert not EvidenceDocument.objects.exists()
    assert not _stored_names()


def test_a_batch_failing_after_storing_leaves_no_file_and_no_row(world, evidence_kind):
    staff = world.actors["staff"]
    uploads = [
        Upload(file=upload(f"{i}.pdf", scanned_pdf_bytes(marker=str(i))), kind=evidence_kind)
        for i in range(3)
    ]

    def fail(docs):
        assert len(docs) == 3 and len(_stored_names()) == 3
        raise DomainError("the next step failed")

    with pytest.raises(DomainError):
        evidence_upload_many(actor=staff, person=staff.person, uploads=uploads, then=fail)
    assert not EvidenceDocument.objects.exists()
    assert not _stored_names()


def test_an_evidence_row_is_never_changed_or_deleted(world, evidence_kind):
    staff = world.actors["staff"]
    doc = evidence_upload(actor=staff, person=staff.person,
                          upload=Upload(file=upload("a.png", png_bytes()), kind=evidence_kind))
    doc.number = "sửa"
    with pytest.raises(ImmutableError):
        doc.save()
    with pytest.raises(ImmutableError):
        doc.delete()
    with pytest.raises(ImmutableError):
        EvidenceDocument.objects.filter(pk=doc.pk).update(number="x")
    with pytest.raises(ImmutableError):
        EvidenceDocument.objects.filter(pk=doc.pk).delete()


def test_the_database_refuses_sql_that_goes_around_the_model(world, evidence_kind):
    staff = world.actors["staff"]
    doc = evidence_upload(actor=staff, person=staff.person,
                          upload=Upload(file=upload("a.png", png_bytes()), kind=evidence_kind))
    for sql in (
        "UPDATE documents_evidencedocument SET number = 'x' WHERE id = %s",
        "DELETE FROM documents_evidencedocument WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [doc.pk])

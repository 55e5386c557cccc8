"""`hoso audit verify` notices a scan altered or removed in the storage."""

from __future__ import annotations

from django.core.files.base import ContentFile

from hoso.audit.verify import verify_all
from hoso.documents.services import Upload, evidence_upload
from hoso.documents.storage import evidence_files

from .samples import png_bytes, scanned_pdf_bytes, upload


def _report():
    return next(r for r in verify_all() if r.chain == "evidence")


def test_stored_evidence_is_verified_against_its_hash(world, evidence_kind):
    staff = world.actors["staff"]
    docs = [
        evidence_upload(actor=staff, person=staff.person,
                        upload=Upload(file=upload(n, c), kind=evidence_kind))
        for n, c in (("a.pdf", scanned_pdf_bytes(marker="a")), ("b.png", png_bytes()))
    ]
    report = _report()
    assert report.ok and report.rows == 2
    storage = evidence_files()
    storage.delete(docs[1].storage_name)
    storage.save(docs[1].storage_name, ContentFile(b"\x89PNG\r\n\x1a\n tampered"))
    report = _report()
    assert (report.broken_seq, report.problem) == (docs[1].pk, "evidence_altered")
    assert "không còn khớp" in report.problem_text
    storage.delete(docs[0].storage_name)
    report = _report()
    assert (report.broken_seq, report.problem) == (docs[0].pk, "evidence_missing")

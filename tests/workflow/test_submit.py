"""Submitting a change request: refused with the list of problems while the schema
finds the document incomplete or wrong, or a change that needs its scanned decision
has none attached (Vĩnh Phúc Quy chế Đ7.3, Lai Châu 2.2); accepted otherwise, and the
draft is read-only from then on."""

from __future__ import annotations

import pytest

from hoso.core.errors import DomainError
from hoso.documents.models import EvidenceDocument
from hoso.documents.services import Upload
from hoso.workflow import services
from hoso.workflow.models import ChangeEvidence, ChangeRequest, Status

from ..documents.samples import png_bytes, scanned_pdf_bytes, upload
from ..records.documents import first_revision


def _scan(kind, marker="x"):
    return Upload(file=upload("qd.pdf", scanned_pdf_bytes(marker=marker)), kind=kind,
                  number="15/QĐ-SNV", issuer="Sở Nội vụ")


def test_an_incomplete_file_cannot_be_submitted(world, staff):
    draft = services.draft_start(actor=staff, person=staff.person)
    with pytest.raises(services.SubmitRefused) as exc:
        services.draft_submit(actor=staff, draft=draft)
    paths = {p.path for p in exc.value.problems}
    assert {"birth_place", "ethnicity", "work_history", "family_own"} <= paths
    problem = next(p for p in exc.value.problems if p.path == "ethnicity")
    assert problem.section == "personal" and "Dân tộc" in problem.message
    assert ChangeRequest.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_draft_that_changes_nothing_cannot_be_submitted(world, staff):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    with pytest.raises(services.SubmitRefused) as exc:
        services.draft_submit(actor=staff, draft=draft)
    assert [p.path for p in exc.value.problems] == ["document"]


def test_a_salary_change_needs_its_decision_attached(world, staff, evidence_kind):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={
        "salary_step": 4, "salary_coefficient": "3.33",
        "salary_since": "2025-09-01",
    })
    with pytest.raises(services.SubmitRefused) as exc:
        services.draft_submit(actor=staff, draft=draft)
    (problem,) = exc.value.problems
    assert problem.path == "evidence"
    assert "Bậc lương" in problem.message and "Đ7.3" in problem.message
    services.draft_upload_evidence(actor=staff, draft=draft, uploads=[_scan(evidence_kind)])
    submitted = services.draft_submit(actor=staff, draft=draft)
    assert submitted.status == Status.IN_REVIEW
    assert submitted.submitted_by == staff and submitted.submitted_at is not None


def test_a_personal_detail_needs_no_evidence(world, staff):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"email": "dung@vinhphuc.gov.vn"})
    assert services.draft_submit(actor=staff, draft=draft).status == Status.IN_REVIEW


def test_a_submitted_draft_is_read_only(world, staff, evidence_kind):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"phone": "0912345678"})
    services.draft_submit(actor=staff, draft=draft)
    for call in (
        lambda: services.draft_update(actor=staff, draft=draft, changes={"phone": "0900000000"}),
        lambda: services.draft_save_section(actor=staff, draft=draft, section_key="personal",
                                            data={}),
        lambda: services.draft_upload_evidence(actor=staff, draft=draft,
                                               uploads=[_scan(evidence_kind)]),
        lambda: services.draft_submit(actor=staff, draft=draft),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "not_draft"
    assert ChangeRequest.objects.get(pk=draft.pk).document["phone"] == "0912345678"


def test_detaching_keeps_the_document_and_takes_it_out_of_the_change(world, staff, evidence_kind):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"rank_code": "01.002"})
    (doc,) = services.draft_upload_evidence(actor=staff, draft=draft,
                                            uploads=[_scan(evidence_kind)])
    services.draft_detach(actor=staff, draft=draft, evidence=doc)
    link = ChangeEvidence.objects.get(change_request=draft, evidence=doc)
    assert link.detached_at is not None and link.detached_by == staff
    assert EvidenceDocument.objects.filter(pk=doc.pk).exists()
    assert not draft.active_evidence().exists()
    with pytest.raises(services.SubmitRefused):
        services.draft_submit(actor=staff, draft=draft)
    services.draft_attach(actor=staff, draft=draft, evidence=doc)  # attached again
    assert list(draft.active_evidence()) == [doc]


def test_a_batch_of_uploads_with_a_bad_file_attaches_nothing(world, staff, evidence_kind):
    draft = services.draft_start(actor=staff, person=staff.person)
    uploads = [
        _scan(evidence_kind, "1"),
        Upload(file=upload("2.png", png_bytes()[:200]), kind=evidence_kind),
    ]
    with pytest.raises(DomainError):
        services.draft_upload_evidence(actor=staff, draft=draft, uploads=uploads)
    assert not EvidenceDocument.objects.exists()
    assert not ChangeEvidence.objects.exists()


def test_evidence_of_another_file_cannot_be_attached(world, staff, evidence_kind):
    hr = world.actors["hr_officer"]
    other = services.draft_start(actor=hr, person=world.people["in"])
    (doc,) = services.draft_upload_evidence(actor=hr, draft=other, uploads=[_scan(evidence_kind)])
    mine = services.draft_start(actor=hr, person=staff.person)
    with pytest.raises(DomainError) as exc:
        services.draft_attach(actor=hr, draft=mine, evidence=doc)
    assert exc.value.field == "evidence"

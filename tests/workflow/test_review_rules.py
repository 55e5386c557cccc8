"""The rules of a review decision, and every way to break them: out of turn, out of
scope, one's own file or one's own change, a step that may not be delegated, an expired
or revoked delegation, a revoked certificate, a decision on a page opened before
another one. Each refusal is a clear Vietnamese message and changes nothing; those that
are security events leave an access-log row without personal data."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from hoso.accounts.roles import Role
from hoso.audit.models import AccessLog
from hoso.core.errors import DomainError
from hoso.records.models import Revision
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Purpose, Signature
from hoso.workflow import decisions, services
from hoso.workflow.models import ChangeRequest, Status, StepStatus

from ..factories import UserFactory
from .conftest import PASSPHRASE, submitted

WED_3_FEB = dt.date(2027, 2, 3)


@pytest.fixture
def can_tho(settings, clock):
    """Cần Thơ's three steps (HR officer, head of HR, head of unit who signs), on a
    working day with no window in the way."""
    settings.PROVINCE = "can-tho"
    clock.set(WED_3_FEB)


def _snapshot(cr):
    cr = ChangeRequest.objects.get(pk=cr.pk)
    return (cr.status, cr.version, cr.current_step,
            [(s.status, s.decided_by_id) for s in cr.steps.order_by("round", "number")])


def _refused(call, event: str, cr, *, text: str):
    before = _snapshot(cr)
    rows = AccessLog.objects.count()
    with pytest.raises(decisions.ReviewRefused) as exc:
        call()
    assert exc.value.event == event
    assert text in str(exc.value.message)
    assert _snapshot(cr) == before, "a refused decision changed the request"
    row = AccessLog.objects.order_by("-seq").first()
    assert AccessLog.objects.count() == rows + 1
    assert (row.action, row.outcome) == ("denied", event)
    assert row.object_type == "workflow.changerequest" and row.object_id == str(cr.pk)
    assert row.detail["what"].startswith("review.") and row.person_id is None
    # no personal data: neither the person's name nor their number, nor the reviewer's
    blob = json.dumps(row.detail, ensure_ascii=False)
    assert cr.person.full_name not in blob and cr.person.id_number not in blob
    return exc.value


def test_approving_out_of_turn_is_refused_and_audited(world, staff, can_tho):
    cr = submitted(staff)
    exc = _refused(
        lambda: decisions.approve(actor=world.actors["hr_head"], change_request=cr),
        "out_of_turn", cr, text="Chưa đến lượt",
    )
    assert "bước 1/3" in str(exc.message)
    # naming one's own (later) step is out of turn too
    later = cr.steps.get(number=2)
    _refused(lambda: decisions.approve(actor=world.actors["hr_head"], change_request=cr,
                                       step=later.pk), "out_of_turn", cr, text="Chưa đến lượt")


def test_approving_out_of_scope_is_refused_and_audited(world, can_tho):
    cr = submitted(world.actors["province_admin"], world.people["out"])  # Sở Y tế
    _refused(lambda: decisions.approve(actor=world.actors["hr_officer"], change_request=cr),
             "out_of_scope", cr, text="Sở Y tế")
    _refused(lambda: decisions.reject(actor=world.actors["unit_head"], change_request=cr,
                                      reason="Không đúng"), "out_of_scope", cr, text="Sở Y tế")


def test_nobody_decides_on_their_own_file(world, can_tho):
    hr = world.actors["hr_officer"]
    cr = submitted(world.actors["province_admin"], hr.person)
    _refused(lambda: decisions.approve(actor=hr, change_request=cr), "own_file", cr,
             text="của chính mình")


def test_nobody_decides_on_a_change_they_made(world, can_tho):
    hr = world.actors["hr_officer"]
    cr = submitted(hr, world.people["in"])  # an HR correction of a colleague's file
    assert cr.origin == "correction"
    _refused(lambda: decisions.approve(actor=hr, change_request=cr), "own_change", cr,
             text="người khác")


def test_a_revoked_certificate_refuses_the_final_approval_and_changes_nothing(
        world, staff, can_tho, keys, settings):
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    head = world.actors["unit_head"]
    keys.revoke(head, settings)
    before = _snapshot(cr)
    with pytest.raises(DomainError) as exc:
        decisions.approve(actor=head, change_request=cr, secret=PASSPHRASE)
    assert exc.value.code == "certificate" and "thu hồi" in str(exc.value.message)
    assert _snapshot(cr) == before
    assert Revision.objects.filter(person=staff.person).count() == 1
    assert not Signature.objects.exists()
    row = AccessLog.objects.order_by("-seq").first()
    assert (row.action, row.outcome, row.detail["step"]) == ("denied", "revoked_certificate", 3)


def test_a_wrong_passphrase_changes_nothing(world, staff, can_tho, keys):
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    before = _snapshot(cr)
    with pytest.raises(DomainError) as exc:
        decisions.approve(actor=world.actors["unit_head"], change_request=cr, secret="sai")
    assert exc.value.code == "wrong_secret"
    assert _snapshot(cr) == before and not Signature.objects.exists()


def test_a_decision_on_a_step_already_decided_is_refused(world, staff, can_tho):
    cr = submitted(staff)
    seen = cr.steps.get(number=1)
    version = ChangeRequest.objects.get(pk=cr.pk).version
    decisions.approve(actor=world.actors["hr_officer"], change_request=cr, step=seen.pk,
                      version=version)
    second = UserFactory(username="hr2", unit=world.in_unit)
    from ..factories import RoleFactory

    RoleFactory(user=second, role=Role.HR_OFFICER, unit=world.in_unit)
    before = _snapshot(cr)
    with pytest.raises(decisions.Stale) as exc:
        decisions.approve(actor=second, change_request=cr, step=seen.pk, version=version)
    assert "đã được người khác quyết định" in str(exc.value.message)
    with pytest.raises(decisions.Stale):  # the same step, or any decision, on an old version
        decisions.return_for_correction(actor=world.actors["hr_head"], change_request=cr,
                                        field_reasons={"phone": "Sai số"}, version=version)
    assert _snapshot(cr) == before


def test_returning_needs_a_reason_per_field(world, staff, can_tho):
    cr = submitted(staff)
    hr = world.actors["hr_officer"]
    for reasons, text in (
        ({}, "ít nhất một trường"),
        ({"phone": "   "}, "ít nhất một trường"),
        ({"sở_thích": "Không có trường này"}, "không phải là trường của mẫu"),
    ):
        with pytest.raises(DomainError) as exc:
            decisions.return_for_correction(actor=hr, change_request=cr, field_reasons=reasons)
        assert exc.value.field == "field_reasons" and text in str(exc.value.message)
    assert ChangeRequest.objects.get(pk=cr.pk).status == Status.IN_REVIEW


def test_a_returned_request_is_corrected_and_resubmitted_as_a_new_round(world, staff,
                                                                        can_tho, clock):
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    old_step = cr.steps.get(number=2)
    cr = decisions.return_for_correction(
        actor=world.actors["hr_head"], change_request=cr,
        field_reasons={"phone": "Số điện thoại thiếu một chữ số.", "evidence": ""},
        comment="Đối chiếu với hồ sơ gốc",
    )
    assert cr.status == Status.RETURNED and cr.current_step is None
    assert [s.status for s in cr.steps.order_by("number")] == [
        StepStatus.APPROVED, StepStatus.RETURNED, StepStatus.CANCELLED]
    returned = cr.steps.get(number=2)
    assert returned.field_reasons == {"phone": "Số điện thoại thiếu một chữ số."}
    # the person finds the request again to correct it, and resubmits it
    assert services.draft_start(actor=staff, person=staff.person).pk == cr.pk
    services.draft_update(actor=staff, draft=cr, changes={"phone": "0912345679"})
    clock.set(dt.date(2027, 2, 4))
    cr = services.resubmit(cr, actor=staff)
    assert cr.status == Status.IN_REVIEW
    rounds = [(s.round, s.number, s.status) for s in cr.steps.order_by("round", "number")]
    assert rounds == [
        (1, 1, StepStatus.APPROVED), (1, 2, StepStatus.RETURNED), (1, 3, StepStatus.CANCELLED),
        (2, 1, StepStatus.ACTIVE), (2, 2, StepStatus.WAITING), (2, 3, StepStatus.WAITING),
    ]
    # round 2 counts from the resubmission: Thu 4/2 → 5 wd: 12, 15, 16, 17, 18 → 18/2
    assert cr.steps.get(round=2, number=1).due_date == dt.date(2027, 2, 18)
    # a decision taken on the first round's page is refused
    with pytest.raises(decisions.Stale):
        decisions.approve(actor=world.actors["hr_head"], change_request=cr, step=old_step.pk)


def test_rejecting_needs_a_reason_and_closes_the_request(world, staff, can_tho):
    cr = submitted(staff)
    hr = world.actors["hr_officer"]
    with pytest.raises(DomainError) as exc:
        decisions.reject(actor=hr, change_request=cr, reason=" ")
    assert exc.value.field == "reason" and "lý do" in str(exc.value.message)
    cr = decisions.reject(actor=hr, change_request=cr, reason="Không có quyết định gốc.")
    assert cr.status == Status.REJECTED and cr.decided_at is not None
    assert [s.status for s in cr.steps.order_by("number")] == [
        StepStatus.REJECTED, StepStatus.CANCELLED, StepStatus.CANCELLED]
    assert Revision.objects.filter(person=staff.person).count() == 1
    with pytest.raises(decisions.Stale):
        decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    # closed for good: the person may start a new change
    assert services.draft_start(actor=staff, person=staff.person).pk != cr.pk


def test_a_draft_or_a_returned_request_can_be_withdrawn_not_one_in_review(world, staff,
                                                                          can_tho):
    draft = services.draft_start(actor=staff, person=staff.person)
    assert services.withdraw(actor=staff, change_request=draft).status == Status.WITHDRAWN
    cr = submitted(staff)
    with pytest.raises(DomainError) as exc:
        services.withdraw(actor=staff, change_request=cr)
    assert exc.value.code == "not_withdrawable"
    decisions.return_for_correction(actor=world.actors["hr_officer"], change_request=cr,
                                    field_reasons={"phone": "Sai"})
    cr = services.withdraw(actor=staff, change_request=cr, reason="Tôi nhập nhầm.")
    assert cr.status == Status.WITHDRAWN and "nhập nhầm" in cr.note
    with pytest.raises(DomainError):
        services.draft_update(actor=staff, draft=cr, changes={"phone": "0900000000"})


def test_approving_a_request_whose_file_changed_meanwhile_is_refused(world, staff, can_tho,
                                                                     keys):
    """No update is lost: a revision written after the request started (here an
    import) is not undone by approving the request; the resubmission takes it in."""
    from hoso.accounts.permissions import SYSTEM
    from hoso.records.services import revision_create

    from ..records.documents import document_for

    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    imported = revision_create(actor=SYSTEM, person=staff.person, reason="import",
                               document=document_for(staff.person, email="dung@cantho.gov.vn"))
    with pytest.raises(decisions.Stale) as exc:
        decisions.approve(actor=world.actors["unit_head"], change_request=cr, secret=PASSPHRASE)
    assert exc.value.code == "stale_base" and "phiên bản 2" in str(exc.value.message)
    assert Revision.objects.filter(person=staff.person).count() == 2
    decisions.return_for_correction(actor=world.actors["unit_head"], change_request=cr,
                                    field_reasons={"phone": "Gửi lại sau khi cập nhật"})
    cr = services.resubmit(cr, actor=staff)
    assert cr.base_revision_id == imported.pk
    assert cr.document["email"] == "dung@cantho.gov.vn" and cr.document["phone"] == "0912345678"


def test_a_step_the_policy_says_signs_signs_its_decision(world, staff, can_tho, keys,
                                                         settings, tmp_path):
    """A province whose head of HR signs the check too: the decision is signed
    (Purpose.REVIEW) over what was decided, and `hoso audit verify` checks it."""
    policies = tmp_path / "policies"
    shutil.copytree(Path(settings.POLICY_DIR), policies)
    path = policies / "can-tho.toml"
    text = path.read_text(encoding="utf-8")
    head = 'key = "hr_head"'
    start = text.index(head)
    end = text.index("signs = false", start)
    path.write_text(text[:end] + "signs = true" + text[end + len("signs = false"):],
                    encoding="utf-8")
    settings.POLICY_DIR = policies
    cr = submitted(staff)
    assert [s.signs for s in cr.steps.order_by("number")] == [False, True, True]
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    with pytest.raises(DomainError) as exc:
        decisions.approve(actor=world.actors["hr_head"], change_request=cr, secret="sai")
    assert exc.value.code == "wrong_secret"
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr, secret=PASSPHRASE,
                           comment="Đã đối chiếu")
    step = cr.steps.get(number=2)
    sig = Signature.objects.get(pk=step.signature_id)
    assert (sig.purpose, sig.subject_type, sig.subject_id) == (
        Purpose.REVIEW, "workflow.reviewstep", str(step.pk))
    assert check_signatures().ok


def test_the_decision_records_when_and_by_whom(world, staff, can_tho):
    cr = submitted(staff)
    decisions.approve(actor=world.actors["hr_officer"], change_request=cr, comment="Khớp")
    step = cr.steps.get(number=1)
    assert step.decided_by == world.actors["hr_officer"] and step.on_behalf_of is None
    assert step.decided_at == timezone.now() and step.comment == "Khớp"
    assert step.document_hash == ChangeRequest.objects.get(pk=cr.pk).document_hash


def test_requests_submitted_before_the_review_existed_are_routed(world, staff, can_tho,
                                                                 capsys):
    """Migration workflow 0002 turned "submitted" requests into "in_review" ones without
    steps; `hoso workflow route` gives them the province's chain."""
    from django.core.management import call_command

    from ..records.documents import first_revision

    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"phone": "0912345678"})
    ChangeRequest.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW,
                                                     submitted_at=timezone.now())
    call_command("workflow", "route")
    assert "1" in capsys.readouterr().out
    cr = ChangeRequest.objects.get(pk=draft.pk)
    assert (cr.policy, cr.current_step, cr.steps.count()) == ("can-tho", 1, 3)
    assert cr.steps.get(number=1).due_date == dt.date(2027, 2, 17)
    call_command("workflow", "route")  # a second run finds nothing to do
    assert cr.steps.count() == 3

"""The final approvals of many requests given together in the month's window (Vĩnh Phúc
Quy chế Đ8.1: "Trong vòng 05 ngày cuối từng tháng, người có thẩm quyền ... phê duyệt dữ
liệu"): one act, one signing session, each request its own revision and signature; all
or nothing, the refusing request named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.core.errors import DomainError
from hoso.records.models import Revision
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Signature
from hoso.workflow import decisions
from hoso.workflow.models import ChangeRequest, Status

from ..api.conftest import token_client
from ..clients import client_for
from ..factories import PersonFactory
from .conftest import PASSPHRASE, submitted


@pytest.fixture
def at_final_step(world, settings, clock):
    """Three requests of Sở Nội vụ's staff checked by the HR officer, awaiting the head
    of unit's approval in February 2027's window (24–28/2)."""
    settings.PROVINCE = "vinh-phuc"
    clock.set(dt.date(2027, 2, 10))
    creator = world.actors["province_admin"]
    people = [PersonFactory(unit=world.in_unit, full_name=f"Nguyễn Thị Lô {i}")
              for i in range(3)]
    crs = [submitted(creator, p) for p in people]
    clock.set(dt.date(2027, 2, 24))
    for cr in crs:
        decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    return crs


def _nothing_written(crs):
    for cr in ChangeRequest.objects.filter(pk__in=[c.pk for c in crs]):
        assert cr.status == Status.IN_REVIEW and cr.current_step == 2
    assert not Signature.objects.exists()
    assert not Revision.objects.filter(change_request_id__in=[c.pk for c in crs]).exists()


def test_the_window_s_approvals_are_given_together_each_signed(world, at_final_step, keys):
    done = decisions.approve_many(actor=world.actors["unit_head"],
                                  change_requests=at_final_step, secret=PASSPHRASE)
    assert [cr.pk for cr in done] == sorted(cr.pk for cr in at_final_step)
    sigs = list(Signature.objects.order_by("pk"))
    assert len(sigs) == 3 and len({s.batch_id for s in sigs}) == 1
    for cr in ChangeRequest.objects.filter(pk__in=[c.pk for c in at_final_step]):
        assert cr.status == Status.APPROVED
        revision = Revision.objects.get(pk=cr.revision_id)
        step = cr.steps.get(final=True)
        assert step.signature.subject_id == str(revision.pk)
        assert step.decided_by == world.actors["unit_head"]
    assert check_signatures().ok


def test_one_request_that_may_not_be_approved_refuses_the_whole_act(world, at_final_step,
                                                                   keys, clock):
    other = submitted(world.actors["province_admin"], world.people["in"])  # still at step 1
    with pytest.raises(DomainError) as exc:
        decisions.approve_many(actor=world.actors["unit_head"],
                               change_requests=[*at_final_step, other], secret=PASSPHRASE)
    assert f"số {other.pk}" in str(exc.value.message)
    _nothing_written(at_final_step)
    clock.set(dt.date(2027, 3, 1))  # the window is over
    with pytest.raises(DomainError) as exc:
        decisions.approve_many(actor=world.actors["unit_head"], change_requests=at_final_step,
                               secret=PASSPHRASE)
    assert exc.value.code == "outside_window" and "từ 27/03/2027 đến 31/03/2027" in str(
        exc.value.message)
    _nothing_written(at_final_step)


def test_a_request_out_of_scope_refuses_the_act_and_is_audited(world, at_final_step, keys):
    out = submitted(world.actors["province_admin"], world.people["out"])
    with pytest.raises(decisions.ReviewRefused):
        decisions.approve_many(actor=world.actors["unit_head"],
                               change_requests=[*at_final_step, out], secret=PASSPHRASE)
    row = AccessLog.objects.order_by("-seq").first()
    assert (row.outcome, row.object_id, row.detail["what"]) == (
        "out_of_scope", str(out.pk), "review.approve_many")
    _nothing_written(at_final_step)


def test_the_queue_page_approves_the_ticked_requests(world, at_final_step, keys):
    client = client_for(world.actors["unit_head"])
    html = client.get(reverse("workflow:review_queue")).content.decode()
    for cr in at_final_step:
        assert f'id="pick-{cr.pk}"' in html
    chosen = [at_final_step[0].pk, at_final_step[2].pk]
    refused = client.post(reverse("workflow:review_approve_many"),
                          {"change_requests": chosen, "secret": ""})
    assert "Hãy nhập mật khẩu hoặc mã PIN" in refused.content.decode()
    response = client.post(reverse("workflow:review_approve_many"),
                           {"change_requests": chosen, "secret": PASSPHRASE})
    assert response.status_code == 302
    statuses = dict(ChangeRequest.objects.filter(pk__in=[c.pk for c in at_final_step])
                    .values_list("pk", "status"))
    assert [statuses[c.pk] for c in at_final_step] == [
        Status.APPROVED, Status.IN_REVIEW, Status.APPROVED]
    page = client.get(response["Location"]).content.decode()
    assert "Đã phê duyệt và ký số 2 đề nghị cập nhật." in page


def test_the_api_approves_many_and_hides_what_the_caller_may_not_see(world, at_final_step,
                                                                    keys):
    url = reverse("api:changerequest-approve-many")
    head = token_client(world.actors["unit_head"])
    assert head.post(url, {"change_requests": [999999], "secret": PASSPHRASE},
                     format="json").status_code == 404
    answer = head.post(url, {"change_requests": [c.pk for c in at_final_step],
                             "secret": PASSPHRASE}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"approved": sorted(c.pk for c in at_final_step)}

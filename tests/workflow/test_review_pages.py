"""The reviewers' pages and the person's view of their request: the queue soonest due
first with the overdue marked, the review page with the field-by-field changes in
Vietnamese and the evidence beside them, the decision forms (only for whoever decides
the step), and what the person reads afterwards: steps, due dates, reasons."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.workflow.models import ChangeRequest, Status

from ..clients import client_for
from ..documents.samples import scanned_pdf_bytes, upload
from .conftest import PASSPHRASE, submitted
from .helpers import form_data


@pytest.fixture
def can_tho(settings, clock):
    settings.PROVINCE = "can-tho"
    clock.set(dt.date(2027, 2, 3))


def _review(cr):
    return reverse("workflow:review", args=[cr.pk])


def _post_form(client, cr, form_id: str, action: str, **values):
    data = form_data(client.get(_review(cr)).content.decode(), form_id)
    data.update(values)
    return client.post(reverse(f"workflow:review_{action}", args=[cr.pk]), data)


def test_the_queue_is_sorted_by_due_date_and_marks_the_overdue(world, can_tho, clock):
    staff = world.actors["staff"]
    first = submitted(staff)  # due 17/02/2027
    clock.set(dt.date(2027, 2, 1))
    second = submitted(world.actors["province_admin"], world.people["in"])  # due 15/02/2027
    clock.set(dt.date(2027, 2, 16))
    html = client_for(world.actors["hr_officer"]).get(
        reverse("workflow:review_queue")).content.decode()
    assert "Có 2 đề nghị chờ anh/chị quyết định." in html and "1 đề nghị đã quá hạn." in html
    rows = re.findall(r'<tr( class="overdue")?>\s*<td><a href="/changes/(\d+)/review/"', html)
    assert rows == [(' class="overdue"', str(second.pk)), ("", str(first.pk))]
    assert "15/02/2027" in html and "17/02/2027" in html
    empty = client_for(world.actors["unit_head"]).get(reverse("workflow:review_queue"))
    assert "Không có đề nghị nào chờ anh/chị quyết định." in empty.content.decode()


def test_the_review_page_shows_the_changes_in_vietnamese_and_the_evidence(world, can_tho,
                                                                          evidence_kind):
    from hoso.documents.services import Upload
    from hoso.workflow import services

    from ..records.documents import first_revision

    staff = world.actors["staff"]
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"salary_step": 4,
                                                             "salary_coefficient": "3.33"})
    services.draft_upload_evidence(actor=staff, draft=draft, uploads=[Upload(
        file=upload("qd.pdf", scanned_pdf_bytes(marker="luong")), kind=evidence_kind,
        number="88/QĐ-SNV")])
    cr = services.submit(draft, actor=staff)
    client = client_for(world.actors["hr_officer"])
    rows = AccessLog.objects.count()
    html = client.get(_review(cr)).content.decode()
    assert '<th scope="row">Bậc lương</th><td>3</td><td>4</td>' in html
    assert "88/QĐ-SNV" in html and 'id="evidence"' in html
    assert 'id="approve-form"' in html and 'id="return-form"' in html
    assert "bước 1/3" in html.lower()
    assert AccessLog.objects.count() == rows + 1  # the reviewer's read of the file
    # someone who may see the request but not decide it gets no forms
    html = client_for(world.actors["unit_head"]).get(_review(cr)).content.decode()
    assert 'id="approve-form"' not in html and "Bước hiện tại do" in html
    assert client_for(world.actors["chairman"]).get(_review(cr)).status_code == 404


def test_the_chain_is_decided_on_the_pages_and_the_final_approval_signs(world, can_tho, keys):
    cr = submitted(world.actors["staff"])
    response = _post_form(client_for(world.actors["hr_officer"]), cr, "approve-form", "approve",
                          comment="Khớp hồ sơ gốc")
    assert response.status_code == 302
    _post_form(client_for(world.actors["hr_head"]), cr, "approve-form", "approve")
    head = client_for(world.actors["unit_head"])
    html = head.get(_review(cr)).content.decode()
    assert "Phê duyệt và ký số" in html and 'name="secret"' in html
    response = _post_form(head, cr, "approve-form", "approve", secret="")
    assert "Hãy nhập mật khẩu hoặc mã PIN" in response.content.decode()
    response = _post_form(head, cr, "approve-form", "approve", secret=PASSPHRASE)
    assert response.status_code == 302
    page = head.get(response["Location"]).content.decode()
    assert "hồ sơ nay là phiên bản 2" in page and "đã ký số" in page
    assert PASSPHRASE not in page
    assert ChangeRequest.objects.get(pk=cr.pk).status == Status.APPROVED


def test_a_stale_page_is_refused_with_a_message_and_nothing_changes(world, can_tho):
    cr = submitted(world.actors["staff"])
    client = client_for(world.actors["hr_officer"])
    data = form_data(client.get(_review(cr)).content.decode(), "approve-form")
    client.post(reverse("workflow:review_approve", args=[cr.pk]), data)
    again = client.post(reverse("workflow:review_approve", args=[cr.pk]), data)
    assert again.status_code in (403, 409)
    version = ChangeRequest.objects.get(pk=cr.pk).version
    other = client_for(world.actors["hr_head"])
    stale = other.post(reverse("workflow:review_reject", args=[cr.pk]),
                       {**data, "reason": "Sai"})
    assert stale.status_code == 409 and "tải lại trang" in stale.content.decode()
    assert ChangeRequest.objects.get(pk=cr.pk).version == version


def test_returned_with_reasons_the_person_reads_them_by_field_and_resubmits(world, can_tho,
                                                                          clock):
    staff = world.actors["staff"]
    cr = submitted(staff)
    response = _post_form(client_for(world.actors["hr_officer"]), cr, "return-form", "return",
                          **{"reason__phone": "Số điện thoại thiếu một chữ số.",
                             "other_field": "email",
                             "other_reason": "Ghi thư điện tử công vụ."})
    assert response.status_code == 302
    me = client_for(staff)
    html = me.get(reverse("workflow:change_detail", args=[cr.pk])).content.decode()
    assert "Bị trả lại để sửa" in html
    assert ">Số điện thoại</a>: Số điện thoại thiếu một chữ số." in html
    assert "Ghi thư điện tử công vụ." in html
    assert "Gửi lại đề nghị đã sửa" in html
    clock.set(dt.date(2027, 2, 4))  # resubmitted Thu 4/2 → 5 wd: 12, 15, 16, 17, 18
    me = client_for(staff)  # a new day, a new session
    me.post(reverse("workflow:change_submit", args=[cr.pk]))
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.status == Status.IN_REVIEW and cr.steps.filter(round=2).count() == 3
    html = me.get(reverse("workflow:change_detail", args=[cr.pk])).content.decode()
    assert "Lượt xem xét thứ 2" in html and "Lượt xem xét thứ 1" in html
    assert "18/02/2027" in html


def test_an_empty_return_is_refused_on_the_form(world, can_tho):
    cr = submitted(world.actors["staff"])
    response = _post_form(client_for(world.actors["hr_officer"]), cr, "return-form", "return")
    assert response.status_code == 200
    assert "ít nhất một trường" in response.content.decode()
    assert ChangeRequest.objects.get(pk=cr.pk).status == Status.IN_REVIEW


def test_the_person_withdraws_a_draft_on_its_page(world, staff):
    from hoso.workflow import services

    draft = services.draft_start(actor=staff, person=staff.person)
    client = client_for(staff)
    html = client.get(reverse("workflow:change_detail", args=[draft.pk])).content.decode()
    assert 'id="withdraw-form"' in html
    client.post(reverse("workflow:change_withdraw", args=[draft.pk]), {"reason": "Nhầm"})
    assert ChangeRequest.objects.get(pk=draft.pk).status == Status.WITHDRAWN
    html = client.get(reverse("workflow:change_detail", args=[draft.pk])).content.decode()
    assert "Đã rút" in html

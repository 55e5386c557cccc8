"""The self-service pages: "My file" with what is missing, the section forms saved as
the person types (htmx), validation messages next to the fields, evidence on the
change, submission and the read-only status afterwards."""

from __future__ import annotations

from django.urls import reverse

from hoso.workflow.models import ChangeEvidence, ChangeRequest, Status

from ..clients import client_for
from ..documents.samples import scanned_pdf_bytes, upload
from ..records.documents import first_revision
from .helpers import form_data

HX = {"HTTP_HX_REQUEST": "true"}


def _start(client, person):
    response = client.post(reverse("workflow:draft_start", args=[person.pk]))
    assert response.status_code == 302
    return ChangeRequest.objects.get(person=person, status=Status.DRAFT), response["Location"]


def test_my_file_shows_the_meter_and_what_is_missing(world, staff):
    client = client_for(staff)
    response = client.get(reverse("workflow:my_file"))
    assert response["Location"] == reverse("workflow:person_file", args=[staff.person_id])
    html = client.get(response["Location"]).content.decode()
    assert "Hồ sơ của tôi" in html and "Mức độ đầy đủ: 22 %" in html
    assert "<li>Dân tộc</li>" in html  # missing, not linked until a draft exists
    assert "Cập nhật hồ sơ" in html


def test_the_menu_entry_my_file_opens_the_self_service_page(world, staff):
    html = client_for(staff).get("/").content.decode()
    assert f'href="{reverse("workflow:my_file")}"' in html


def test_starting_opens_the_first_section_the_person_may_edit(world, staff):
    client = client_for(staff)
    draft, location = _start(client, staff.person)
    assert location == reverse("workflow:section_edit", args=[draft.pk, "personal"])
    html = client.get(reverse("workflow:section_edit", args=[draft.pk, "header"])).content.decode()
    assert 'name="staff_number"' not in html and "do đơn vị quản lý" in html.lower()


def test_autosave_saves_what_was_typed_and_answers_with_the_time(world, staff):
    client = client_for(staff)
    draft, location = _start(client, staff.person)
    data = form_data(client.get(location).content.decode())
    data.update({"phone": "0912 345 678", "id_issue_place": "Cục Cảnh sát QLHC về TTXH"})
    response = client.post(location, data, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="autosave-status"' in html and "Đã lưu lúc" in html
    assert 'hx-swap-oob="true"' in html and "<html" not in html
    saved = ChangeRequest.objects.get(pk=draft.pk).document
    assert saved["id_issue_place"] == "Cục Cảnh sát QLHC về TTXH"


def test_a_wrong_value_is_reported_next_to_its_field_and_the_rest_is_saved(world, staff):
    client = client_for(staff)
    draft, location = _start(client, staff.person)
    data = form_data(client.get(location).content.decode())
    data.update({"id_issue_date": "31/02/2020", "other_names": "Dũng Còi"})
    html = client.post(location, data, **HX).content.decode()
    start = html.index('id="err-id_issue_date"')
    assert "ngày" in html[start:start + 400].lower()  # the schema's message, in its place
    saved = ChangeRequest.objects.get(pk=draft.pk).document
    assert saved["other_names"] == "Dũng Còi"


def test_a_value_that_no_longer_agrees_is_kept_until_it_is_fixed(world, staff):
    first_revision(staff.person)
    client = client_for(staff)
    draft, _ = _start(client, staff.person)
    url = reverse("workflow:section_edit", args=[draft.pk, "employment"])
    data = form_data(client.get(url).content.decode())
    data["rank_code"] = "01.002"  # another rank: the coefficient 3,00 no longer matches
    html = client.post(url, data, **HX).content.decode()
    start = html.index('id="err-salary_coefficient"')
    assert "5,08" in html[start:start + 400]
    saved = ChangeRequest.objects.get(pk=draft.pk).document
    assert saved["rank_code"] == "01.002" and saved["salary_coefficient"] == "3.00"


def test_the_save_button_goes_on_to_the_next_section(world, staff):
    client = client_for(staff)
    draft, location = _start(client, staff.person)
    data = form_data(client.get(location).content.decode())
    response = client.post(location, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:section_edit", args=[draft.pk, "employment"])


def test_a_table_row_is_added_and_saved(world, staff):
    client = client_for(staff)
    draft, _ = _start(client, staff.person)
    url = reverse("workflow:section_edit", args=[draft.pk, "work_history"])
    data = form_data(client.get(url).content.decode())
    data["add_row"] = "work_history"
    data["work_history-0-from"] = "09/2015"
    data["work_history-0-description"] = "Chuyên viên Phòng Tổ chức"
    html = client.post(url, data).content.decode()
    assert 'name="work_history-1-from"' in html  # a blank second row is offered
    saved = ChangeRequest.objects.get(pk=draft.pk).document
    row = {"from": "2015-09", "description": "Chuyên viên Phòng Tổ chức"}
    assert saved["work_history"] == [row]


def test_evidence_is_uploaded_listed_downloaded_and_detached(world, staff, evidence_kind):
    first_revision(staff.person)
    client = client_for(staff)
    draft, _ = _start(client, staff.person)
    detail = reverse("workflow:change_detail", args=[draft.pk])
    response = client.post(reverse("workflow:evidence_upload", args=[draft.pk]), {
        "file": upload("quyet-dinh.pdf", scanned_pdf_bytes(marker="page")), "kind": evidence_kind,
        "number": "120/QĐ-SNV", "issued_on": "2025-06-02", "issuer": "Sở Nội vụ",
        "section": "employment",
    })
    assert response.status_code == 302
    html = client.get(detail).content.decode()
    doc = draft.active_evidence().get()
    assert "120/QĐ-SNV" in html and reverse("documents:evidence_download", args=[doc.pk]) in html
    response = client.post(reverse("workflow:evidence_detach", args=[draft.pk]),
                           {"evidence": doc.pk})
    assert response.status_code == 302
    assert ChangeEvidence.objects.get(evidence=doc).detached_at is not None


def test_a_refused_upload_says_why_in_vietnamese(world, staff, evidence_kind):
    client = client_for(staff)
    draft, _ = _start(client, staff.person)
    response = client.post(reverse("workflow:evidence_upload", args=[draft.pk]), {
        "file": upload("anh.jpg", b"<html><body>not a photo</body></html>"), "kind": evidence_kind,
    })
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.content.decode()
    assert not draft.active_evidence().exists()


def test_submit_is_refused_with_the_problems_then_accepted(world, staff, evidence_kind):
    first_revision(staff.person)
    client = client_for(staff)
    draft, _ = _start(client, staff.person)
    url = reverse("workflow:section_edit", args=[draft.pk, "employment"])
    data = form_data(client.get(url).content.decode())
    data.update({"rank_code": "01.002", "salary_step": "1", "salary_coefficient": "4,40"})
    client.post(url, data, **HX)
    submit = reverse("workflow:change_submit", args=[draft.pk])
    html = client.post(submit).content.decode()
    assert 'id="problems"' in html and "Đ7.3" in html and 'role="alert"' in html
    client.post(reverse("workflow:evidence_upload", args=[draft.pk]), {
        "file": upload("qd.pdf", scanned_pdf_bytes(marker="ngach")), "kind": evidence_kind,
    })
    response = client.post(submit)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Đã gửi" in html and 'action="' + submit not in html
    assert "không sửa được nữa" in html or "không thể thay đổi" in html
    # the edit page of a submitted request leads back to its status
    response = client.get(url)
    assert response["Location"] == reverse("workflow:change_detail", args=[draft.pk])


def test_the_hr_officer_opens_the_same_pages_for_a_person_in_scope(world):
    hr = world.actors["hr_officer"]
    person = world.people["in"]
    client = client_for(hr)
    draft, location = _start(client, person)
    assert location.endswith("/header/")  # the unit's fields are theirs to fill
    html = client.get(location).content.decode()
    assert 'name="staff_number"' in html
    out = reverse("workflow:person_file", args=[world.people["out"].pk])
    assert client.get(out).status_code == 404

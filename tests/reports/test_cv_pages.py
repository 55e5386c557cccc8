"""The CV's pages: printed from the approved revision only (Cần Thơ 641/QĐ-UBND Đ7.6,
Lâm Đồng Đ9.5), the draft watermarked, through the permission path (`person.export`),
each print leaving an access row."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import AccessLog
from hoso.documents.services import Upload, evidence_upload
from hoso.reports.cv import MARGIN_LEFT, MARGIN_TOP, PHOTO_HEIGHT, PHOTO_WIDTH
from hoso.workflow.services import draft_start, draft_update

from ..clients import client_for
from ..records.documents import first_revision
from .pdf import Pdf, jpeg

WITHHELD = "(không có quyền xem)"


def _text(response) -> str:
    return unicodedata.normalize("NFC", Pdf(response.content).all_text)


def cv_url(person) -> str:
    return reverse("reports:person_cv", kwargs={"pk": person.pk})


def draft_url(person) -> str:
    return reverse("reports:person_cv_draft", kwargs={"pk": person.pk})


@pytest.fixture
def staff(world):
    return world.actors["staff"]


def test_the_person_prints_their_cv_from_the_approved_revision(staff):
    revision = first_revision(staff.person)
    response = client_for(staff).get(cv_url(staff.person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = _text(response)
    assert staff.person.full_name.upper() in text
    assert f"phiên bản số {revision.number}" in text
    assert revision.content_hash in text  # the paper can be checked against the file
    assert "BẢN NHÁP" not in text


def test_a_file_without_an_approved_revision_says_so(staff):
    response = client_for(staff).get(cv_url(staff.person))
    assert response.status_code == 404
    page = response.content.decode()
    assert "chưa có phiên bản được phê duyệt" in page
    assert reverse("people:person_detail", kwargs={"pk": staff.person.pk}) in page


def test_every_print_leaves_an_access_row(world, staff):
    person = world.people["in"]
    first_revision(person)
    first_revision(staff.person)
    hr = world.actors["hr_officer"]
    assert client_for(hr).get(cv_url(person)).status_code == 200
    row = AccessLog.objects.filter(action="print").get()
    assert (row.person_id, row.actor_id, row.object_type) == (person.pk, hr.pk, "records.person")
    assert row.detail == {"what": "cv", "revision": 1}
    # the person's own print too: a printed CV leaves the system, whoever prints it
    assert client_for(staff).get(cv_url(staff.person)).status_code == 200
    assert AccessLog.objects.filter(action="print", person_id=staff.person.pk).count() == 1


def test_reading_a_file_is_not_enough_to_print_it(world):
    """The unit administrator may view the unit's files but not export them."""
    person = world.people["in"]
    first_revision(person)
    response = client_for(world.actors["unit_admin"]).get(cv_url(person))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action="print").exists()


def test_the_approved_print_ignores_the_draft_and_the_draft_print_is_marked(staff):
    first_revision(staff.person, other_names="Tên đã duyệt")
    draft = draft_start(actor=staff, person=staff.person)
    draft_update(actor=staff, draft=draft, changes={"other_names": "Tên đang sửa"})
    client = client_for(staff)
    approved = _text(client.get(cv_url(staff.person)))
    assert "Tên đã duyệt" in approved and "Tên đang sửa" not in approved
    response = client.get(draft_url(staff.person))
    assert response.status_code == 200
    drafted = _text(response)
    assert "Tên đang sửa" in drafted and "Tên đã duyệt" not in drafted
    assert "BẢN NHÁP" in drafted
    assert "Bản nháp, chưa được phê duyệt" in drafted
    row = AccessLog.objects.filter(action="print").latest("seq")
    assert row.detail == {"what": "cv", "draft": draft.pk}


def test_without_a_draft_the_draft_print_says_so(staff):
    first_revision(staff.person)
    response = client_for(staff).get(draft_url(staff.person))
    assert response.status_code == 404
    assert "không có bản nháp" in response.content.decode()


def test_secret_fields_print_as_withheld_for_who_may_not_read_them(world):
    """The province approver reads restricted fields but not the secret self-history
    (accounts/roles.py); the HR officer reads both."""
    person = world.people["in"]
    first_revision(person, history_detention="Bị bắt giữ tại Côn Đảo năm 1972")
    approver = _text(client_for(world.actors["province_approver"]).get(cv_url(person)))
    assert "Côn Đảo" not in approver
    assert WITHHELD in approver
    hr = _text(client_for(world.actors["hr_officer"]).get(cv_url(person)))
    assert "Côn Đảo" in hr
    assert WITHHELD not in hr


def test_the_photo_of_the_file_is_printed_in_the_photo_box(world):
    person = world.people["in"]
    colour = (170, 200, 255)
    photo = evidence_upload(
        actor=SYSTEM,
        person=person,
        upload=Upload(file=ContentFile(jpeg(colour), name="anh.jpg"), kind="anh_the"),
    )
    first_revision(person, photo=photo.pk)
    response = client_for(world.actors["hr_officer"]).get(cv_url(person))
    assert response.status_code == 200
    image = Pdf(response.content).image(0, 1.0, grey=False)
    # inside the box: 4×6 cm from the left margin, below the header lines
    x = round(MARGIN_LEFT + PHOTO_WIDTH / 2)
    y = round(MARGIN_TOP + 40 + PHOTO_HEIGHT / 2)
    pixel = image.getpixel((x, y))
    assert all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True)), pixel


def test_the_file_page_links_to_the_prints(staff):
    first_revision(staff.person)
    client = client_for(staff)
    page = client.get(reverse("people:person_detail", kwargs={"pk": staff.person.pk}))
    assert cv_url(staff.person) in page.content.decode()
    assert draft_url(staff.person) not in page.content.decode()
    draft_start(actor=staff, person=staff.person)
    page = client.get(reverse("people:person_detail", kwargs={"pk": staff.person.pk}))
    assert draft_url(staff.person) in page.content.decode()

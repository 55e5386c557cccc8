"""The province batch's pages: prepare, read (counts per agency, items a page at a time),
sign with the approver's key, download the signed package and verify it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.oversight.models import BatchStatus, ProvinceBatch
from hoso.signing.models import Signature

from ..clients import client_for
from .conftest import PASSPHRASE, approve, more_people

CURRENT = reverse("oversight:batch_current")


def _prepare(client):
    return client.post(reverse("oversight:batch_prepare"))


def test_approver_prepares_reads_and_signs_the_batch(world, approved, province, keys):
    province("vinh-phuc")  # no window of its own (Vĩnh Phúc Đ8.2): any day
    client = client_for(world.actors["province_approver"])
    page = client.get(CURRENT).content.decode()
    assert "Chưa có đợt nào đang được chuẩn bị." in page
    assert "4 hồ sơ được phê duyệt chưa thuộc đợt nào." in page

    response = _prepare(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    assert "Đã đưa 4 hồ sơ được phê duyệt vào đợt." in page
    assert "Số hồ sơ theo đơn vị" in page and "Sở Y tế" in page
    person = world.people["out"]
    assert reverse("people:revision_detail", args=[person.pk, 1]) in page
    assert person.full_name in page
    batch = ProvinceBatch.objects.get()
    # every person shown on the page leaves an access row
    shown = AccessLog.objects.filter(detail__what="province_batch", detail__batch=batch.pk)
    assert set(shown.values_list("person_id", flat=True)) == {
        p.pk for k, p in world.people.items()}

    response = client.post(reverse("oversight:batch_sign", args=[batch.pk]),
                           {"version": batch.version, "secret": PASSPHRASE})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("oversight:batch_detail", args=[batch.pk])
    page = client.get(response.headers["Location"]).content.decode()
    assert "Đã ký số dữ liệu của tỉnh: 4 hồ sơ" in page and "Đã ký" in page
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SIGNED and batch.manifest_hash in page

    package = client.get(reverse("oversight:batch_package", args=[batch.pk]))
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(package.content)).namelist() == [
        "data.json", "data.json.p7s"]
    verified = client.post(reverse("signing:verify"), {
        "file": SimpleUploadedFile(batch.package_name, package.content)}).content.decode()
    assert "Mọi chữ ký đều nguyên vẹn và tin cậy." in verified
    assert world.actors["province_approver"].person.full_name in verified


def test_a_wrong_passphrase_is_said_and_nothing_is_signed(world, approved, province, keys):
    province("vinh-phuc")
    client = client_for(world.actors["province_approver"])
    _prepare(client)
    batch = ProvinceBatch.objects.get()
    page = client.post(reverse("oversight:batch_sign", args=[batch.pk]),
                       {"version": batch.version, "secret": "sai-mat-khau"})
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    assert not Signature.objects.exists()
    assert ProvinceBatch.objects.get().status == BatchStatus.OPEN


def test_outside_the_window_the_page_names_it_and_signing_is_refused(
        world, approved, province, clock, keys):
    province("can-tho")
    clock.set(dt.date(2027, 3, 12))
    client = client_for(world.actors["province_approver"])
    _prepare(client)
    page = client.get(CURRENT).content.decode()
    assert "từ ngày 27/03/2027 đến ngày 31/03/2027" in page
    assert reverse("oversight:batch_sign", args=[ProvinceBatch.objects.get().pk]) not in page
    batch = ProvinceBatch.objects.get()
    page = client.post(reverse("oversight:batch_sign", args=[batch.pk]),
                       {"version": batch.version, "secret": PASSPHRASE}).content.decode()
    assert "27/03/2027" in page and "12/03/2027" in page
    assert not Signature.objects.exists()


def test_the_batch_page_is_province_approvers_only(world, province):
    province("vinh-phuc")
    for key in ("hr_head", "unit_head", "auditor", "staff"):
        assert client_for(world.actors[key]).get(CURRENT).status_code == 403


def test_items_are_paginated_and_filtered_by_agency(world, approved, province):
    province("vinh-phuc")
    for person in more_people(world.out_unit, 120):
        approve(person)
    client = client_for(world.actors["province_admin"])
    _prepare(client)
    first = client.get(CURRENT).content.decode()
    assert re.search(r"Trang 1 ?/ ?3", first)
    assert first.count("/revisions/1/") == 50
    last = client.get(CURRENT, {"page": 3}).content.decode()
    assert last.count("/revisions/1/") == 24
    only = client.get(CURRENT, {"unit": world.in_unit.pk}).content.decode()
    assert only.count("/revisions/1/") == 2  # Sở Nội vụ and its division
    assert world.people["in_child"].full_name in only


def test_opening_the_batch_does_not_grow_queries_with_its_items(world, approved, province):
    province("vinh-phuc")
    client = client_for(world.actors["province_admin"])
    _prepare(client)
    client.get(CURRENT)
    with CaptureQueriesContext(connection) as small:
        client.get(CURRENT)
    for person in more_people(world.out_unit, 60):
        approve(person)
    _prepare(client)
    client.get(CURRENT)
    with CaptureQueriesContext(connection) as large:
        client.get(CURRENT)
    # the access rows of a page are one chain append: only the page's size matters
    assert len(large) <= len(small) + 2, [q["sql"] for q in large.captured_queries]

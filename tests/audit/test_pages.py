"""The audit pages: change and access rows for the auditor and Sở Nội vụ only, one
change row's before/after, and the chain check that tells a tampered trail in words."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hoso.audit.models import AccessLog, ChangeLog
from hoso.audit.services import log_access
from hoso.core.context import acting_as, reason

from ..clients import client_for
from ..factories import PersonFactory
from .tampering import triggers_off


def seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r"<tr>\s*<td>(\d+)</td>", html)]


def _page(client, **params):
    response = client.get(reverse("audit:log_list"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("actor", ["auditor", "province_admin"])
def test_change_rows_are_listed_newest_first_for_the_auditor_and_the_province(world, actor):
    html = _page(client_for(world.actors[actor]))
    newest = ChangeLog.objects.order_by("-seq")[:50]
    assert seqs(html) == [r.seq for r in newest]
    assert "Tạo mới" in html and "system:tests" in html
    assert f"Tìm thấy {ChangeLog.objects.count()} bản ghi." in html


def test_access_rows_are_the_other_tab(world):
    person = world.people["in"]
    with acting_as(world.actors["hr_officer"]):
        row = log_access(action="view", obj=person, person_id=person.pk)
    html = _page(client_for(world.actors["auditor"]), kind="access")
    assert seqs(html) == [row.seq]
    assert "hr_officer" in html and "Xem" in html and f"<td>{person.pk}</td>" in html


def test_filters_by_action_actor_and_dates(world):
    officer = world.actors["hr_officer"]
    with acting_as(officer), reason("sửa theo quyết định 5/QĐ"):
        world.in_child.name = "Phòng Tổ chức cán bộ"
        world.in_child.save()
    update = ChangeLog.objects.get(action="update", object_type="org.orgunit")
    client = client_for(world.actors["auditor"])
    updates = ChangeLog.objects.filter(action="update").order_by("-seq")
    assert seqs(_page(client, action="update")) == [r.seq for r in updates]
    assert seqs(_page(client, actor="hr_off")) == [update.seq]
    today = timezone.localdate()
    assert update.seq in seqs(_page(client, date_from=today.isoformat(), date_to=today.isoformat()))
    assert seqs(_page(client, date_to=today.replace(year=today.year - 1).isoformat())) == []
    assert "sửa theo quyết định 5/QĐ" in _page(client, action="update")


@pytest.mark.parametrize("actor", ["unit_admin", "hr_head", "staff"])
def test_audit_pages_are_hidden_from_everyone_else(world, actor):
    client = client_for(world.actors[actor])
    row = ChangeLog.objects.first()
    assert client.get(reverse("audit:log_list")).status_code == 403
    assert client.get(reverse("audit:log_detail", args=[row.pk])).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_change_detail_shows_before_and_after_with_vietnamese_labels(world):
    with acting_as(world.actors["unit_admin"]):
        world.in_child.name = "Phòng Tổ chức cán bộ"
        world.in_child.save()
    row = ChangeLog.objects.get(action="update", object_type="org.orgunit")
    html = client_for(world.actors["auditor"]).get(
        reverse("audit:log_detail", args=[row.pk])
    ).content.decode()
    assert re.search(
        r'<tr class="changed">\s*<th scope="row">Tên</th>\s*<td>Phòng Tổ chức</td>\s*'
        r"<td>Phòng Tổ chức cán bộ</td>",
        html,
    )
    assert "Phòng, bộ phận" in html  # the kind, by its label


def test_change_detail_of_a_personal_file_hides_values_from_the_auditor(world):
    person = world.people["in"]
    row = ChangeLog.objects.get(object_type="records.person", object_id=str(person.pk))
    url = reverse("audit:log_detail", args=[row.pk])
    before = AccessLog.objects.count()
    auditor_html = client_for(world.actors["auditor"]).get(url).content.decode()
    assert person.full_name not in auditor_html
    assert "không hiển thị giá trị" in auditor_html
    assert AccessLog.objects.count() == before
    admin = world.actors["province_admin"]
    admin_html = client_for(admin).get(url).content.decode()
    assert person.full_name in admin_html
    seen = AccessLog.objects.get(seq__gt=before)
    assert (seen.person_id, seen.actor_id, seen.object_type) == (
        person.pk, admin.pk, "audit.changelog"
    )


def test_chain_check_reports_intact_logs(world):
    PersonFactory()
    response = client_for(world.actors["auditor"]).post(reverse("audit:verify"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cả hai nhật ký đều nguyên vẹn" in html
    assert f"Nhật ký thay đổi: nguyên vẹn, {ChangeLog.objects.count()} dòng." in html


def test_chain_check_shows_a_tampered_row_in_vietnamese(world):
    victim = ChangeLog.objects.filter(object_type="records.person").order_by("seq")[1]
    with triggers_off("audit_changelog"), connection.cursor() as c:
        c.execute(
            "UPDATE audit_changelog SET reason = %s WHERE id = %s", ["xóa dấu vết", victim.pk]
        )
    response = client_for(world.actors["province_admin"]).post(reverse("audit:verify"))
    html = response.content.decode()
    assert "Nhật ký hệ thống đã bị sửa đổi trái phép." in html
    assert (
        f"Nhật ký thay đổi: BỊ PHÁ VỠ tại dòng {victim.seq}: nội dung của dòng đã bị sửa." in html
    )
    assert "Nhật ký truy cập: nguyên vẹn" in html


def test_the_chain_check_is_a_post(world):
    client = client_for(world.actors["auditor"])
    assert client.get(reverse("audit:verify")).status_code == 405

"""People pages: the list (only whom the permission path shows, masked ID numbers,
filters, one access row per other person shown) and one person's minimal file."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.records.models import StaffCategory, Status

from ..clients import client_for
from ..factories import PersonFactory


def listed(html: str) -> set[int]:
    """The people a list page's table shows, by pk (not the navigation's "my file")."""
    if "<table" not in html:
        return set()
    table = html.split('<table class="table">', 1)[1].split("</table>", 1)[0]
    return {int(pk) for pk in re.findall(r'<a href="/people/(\d+)/">', table)}


def _list(client, **params):
    response = client.get(reverse("people:person_list"), params)
    assert response.status_code == 200
    return response


def _people_of(world, *keys):
    return {world.people[k].pk for k in keys}


def test_list_shows_only_the_people_in_scope_with_masked_id_numbers(world):
    html = _list(client_for(world.actors["hr_officer"])).content.decode()
    shown = listed(html)
    assert _people_of(world, "in", "in_child") <= shown
    assert not shown & _people_of(world, "out", "commune")
    dung = world.people["in"]
    assert dung.id_number_masked in html
    assert dung.id_number not in html
    assert dung.birth_date.strftime("%d/%m/%Y") in html
    assert "Công chức" in html and "Đang công tác" in html


def test_list_filters_by_unit_with_its_sub_tree(world):
    client = client_for(world.actors["province_admin"])
    shown = listed(_list(client, unit=world.in_unit.pk).content.decode())
    assert _people_of(world, "in", "in_child") <= shown
    assert not shown & _people_of(world, "out", "commune")
    shown = listed(_list(client, unit=world.in_child.pk).content.decode())
    assert shown == _people_of(world, "in_child")


def test_list_filters_by_category_status_and_name(world):
    retired = PersonFactory(unit=world.in_unit, full_name="Trần Văn Hưu", status=Status.RETIRED,
                            category=StaffCategory.VIEN_CHUC)
    client = client_for(world.actors["hr_officer"])
    assert listed(_list(client, status=Status.RETIRED).content.decode()) == {retired.pk}
    assert listed(_list(client, category=StaffCategory.VIEN_CHUC).content.decode()) == {retired.pk}
    assert listed(_list(client, name="Lê Thị").content.decode()) == _people_of(world, "in_child")
    assert listed(_list(client, name="Phạm Văn Nam").content.decode()) == set()  # out of scope


def test_a_unit_outside_the_scope_is_no_filter_choice(world):
    response = _list(client_for(world.actors["hr_officer"]), unit=world.out_unit.pk)
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ." in html
    assert listed(html) == set()


def test_list_writes_an_access_row_for_each_other_person_shown(world):
    officer = world.actors["hr_officer"]
    client = client_for(officer)
    before = AccessLog.objects.count()
    response = _list(client, name="Nguyễn Văn Dũng")
    rows = list(AccessLog.objects.filter(seq__gt=before))
    assert [(r.action, r.person_id, r.actor_id) for r in rows] == [
        ("search", world.people["in"].pk, officer.pk)
    ]
    assert rows[0].request_id == response["X-Request-Id"]
    # which filters were used, never what was typed (a name is personal data)
    assert rows[0].detail == {"page": 1, "filters": ["name"]}


def test_a_staff_member_without_a_role_sees_only_themselves_and_leaves_no_row(world):
    staff = world.actors["staff"]
    before = AccessLog.objects.count()
    html = _list(client_for(staff)).content.decode()
    assert listed(html) == {staff.person_id}
    assert AccessLog.objects.count() == before


def test_list_is_paginated_by_fifty_and_logs_only_the_page_shown(world):
    for i in range(55):
        PersonFactory(unit=world.in_child, full_name=f"Đỗ Thị Trang {i:02d}")
    client = client_for(world.actors["province_admin"])
    first = listed(_list(client, unit=world.in_child.pk).content.decode())
    assert len(first) == 50
    before = AccessLog.objects.count()
    html = _list(client, unit=world.in_child.pk, page=2).content.decode()
    second = listed(html)
    assert len(second) == 6 and not first & second  # 55 + Lê Thị Hoa
    assert "Trang 2/2" in html
    assert {r.person_id for r in AccessLog.objects.filter(seq__gt=before)} == second


def test_person_detail_shows_the_full_id_number_to_who_keeps_the_file(world):
    dung = world.people["in"]
    url = reverse("people:person_detail", args=[dung.pk])
    officer_html = client_for(world.actors["hr_officer"]).get(url).content.decode()
    assert dung.id_number in officer_html
    head_html = client_for(world.actors["unit_head"]).get(url).content.decode()
    assert dung.full_name in head_html and dung.id_number not in head_html
    assert dung.id_number_masked in head_html


def test_person_detail_leaves_an_access_row_for_others_not_for_oneself(world):
    officer = world.actors["hr_officer"]
    client = client_for(officer)
    before = AccessLog.objects.count()
    client.get(reverse("people:person_detail", args=[world.people["in"].pk]))
    row = AccessLog.objects.get(seq__gt=before)
    assert (row.action, row.person_id, row.actor_id) == ("view", world.people["in"].pk, officer.pk)
    response = client.get(reverse("people:person_detail", args=[officer.person_id]))
    assert "Đây là hồ sơ của chính bạn." in response.content.decode()
    assert officer.person.id_number in response.content.decode()
    assert AccessLog.objects.count() == before + 1


@pytest.mark.parametrize("actor", ["hr_officer", "staff", "auditor", "expired"])
def test_person_detail_out_of_scope_is_not_found(world, actor):
    client = client_for(world.actors[actor])
    response = client.get(reverse("people:person_detail", args=[world.people["out"].pk]))
    assert response.status_code == 404

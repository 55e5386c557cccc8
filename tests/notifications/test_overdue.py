"""The overdue list (issue 5, "overdue lists per unit"): review steps past their due date
and tracked deadlines past theirs, of the files the reader keeps or approves, by due
date, through the permission path, every page leaving access rows.

The world is built on Mon 04/01/2027 under Cần Thơ's policy: its four people without an
account are due an account 5 working days later, Mon 11/01 (Đ5.1.a); its accounts were
given that day, so their holders' own entry is due 11/01 too (Đ5.1.b). The staff member
submits a change on 01/02, due at the HR check on 15/02 (Đ5.1.c). On Tue 16/02 all of
that is overdue: the obligations by 21 working days (12–29/01: 14, 01–04/02: 4, 12, 15,
16/02: 3), the step by 1.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoso.audit.models import AccessLog
from hoso.notifications.selectors import overdue_list

from ..clients import client_for
from ..conftest import ACTOR_ROLES
from .helpers import submit_change

D = dt.date
IN_UNIT_ACTORS = sorted(k for k, (_role, where) in ACTOR_ROLES.items() if where == "in_unit")


@pytest.fixture
def overdue_world(world, staff, clock, settings):
    settings.PROVINCE = "can-tho"
    cr = submit_change(staff, clock, D(2027, 2, 1))  # staff's file: loaded, then changed
    clock.set(D(2027, 2, 16), 10)
    return cr


def test_the_hr_officer_sees_the_overdue_items_of_their_unit_only(world, overdue_world):
    page = overdue_list(user=world.actors["hr_officer"])
    kinds = [(i.kind, i.person_name) for i in page.items]
    # the step first? no: the oldest due date first — the obligations of 11/01
    assert kinds[-1] == ("review", "Cán bộ staff")
    accounts = {name for kind, name in kinds if kind == "account_creation"}
    assert accounts == {"Nguyễn Văn Dũng", "Lê Thị Hoa"}  # in_unit and its division
    entries = {name for kind, name in kinds if kind == "self_entry"}
    # every account holder of the unit but the staff member, whose file is in review
    assert entries == {f"Cán bộ {k}" for k in IN_UNIT_ACTORS} - {"Cán bộ staff"}
    assert page.total == len(page.items) == 2 + len(entries) + 1
    assert page.counts == {"review": 1, "account_creation": 2, "self_entry": len(entries)}
    first = page.items[0]
    assert (first.due, first.late) == (D(2027, 1, 11), 21)
    step = page.items[-1]
    assert (step.due, step.late, step.step_number, step.steps_total) == (D(2027, 2, 15), 1, 1, 3)
    assert step.change_request_id == overdue_world.pk
    assert all(i.unit_name in ("Sở Nội vụ", "Phòng Tổ chức") for i in page.items)


def test_sở_nội_vụ_sees_the_whole_province_and_can_narrow_to_a_unit(world, overdue_world):
    admin = world.actors["province_admin"]
    names = {i.person_name for i in overdue_list(user=admin).items}
    assert {"Phạm Văn Nam", "Hoàng Văn Xã"} <= names  # Sở Y tế, the commune
    narrowed = overdue_list(user=admin, unit=world.out_unit)
    assert {(i.kind, i.person_name) for i in narrowed.items} >= {
        ("account_creation", "Phạm Văn Nam")
    }
    assert all(i.unit_id == world.out_unit.pk for i in narrowed.items)


def test_a_page_merges_the_sources_in_due_date_order(world, overdue_world):
    officer = world.actors["hr_officer"]
    whole = overdue_list(user=officer).items
    pages = [overdue_list(user=officer, offset=o, limit=2).items
             for o in range(0, len(whole), 2)]
    assert [i for p in pages for i in p] == whole
    assert [i.due for i in whole] == sorted(i.due for i in whole)


def test_nothing_is_overdue_before_its_due_date(world, staff, clock, settings):
    settings.PROVINCE = "can-tho"
    submit_change(staff, clock, D(2027, 2, 1))
    clock.set(D(2027, 1, 11), 10)  # the obligations' own due date: due, not overdue
    assert overdue_list(user=world.actors["province_admin"], on=D(2027, 1, 11)).items == []


def test_the_page_lists_them_with_links_and_logs_the_access(world, overdue_world):
    officer = world.actors["hr_officer"]
    response = client_for(officer).get(reverse("notifications:overdue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quá hạn: 9." in html and "11/01/2027" in html and "15/02/2027" in html
    assert f'href="/changes/{overdue_world.pk}/review/"' in html
    assert "Chưa tạo tài khoản" in html and "Người dùng chưa tự nhập thông tin" in html
    assert world.people["out"].full_name not in html
    logged = set(AccessLog.objects.filter(actor=officer, action="view")
                 .values_list("person_id", flat=True))
    assert world.people["in"].pk in logged and world.people["in_child"].pk in logged
    assert officer.person_id not in logged  # one's own file is not someone else's


def test_the_unit_filter_offers_only_the_readers_units(world, overdue_world):
    officer = world.actors["hr_officer"]
    client = client_for(officer)
    html = client.get(reverse("notifications:overdue")).content.decode()
    assert world.out_unit.name not in html
    html = client.get(reverse("notifications:overdue") + f"?unit={world.out_unit.pk}")
    html = html.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ." in html and "Quá hạn: 0." in html


def test_staff_and_auditors_are_refused_the_page(world, overdue_world):
    for key in ("staff", "auditor"):
        assert client_for(world.actors[key]).get(reverse("notifications:overdue")).status_code \
            == 403


def test_the_api_pages_the_same_list(world, overdue_world):
    officer = world.actors["hr_officer"]
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = client.get("/api/v1/overdue/?limit=3&offset=0").json()
    assert body["count"] == 9 and len(body["results"]) == 3
    assert body["results"][0]["due"] == "2027-01-11" and body["results"][0]["late"] == 21
    last = client.get("/api/v1/overdue/?limit=3&offset=6").json()["results"][-1]
    assert last["kind"] == "review" and last["change_request_id"] == overdue_world.pk
    refused = client.get(f"/api/v1/overdue/?unit={world.out_unit.pk}")
    assert refused.status_code == 400
    assert refused.json() == {"unit": ["Không có đơn vị này trong các đơn vị của bạn."]}


def test_the_all_tab_adds_what_is_not_yet_due(world, overdue_world, clock):
    officer = world.actors["hr_officer"]
    cr = submit_change(world.actors["unit_head"], clock, D(2027, 2, 16))  # due 23/02
    clock.set(D(2027, 2, 16), 11)
    page = overdue_list(user=officer, upcoming=True)
    # the head of unit's change is under way (not yet due); their own entry is done now
    assert page.counts == {"review": 2, "account_creation": 2, "self_entry": 5}
    last = page.items[-1]
    assert (last.change_request_id, last.due, last.state, last.late) == (
        cr.pk, D(2027, 2, 23), "open", 0
    )
    html = client_for(officer).get(reverse("notifications:overdue") + "?all=1").content.decode()
    assert "Đang mở: 9." in html and "23/02/2027" in html and "đến hạn hôm nay" not in html

"""`/api/v1/org-units/`: reads through `visible_to`, writes through `org.services`,
bad input refused in Vietnamese with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hoso.audit.models import ChangeLog
from hoso.org.models import OrgUnit, UnitKind

from ..factories import OrgUnitFactory

LIST = reverse("api:orgunit-list")


def _detail(unit) -> str:
    return reverse("api:orgunit-detail", kwargs={"pk": unit.pk})


def _new_division(world, **over):
    return {
        "code": "002.01.00.H26", "name": "Phòng Công chức, viên chức", "kind": "division",
        "parent": world.in_unit.pk, **over,
    }


def test_a_unit_administrator_creates_a_sub_unit_audited_as_themselves(world, as_actor):
    response = as_actor("unit_admin").post(LIST, _new_division(world), format="json")
    assert response.status_code == 201, response.json()
    unit = OrgUnit.objects.get(code="002.01.00.H26")
    assert response.json()["id"] == unit.pk and response.json()["depth"] == 2
    assert unit.path.startswith(world.in_unit.path)
    change = ChangeLog.objects.get(object_type="org.orgunit", object_id=str(unit.pk))
    assert change.actor_id == world.actors["unit_admin"].pk


@pytest.mark.parametrize(
    "over, field, words",
    [
        ({"code": "H26-01"}, "code", "ABC.DE.FG.HIK"),
        ({"code": "000.01.00.H26"}, "code", "đã tồn tại"),  # in_unit's code
        ({"kind": "district"}, "parent", "không thể đặt dưới"),  # a district under a department
        ({"valid_from": "2026-05-01", "valid_to": "2026-01-01"}, "valid_to", "ngày bắt đầu"),
    ],
    ids=["malformed_code", "duplicate_code", "wrong_parent_kind", "end_before_start"],
)
def test_bad_input_is_a_vietnamese_400_keyed_by_field_and_writes_nothing(
    world, as_actor, over, field, words
):
    units, changes = OrgUnit.objects.count(), ChangeLog.objects.count()
    response = as_actor("province_admin").post(LIST, _new_division(world, **over), format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field]), response.json()
    assert OrgUnit.objects.count() == units and ChangeLog.objects.count() == changes


def test_a_unit_outside_ones_scope_cannot_be_a_parent(world, as_actor):
    response = as_actor("unit_admin").post(
        LIST, _new_division(world, parent=world.out_unit.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["parent"] == [
        f"Mã số “{world.out_unit.pk}” không hợp lệ: không có đối tượng này."
    ]
    assert not OrgUnit.objects.filter(code="002.01.00.H26").exists()


def test_creating_units_is_refused_to_those_who_may_change_none(world, as_actor):
    """The HR officer and the province approver see in_unit, but change no unit."""
    for key in ("hr_officer", "province_approver"):
        response = as_actor(key).post(LIST, _new_division(world), format="json")
        assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="002.01.00.H26").exists()


def test_moving_a_unit_through_patch_carries_its_sub_tree(world, as_actor):
    grandchild = OrgUnitFactory(parent=world.in_child, kind=UnitKind.DIVISION)
    target = OrgUnitFactory(parent=world.in_unit, kind=UnitKind.DIVISION, code="003.01.00.H26")
    response = as_actor("unit_admin").patch(
        _detail(world.in_child), {"parent": target.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    world.in_child.refresh_from_db()
    grandchild.refresh_from_db()
    assert world.in_child.parent_id == target.pk
    assert grandchild.path.startswith(target.path) and grandchild.depth == 4


def test_a_unit_cannot_be_moved_under_itself(world, as_actor):
    child = OrgUnitFactory(parent=world.in_child, kind=UnitKind.DIVISION)
    before = world.in_child.path
    response = as_actor("province_admin").patch(
        _detail(world.in_child), {"parent": child.pk}, format="json"
    )
    assert response.status_code == 400
    assert "chính nó" in " ".join(response.json()["parent"])
    world.in_child.refresh_from_db()
    assert world.in_child.path == before


def test_a_unit_out_of_scope_is_not_found_for_reading_or_changing(world, as_actor):
    client = as_actor("unit_admin")
    assert client.get(_detail(world.out_unit)).status_code == 404
    response = client.patch(_detail(world.out_unit), {"name": "Đổi"}, format="json")
    assert response.status_code == 404
    world.out_unit.refresh_from_db()
    assert world.out_unit.name == "Sở Y tế"


def test_seeing_a_unit_does_not_allow_changing_it(world, as_actor):
    response = as_actor("hr_officer").patch(_detail(world.in_child), {"name": "Đổi"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."


def test_the_list_filters_by_day_parent_kind_and_code(world, as_actor):
    OrgUnitFactory(
        parent=world.root, kind=UnitKind.DISTRICT, name="UBND huyện Tam Dương",
        code="000.00.09.H26", valid_from=dt.date(2010, 1, 1), valid_to=dt.date(2025, 6, 30),
    )
    client = as_actor("province_admin")

    def names(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return {u["name"] for u in response.json()["results"]}

    assert "UBND huyện Tam Dương" in names()
    assert "UBND huyện Tam Dương" in names(as_of="2025-06-30")
    assert "UBND huyện Tam Dương" not in names(as_of="2025-07-01")
    assert names(parent=world.in_unit.pk) == {"Phòng Tổ chức"}
    assert names(kind="commune") == {"UBND xã Tam Đảo"}
    assert names(code="000.02.00.H26") == {"Sở Y tế"}


def test_everyone_lists_only_the_units_they_may_see(world, as_actor):
    unit_admin = as_actor("unit_admin").get(LIST).json()
    assert {u["id"] for u in unit_admin["results"]} == {world.in_unit.pk, world.in_child.pk}
    staff = as_actor("staff").get(LIST).json()
    assert [u["id"] for u in staff["results"]] == [world.in_unit.pk]


def test_a_bad_filter_is_a_vietnamese_400(world, as_actor):
    response = as_actor("province_admin").get(LIST, {"as_of": "hôm qua", "kind": "tỉnh"})
    assert response.status_code == 400
    body = response.json()
    assert body["as_of"][0].startswith("Ngày sai định dạng")
    assert body["kind"] == ["“tỉnh” không phải là lựa chọn hợp lệ."]

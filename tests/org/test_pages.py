"""The org-tree pages: the tree of both local-government structures, one unit, and
creating, editing and moving units through `org.services`, with Vietnamese errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import ChangeLog
from hoso.core.errors import DomainError, PermissionDenied
from hoso.org.forms import UnitForm
from hoso.org.models import OrgUnit, UnitKind
from hoso.org.services import unit_create, unit_update

from ..clients import client_for
from ..factories import OrgUnitFactory

CYCLE = "Không thể chuyển một đơn vị vào dưới chính nó hoặc dưới một đơn vị trực thuộc của nó."




def form_data(unit: OrgUnit, **changes) -> dict:
    data = {
        "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
        "parent": unit.parent_id or "",
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else "",
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else "",
    }
    return data | changes


def new_unit_data(parent_unit, **changes) -> dict:
    return {
        "code": "003.01.00.H26", "name": "Phòng Cải cách hành chính", "short_name": "",
        "kind": UnitKind.DIVISION, "parent": parent_unit.pk, "valid_from": "", "valid_to": "",
    } | changes


@pytest.fixture
def structures(world):
    """A district with its commune until 30/6/2025, and the commune that replaced them
    under the province from 1/7/2025."""
    root = world.root
    district = unit_create(
        actor=SYSTEM, parent=root, code="000.00.01.H26", name="UBND huyện Tam Dương",
        kind=UnitKind.DISTRICT, valid_to=dt.date(2025, 6, 30),
    )
    old_commune = unit_create(
        actor=SYSTEM, parent=district, code="000.01.01.H26", name="UBND xã Hoàng Đan",
        kind=UnitKind.COMMUNE, valid_to=dt.date(2025, 6, 30),
    )
    new_commune = unit_create(
        actor=SYSTEM, parent=root, code="000.00.02.H26", name="UBND xã Hoàng An",
        kind=UnitKind.COMMUNE, valid_from=dt.date(2025, 7, 1),
    )
    return district, old_commune, new_commune


def _depths(html: str) -> dict[int, int]:
    """Unit pk → indentation of each row of the tree, in page order."""
    rows = re.findall(r'<tr data-depth="(\d+)">\s*<td[^>]*><a href="/org/(\d+)/">', html)
    return {int(pk): int(indent) for indent, pk in rows}


def _tree(client, **params) -> str:
    response = client.get(reverse("org:unit_list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    # the page's own content, without the header (which names the user's roles and unit)
    return html[html.index("<main"):html.index("</main>")]


def test_tree_shows_the_three_level_structure_before_1_7_2025(world, structures):
    district, old_commune, new_commune = structures
    html = _tree(client_for(world.actors["province_admin"]), as_of="2025-06-30")
    assert district.name in html and old_commune.name in html
    assert new_commune.name not in html
    # the commune hangs two levels under the province, indented below its district
    depths = _depths(html)
    assert depths[old_commune.pk] == 2 and depths[district.pk] == 1 and depths[world.root.pk] == 0
    assert list(depths).index(old_commune.pk) == list(depths).index(district.pk) + 1
    assert "Số đơn vị có hiệu lực vào ngày 30/06/2025" in html


def test_tree_shows_the_two_level_structure_from_1_7_2025_and_today_by_default(
    world, structures
):
    district, old_commune, new_commune = structures
    client = client_for(world.actors["province_admin"])
    for html in (_tree(client, as_of="2025-07-01"), _tree(client)):
        assert new_commune.name in html
        assert district.name not in html and old_commune.name not in html
    every = _tree(client, every_period="on")
    assert all(u.name in every for u in structures)


def test_tree_text_filter_matches_name_or_code(world, structures):
    client = client_for(world.actors["province_admin"])
    html = _tree(client, q="Hoàng", every_period="on")
    assert "UBND xã Hoàng Đan" in html and "UBND xã Hoàng An" in html
    assert "Sở Y tế" not in html
    html = _tree(client, q="000.02.00")
    assert "Sở Y tế" in html and "Sở Nội vụ" not in html


def test_tree_shows_a_unit_administrator_only_their_sub_tree(world):
    html = _tree(client_for(world.actors["unit_admin"]))
    assert "Sở Nội vụ" in html and "Phòng Tổ chức" in html
    assert "Sở Y tế" not in html and world.root.name not in html


def test_tree_page_runs_the_same_queries_for_five_units_or_fifty(world):
    client = client_for(world.actors["province_admin"])
    _tree(client)  # warm the session
    with CaptureQueriesContext(connection) as small:
        _tree(client)
    for i in range(45):
        OrgUnitFactory(parent=world.in_unit, code=f"{100 + i:03d}.05.00.H26",
                       kind=UnitKind.DIVISION, name=f"Phòng số {i}")
    with CaptureQueriesContext(connection) as large:
        html = _tree(client)
    assert "Phòng số 44" in html
    assert len(large.captured_queries) == len(small.captured_queries)


def test_unit_detail_shows_parent_chain_children_and_people_count(world):
    client = client_for(world.actors["hr_officer"])
    response = client.get(reverse("org:unit_detail", args=[world.in_unit.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phòng Tổ chức" in html  # the child
    # in_unit: Nguyễn Văn Dũng and the actors' own files; in_child: Lê Thị Hoa
    direct = world.in_unit.people.count()
    assert f"<dt>Số người trong đơn vị</dt><dd>{direct}</dd>" in html
    assert f"<dt>Số người kể cả các đơn vị trực thuộc</dt><dd>{direct + 1}</dd>" in html
    child = client.get(reverse("org:unit_detail", args=[world.in_child.pk])).content.decode()
    crumbs = child.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Sở Nội vụ" in crumbs
    # the province is above the officer's scope: not in their chain
    assert world.root.name not in crumbs


def test_unit_detail_out_of_scope_is_not_found(world):
    client = client_for(world.actors["unit_admin"])
    assert client.get(reverse("org:unit_detail", args=[world.out_unit.pk])).status_code == 404


def test_create_unit_under_a_parent_redirects_and_is_audited(world):
    client = client_for(world.actors["unit_admin"])
    form = client.get(reverse("org:unit_create") + f"?parent={world.in_unit.pk}")
    assert form.status_code == 200
    assert f'<option value="{world.in_unit.pk}" selected>' in form.content.decode()
    response = client.post(reverse("org:unit_create"), new_unit_data(world.in_unit))
    unit = OrgUnit.objects.get(code="003.01.00.H26")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[unit.pk])
    assert unit.parent == world.in_unit and unit.path.startswith(world.in_unit.path)
    row = ChangeLog.objects.get(object_type="org.orgunit", object_id=str(unit.pk))
    assert row.action == "create" and row.actor_id == world.actors["unit_admin"].pk


def test_duplicate_code_is_refused_in_vietnamese_and_nothing_changes(world):
    client = client_for(world.actors["unit_admin"])
    before = OrgUnit.objects.count()
    response = client.post(
        reverse("org:unit_create"), new_unit_data(world.in_unit, code=world.out_unit.code)
    )
    assert response.status_code == 200
    assert "Cơ quan, đơn vị có Mã định danh điện tử đã tồn tại." in response.content.decode()
    assert OrgUnit.objects.count() == before


def test_bad_code_format_is_refused_in_vietnamese(world):
    client = client_for(world.actors["unit_admin"])
    before = OrgUnit.objects.count()
    response = client.post(
        reverse("org:unit_create"), new_unit_data(world.in_unit, code="12.3.H26")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mã định danh điện tử “12.3.H26” không đúng dạng ABC.DE.FG.HIK" in html
    assert OrgUnit.objects.count() == before


def test_structural_and_date_errors_are_shown_together(world):
    client = client_for(world.actors["province_admin"])
    response = client.post(
        reverse("org:unit_create"),
        new_unit_data(world.in_unit, kind=UnitKind.DISTRICT,
                      valid_from="2024-01-01", valid_to="2023-01-01"),
    )
    html = response.content.decode()
    assert "Đơn vị loại “Ủy ban nhân dân cấp huyện” không thể đặt dưới Sở, ban, ngành" in html
    assert "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực." in html
    assert not OrgUnit.objects.filter(code="003.01.00.H26").exists()


def test_moving_a_unit_under_its_own_descendant_is_refused(world):
    grandchild = OrgUnitFactory(parent=world.in_child, code="001.02.00.H26",
                                kind=UnitKind.DIVISION, name="Tổ Chính sách")
    client = client_for(world.actors["unit_admin"])
    url = reverse("org:unit_update", args=[world.in_child.pk])
    for target in (grandchild, world.in_child):
        response = client.post(url, form_data(world.in_child, parent=target.pk))
        assert response.status_code == 200
        assert CYCLE in response.content.decode()
    world.in_child.refresh_from_db()
    grandchild.refresh_from_db()
    assert world.in_child.parent == world.in_unit
    assert grandchild.path == world.in_child.path + grandchild.segment


def test_the_service_refuses_a_cycle_whatever_the_caller(world):
    grandchild = OrgUnitFactory(parent=world.in_child, code="001.02.00.H26",
                                kind=UnitKind.DIVISION)
    with pytest.raises(ValidationError) as err:
        unit_update(actor=SYSTEM, unit=world.in_child, parent=grandchild)
    assert err.value.message_dict["parent"] == [CYCLE]


def test_moving_a_unit_carries_its_sub_tree(world):
    grandchild = OrgUnitFactory(parent=world.in_child, code="001.02.00.H26",
                                kind=UnitKind.DIVISION)
    client = client_for(world.actors["province_admin"])
    response = client.post(
        reverse("org:unit_update", args=[world.in_child.pk]),
        form_data(world.in_child, parent=world.out_unit.pk),
    )
    assert response.status_code == 302
    grandchild.refresh_from_db()
    world.in_child.refresh_from_db()
    assert world.in_child.path == world.out_unit.path + world.in_child.segment
    assert grandchild.path == world.in_child.path + grandchild.segment
    assert grandchild.depth == 3


def test_unit_administrator_cannot_create_or_move_outside_their_scope(world):
    client = client_for(world.actors["unit_admin"])
    # the parent list holds only their sub-tree: another department is not a choice
    response = client.post(reverse("org:unit_create"), new_unit_data(world.out_unit))
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    assert not OrgUnit.objects.filter(code="003.01.00.H26").exists()
    url = reverse("org:unit_create") + f"?parent={world.out_unit.pk}"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("org:unit_update", args=[world.in_child.pk]),
        form_data(world.in_child, parent=world.out_unit.pk),
    )
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    world.in_child.refresh_from_db()
    assert world.in_child.parent == world.in_unit


def test_only_the_province_may_create_at_the_top_level(world):
    client = client_for(world.actors["unit_admin"])
    response = client.post(reverse("org:unit_create"), new_unit_data(world.in_unit, parent=""))
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not OrgUnit.objects.filter(code="003.01.00.H26").exists()


def test_unit_administrator_may_rename_their_own_unit_under_a_parent_they_cannot_change(world):
    client = client_for(world.actors["unit_admin"])
    response = client.post(
        reverse("org:unit_update", args=[world.in_unit.pk]),
        form_data(world.in_unit, name="Sở Nội vụ tỉnh Vĩnh Phúc"),
    )
    assert response.status_code == 302
    world.in_unit.refresh_from_db()
    assert world.in_unit.name == "Sở Nội vụ tỉnh Vĩnh Phúc"
    assert world.in_unit.parent == world.root


def test_readers_cannot_open_the_edit_form(world):
    client = client_for(world.actors["hr_officer"])
    assert client.get(reverse("org:unit_update", args=[world.in_unit.pk])).status_code == 403
    assert client.get(reverse("org:unit_create")).status_code == 403


def test_a_domain_error_lands_on_its_field_and_a_refusal_on_the_form(world):
    form = UnitForm(form_data(world.in_child), user=world.actors["unit_admin"], unit=world.in_child)
    assert form.is_valid()
    form.add_service_error(DomainError("Mã này đã được dùng.", field="code"))
    form.add_service_error(PermissionDenied("Bạn không có quyền thực hiện việc này."))
    assert form.errors["code"] == ["Mã này đã được dùng."]
    assert form.non_field_errors() == ["Bạn không có quyền thực hiện việc này."]

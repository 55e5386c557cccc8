"""Every figure comes from `visible_to`: a unit head counts their sub-tree and nothing
else, restricted figures need restricted access, and nothing on the page — rows,
labels, the unit list — names what lies outside the user's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoso.core.errors import PermissionDenied
from hoso.stats import selectors
from hoso.stats.selectors import Filters

from .pages import logged_in

pytestmark = pytest.mark.django_db


def test_a_unit_head_counts_their_sub_tree_only(province):
    head = province.users["syt_head"]
    assert selectors.default_unit(user=head) == province.syt
    filters = Filters(unit=province.syt)
    found = {s.key: s for s in selectors.statistic_list(user=head, filters=filters)}
    # Sở Y tế (P7, P8) and the hospital (P9, P10, P12)
    assert found["headcount"].total.values["total"] == 5
    assert {r.key for r in found["headcount"].rows} == {"000.02.00.H26", "001.02.00.H26"}
    assert found["age"].total.values["total"] == 5
    assert {r.key: r.values["count"] for r in found["ethnicity"].rows} == {
        "01": 1, "09": 1, "none": 3,  # P7 Kinh, P9 Dao; no Tày or Nùng (Sở Nội vụ's)
    }
    assert found["party"].total.values == {"member": 1, "other": 1, "unfiled": 3, "total": 5,
                                           "share": 50.0}
    assert found["languages"].total.values["count"] == 5
    assert {r.key for r in found["languages"].rows} == {"en", "none"}  # no French, no K'Ho
    assert found["movements"].total.values["departures"] == 0  # P6 retired in Sở Nội vụ


def test_without_a_unit_a_unit_head_still_counts_only_their_people(province):
    head = province.users["syt_head"]
    stat = selectors.statistic_get(user=head, key="headcount", filters=Filters())
    assert stat.total.values["total"] == 5


def test_restricted_figures_need_restricted_access(province):
    admin = province.users["snv_unit_admin"]  # public fields of Sở Nội vụ's files only
    filters = Filters(unit=province.snv)
    party = selectors.statistic_get(user=admin, key="party", filters=filters)
    assert party.withheld and party.rows == [] and party.total is None
    assert party.as_dict()["rows"] == [] and party.as_dict()["total"] is None
    # the public figures are theirs
    assert selectors.statistic_get(
        user=admin, key="headcount", filters=filters
    ).total.values["total"] == 5
    with pytest.raises(PermissionDenied):
        selectors.statistic_get(user=admin, key="party", filters=filters, action="export")


@pytest.mark.parametrize("key", ["staff", "auditor"])
def test_no_role_over_staff_means_no_statistics(province, key):
    with pytest.raises(PermissionDenied):
        selectors.statistic_list(user=province.users[key], filters=Filters())
    client = logged_in(province.users[key])
    assert client.get(reverse("stats:overview")).status_code == 403
    assert client.get(reverse("stats:detail", args=["age"])).status_code == 403


def test_the_unit_list_offers_only_units_in_scope(province):
    head = province.users["syt_head"]
    assert set(selectors.unit_choices(user=head)) == {province.syt, province.hospital}
    html = logged_in(head).get(reverse("stats:overview")).content.decode()
    for outside in ("Sở Nội vụ", "Phòng Công chức", "UBND tỉnh"):
        assert outside not in html


def test_a_unit_outside_the_scope_is_refused_with_a_vietnamese_error(province):
    head = province.users["syt_head"]
    client = logged_in(head)
    response = client.get(reverse("stats:overview"), {"unit": province.snv.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Đơn vị: hãy chọn trong danh sách" in html
    assert "data-statistic" not in html  # no figures at all
    api = logged_in(head, api=True).get(reverse("api:stats-list"), {"unit": province.snv.pk})
    assert api.status_code == 400 and "unit" in api.json()
    export = client.get(reverse("stats:export", args=["age"]),
                        {"unit": province.snv.pk, "format": "csv"})
    assert export.status_code == 400


def test_labels_of_people_outside_the_scope_never_appear(province):
    """The Tày, Nùng and French of Sở Nội vụ's people, its units' names: none on the
    head of Sở Y tế's page, in any statistic."""
    html = logged_in(province.users["syt_head"]).get(reverse("stats:overview")).content.decode()
    assert "Tày" not in html and "Nùng" not in html and "Tiếng Pháp" not in html
    assert "Cơ-ho" not in html
    assert "Dao" in html and "Tiếng Anh" in html


def test_the_province_admin_sees_the_whole_province_by_default(province):
    admin = province.users["province_admin"]
    assert selectors.default_unit(user=admin) == province.root
    response = logged_in(admin).get(reverse("stats:overview"))
    assert response.status_code == 200
    assert response.context["filters"].unit == province.root


def test_roles_on_several_units_give_one_row_per_unit_and_never_their_parents(province):
    """An HR officer of the division of Sở Nội vụ and of the hospital: no unit to open
    on, so every unit of theirs is a row — not Sở Nội vụ or Sở Y tế above them."""
    from hoso.accounts.roles import Role

    from ..factories import RoleFactory, UserFactory

    officer = UserFactory(username="two_units", unit=province.snv_div)
    for unit in (province.snv_div, province.hospital):
        RoleFactory(user=officer, role=Role.HR_OFFICER, unit=unit)
    assert selectors.default_unit(user=officer) is None
    stat = selectors.statistic_get(user=officer, key="headcount", filters=Filters())
    assert [(r.label, r.values["total"]) for r in stat.rows] == [
        ("Phòng Công chức", 2),  # P4, P5
        ("Bệnh viện Đa khoa tỉnh", 3),  # P9, P10, P12
    ]
    html = logged_in(officer).get(reverse("stats:overview")).content.decode()
    assert "Sở Y tế" not in html and "Sở Nội vụ" not in html


def test_the_api_counts_every_unit_in_scope_when_the_unit_is_left_empty(province):
    client = logged_in(province.users["syt_head"], api=True)
    body = client.get(reverse("api:stats-detail", args=["headcount"]), {"unit": ""}).json()
    assert body["total"]["values"]["total"] == 5
    applied = client.get(reverse("api:stats-list"), {"unit": ""}).json()["filters"]
    assert applied["unit"] is None

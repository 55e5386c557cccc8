"""The shell every page shares: the product name, who is logged in with their roles,
a navigation that offers what each role may do, the home dashboard's counts (from
the permission path), the logout button, Vietnamese error pages, the stylesheet."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from hoso.accounts.roles import Role

from ..accounts.test_pages import client_for
from ..conftest import ACTOR_ROLES
from ..factories import PersonFactory

PRODUCT = "Cơ sở dữ liệu hồ sơ cán bộ, công chức, viên chức"


def nav_labels(html: str) -> list[str]:
    block = html.split('class="main-nav"')[1].split("</nav>")[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", block)


def cards(html: str) -> dict[str, str]:
    """Card title → its count ("" when the card has none)."""
    out = {}
    for card in html.split('<li class="card">')[1:]:
        title = re.search(r"<h2>(.*?)</h2>", card).group(1)
        count = re.search(r'<p class="count">(\d+)</p>', card)
        out[title] = count.group(1) if count else ""
    return out


# What each actor of the world finds in the menu (besides Home and My account).
MINE = ["Hồ sơ của tôi"]
# reading and using the staff's data (search, statistics, HR lists)
USE = ["Hồ sơ cán bộ", "Tìm kiếm", "Thống kê", "Danh sách nghiệp vụ"]
# the review roles: their queue, the overdue list, the data, the annual report
REVIEWER = [*MINE, "Duyệt hồ sơ", "Quá hạn", *USE, "Báo cáo năm"]
NAV = {
    "province_admin": [*MINE, "Quá hạn", *USE, "Báo cáo năm", "Phê duyệt của tỉnh",
                       "Theo dõi thực hiện", "Cơ cấu tổ chức", "Tài khoản", "Văn bản đồng ý",
                       "Ủy quyền", "Nhật ký", "Danh mục", "Quản trị hệ thống"],
    "province_approver": [*REVIEWER, "Phê duyệt của tỉnh", "Theo dõi thực hiện",
                          "Cơ cấu tổ chức", "Ủy quyền"],
    "auditor": [*MINE, "Cơ cấu tổ chức", "Tài khoản", "Văn bản đồng ý", "Nhật ký"],
    "unit_admin": [*MINE, "Quá hạn", *USE, "Cơ cấu tổ chức", "Tài khoản", "Văn bản đồng ý",
                   "Ủy quyền"],
    "hr_officer": [*REVIEWER, "Cơ cấu tổ chức", "Tài khoản", "Ủy quyền"],
    "hr_head": [*REVIEWER, "Theo dõi thực hiện", "Cơ cấu tổ chức", "Tài khoản", "Ủy quyền"],
    "unit_head": [*REVIEWER, "Theo dõi thực hiện", "Cơ cấu tổ chức", "Văn bản đồng ý",
                  "Ủy quyền"],
    "chairman": [*REVIEWER, "Theo dõi thực hiện", "Cơ cấu tổ chức", "Văn bản đồng ý",
                 "Ủy quyền"],
    "staff": MINE,
    "expired": MINE,
    "revoked": MINE,
}


def test_every_actor_of_the_world_has_its_menu():
    assert set(NAV) == set(ACTOR_ROLES)


@pytest.mark.parametrize("actor", sorted(NAV))
def test_the_menu_offers_what_each_role_may_do(world, actor):
    html = client_for(world.actors[actor]).get("/").content.decode()
    labels = nav_labels(html)
    # every account ends with the signature check (hoso.signing) and its own account
    assert labels[0] == "Trang chủ" and labels[-2:] == ["Kiểm tra chữ ký số", "Tài khoản của tôi"]
    assert [label.strip() for label in labels[1:-2]] == NAV[actor]


def test_the_header_shows_the_product_the_user_their_roles_and_a_logout_form(world):
    user = world.actors["unit_admin"]
    html = client_for(user).get("/").content.decode()
    assert PRODUCT in html
    assert user.full_name in html and str(Role.UNIT_ADMIN.label) != "Unit administrator"
    assert "Quản trị viên đơn vị" in html
    logout = html.split('class="logout"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in logout and reverse("accounts:logout") in logout
    assert "csrfmiddlewaretoken" in html.split('class="logout"')[1].split("</form>")[0]
    assert 'aria-current="page"' in html.split('class="main-nav"')[1].split("</nav>")[0]


def test_the_home_counts_only_what_the_user_may_see(world):
    PersonFactory(unit=world.in_child)
    html = client_for(world.actors["unit_admin"]).get("/").content.decode()
    got = cards(html)
    # in_unit's sub-tree: 2 people of the world, one new, and the actors' own files
    from hoso.records.models import Person

    expected = Person.objects.filter(unit__path__startswith=world.in_unit.path).count()
    assert got["Hồ sơ cán bộ"] == str(expected)
    assert got["Đơn vị"] == "2"  # in_unit and in_child
    assert "Tạo tài khoản cho cả đơn vị" in html
    province = cards(client_for(world.actors["province_admin"]).get("/").content.decode())
    assert int(province["Hồ sơ cán bộ"]) == Person.objects.count()


def test_a_staff_member_lands_on_their_file_and_what_it_lacks(world):
    html = client_for(world.actors["staff"]).get("/").content.decode()
    assert list(cards(html)) == ["Hồ sơ của tôi"]
    assert reverse("workflow:my_file") in html
    # an empty file: the share filled and the number of required fields still empty
    assert "mục bắt buộc chưa khai" in html


def test_the_login_page_has_no_menu_and_no_user(db):
    html = Client().get(reverse("accounts:login")).content.decode()
    assert PRODUCT in html and 'class="main-nav"' not in html and "Đăng xuất" not in html


def test_error_pages_are_vietnamese(world):
    client = client_for(world.actors["staff"])
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    forbidden = client.get(reverse("accounts:account_list"))
    assert forbidden.status_code == 403 and "Không được phép" in forbidden.content.decode()


def test_the_stylesheet_is_served_from_the_application(db):
    html = Client().get(reverse("accounts:login")).content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert href.startswith("/static/") and "://" not in href
    response = Client().get(href)
    assert response.status_code == 200
    assert b".main-nav" in b"".join(response.streaming_content)


def test_a_reviewer_finds_the_steps_waiting_for_them_on_the_home_page(world):
    from ..workflow.conftest import submitted

    submitted(world.actors["staff"])  # its first step is the HR officer's
    got = cards(client_for(world.actors["hr_officer"]).get("/").content.decode())
    assert got["Hồ sơ chờ duyệt"] == "1"
    assert reverse("workflow:review_queue") in client_for(world.actors["hr_officer"]).get(
        "/").content.decode()
    assert "Hồ sơ chờ duyệt" not in cards(
        client_for(world.actors["staff"]).get("/").content.decode())

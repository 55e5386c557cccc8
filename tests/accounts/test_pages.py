"""The account, role and written-consent pages through Django's test client.

What they guard: each page shows only what the permission path lets the user see; a
unit administrator acts only within their scope and grants only the roles a unit may
grant (Vĩnh Phúc Đ14.1); bad input gets a Vietnamese message and changes nothing;
one-time passwords are shown once and kept nowhere (Cần Thơ Đ10.2); an expired or
revoked consent shows as such and opens nothing (Vĩnh Phúc Đ4.4, Cần Thơ Đ3.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.accounts.models import AccessGrant, RoleAssignment, User
from hoso.accounts.roles import Role
from hoso.audit.models import AccessLog, ChangeLog

from ..clients import client_for
from ..factories import PASSWORD, GrantFactory, PersonFactory, RoleFactory, UserFactory

TODAY = timezone.localdate




def page(response) -> str:
    return response.content.decode()


def errors(response) -> list[str]:
    """The form errors on a page (for the assertion messages)."""
    import re

    return re.findall(r'class="errors"[^>]*>(.*?)</(?:span|div)>', page(response), re.S)


@pytest.fixture
def admin(world):
    return client_for(world.actors["unit_admin"])


@pytest.fixture
def province(world):
    return client_for(world.actors["province_admin"])


@pytest.fixture
def accounts(world):
    """An account in the unit administrator's unit, and one outside it."""
    inside = UserFactory(username="trongpham", full_name="Phạm Trong", unit=world.in_unit)
    outside = UserFactory(username="ngoaile", full_name="Lê Ngoài", unit=world.out_unit)
    return inside, outside


# --- accounts ------------------------------------------------------------------------


def test_the_account_list_shows_only_accounts_in_scope(world, admin, accounts):
    inside, outside = accounts
    html = page(admin.get(reverse("accounts:account_list")))
    assert inside.username in html and "unit_admin" in html
    assert outside.username not in html and "province_admin" not in html


def test_the_account_list_filters_and_offers_only_units_in_scope(world, admin, accounts):
    html = page(admin.get(reverse("accounts:account_list"), {"q": "trong"}))
    me = reverse("accounts:account_detail", args=[world.actors["unit_admin"].pk])
    assert "trongpham" in html and f'href="{me}"' not in html
    forged = admin.get(reverse("accounts:account_list"), {"unit": world.out_unit.pk})
    assert "Lê Ngoài" not in page(forged)
    assert "Hãy chọn một lựa chọn hợp lệ" in page(forged), errors(forged)


def test_the_account_list_is_closed_to_roles_that_do_not_read_accounts(world):
    for key in ("staff", "unit_head", "chairman", "expired"):
        response = client_for(world.actors[key]).get(reverse("accounts:account_list"))
        assert response.status_code == 403, key
        assert "Không được phép" in page(response)


def test_an_account_outside_the_scope_is_not_found(world, admin, accounts):
    _, outside = accounts
    for name in ("accounts:account_detail", "accounts:role_grant"):
        assert admin.get(reverse(name, args=[outside.pk])).status_code == 404
    for name in ("accounts:account_reset_password", "accounts:account_set_active"):
        response = admin.post(reverse(name, args=[outside.pk]), {"active": "0"})
        assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.is_active and outside.password.startswith("md5$")


def test_creating_an_account_shows_its_one_time_password_once_and_keeps_it_nowhere(
    world, admin
):
    response = admin.post(
        reverse("accounts:account_create"),
        {"full_name": "Trần Văn Mới", "unit": world.in_unit.pk, "staff_role": "on"},
    )
    assert response.status_code == 201
    assert "no-store" in response.headers["Cache-Control"]
    user = User.objects.get(full_name="Trần Văn Mới")
    assert user.username == "moitv" and user.must_change_password and user.unit == world.in_unit
    password = page(response).split('class="password"><code>')[1].split("<")[0]
    assert user.check_password(password)
    assert user.role_assignments.get().role == Role.STAFF
    for row in ChangeLog.objects.filter(object_id=str(user.pk)):
        assert password not in str(row.after) and "password" not in (row.after or {})


def test_an_account_for_a_file_is_found_by_identification_number(world, admin):
    person = PersonFactory(unit=world.in_child, full_name="Đỗ Thị Hạnh")
    response = admin.post(reverse("accounts:account_create"),
                          {"id_number": person.id_number, "staff_role": "on"})
    assert response.status_code == 201
    user = User.objects.get(person=person)
    assert user.full_name == "Đỗ Thị Hạnh" and user.unit == world.in_child
    assert AccessLog.objects.filter(action="search", person_id=person.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id_number": "12345"}, "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ({"full_name": "Trần Văn Mới"}, "Chọn đơn vị của tài khoản"),
        ({"unit": "in_unit"}, "Nhập họ và tên, hoặc số định danh cá nhân"),
        ({"full_name": "Trần Văn Mới", "unit": "in_unit", "username": "staff"},
         "Tên đăng nhập “staff” đã có người dùng"),
        ({"full_name": "Trần Văn Mới", "unit": "out_unit"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"id_number": "out"}, "Không có hồ sơ nào mang số định danh này trong phạm vi"),
    ],
    ids=["short_id", "no_unit", "no_name", "taken_name", "unit_out_of_scope", "file_out_of_scope"],
)
def test_bad_account_input_gets_a_vietnamese_message_and_creates_nothing(world, admin, data,
                                                                         message):
    data = dict(data)
    if data.get("unit") in ("in_unit", "out_unit"):
        data["unit"] = getattr(world, data["unit"]).pk
    if data.get("id_number") == "out":
        data["id_number"] = world.people["out"].id_number
    before = User.objects.count()
    response = admin.post(reverse("accounts:account_create"), data)
    assert response.status_code == 200
    assert message in page(response)
    assert User.objects.count() == before


def test_bulk_creation_issues_an_account_to_everyone_without_one(world, admin):
    response = admin.post(reverse("accounts:account_bulk_create"),
                          {"unit": world.in_unit.pk, "include_subtree": "on"})
    assert response.status_code == 201
    html = page(response)
    for key in ("in", "in_child"):
        person = world.people[key]
        user = User.objects.get(person=person)
        assert user.username in html and person.full_name in html
        assert user.role_assignments.get().role == Role.STAFF
    assert not User.objects.filter(person=world.people["out"]).exists()
    again = admin.post(reverse("accounts:account_bulk_create"),
                       {"unit": world.in_unit.pk, "include_subtree": "on"})
    assert again.status_code == 200
    assert "Mọi người của đơn vị này đều đã có tài khoản" in page(again)


def test_bulk_creation_without_the_sub_tree_leaves_the_sub_units(world, admin):
    admin.post(reverse("accounts:account_bulk_create"), {"unit": world.in_unit.pk})
    assert User.objects.filter(person=world.people["in"]).exists()
    assert not User.objects.filter(person=world.people["in_child"]).exists()


def test_a_password_reset_shows_the_new_one_and_forces_a_change(world, admin, accounts):
    inside, _ = accounts
    url = reverse("accounts:account_reset_password", args=[inside.pk])
    assert admin.get(url).status_code == 405
    response = admin.post(url)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    password = page(response).split('class="password"><code>')[1].split("<")[0]
    inside.refresh_from_db()
    assert inside.check_password(password) and inside.must_change_password


def test_an_hr_officer_sees_accounts_but_cannot_reset_or_lock_them(world, accounts):
    inside, _ = accounts
    officer = client_for(world.actors["hr_officer"])
    assert officer.get(reverse("accounts:account_detail", args=[inside.pk])).status_code == 200
    assert "Cấp lại mật khẩu" not in page(officer.get(reverse("accounts:account_detail",
                                                              args=[inside.pk])))
    for name in ("accounts:account_reset_password", "accounts:account_set_active"):
        assert officer.post(reverse(name, args=[inside.pk]), {"active": "0"}).status_code == 403
    inside.refresh_from_db()
    assert inside.is_active and not inside.must_change_password


def test_locking_and_unlocking_an_account(world, admin, accounts):
    inside, _ = accounts
    url = reverse("accounts:account_set_active", args=[inside.pk])
    response = admin.post(url, {"active": "0"}, follow=True)
    assert "Đã khóa tài khoản trongpham" in page(response)
    inside.refresh_from_db()
    assert not inside.is_active
    assert not Client().login(username=inside.username, password=PASSWORD)
    admin.post(url, {"active": "1"})
    inside.refresh_from_db()
    assert inside.is_active


def test_an_administrator_cannot_lock_their_own_account(world, admin):
    me = world.actors["unit_admin"]
    response = admin.post(reverse("accounts:account_set_active", args=[me.pk]),
                          {"active": "0"}, follow=True)
    assert "Bạn không thể tự khóa hoặc mở khóa tài khoản của chính mình" in page(response)
    me.refresh_from_db()
    assert me.is_active


def test_resetting_the_second_factor_removes_the_device_and_is_audited(world, admin, accounts):
    inside, _ = accounts
    TOTPDevice.objects.create(user=inside, name="app", confirmed=True)
    response = admin.post(reverse("accounts:account_reset_otp", args=[inside.pk]), follow=True)
    assert "Đã gỡ xác thực hai yếu tố" in page(response)
    assert not TOTPDevice.objects.filter(user=inside).exists()
    rows = ChangeLog.objects.filter(object_type="accounts.user", object_id=str(inside.pk))
    row = rows.latest("seq")
    assert row.after == {"second_factor": False}
    again = admin.post(reverse("accounts:account_reset_otp", args=[inside.pk]), follow=True)
    assert "Tài khoản này chưa bật xác thực hai yếu tố" in page(again)


# --- roles ---------------------------------------------------------------------------


def _role_data(unit, **changes):
    return {"role": Role.HR_HEAD, "unit": unit.pk, "include_subtree": "on",
            "valid_from": "", "valid_to": "", "decision": ""} | changes


def test_a_unit_administrator_grants_a_unit_role_in_scope(world, admin, accounts):
    inside, _ = accounts
    response = admin.post(reverse("accounts:role_grant", args=[inside.pk]),
                          _role_data(world.in_child, decision="QĐ 12/QĐ-SNV"))
    assert response.status_code == 302
    ra = inside.role_assignments.get()
    assert (ra.role, ra.unit, ra.include_subtree, ra.decision) == (
        Role.HR_HEAD, world.in_child, True, "QĐ 12/QĐ-SNV")
    assert ra.created_by == world.actors["unit_admin"]
    assert ChangeLog.objects.filter(object_type="accounts.roleassignment",
                                    object_id=str(ra.pk), action="create").exists()


def test_a_unit_administrator_is_offered_only_the_roles_a_unit_may_grant(world, admin,
                                                                         accounts):
    inside, _ = accounts
    html = page(admin.get(reverse("accounts:role_grant", args=[inside.pk])))
    assert "Cán bộ tổ chức" in html
    assert "Quản trị viên cấp tỉnh" not in html and "Người phê duyệt cấp tỉnh" not in html
    assert "Sở Y tế" not in html  # a unit outside the scope is no choice


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": Role.PROVINCE_ADMIN}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"unit": "out_unit"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"role": Role.CHAIRMAN}, "Vai trò Chủ tịch chỉ được cấp tại UBND cấp huyện hoặc cấp xã"),
        ({"valid_from": "2019-01-01", "valid_to": "2020-01-01"}, "Ngày kết thúc đã qua"),
        ({"valid_from": "2030-02-01", "valid_to": "2030-01-01"},
         "không được trước ngày bắt đầu"),
        ({"role": Role.HR_HEAD, "focal": "on"},
         "Chỉ quản trị viên đơn vị mới có thể là quản trị viên đầu mối"),
    ],
    ids=["province_role", "unit_out_of_scope", "chairman_on_department", "past_end",
         "end_before_start", "focal_not_admin"],
)
def test_a_refused_role_gets_a_vietnamese_message_and_nothing_changes(world, admin, accounts,
                                                                      changes, message):
    inside, _ = accounts
    changes = dict(changes)
    if changes.get("unit") == "out_unit":
        changes["unit"] = world.out_unit.pk
    before = RoleAssignment.objects.count()
    response = admin.post(reverse("accounts:role_grant", args=[inside.pk]),
                          _role_data(world.in_unit) | changes)
    assert response.status_code == 200
    assert message in page(response), errors(response)
    assert RoleAssignment.objects.count() == before


def test_a_unit_has_one_focal_administrator(world, admin, accounts):
    inside, _ = accounts
    other = UserFactory(unit=world.in_unit)
    url = reverse("accounts:role_grant", args=[inside.pk])
    first = admin.post(url, _role_data(world.in_child, role=Role.UNIT_ADMIN, focal="on"))
    assert first.status_code == 302
    second = admin.post(reverse("accounts:role_grant", args=[other.pk]),
                        _role_data(world.in_child, role=Role.UNIT_ADMIN, focal="on"))
    assert "Đơn vị đã có quản trị viên đầu mối" in page(second)
    assert not other.role_assignments.exists()


def test_nobody_grants_beyond_the_end_of_their_own_role(world, accounts):
    inside, _ = accounts
    granter = world.actors["unit_admin"]
    end = TODAY() + dt.timedelta(days=10)
    granter.role_assignments.update(valid_to=end)
    client = client_for(granter)
    response = client.post(reverse("accounts:role_grant", args=[inside.pk]),
                           _role_data(world.in_unit))
    assert "quá ngày hết hiệu lực của vai trò của chính mình" in page(response)
    assert end.strftime("%d/%m/%Y") in page(response)
    ok = client.post(reverse("accounts:role_grant", args=[inside.pk]),
                     _role_data(world.in_unit, valid_to=end.isoformat()))
    assert ok.status_code == 302


def test_nobody_grants_a_role_to_themselves(world, admin):
    me = world.actors["unit_admin"]
    response = admin.post(reverse("accounts:role_grant", args=[me.pk]), _role_data(world.in_unit))
    assert "Bạn không thể tự cấp vai trò cho chính mình" in page(response)


def test_the_province_administrator_grants_province_roles_on_the_province_only(world,
                                                                             province,
                                                                             accounts):
    inside, _ = accounts
    url = reverse("accounts:role_grant", args=[inside.pk])
    wrong = province.post(url, _role_data(world.in_unit, role=Role.AUDITOR))
    assert "Vai trò toàn tỉnh phải được cấp tại cấp tỉnh" in page(wrong)
    assert province.post(url, _role_data(world.root, role=Role.AUDITOR)).status_code == 302


def test_a_role_is_restricted_widened_and_revoked_with_a_reason(world, admin, accounts):
    inside, _ = accounts
    ra = RoleFactory(user=inside, role=Role.HR_OFFICER, unit=world.in_unit)
    url = reverse("accounts:role_update", args=[ra.pk])
    end = TODAY() + dt.timedelta(days=60)
    assert admin.post(url, {"include_subtree": "", "valid_to": end.isoformat()}).status_code == 302
    ra.refresh_from_db()
    assert (ra.include_subtree, ra.valid_to) == (False, end)
    yesterday = (TODAY() - dt.timedelta(days=1)).isoformat()
    bad = admin.post(url, {"include_subtree": "on", "valid_to": yesterday})
    assert "Ngày kết thúc đã qua" in page(bad), errors(bad)
    ra.refresh_from_db()
    assert (ra.include_subtree, ra.valid_to) == (False, end)
    response = admin.post(reverse("accounts:role_revoke", args=[ra.pk]),
                          {"reason": "Chuyển công tác"}, follow=True)
    assert "Đã thu hồi vai trò" in page(response) and "Đã thu hồi" in page(response)
    ra.refresh_from_db()
    assert ra.revoked_at is not None and ra.revoked_by == world.actors["unit_admin"]
    row = ChangeLog.objects.filter(object_type="accounts.roleassignment",
                                   object_id=str(ra.pk)).latest("seq")
    assert row.reason == "Chuyển công tác"


def test_roles_outside_the_scope_cannot_be_changed_or_revoked(world, admin, accounts):
    _, outside = accounts
    ra = RoleFactory(user=outside, role=Role.HR_OFFICER, unit=world.out_unit)
    province_role = world.actors["auditor"].role_assignments.get()
    for target in (ra, province_role):
        assert admin.get(reverse("accounts:role_update", args=[target.pk])).status_code == 404
        assert admin.post(reverse("accounts:role_revoke", args=[target.pk])).status_code == 404
        target.refresh_from_db()
        assert target.revoked_at is None


def test_the_account_page_marks_expired_and_revoked_roles(world, admin, accounts):
    inside, _ = accounts
    RoleFactory(user=inside, role=Role.HR_OFFICER, unit=world.in_unit,
                valid_to=TODAY() - dt.timedelta(days=1))
    RoleFactory(user=inside, role=Role.HR_HEAD, unit=world.in_unit, revoked_at=timezone.now())
    html = page(admin.get(reverse("accounts:account_detail", args=[inside.pk])))
    assert "Đã hết hạn" in html and "Đã thu hồi" in html
    assert "Điều chỉnh hoặc thu hồi" not in html  # nothing to change on a dead role


# --- written-consent grants ----------------------------------------------------------


def _grant_data(world, **changes):
    return {
        "document_number": "15/SNV-TCBC", "document_date": TODAY().isoformat(),
        "signer_name": "Lê Văn Ký", "signer_title": "Giám đốc", "grantee": "staff",
        "unit": world.in_unit.pk, "include_subtree": "on", "people": "",
        "sections": ["personal", "training"], "purpose": "Thanh tra công vụ",
        "valid_from": "", "valid_to": (TODAY() + dt.timedelta(days=30)).isoformat(),
    } | changes


def test_a_written_consent_is_recorded_and_opens_the_files_it_names(world, admin):
    grantee = world.actors["staff"]
    person = world.people["in_child"]
    reader = client_for(grantee)
    assert reader.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    response = admin.post(reverse("accounts:grant_create"), _grant_data(world))
    grant = AccessGrant.objects.get()
    assert response.headers["Location"] == reverse("accounts:grant_detail", args=[grant.pk])
    assert grant.sections == ["personal", "training"] and grant.include_subtree
    assert reader.get(reverse("people:person_detail", args=[person.pk])).status_code == 200
    html = page(admin.get(reverse("accounts:grant_detail", args=[grant.pk])))
    assert "15/SNV-TCBC" in html and "Đang có hiệu lực" in html


def test_a_consent_naming_people_takes_their_identification_numbers(world, admin):
    person = world.people["in"]
    data = _grant_data(world, unit="", include_subtree="", people=f"{person.id_number}\n")
    assert admin.post(reverse("accounts:grant_create"), data).status_code == 302
    assert list(AccessGrant.objects.get().persons.all()) == [person]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"document_date": "2999-01-01"}, "Ngày văn bản không được sau ngày hôm nay"),
        ({"grantee": "khong-co-ai"}, "Không có tài khoản đang hoạt động nào mang tên"),
        ({"unit": "", "people": ""}, "Hãy nêu đơn vị hoặc những người"),
        ({"unit": "", "people": "0123"}, "Không phải số định danh cá nhân 12 chữ số: 0123"),
        ({"unit": "", "people": "out"}, "Không có hồ sơ nào trong phạm vi quản lý của bạn"),
        ({"unit": "out_unit"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"valid_from": "2019-01-01", "valid_to": "2020-01-01"}, "Văn bản đồng ý này đã hết hạn"),
        ({"valid_to": ""}, "Trường này là bắt buộc"),
        ({"sections": []}, "Trường này là bắt buộc"),
    ],
    ids=["future_document", "unknown_grantee", "covers_nothing", "bad_number",
         "person_out_of_scope", "unit_out_of_scope", "already_expired", "no_end", "no_section"],
)
def test_a_bad_consent_gets_a_vietnamese_message_and_nothing_is_recorded(world, admin,
                                                                         changes, message):
    changes = dict(changes)
    if changes.get("unit") == "out_unit":
        changes["unit"] = world.out_unit.pk
    if changes.get("people") == "out":
        changes["people"] = world.people["out"].id_number
    response = admin.post(reverse("accounts:grant_create"), _grant_data(world) | changes)
    assert response.status_code == 200
    assert message in page(response), errors(response)
    assert not AccessGrant.objects.exists()


def test_an_expired_consent_shows_as_expired_and_opens_nothing(world, admin):
    grantee = world.actors["staff"]
    grant = GrantFactory(grantee=grantee, unit=world.in_unit, include_subtree=True,
                         valid_from=TODAY() - dt.timedelta(days=30),
                         valid_to=TODAY() - dt.timedelta(days=1))
    html = page(admin.get(reverse("accounts:grant_detail", args=[grant.pk])))
    assert "Đã hết hạn" in html and "không còn cho phép khai thác hồ sơ nào" in html
    reader = client_for(grantee)
    person = world.people["in_child"]
    assert reader.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    active = page(admin.get(reverse("accounts:grant_list"), {"status": "active"}))
    assert grant.document_number not in active
    expired = page(admin.get(reverse("accounts:grant_list"), {"status": "expired"}))
    assert grant.document_number in expired


def test_revoking_a_consent_closes_the_files_at_once(world, admin):
    grantee = world.actors["staff"]
    grant = GrantFactory(grantee=grantee, unit=world.in_unit, include_subtree=True)
    reader = client_for(grantee)
    person = world.people["in"]
    assert reader.get(reverse("people:person_detail", args=[person.pk])).status_code == 200
    response = admin.post(reverse("accounts:grant_revoke", args=[grant.pk]),
                          {"reason": "Kết thúc thanh tra"}, follow=True)
    assert "Đã thu hồi văn bản đồng ý" in page(response)
    assert reader.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    row = ChangeLog.objects.filter(object_type="accounts.accessgrant",
                                   object_id=str(grant.pk)).latest("seq")
    assert row.reason == "Kết thúc thanh tra"


def test_consents_outside_the_scope_cannot_be_seen_or_revoked(world, admin):
    grant = GrantFactory(unit=world.out_unit)
    assert admin.get(reverse("accounts:grant_detail", args=[grant.pk])).status_code == 404
    assert admin.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_head_of_unit_reads_consents_but_cannot_revoke_them(world):
    grant = GrantFactory(unit=world.in_unit)
    head = client_for(world.actors["unit_head"])
    html = page(head.get(reverse("accounts:grant_detail", args=[grant.pk])))
    assert grant.document_number in html and "Thu hồi văn bản đồng ý" not in html
    assert head.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 403
    assert head.get(reverse("accounts:grant_create")).status_code == 403


def test_the_grantee_sees_their_own_consents_and_only_the_people_they_may_see(world):
    grantee = world.actors["staff"]
    grant = GrantFactory(grantee=grantee, unit=None)
    grant.persons.set([world.people["in"], world.people["out"]])
    reader = client_for(grantee)
    assert grant.document_number in page(reader.get(reverse("accounts:grant_list")))
    html = page(reader.get(reverse("accounts:grant_detail", args=[grant.pk])))
    # the consent opens both files to its grantee
    assert world.people["in"].full_name in html and world.people["out"].full_name in html
    auditor = client_for(world.actors["auditor"])
    html = page(auditor.get(reverse("accounts:grant_detail", args=[grant.pk])))
    # the auditor reads consents, not files: names stay hidden
    assert world.people["in"].full_name not in html
    assert "2 người mà bạn không được xem hồ sơ" in html

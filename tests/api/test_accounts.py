"""`/api/v1/accounts/`: accounts within the caller's scope only; never a password hash;
the one-time password only in the answer that creates it (Cần Thơ Đ10.2)."""

from __future__ import annotations

from django.urls import reverse

from hoso.accounts.models import User
from hoso.audit.models import ChangeLog

from ..factories import UserFactory

LIST = reverse("api:account-list")


def _detail(user, name="account-detail") -> str:
    return reverse(f"api:{name}", kwargs={"pk": user.pk})


def test_a_unit_administrator_sees_no_other_units_accounts(world, as_actor):
    mine = UserFactory(username="nhanvien_snv", unit=world.in_unit)
    other = UserFactory(username="nhanvien_syt", unit=world.out_unit)
    client = as_actor("unit_admin")
    response = client.get(LIST, {"limit": 200})
    assert response.status_code == 200
    names = {a["username"] for a in response.json()["results"]}
    assert "nhanvien_snv" in names and "nhanvien_syt" not in names
    assert client.get(_detail(mine)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    assert client.post(_detail(other, "account-reset-password")).status_code == 404


def test_staff_may_not_list_accounts(world, as_actor):
    assert as_actor("staff").get(LIST).status_code == 403


def test_no_answer_carries_a_password_hash(world, as_actor):
    client = as_actor("province_admin")
    listed = client.get(LIST, {"limit": 200}).json()["results"]
    one = client.get(_detail(world.actors["staff"])).json()
    hashes = {u.password for u in User.objects.all()}
    for account in [*listed, one]:
        assert "password" not in account
        assert not hashes & {str(v) for v in account.values()}


def test_a_new_account_comes_with_a_one_time_password_shown_once(world, as_actor):
    client = as_actor("unit_admin")
    response = client.post(
        LIST, {"full_name": "Nguyễn Văn Dũng", "unit": world.in_unit.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    account = User.objects.get(pk=body["account"]["id"])
    assert body["account"]["username"] == account.username == "dungnv"
    assert "password" not in body["account"]
    assert account.check_password(body["password"]) and account.must_change_password
    assert account.password not in response.content.decode()
    assert "password" not in client.get(_detail(account)).json()
    change = ChangeLog.objects.get(object_type="accounts.user", object_id=str(account.pk))
    assert change.actor_id == world.actors["unit_admin"].pk
    assert "password" not in (change.after or {})


def test_a_reset_password_is_in_the_reset_answer_only(world, as_actor):
    staff = world.actors["staff"]
    response = as_actor("unit_admin").post(_detail(staff, "account-reset-password"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    staff.refresh_from_db()
    assert staff.check_password(response.json()["password"]) and staff.must_change_password


def test_bad_account_input_is_a_vietnamese_400_and_creates_nothing(world, as_actor):
    count = User.objects.count()
    client = as_actor("unit_admin")
    response = client.post(LIST, {"unit": world.in_unit.pk, "email": "không"}, format="json")
    assert response.status_code == 400
    assert response.json()["full_name"] == ["Trường này là bắt buộc."]
    assert response.json()["email"] == ["Nhập một địa chỉ email hợp lệ."]
    response = client.post(
        LIST, {"full_name": "Trần Thị Hai", "unit": world.in_unit.pk, "username": "staff"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["username"] == ["Tên đăng nhập “staff” đã có người dùng."]
    assert User.objects.count() == count


def test_an_account_outside_the_scope_cannot_be_created(world, as_actor):
    count = User.objects.count()
    response = as_actor("unit_admin").post(
        LIST, {"full_name": "Trần Thị Hai", "unit": world.out_unit.pk}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert User.objects.count() == count


def test_locking_and_unlocking_an_account(world, as_actor):
    staff = world.actors["staff"]
    client = as_actor("unit_admin")
    response = client.post(_detail(staff, "account-set-active"), {"active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    staff.refresh_from_db()
    assert not staff.is_active
    response = client.post(_detail(staff, "account-set-active"), {"active": True}, format="json")
    assert response.json()["is_active"] is True


def test_an_administrator_cannot_lock_their_own_account(world, as_actor):
    me = world.actors["unit_admin"]
    response = as_actor("unit_admin").post(
        _detail(me, "account-set-active"), {"active": False}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Bạn không thể tự khóa hoặc mở khóa tài khoản của chính mình."]
    }
    me.refresh_from_db()
    assert me.is_active


def test_an_hr_officer_sees_accounts_but_may_not_manage_them(world, as_actor):
    staff = world.actors["staff"]
    client = as_actor("hr_officer")
    assert client.get(_detail(staff)).status_code == 200
    assert client.post(_detail(staff, "account-reset-password")).status_code == 403
    response = client.post(_detail(staff, "account-set-active"), {"active": False}, format="json")
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.is_active


def test_the_accounts_list_filters(world, as_actor):
    UserFactory(username="khoa_tam", full_name="Lê Văn Khóa", unit=world.in_unit, is_active=False)
    client = as_actor("province_admin")

    def names(**params):
        return {a["username"] for a in client.get(LIST, {"limit": 200, **params}).json()["results"]}

    assert names(text="Khóa") == {"khoa_tam"}
    assert "khoa_tam" in names(state="disabled") and "staff" not in names(state="disabled")
    assert "chairman" not in names(unit=world.in_unit.pk)
    assert names(unit=world.in_unit.pk) >= {"staff", "unit_admin", "khoa_tam"}
    response = as_actor("unit_admin").get(LIST, {"unit": world.out_unit.pk})
    assert response.status_code == 400  # a unit one may not see is no filter

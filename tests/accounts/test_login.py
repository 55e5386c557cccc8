"""The login flow through its pages (Django's test client): the Vietnamese login page,
the same answer for a wrong password and an unknown name, the lockout message, the
forced new password at the first log-in, two-factor setup and verification, and the
access row each security event leaves (Cần Thơ Đ10, Lâm Đồng Đ13)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.accounts.models import User
from hoso.accounts.roles import Role
from hoso.audit.models import AccessLog, ChangeLog

from ..browser.helpers import confirmed_device, pending_device, totp_code
from ..factories import PASSWORD, OrgUnitFactory, RoleFactory, UserFactory

LOGIN = "/accounts/login/"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
NEW_PASSWORD = "Mat-khau-rieng-2026"


def _post_login(client: Client, username: str, password: str, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _rows(user, action):
    return AccessLog.objects.filter(object_type="accounts.user", object_id=str(user.pk),
                                    action=action)


@pytest.fixture
def admin_user(db):
    """A province administrator: the role requires a second factor."""
    user = UserFactory(username="quantri", full_name="Quản Trị Tỉnh")
    RoleFactory(user=user, role=Role.PROVINCE_ADMIN, unit=OrgUnitFactory.root())
    return user


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_vietnamese(db):
    page = Client().get(LOGIN).content.decode()
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu",
                 "Cơ sở dữ liệu hồ sơ cán bộ, công chức, viên chức", 'lang="vi"'):
        assert text in page


def test_wrong_password_and_unknown_name_get_the_same_message_and_an_access_row(db):
    user = UserFactory()
    client = Client()
    wrong = _post_login(client, user.username, "sai-mat-khau-1")
    unknown = _post_login(client, "khong-co-ai", "sai-mat-khau-1")
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG in wrong.content.decode() and WRONG in unknown.content.decode()
    assert not _logged_in(client)
    assert _rows(user, "login_failed").get().outcome == "wrong_password"
    assert AccessLog.objects.filter(action="login_failed", outcome="unknown_user").exists()


def test_repeated_failures_lock_the_account_with_a_clear_message(db, settings):
    settings.LOCKOUT_ATTEMPTS = 3
    settings.LOCKOUT_MINUTES = 15
    user = UserFactory()
    client = Client()
    for _ in range(2):
        assert WRONG in _post_login(client, user.username, "sai-mat-khau-1").content.decode()
    third = _post_login(client, user.username, "sai-mat-khau-1").content.decode()
    assert "bị tạm khóa 15 phút" in third
    # while locked, even the right password does not open it
    right = _post_login(client, user.username, PASSWORD).content.decode()
    assert "bị tạm khóa 15 phút" in right and not _logged_in(client)
    assert _rows(user, "locked").count() == 1
    assert _rows(user, "login_failed").filter(outcome="locked").count() == 1


def test_an_account_locked_by_an_administrator_cannot_log_in(db):
    user = UserFactory(is_active=False)
    client = Client()
    response = _post_login(client, user.username, PASSWORD)
    assert WRONG in response.content.decode() and not _logged_in(client)
    assert _rows(user, "login_failed").get().outcome == "inactive"


def test_a_successful_login_is_audited_and_lands_home(db):
    user = UserFactory()
    client = Client()
    response = _post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _rows(user, "login").count() == 1
    assert "Xin chào" in client.get("/").content.decode()


def test_first_login_forces_a_new_password_before_any_page(db):
    user = UserFactory(must_change_password=True)
    client = Client()
    _post_login(client, user.username, PASSWORD, next_url="/accounts/me/")
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:password_change"))
    page = client.get(response.headers["Location"]).content.decode()
    assert "Đây là lần đăng nhập đầu tiên" in page
    assert "Mật khẩu phải có cả chữ cái và chữ số" not in page  # no error before a try
    assert client.get("/people/").status_code == 302  # every other page waits too


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("ngan1", "ngan1", "Mật khẩu quá ngắn"),
        ("chikhongcosomatkhau", "chikhongcosomatkhau", "Mật khẩu phải có cả chữ cái và chữ số"),
        ("Mat-khau-rieng-2026", "Mat-khau-khac-2026", "Hai lần nhập mật khẩu mới không khớp"),
        (PASSWORD, PASSWORD, "Mật khẩu mới phải khác mật khẩu hiện tại"),
    ],
    ids=["too_short", "no_digit", "mismatch", "same_as_before"],
)
def test_a_weak_new_password_is_refused_in_vietnamese_and_nothing_changes(db, new, again,
                                                                          message):
    user = UserFactory(must_change_password=True)
    client = Client()
    client.force_login(user)
    before = user.password
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": again},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.password == before and user.must_change_password


def test_a_wrong_current_password_is_refused(db):
    user = UserFactory(must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "sai-mat-khau-1", "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )
    assert "Mật khẩu hiện tại không đúng" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_the_new_password_keeps_the_session_and_goes_on_to_the_page_asked_for(db):
    user = UserFactory(must_change_password=True)
    client = Client()
    _post_login(client, user.username, PASSWORD)
    url = reverse("accounts:password_change") + "?next=/accounts/me/"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                  "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/me/"
    assert client.get("/accounts/me/").status_code == 200  # still logged in
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    change = ChangeLog.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert change.latest("seq").after["must_change_password"] is False
    assert "password" not in change.latest("seq").after  # never the hash


def test_a_next_address_on_another_site_is_ignored(db):
    user = UserFactory(must_change_password=True)
    client = Client()
    client.force_login(user)
    url = reverse("accounts:password_change") + "?next=https://example.com/"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD})
    assert response.headers["Location"] == "/"


def test_an_administrator_sets_up_two_factor_with_a_qr_code_before_any_page(admin_user):
    client = Client()
    _post_login(client, admin_user.username, PASSWORD)
    response = client.get("/")
    assert response.headers["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in page and "Khóa bí mật" in page
    device = pending_device(admin_user)
    secret = page.split('id="otp-secret">')[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    assert _rows(admin_user, "otp_failed").get().outcome == "setup"
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()

    device.throttle_reset()  # django-otp makes a wrong code wait a second
    done = client.post(reverse("accounts:otp_setup"), {"token": totp_code(device)})
    assert done.status_code == 302
    assert confirmed_device(admin_user).pk == device.pk
    assert client.get("/").status_code == 200


def test_a_code_with_letters_is_refused_without_trying_it(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(reverse("accounts:otp_setup"), {"token": "12ab56"})
    assert "Mã gồm 6 chữ số" in response.content.decode()
    assert not _rows(admin_user, "otp_failed").exists()


def test_an_account_with_a_device_proves_it_before_the_password_change(admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    User.objects.filter(pk=admin_user.pk).update(must_change_password=True)
    client = Client()
    _post_login(client, admin_user.username, PASSWORD)
    response = client.get("/")
    assert response.headers["Location"].startswith(reverse("accounts:otp_verify"))
    # the setup page cannot replace the device before it is proven
    setup = client.get(reverse("accounts:otp_setup"))
    assert setup.headers["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=False).exists()

    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    assert _rows(admin_user, "otp_failed").get().outcome == "wrong_code"
    device.throttle_reset()
    ok = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert ok.status_code == 302
    # then the new password
    assert client.get("/").headers["Location"].startswith(reverse("accounts:password_change"))


def test_after_repeated_wrong_codes_the_page_says_how_long_to_wait(admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    client = Client()
    client.force_login(admin_user)
    client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # as after three wrong codes in a row: django-otp wants 4 seconds before the next
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    # even the right code waits for the back-off to pass
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert "hãy chờ" in response.content.decode()
    assert re.search(r"hãy chờ [34] giây", response.content.decode())
    assert client.get("/").status_code == 302  # still not verified


def test_logout_is_a_post_and_is_audited(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.headers["Location"] == LOGIN
    assert not _logged_in(client)
    assert _rows(user, "logout").count() == 1


def test_my_account_shows_name_unit_roles_with_validity_and_second_factor(world):
    import datetime as dt

    user = world.actors["unit_admin"]
    RoleFactory(user=user, role=Role.HR_OFFICER, unit=world.in_child,
                valid_to=timezone.localdate() - dt.timedelta(days=2))
    client = Client()
    client.force_login(user)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = confirmed_device(user).persistent_id
    session.save()
    page = client.get(reverse("accounts:my_account")).content.decode()
    for text in (user.full_name, "Sở Nội vụ", "Quản trị viên đơn vị", "Đang có hiệu lực",
                 "Cán bộ tổ chức", "Đã hết hạn", "Phòng Tổ chức", "Đã bật", "Đổi mật khẩu"):
        assert text in page, text

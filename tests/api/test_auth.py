"""Token authentication: `POST /api/v1/auth/token` holds API clients to the rules of the
web login (lockout, new password first, second factor for administrators), and a token
stops working when its account may no longer log in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoso.accounts.services import password_reset_by_admin
from hoso.audit.models import AccessLog
from hoso.core.context import acting_as

from ..factories import PASSWORD, UserFactory
from .conftest import token_client

TOKEN_URL = reverse("api:token")
UNITS_URL = reverse("api:orgunit-list")


def _ask(username, password=PASSWORD, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )


def _errors(response) -> str:
    return " ".join(m for msgs in response.json().values() for m in msgs)


def test_a_token_from_the_right_password_opens_the_api(world):
    response = _ask("staff")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=world.actors["staff"]).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(UNITS_URL).status_code == 200
    assert AccessLog.objects.filter(
        action="login", outcome="api_token", actor_id=world.actors["staff"].pk
    ).exists()


def test_wrong_password_and_unknown_name_get_the_same_vietnamese_answer(world):
    wrong = _ask("staff", "Sai-mat-khau-1")
    unknown = _ask("khongcoai", "Sai-mat-khau-1")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in _errors(wrong)
    assert not Token.objects.exists()
    world.actors["staff"].refresh_from_db()
    assert world.actors["staff"].failed_logins == 1


def test_locked_account_gets_no_token_even_with_the_right_password(world, settings):
    settings.LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        _ask("staff", "Sai-mat-khau-1")
    response = _ask("staff")
    assert response.status_code == 400
    assert "bị tạm khóa" in _errors(response)
    assert not Token.objects.exists()
    assert AccessLog.objects.filter(action="locked", object_id=str(world.actors["staff"].pk))


def test_a_token_stops_working_while_its_account_is_locked(world):
    client = token_client(world.actors["staff"])
    world.actors["staff"].locked_until = timezone.now() + dt.timedelta(minutes=10)
    world.actors["staff"].save()
    response = client.get(UNITS_URL)
    assert response.status_code == 401
    assert "tạm khóa" in response.json()["detail"]


def test_a_token_stops_working_when_its_account_is_disabled(world):
    client = token_client(world.actors["staff"])
    world.actors["staff"].is_active = False
    world.actors["staff"].save()
    response = client.get(UNITS_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == "Tài khoản này đã bị quản trị viên khóa."


def test_a_token_issued_before_a_password_reset_is_refused(world):
    staff = world.actors["staff"]
    client = token_client(staff)
    with acting_as(world.actors["unit_admin"]):
        issued = password_reset_by_admin(actor=world.actors["unit_admin"], user=staff)
    response = client.get(UNITS_URL)
    assert response.status_code == 401
    assert "mật khẩu đã thay đổi" in response.json()["detail"]
    # …and the new password gets no token until the person has set their own.
    response = _ask("staff", issued.password)
    assert response.status_code == 400
    assert "đặt mật khẩu mới" in _errors(response)


def test_first_login_account_must_set_its_password_on_the_web_first(db):
    UserFactory(username="moi", must_change_password=True)
    response = _ask("moi")
    assert response.status_code == 400
    assert "đổi mật khẩu" in _errors(response)
    assert not Token.objects.exists()


def test_administrators_without_a_second_factor_get_no_token(world):
    """Province and unit administrators must use two-factor authentication (REQUIRES_2FA):
    a password alone is not enough, for the API either."""
    for key in ("province_admin", "unit_admin"):
        response = _ask(key)
        assert response.status_code == 400
        assert "xác thực hai yếu tố" in _errors(response)
    assert not Token.objects.exists()


@pytest.fixture
def admin_device(world):
    return TOTPDevice.objects.create(user=world.actors["unit_admin"], name="app", confirmed=True)


def _code(device, offset: int = 0) -> str:
    """The app's current code (`offset` makes a wrong one)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(code + offset) % 1_000_000:06d}"


def test_administrators_with_a_second_factor_need_its_code(world, admin_device):
    missing = _ask("unit_admin")
    assert missing.status_code == 400
    assert "nhập mã" in " ".join(missing.json()["otp_token"])

    wrong = _ask("unit_admin", otp_token=_code(admin_device, 1))
    assert wrong.status_code == 400
    assert "Mã không đúng" in " ".join(wrong.json()["otp_token"])
    assert AccessLog.objects.filter(
        action="otp_failed", object_id=str(world.actors["unit_admin"].pk)
    ).exists()
    assert not Token.objects.exists()

    admin_device.refresh_from_db()
    admin_device.throttling_failure_count = 0
    admin_device.save()
    right = _ask("unit_admin", otp_token=_code(admin_device))
    assert right.status_code == 200, right.json()
    assert Token.objects.filter(user=world.actors["unit_admin"]).exists()


def test_a_code_that_is_not_six_digits_is_refused_before_the_password_is_checked(world):
    response = _ask("staff", otp_token="12ab")
    assert response.status_code == 400
    assert response.json()["otp_token"] == ["Mã là 6 chữ số mà ứng dụng hiển thị."]
    world.actors["staff"].refresh_from_db()
    assert world.actors["staff"].failed_logins == 0


def test_requests_without_credentials_are_refused_in_vietnamese(db):
    response = APIClient().get(UNITS_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"].startswith("Chưa có thông tin xác thực")


@pytest.mark.parametrize(
    "header, message",
    [
        ("Token", "thiếu mã truy cập"),
        ("Token a b", "không được chứa dấu cách"),
        ("Token khong-co-ma-nay", "Mã truy cập không hợp lệ."),
    ],
    ids=["empty", "spaces", "unknown"],
)
def test_bad_token_headers_are_refused_in_vietnamese(db, header, message):
    response = APIClient().get(UNITS_URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert message in response.json()["detail"]


def test_a_browser_session_counts_only_after_the_second_factor(world):
    """The Swagger page uses the session: an administrator's session that has not passed
    the second factor is not logged in for the API."""
    client = Client()
    client.force_login(world.actors["province_admin"])
    assert client.get(UNITS_URL).status_code == 401
    client = Client()
    client.force_login(world.actors["staff"])  # no second factor required
    assert client.get(UNITS_URL).status_code == 200

"""Password policy, argon2 hashing and lockout (Cần Thơ Đ10, Lâm Đồng Đ13): the rules
behind the login page, tested through Django's `authenticate` and the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone, translation

from hoso import settings as production
from hoso.accounts.services import password_change
from hoso.audit.models import AccessLog
from hoso.core.errors import DomainError

from ..factories import PASSWORD, UserFactory


def _login(username, password):
    return authenticate(RequestFactory().post("/accounts/login/"), username=username,
                        password=password)


def test_production_hashes_passwords_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = UserFactory()
    user.set_password("Mot-mat-khau-2026")
    user.save()
    assert user.password.startswith("argon2$")
    assert _login(user.username, "Mot-mat-khau-2026") == user


@pytest.mark.parametrize(
    "new_password",
    ["ngan1", "chikhongcoso", "12345678901234", "password1234"],
    ids=["too_short", "no_digit", "no_letter", "common"],
)
def test_weak_passwords_are_refused_in_vietnamese_and_nothing_changes(db, new_password):
    user = UserFactory(must_change_password=True)
    old_hash = user.password
    with translation.override("vi"), pytest.raises(DomainError) as err:
        password_change(user=user, old_password=PASSWORD, new_password=new_password)
    assert err.value.field == "new_password"
    assert "mật khẩu" in str(err.value.message).lower()
    user.refresh_from_db()
    assert user.password == old_hash and user.must_change_password


def test_password_change_clears_the_first_login_flag(db):
    user = UserFactory(must_change_password=True)
    password_change(user=user, old_password=PASSWORD, new_password="Doi-mat-khau-2026")
    user.refresh_from_db()
    assert not user.must_change_password
    assert _login(user.username, "Doi-mat-khau-2026") == user


def test_wrong_current_password_is_refused(db):
    user = UserFactory()
    with pytest.raises(DomainError) as err:
        password_change(user=user, old_password="sai-mat-khau-1", new_password="Doi-mat-khau-2026")
    assert err.value.field == "old_password"


def test_repeated_failures_lock_the_account_and_each_is_audited(db, settings):
    settings.LOCKOUT_ATTEMPTS = 3
    user = UserFactory()
    for _ in range(3):
        assert _login(user.username, "sai-mat-khau-9") is None
    user.refresh_from_db()
    assert user.is_locked()
    # while locked, even the right password is refused
    assert _login(user.username, PASSWORD) is None
    rows = AccessLog.objects.filter(object_id=str(user.pk))
    assert rows.filter(action="login_failed").count() == 4
    assert rows.filter(action="locked").count() == 1
    assert rows.filter(action="login_failed", outcome="locked").count() == 1


def test_lock_expires_after_the_configured_minutes(db, settings):
    settings.LOCKOUT_ATTEMPTS = 2
    user = UserFactory()
    _login(user.username, "sai-1-sai-1")
    _login(user.username, "sai-2-sai-2")
    user.refresh_from_db()
    type(user).objects.filter(pk=user.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _login(user.username, PASSWORD) == user


def test_success_resets_the_failure_count(db, settings):
    settings.LOCKOUT_ATTEMPTS = 3
    user = UserFactory()
    _login(user.username, "sai-1-sai-1")
    _login(user.username, "sai-2-sai-2")
    assert _login(user.username, PASSWORD) == user
    _login(user.username, "sai-3-sai-3")
    _login(user.username, "sai-4-sai-4")
    user.refresh_from_db()
    assert not user.is_locked()


def test_unknown_username_is_audited_without_the_name(db):
    assert _login("khong-ton-tai", "sai-mat-khau-1") is None
    row = AccessLog.objects.filter(action="login_failed").latest("seq")
    assert row.outcome == "unknown_user"
    assert "khong-ton-tai" not in str(row.detail)


def test_inactive_account_cannot_log_in(db):
    user = UserFactory(is_active=False)
    assert _login(user.username, PASSWORD) is None

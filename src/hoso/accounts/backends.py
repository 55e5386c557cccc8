"""Password login with lockout after repeated failures; every outcome is audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.utils import timezone

from hoso.audit.services import log_access

from .models import User


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username=username).first()
            if user is None:
                User().set_password(password)  # same work as a real check: no timing oracle
                log_access(action="login_failed", outcome="unknown_user", detail={})
                return None
            now = timezone.now()
            if user.is_locked(now):
                log_access(action="login_failed", obj=user, outcome="locked")
                request_note(request, "locked")
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                user.failed_logins = 0
                user.locked_until = None
                user.last_login = now
                User.objects.filter(pk=user.pk).update(
                    failed_logins=0, locked_until=None, last_login=now
                )
                log_access(action="login", obj=user)
                return user
            user.failed_logins += 1
            outcome = "wrong_password" if user.is_active else "inactive"
            if user.failed_logins >= settings.LOCKOUT_ATTEMPTS:
                user.locked_until = now + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
                user.failed_logins = 0
                log_access(action="locked", obj=user, outcome="locked")
                request_note(request, "locked")
            User.objects.filter(pk=user.pk).update(
                failed_logins=user.failed_logins, locked_until=user.locked_until
            )
            log_access(action="login_failed", obj=user, outcome=outcome)
            return None


def request_note(request, note: str) -> None:
    """Tell the login form why (locked) without telling it whether the name exists."""
    if request is not None:
        request.hoso_login_note = note

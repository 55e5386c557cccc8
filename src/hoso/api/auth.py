"""How API clients prove who they are.

Two ways in, both held to the account rules of the web login (Cần Thơ Đ10.2: a new
password after an administrator's reset; second factor for administrators and
approvers, see `hoso.accounts.roles.REQUIRES_2FA`):

- a token (`Authorization: Token <key>`), issued by `POST /api/v1/auth/token` for the
  user name and password — through Django's `authenticate`, so the lockout after
  repeated failures and its audit rows apply — plus the authenticator code when the
  account has a second factor. A token stops working when its account is disabled or
  locked, and when the password changes after it was issued;
- a browser session (for the Swagger page), once the session has passed the same steps.

The token endpoint is `hoso.api.tokens` (this module is read by DRF's settings, before
its views exist, so it must not import them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication


class TokenAuthentication(DRFTokenAuthentication):
    """DRF's token, refused for accounts that may not log in now."""

    def authenticate_credentials(self, key):
        token = self.get_model().objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This account has been locked by an administrator.")
            )
        if user.is_locked():
            raise exceptions.AuthenticationFailed(
                _("This account is locked for a while after too many failed log-ins.")
            )
        if user.must_change_password or (
            user.password_changed_at is not None and token.created < user.password_changed_at
        ):
            raise exceptions.AuthenticationFailed(
                _("This token is no longer valid: the password has changed. Ask for a new token.")
            )
        return user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts for the API only once its account is in order
    (new password set, second factor passed where required)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        from hoso.accounts.twofactor import needs_2fa

        user = result[0]
        if user.must_change_password or (not user.is_verified() and needs_2fa(user)):
            return None
        return result

from rest_framework.authentication import SessionAuthentication


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

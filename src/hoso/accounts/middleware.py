"""Keeps a logged-in session inside the account rules: new password first, then 2FA."""

from django.shortcuts import redirect
from django.urls import resolve

from .twofactor import needs_2fa

# Pages reachable before the account is in order (names in the `web` namespace).
OPEN_PAGES = {"login", "logout", "password_change", "otp_setup", "otp_verify", "set_language"}


class AccountStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(("/static/", "/api/")):
            match = resolve(request.path_info)
            if match.url_name not in OPEN_PAGES:
                if user.must_change_password:
                    return redirect("web:password_change")
                if not user.is_verified():
                    state = needs_2fa(user)
                    if state == "setup":
                        return redirect("web:otp_setup")
                    if state == "verify":
                        return redirect("web:otp_verify")
        return self.get_response(request)

"""Keeps a logged-in session inside the account rules before any other page opens.

The order of the steps matters:
1. an account that already has a second factor proves it first, so that a password
   issued by an administrator (Cần Thơ Đ10.2) is not enough to take the account over;
2. a first login, or a login after an administrator's reset, sets a new password;
3. a role that requires a second factor (administrators and approvers) sets one up.
Each step's page takes `?next=` so the person lands where they were going.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from .twofactor import needs_2fa

# Pages reachable before the account is in order (view names, namespace included).
OPEN_PAGES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:password_change",
        "accounts:otp_setup",
        "accounts:otp_verify",
    }
)
# Paths served without a session check: assets, and the API (which has its own rule,
# `hoso.api.auth.VerifiedSessionAuthentication`).
SKIPPED_PREFIXES = ("/static/", "/api/")


def step_for(user) -> str | None:
    """The view name of the page the account must pass first, or None when in order."""
    state = None if user.is_verified() else needs_2fa(user)
    if state == "verify":
        return "accounts:otp_verify"
    if user.must_change_password:
        return "accounts:password_change"
    if state == "setup":
        return "accounts:otp_setup"
    return None


class AccountStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(SKIPPED_PREFIXES):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = None  # the 404 page itself is harmless
            if view_name is not None and view_name not in OPEN_PAGES:
                step = step_for(user)
                if step is not None:
                    url = reverse(step)
                    if request.method == "GET":
                        url += "?" + urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(url)
        return self.get_response(request)

"""TOTP second factor (django-otp), required for administrators and approvers."""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.audit.services import log_access

from .permissions import scopes_of
from .roles import REQUIRES_2FA


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def requires_2fa(user) -> bool:
    return bool(scopes_of(user).roles & REQUIRES_2FA)


def needs_2fa(user) -> str | None:
    """'verify' when the user has a device, 'setup' when they must make one, else None."""
    if confirmed_device(user):
        return "verify"
    if requires_2fa(user):
        return "setup"
    return None


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@transaction.atomic
def confirm_setup(request, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        log_access(action="otp_failed", obj=request.user, outcome="setup")
        return False
    TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    otp_login(request, device)
    return True


def verify(request, token: str) -> bool:
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(token):
        log_access(action="otp_failed", obj=request.user, outcome="wrong_code")
        return False
    otp_login(request, device)
    return True


def secret_text(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps take it by hand: base32 in groups of 4."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def retry_after(device: TOTPDevice | None) -> int:
    """Seconds before the device accepts another code (django-otp doubles the wait after
    each wrong code: 1, 2, 4 … seconds); 0 when a code may be tried now."""
    import math

    from django.utils import timezone

    if device is None:
        return 0
    allowed, _ = device.verify_is_allowed()
    if allowed:
        return 0
    required = device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1)
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, math.ceil(required - elapsed))


def state_of(user) -> dict:
    """What "My account" shows of the second factor."""
    device = confirmed_device(user)
    return {
        "has_device": device is not None,
        "required": requires_2fa(user),
        "verified": bool(getattr(user, "is_verified", lambda: False)()),
        "last_used": getattr(device, "last_used_at", None),
    }

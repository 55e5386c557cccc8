"""`POST /api/v1/auth/token`: a user name and password (and the authenticator code, when
the account has a second factor) for an API token. See `hoso.api.auth` for the rules a
token is held to afterwards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from hoso.accounts import twofactor
from hoso.audit.services import log_access
from hoso.core.context import acting_as


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("User name"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("Password"), trim_whitespace=False, max_length=4096,
        style={"input_type": "password"},
    )
    otp_token = serializers.RegexField(
        r"^\s*\d{6}\s*$", label=gettext_lazy("Two-factor code"), required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "The 6-digit code of the authenticator app; required when the account has "
            "two-factor authentication."
        ),
        error_messages={"invalid": gettext_lazy("The code is the 6 digits the app shows.")},
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        label=gettext_lazy("Token"),
        help_text=gettext_lazy('Send it as the header "Authorization: Token <token>".'),
    )


def _refuse(message: str, field: str | None = None):
    key = field or api_settings.NON_FIELD_ERRORS_KEY
    return exceptions.ValidationError({key: [message]})


@transaction.atomic
def issue_token(user) -> Token:
    """The account's token; a new one if the password changed since the old one was
    issued (such a token is refused anyway: see `TokenAuthentication`)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and (
        user.password_changed_at is not None and token.created < user.password_changed_at
    ):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    log_access(action="login", obj=user, outcome="api_token")
    return token


class ObtainTokenView(APIView):
    """Exchange a user name and password (and the second factor) for an API token."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    renderer_classes = (JSONRenderer,)

    @extend_schema(
        operation_id="auth_token_create",
        summary=gettext_lazy("Obtain an API token"),
        description=gettext_lazy(
            "Checks the user name and password as the login page does (repeated failures "
            "lock the account for a while) and, when the account has two-factor "
            "authentication, the code of the authenticator app. Accounts that must still "
            "change their password or set up two-factor authentication do so on the web "
            "first."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        tags=["auth"],
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(django_request, "hoso_login_note", "") == "locked":
                raise _refuse(
                    _(
                        "This account is locked for %(minutes)s minutes after too many failed "
                        "log-ins. Try again later, or ask your unit's administrator to unlock it."
                    )
                    % {"minutes": settings.LOCKOUT_MINUTES}
                )
            raise _refuse(
                _("Wrong user name or password. Check both (letter case matters) and try again.")
            )
        if user.must_change_password:
            raise _refuse(
                _("Set a new password first: log in on the web, change it, then ask for a token.")
            )
        state = twofactor.needs_2fa(user)
        if state == "setup":
            raise _refuse(
                _(
                    "Your account requires two-factor authentication: set it up on the web "
                    "(My account) first, then ask for a token with the app's code."
                )
            )
        if state == "verify":
            self._check_code(user, data.get("otp_token", "").strip())
        with acting_as(user):
            token = issue_token(user)
        return Response({"token": token.key})

    @staticmethod
    def _check_code(user, code: str) -> None:
        if not code:
            raise _refuse(
                _("This account has two-factor authentication: enter the code of your app."),
                field="otp_token",
            )
        device = twofactor.confirmed_device(user)
        wait = twofactor.retry_after(device)
        if not wait and device.verify_token(code):
            return
        with acting_as(user):
            log_access(action="otp_failed", obj=user, outcome="api_token")
        wait = wait or twofactor.retry_after(device)
        if wait > 1:
            message = _(
                "The code is wrong. Wait %(seconds)d seconds, then enter the current code."
            ) % {"seconds": wait}
        else:
            message = _("The code is wrong or has expired. Enter the code the app shows now.")
        raise _refuse(message, field="otp_token")

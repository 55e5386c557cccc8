"""One place that turns errors into API responses with Vietnamese messages.

Shapes, the same on every endpoint:
- 400: `{"<field>": ["message", …], "non_field_errors": [...]}` — the shape of DRF's
  validation errors, also for the services' `DomainError`s and Django
  `ValidationError`s (keyed by the service's field name, or `non_field_errors`);
- 401, 403, 404, 405: `{"detail": "message"}`.

DRF builds some messages from English text that no catalog can translate (the 404 of
`get_object_or_404` names the model, a JSON parse error quotes Python's exception):
those are replaced here by their Vietnamese equivalent.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_handler

from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound, PermissionDenied


def _field_errors(mapping: dict) -> dict:
    key = api_settings.NON_FIELD_ERRORS_KEY
    return {(key if field in (NON_FIELD_ERRORS, None) else field): [str(m) for m in msgs]
            for field, msgs in mapping.items()}


def exception_handler(exc, context):
    if isinstance(exc, PermissionDenied):
        log_access(action="denied", outcome="api", detail={"path": context["request"].path})
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NotFound):
        return Response({"detail": str(exc.message)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DomainError):
        return Response(
            _field_errors({exc.field: [exc.message]}), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        body = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        return Response(_field_errors(body), status=status.HTTP_400_BAD_REQUEST)
    # DRF would keep these exceptions' English arguments; the defaults are translated.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(
            _("The request body could not be read: send well-formed JSON.")
        )
    return drf_handler(exc, context)

"""One place that turns domain errors into API responses with Vietnamese messages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound, PermissionDenied


def exception_handler(exc, context):
    if isinstance(exc, PermissionDenied):
        log_access(action="denied", outcome="api", detail={"path": context["request"].path})
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NotFound):
        return Response({"detail": str(exc.message)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DomainError):
        key = exc.field or "detail"
        return Response({key: [str(exc.message)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_handler(exc, context)

"""Domain errors: services raise them; pages and the API turn them into Vietnamese messages."""

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule was broken; `message` is already a (lazy) Vietnamese text."""

    code = "invalid"

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class PermissionDenied(DomainError):
    code = "permission_denied"


class NotFound(DomainError):
    code = "not_found"


def as_validation_error(exc: DomainError) -> ValidationError:
    if exc.field:
        return ValidationError({exc.field: [exc.message]}, code=exc.code)
    return ValidationError(exc.message, code=exc.code)

"""The password policy beyond Django's validators, and initial passwords."""

import secrets
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = string.ascii_letters + string.digits


class CharacterClassValidator:
    """At least one letter and one digit: the floor of every provincial policy."""

    def validate(self, password, user=None):
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(
                _("The password must contain both letters and digits."), code="password_classes"
            )

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")


def generate_initial_password(length: int = 12) -> str:
    """A random password that satisfies the policy; the person must change it at once."""
    while True:
        pw = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw

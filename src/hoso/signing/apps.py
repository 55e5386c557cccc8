from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "hoso.signing"
    label = "signing"
    verbose_name = _("Digital signatures")

    def ready(self):
        from hoso.audit.verify import register_check

        from . import integrity, subjects

        subjects.register_defaults()
        register_check("signatures", _("Stored signatures"), integrity.check_signatures,
                       integrity.PROBLEMS)

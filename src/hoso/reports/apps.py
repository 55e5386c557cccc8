from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hoso.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from hoso.audit.verify import register_check
        from hoso.core.crypto import register_rotation

        from . import integrity
        from .models import SignedExport

        register_rotation(SignedExport, ["pdf_sealed"])
        register_check("signed_exports", _("Signed copies of CVs"),
                       integrity.check_signed_exports, integrity.PROBLEMS)

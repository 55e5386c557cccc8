from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "hoso.annual"
    label = "annual"
    verbose_name = _("Annual report")

    def ready(self):
        from hoso.audit.verify import register_check

        from . import integrity

        register_check("annual_reports", _("Annual reports"), integrity.check_annual_reports,
                       integrity.PROBLEMS)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "hoso.hr"
    label = "hr"
    verbose_name = _("HR lists")

    def ready(self):
        from hoso.core.crypto import register_rotation

        from .models import FileCheck

        register_rotation(FileCheck, ["messages"])

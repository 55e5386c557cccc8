from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "hoso.records"
    label = "records"
    verbose_name = _("Personnel files")

    def ready(self):
        from hoso.core.crypto import register_rotation

        from . import integrity
        from .models import Person, Profile, Revision

        integrity.register()
        register_rotation(Person, ["id_number"])
        register_rotation(Revision, ["sealed"])
        register_rotation(Profile, ["religion", "party_member"])

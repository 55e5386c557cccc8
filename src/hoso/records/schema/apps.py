from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemaConfig(AppConfig):
    """The profile schema as an app of its own only so its system check runs at
    start-up (it has no models)."""

    name = "hoso.records.schema"
    label = "records_schema"
    verbose_name = _("Profile schema")

    def ready(self):
        from . import checks  # noqa: F401 (registers the check)

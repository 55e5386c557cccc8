from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API. An app only so that its Vietnamese catalog (`locale/`) is loaded:
    it carries the API's own messages and those of Django REST framework that DRF's
    Vietnamese catalog lacks (`hoso.api.messages`)."""

    name = "hoso.api"
    label = "hoso_api"
    verbose_name = _("REST API")

    def ready(self):
        from . import schema  # noqa: F401 (registers the OpenAPI extensions)

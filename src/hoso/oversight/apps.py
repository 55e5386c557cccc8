from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "hoso.oversight"
    label = "oversight"
    verbose_name = _("Province oversight")

    def ready(self):
        from hoso.signing.subjects import register_subject

        from .manifest import manifest_of

        # `hoso audit verify` recomputes a signed batch's manifest from its frozen rows
        # and compares it with the hash Sở Nội vụ's signature covers.
        register_subject("oversight.provincebatch", manifest_of)

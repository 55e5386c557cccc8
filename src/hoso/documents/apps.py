"""Scanned evidence documents: upload checks, storage."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "hoso.documents"
    label = "documents"
    verbose_name = _("Evidence documents")

    def ready(self):
        from hoso.audit.verify import register_check

        from .integrity import CHAIN, verify_evidence

        register_check(
            CHAIN, _("Stored evidence files"), verify_evidence,
            {
                "evidence_missing": _("the stored file of an evidence document is missing"),
                "evidence_altered": _(
                    "the stored file of an evidence document no longer matches its hash"
                ),
            },
        )

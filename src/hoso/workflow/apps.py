"""Change requests: drafts, submissions and (later) their review steps."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "hoso.workflow"
    label = "workflow"
    verbose_name = _("Change requests")

    def ready(self):
        from hoso.core.crypto import register_rotation

        from .models import ChangeRequest

        # The sealed part of a proposed document is re-encrypted by `hoso keys rotate`.
        register_rotation(ChangeRequest, ["sealed"])

"""Change requests: drafts, submissions, their review steps and decisions."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "hoso.workflow"
    label = "workflow"
    verbose_name = _("Change requests")

    def ready(self):
        from hoso.core.crypto import register_rotation
        from hoso.signing.subjects import register_subject

        from .decisions import decision_payload
        from .models import ChangeRequest

        # The sealed part of a proposed document is re-encrypted by `hoso keys rotate`.
        register_rotation(ChangeRequest, ["sealed"])
        # What a signed review decision covers (`hoso audit verify` checks it again).
        register_subject("workflow.reviewstep", decision_payload)

"""Change logging as a mixin (NetBox's ChangeLoggingMixin): nobody has to remember it.

Any model inheriting `AuditedModel` gets a change row for every save and delete,
written inside the same transaction, with the actor and request id of the context.
Bulk writes skip signals; services doing them call `log_changes` themselves.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .mixins import AuditedModel
from .services import log_change


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = type(instance)._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = old.audit_snapshot() if old else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    before = getattr(instance, "_audit_before", None)
    after = instance.audit_snapshot()
    if not created and before == after:
        return
    log_change(action="create" if created else "update", obj=instance, before=before, after=after)


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        log_change(action="delete", obj=instance, before=instance.audit_snapshot(), after=None)

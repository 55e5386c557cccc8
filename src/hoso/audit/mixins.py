from django.db import models


class AuditedModel(models.Model):
    """Base of every model whose writes are audited (see audit.signals).

    `audit_exclude`: columns left out of snapshots (derived or secret: password
    hashes, encrypted blobs — their keyed hash is kept instead).
    """

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def audit_snapshot(self) -> dict:
        data = {}
        for field in self._meta.concrete_fields:
            if field.name in self.audit_exclude or field.attname in self.audit_exclude:
                continue
            value = field.value_from_object(self)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(
                value, str | int | float | bool | list | dict
            ):
                value = str(value)
            data[field.attname] = value
        return data

"""The audit trail (DESIGN principle 7): change rows and access rows, each a hash chain.

Every row carries `seq` (1, 2, 3 … per chain), `prev_hash` and `hash` =
sha256(prev_hash + canonical JSON of the row's content). Rows can't be updated or
deleted: the model refuses it, and database triggers (SQLite and PostgreSQL) refuse
it for anyone who goes around the model. `hoso audit verify` recomputes the chain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit rows are immutable")

    def delete(self):
        raise TypeError("audit rows are immutable")


class ChainHead(models.Model):
    """The newest link of each chain; writers lock it so links never fork."""

    chain = models.CharField(max_length=20, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"


class ChainedRow(models.Model):
    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100)
    request_id = models.CharField(max_length=64, db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.CHAIN} #{self.seq}: {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("audit rows are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit rows are immutable")

    def payload(self) -> dict:
        """What the hash covers: every column but the hash itself."""
        data = {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "request_id": self.request_id,
        }
        for name in self.CONTENT_FIELDS:
            data[name] = getattr(self, name)
        return data


class ChangeLog(ChainedRow):
    """One write to one object: before and after, as NetBox's ObjectChange."""

    CHAIN = "change"
    CONTENT_FIELDS = ("action", "object_type", "object_id", "before", "after", "reason")

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")

    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=40, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta(ChainedRow.Meta):
        verbose_name = _("change record")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]


class AccessLog(ChainedRow):
    """A read of someone else's data (view, search, export, print) or a security event."""

    CHAIN = "access"
    CONTENT_FIELDS = ("action", "object_type", "object_id", "person_id", "outcome", "detail")

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        SEARCH = "search", _("Search")
        EXPORT = "export", _("Export")
        PRINT = "print", _("Print")
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED = "locked", _("Account locked")
        OTP_FAILED = "otp_failed", _("Wrong two-factor code")
        LOGOUT = "logout", _("Logout")
        DENIED = "denied", _("Access denied")

    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # The person whose data was read, kept as a plain id so the trail outlives nothing.
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=20, default="ok")
    detail = models.JSONField(default=dict, blank=True)

    class Meta(ChainedRow.Meta):
        verbose_name = _("access record")

"""In-app notifications (with their e-mail copy) and the record of reminder runs.

A notification is a short Vietnamese message for one account, with a link to the page
where the reader acts. Reminders of the review's deadlines and of the deadlines the
regulations set for accounts and self-entry (Cần Thơ 641/QĐ-UBND Đ5.1.a–b, Lai Châu
2.2, Lâm Đồng Đ7.1–7.2) are notifications; so is the end of a long import.

`key` makes a notification idempotent: the same key twice for the same recipient is
one notification (the reminder sweep may run twice a day, or be re-run by hand,
without anyone being reminded twice). The message names the change request, the step
or the person, never an identification number; the audit trail keeps its hash only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoso.audit.mixins import AuditedModel
from hoso.core.canonical import sha256_hex


class Kind(models.TextChoices):
    """What a notification is about. Other apps may use their own kind (a dotted
    name, e.g. "import.finished"); a kind not listed here is shown as "Notification"."""

    REVIEW_DUE_SOON = "review.due_soon", _("Review due soon")
    REVIEW_DUE_TODAY = "review.due_today", _("Review due today")
    REVIEW_OVERDUE = "review.overdue", _("Review overdue")
    ACCOUNT_DUE_SOON = "account.due_soon", _("Account to create soon")
    ACCOUNT_DUE_TODAY = "account.due_today", _("Account to create today")
    ACCOUNT_OVERDUE = "account.overdue", _("Account creation overdue")
    SELF_ENTRY_DUE_SOON = "self_entry.due_soon", _("Enter your data soon")
    SELF_ENTRY_DUE_TODAY = "self_entry.due_today", _("Enter your data today")
    SELF_ENTRY_OVERDUE = "self_entry.overdue", _("Data entry overdue")
    SELF_ENTRY_MISSING = "self_entry.missing", _("A person has not entered their data")


def kind_label(kind: str) -> str:
    try:
        return str(Kind(kind).label)
    except ValueError:
        return str(_("Notification"))


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(AuditedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.TextField(_("message"))
    message_hash = models.CharField(max_length=64, editable=False)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("de-duplication key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    # The message may name a person: the audit trail keeps its hash instead.
    audit_exclude = ("message",)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_key_once"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    def compute_message_hash(self) -> str:
        return sha256_hex(self.message.encode())

    def save(self, *args, **kwargs):
        self.message_hash = self.compute_message_hash()
        super().save(*args, **kwargs)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderRun(models.Model):
    """One pass of the reminder sweep: when, for which day, what it sent. Operators
    read it to know the daily task runs (`hoso reminders status`, the admin)."""

    day = models.DateField(_("reminders of the day"), db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    class Trigger(models.TextChoices):
        TASK = "task", _("the daily task")
        COMMAND = "command", _("a command")

    trigger = models.CharField(_("started by"), max_length=20, choices=Trigger.choices)
    counts = models.JSONField(_("notifications sent"), default=dict, blank=True)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.day} ({self.trigger})"


class TrackedDeadline(models.Model):
    """An obligation the regulations put a deadline on outside the review, one per
    person and kind: the unit creates the person's account (Cần Thơ 641/QĐ-UBND
    Đ5.1.a, Lâm Đồng Đ7.1), the person enters their data once they have it (Cần Thơ
    Đ5.1.b, Lai Châu 2.2, Lâm Đồng Đ7.2).

    A projection of audited facts — the file's creation and recruitment date, the
    account's date, the first submitted change request — like `records.Profile`: kept
    by `tracking.sync` (the morning sweep; at most every few minutes on a read), never
    edited, rebuilt from those facts at any time. It gives the overdue lists an indexed
    due date, and keeps when each obligation was met for the compliance figures.
    """

    class Kind(models.TextChoices):
        ACCOUNT_CREATION = "account_creation", _("Account creation")
        SELF_ENTRY = "self_entry", _("Self-entry of data")

    class Outcome(models.TextChoices):
        OPEN = "", pgettext_lazy("deadline", "Open")
        MET = "met", _("Met")
        WAIVED = "waived", _("No longer needed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        "records.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # account creation: the day the file was created in hoso (its audited creation)
    file_created_on = models.DateField(_("file created on"), null=True, blank=True)
    starts_on = models.DateField(_("clock starts on"))
    due_on = models.DateField(_("due on"))
    # the deadline the due date was computed with (a policy file may change)
    province = models.CharField(_("province policy"), max_length=30)
    deadline_days = models.PositiveSmallIntegerField(_("deadline"))
    deadline_kind = models.CharField(_("kind of days"), max_length=10)
    opened_at = models.DateTimeField(_("tracked since"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN, blank=True
    )
    # The last reminder sent for it ("due_soon", "due_today", "overdue:<round>"): each
    # is sent once, however the sweep's letters group them.
    reminded = models.CharField(_("last reminder"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("tracked deadline")
        verbose_name_plural = _("tracked deadlines")
        constraints = [
            models.UniqueConstraint(fields=["kind", "person"], name="tracked_deadline_once"),
        ]
        indexes = [models.Index(fields=["kind", "closed_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} → {self.due_on}"


class TrackingState(models.Model):
    """When `tracking.sync` last ran (one row)."""

    synced_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"synced at {self.synced_at:%Y-%m-%d %H:%M}"

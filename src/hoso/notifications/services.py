"""Writing notifications: `notify` for one, `deliver` for many (the reminder sweep),
marking them read. Each write is one transaction with its audit rows; the e-mail copy
leaves through Django's mail backend after the transaction commits (a rolled-back
write sends nothing, and a slow mail server never holds a database lock).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoso.audit.services import log_changes
from hoso.core.errors import DomainError, NotFound

from .models import Notification, kind_label

logger = logging.getLogger(__name__)

CHUNK = 500


@dataclass(frozen=True)
class Outgoing:
    """One notification to write: who, what kind, the rendered Vietnamese message, the
    page to open (a path of this site, "/changes/12/") and the de-duplication key."""

    recipient: object  # accounts.User
    kind: str
    message: str
    url: str = ""
    key: str = ""


def _check(item: Outgoing) -> None:
    if getattr(item.recipient, "pk", None) is None:
        raise DomainError(_("A notification needs an account to go to."), field="recipient")
    if not item.kind or len(item.kind) > 40:
        raise DomainError(
            _("The kind of a notification is a short name of at most 40 characters."),
            field="kind",
        )
    if not item.message.strip():
        raise DomainError(_("A notification needs a message."), field="message")
    if item.url and (not item.url.startswith("/") or item.url.startswith("//")
                     or len(item.url) > 500):
        raise DomainError(
            _("The link of a notification is a path on this site, such as /changes/12/."),
            field="url",
        )
    if len(item.key) > 200:
        raise DomainError(
            _("The de-duplication key of a notification has at most 200 characters."),
            field="key",
        )


def notify(
    user, *, kind: str, message: str, url: str = "", email: bool = True, key: str = ""
) -> Notification | None:
    """Store an in-app notification for `user` and, when `email` is true and the account
    has an address, send it by e-mail once the transaction commits. With a `key`, a
    second call with the same key for the same user writes nothing and returns None."""
    created = deliver([Outgoing(user, kind, message, url, key)], email=email)
    return created[0] if created else None


def deliver(items: Iterable[Outgoing], *, email: bool = True) -> list[Notification]:
    """Write many notifications (those whose key the recipient already has are left
    out), in chunks of one transaction each; e-mail each new one if `email`."""
    items = list(items)
    for item in items:
        _check(item)
    created: list[Notification] = []
    for start in range(0, len(items), CHUNK):
        chunk = _write_chunk(items[start:start + CHUNK])
        created += chunk
        if email:
            _email_after_commit(chunk)
    return created


def _existing_keys(items: Sequence[Outgoing]) -> set[tuple[int, str]]:
    keyed = [i for i in items if i.key]
    if not keyed:
        return set()
    q = Q(pk__in=[])
    for recipient_id in {i.recipient.pk for i in keyed}:
        q |= Q(recipient_id=recipient_id, key__in=sorted({
            i.key for i in keyed if i.recipient.pk == recipient_id
        }))
    return set(Notification.objects.filter(q).values_list("recipient_id", "key"))


def _fresh(items: Sequence[Outgoing]) -> list[Outgoing]:
    """The items whose key is new for their recipient (and not repeated in `items`)."""
    seen = _existing_keys(items)
    out = []
    for item in items:
        if item.key:
            if (item.recipient.pk, item.key) in seen:
                continue
            seen.add((item.recipient.pk, item.key))
        out.append(item)
    return out


def _build(item: Outgoing) -> Notification:
    n = Notification(
        recipient=item.recipient, kind=str(item.kind), message=item.message, url=item.url,
        key=item.key,
    )
    n.message_hash = n.compute_message_hash()
    return n


def _write_chunk(items: Sequence[Outgoing]) -> list[Notification]:
    try:
        with transaction.atomic():
            fresh = _fresh(items)
            if not fresh:
                return []
            if len(fresh) == 1:
                n = _build(fresh[0])
                n.save()  # the audit signal writes its change row
                return [n]
            # Both engines return the new keys (SQLite ≥ 3.35, PostgreSQL).
            objs = Notification.objects.bulk_create([_build(i) for i in fresh])
            log_changes(("create", o, None, o.audit_snapshot()) for o in objs)
            return objs
    except IntegrityError:
        # Another writer stored one of these keys between our check and our insert:
        # write them one by one, each in its own savepoint, skipping the duplicates.
        if len(items) == 1:
            return []
        out = []
        for item in items:
            out += _write_chunk([item])
        return out


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _absolute(url: str) -> str:
    return f"{_site_url()}{url}" if url else ""


def _footer() -> str:
    return _(
        "This message was sent by the personnel-records database. Open the link, or "
        "log in and see “Notifications”, to act on it."
    )


def _message_for(n: Notification) -> EmailMessage | None:
    address = (n.recipient.email or "").strip()
    if not address:
        return None
    lines = [n.message]
    if n.url:
        lines += ["", _absolute(n.url)]
    lines += ["", "—", _footer()]
    return EmailMessage(
        subject=f"[hoso] {kind_label(n.kind)}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def _send(messages: list[EmailMessage], what: str) -> int:
    """Send through the configured backend; a failure is logged (without addresses or
    content), never raised: the in-app notification is already stored."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:  # noqa: BLE001 — SMTP errors are many; the notification stands
        logger.warning("e-mail of %s failed (%d messages)", what, len(messages), exc_info=True)
        return 0


def _email_after_commit(notifications: list[Notification]) -> None:
    ids = [n.pk for n in notifications if (n.recipient.email or "").strip()]
    if not ids:
        return

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            rows = Notification.objects.filter(pk__in=ids).select_related("recipient")
            _send([m for m in map(_message_for, rows) if m], "notifications")

    transaction.on_commit(send)


def email_digest(notifications: list[Notification], *, day) -> None:
    """One e-mail per recipient listing `notifications` (the reminder sweep's morning
    letter: a reviewer with twenty files due gets one letter, not twenty)."""
    by_recipient: dict[int, list[Notification]] = {}
    for n in notifications:
        if (n.recipient.email or "").strip():
            by_recipient.setdefault(n.recipient_id, []).append(n)
    if not by_recipient:
        return

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            messages = []
            for group in by_recipient.values():
                lines = []
                for i, n in enumerate(group, 1):
                    lines.append(f"{i}. {n.message}")
                    if n.url:
                        lines.append(f"   {_absolute(n.url)}")
                lines += ["", "—", _footer()]
                messages.append(EmailMessage(
                    subject="[hoso] " + _("Reminders of %(day)s: %(count)d to do") % {
                        "day": day.strftime("%d/%m/%Y"), "count": len(group),
                    },
                    body="\n".join(lines),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[group[0].recipient.email.strip()],
                ))
            _send(messages, "reminders")

    transaction.on_commit(send)


# --- reading state -------------------------------------------------------------------


@transaction.atomic
def mark_read(*, user, pk: int) -> Notification:
    """Mark one of the user's own notifications read (someone else's is not found)."""
    n = Notification.objects.select_for_update().filter(pk=pk, recipient=user).first()
    if n is None:
        raise NotFound(_("No such notification."))
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    rows = list(Notification.objects.select_for_update().filter(recipient=user).unread())
    if not rows:
        return 0
    now = timezone.now()
    before = {n.pk: n.audit_snapshot() for n in rows}
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(read_at=now)
    for n in rows:
        n.read_at = now
    log_changes(("update", n, before[n.pk], n.audit_snapshot()) for n in rows)
    return len(rows)

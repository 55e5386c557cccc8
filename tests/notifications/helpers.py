"""Running the reminder sweep day by day and reading what it sent."""

from __future__ import annotations

import datetime as dt

from hoso.notifications import reminders
from hoso.notifications.models import Notification
from hoso.workflow import services

from ..records.documents import first_revision


def submit_change(person_account, clock, day: dt.date):
    """The person changes their phone number and submits it on `day` (their file holds
    an approved first revision)."""
    if not person_account.person.revisions.exists():
        first_revision(person_account.person)
    clock.set(day, 9)
    draft = services.draft_start(actor=person_account, person=person_account.person)
    services.draft_update(actor=person_account, draft=draft, changes={"phone": "0912345678"})
    return services.submit(draft, actor=person_account)


def days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def sweep(clock, first: dt.date, last: dt.date) -> dict[dt.date, list[Notification]]:
    """Run the sweep every morning from `first` to `last` (weekends and holidays too,
    as the daily task does); what each morning created."""
    sent = {}
    for day in days(first, last):
        clock.set(day, 7)
        before = set(Notification.objects.values_list("pk", flat=True))
        reminders.run()
        new = list(Notification.objects.exclude(pk__in=before).select_related("recipient"))
        if new:
            sent[day] = new
    return sent


def schedule(sent, *, recipient, kind_prefix: str = "", key_part: str = "",
             text: str = "") -> dict:
    """{day: [kind, …]} of what `recipient` got, of kinds starting with `kind_prefix`,
    keys containing `key_part` and messages containing `text`."""
    out = {}
    for day, rows in sent.items():
        kinds = sorted(
            n.kind for n in rows
            if n.recipient_id == recipient.pk and n.kind.startswith(kind_prefix)
            and key_part in n.key and text in n.message
        )
        if kinds:
            out[day] = kinds
    return out

"""`hoso reminders send|schedule|status`: the daily reminder sweep from the command line.

- `send [--date YYYY-MM-DD]`: send the day's reminders now (cron, a systemd timer, or
  to catch up a day); each reminder goes out once, however often this runs.
- `schedule`: make sure the daily run is queued on the task runner (`hoso db_worker`
  runs it every morning and queues the next).
- `status`: the last runs and the next one queued.
- `sync [--rebuild]`: bring the tracked deadlines (account creation, self-entry) up to
  date with the files and accounts now (every sweep does it first); `--rebuild` forgets
  them and derives them again from the audited facts (their reminders go out again).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.context import acting_as
from hoso.notifications import reminders, tasks, tracking
from hoso.notifications.models import ReminderRun, kind_label


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2027-02-17.")
            % {"value": text}
        ) from None


class Command(BaseCommand):
    help = (
        "Reminders of deadlines: `send` sends today's now, `schedule` queues the daily "
        "run on the task runner, `status` shows the last runs and the next."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="send the reminders of a day now (default today)")
        send.add_argument("--date", help="the day, YYYY-MM-DD (default: today)")
        sub.add_parser("schedule", help="queue the daily run on the task runner")
        sub.add_parser("status", help="show the last runs and the next one queued")
        sync = sub.add_parser("sync", help="bring the tracked deadlines up to date")
        sync.add_argument("--rebuild", action="store_true",
                          help="derive them again from the files and accounts")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _send(self, *, date=None, **_options):
        day = _date(date) if date else timezone.localdate()
        counts = reminders.run(on=day, trigger="command")
        total = sum(counts.values())
        self.stdout.write(
            _("Reminders of %(day)s: %(total)d sent.")
            % {"day": day.strftime("%d/%m/%Y"), "total": total}
        )
        for kind, n in sorted(counts.items()):
            self.stdout.write(f"  {kind_label(kind)}: {n}")

    def _sync(self, *, rebuild=False, **_options):
        with acting_as(label="system:reminders"):
            counts = tracking.sync(rebuild=rebuild)
        self.stdout.write(
            _("Tracked deadlines: %(opened)d opened, %(closed)d closed, %(redated)d re-dated.")
            % counts
        )

    def _schedule(self, **_options):
        when = tasks.schedule_daily()
        if when is None:
            raise CommandError(_(
                "The task runner cannot keep tasks for later (HOSO_TASKS_IMMEDIATE is set): "
                "run `hoso reminders send` every morning from cron or a systemd timer."
            ))
        self.stdout.write(
            _("The next reminder run is queued for %(when)s; `hoso db_worker` runs it.")
            % {"when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")}
        )

    def _status(self, **_options):
        runs = list(ReminderRun.objects.order_by("-started_at", "-pk")[:5])
        if not runs:
            self.stdout.write(_("No reminder run yet."))
        for r in runs:
            state = (
                _("finished at %(time)s, %(total)d sent")
                % {"time": timezone.localtime(r.finished_at).strftime("%H:%M %d/%m/%Y"),
                   "total": sum(r.counts.values())}
                if r.finished_at else _("did not finish")
            )
            self.stdout.write(
                _("Run for %(day)s, started %(start)s by %(trigger)s: %(state)s.") % {
                    "day": r.day.strftime("%d/%m/%Y"),
                    "start": timezone.localtime(r.started_at).strftime("%H:%M %d/%m/%Y"),
                    "trigger": r.get_trigger_display(), "state": state,
                }
            )
        when = tasks.pending_run()
        if when is None:
            self.stdout.write(_("No run is queued: `hoso reminders schedule` queues one."))
        else:
            self.stdout.write(
                _("Next run queued for %(when)s.")
                % {"when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")}
            )
